"""URL matching and building on werkzeug's routing, with a dict fast path for static URLs."""

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from apistar.exceptions import NoReverseMatch
from werkzeug.exceptions import MethodNotAllowed as _WzMethodNotAllowed
from werkzeug.exceptions import NotFound as _WzNotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from .exceptions import (
    ConfigurationError,
    Found,
    MethodNotAllowed,
    NotFound,
    TemporaryRedirect,
)

__all__ = ["Route", "Router"]

_PARAM = re.compile(r"{([^}]*)}")


@dataclass(eq=False)
class Route:
    """One route: URL pattern, method, name, handler and its plans (filled by the app)."""

    url: str
    method: str
    name: str
    handler: Callable[..., Any]
    documented: bool = True
    standalone: bool = False
    websocket: bool = False
    controller: Any = None
    action: str = ""
    plans: dict[str, Any] = field(default_factory=dict)

    @property
    def link(self) -> Any:  # pragma: no cover - kept for API Star code that reads it
        return None


def werkzeug_pattern(url: str, handler: Callable[..., Any]) -> str:
    """Translate ``{name}``/``{+name}`` into werkzeug converters (typed by annotation)."""
    try:
        parameters = inspect.signature(handler).parameters
    except (TypeError, ValueError):
        parameters = {}  # type: ignore[assignment]

    def convert(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("+"):
            return f"<path:{name[1:]}>"
        annotation = parameters[name].annotation if name in parameters else None
        if annotation is int:
            return f"<int(signed=True):{name}>"
        if annotation is float:
            return f"<float(signed=True):{name}>"
        return f"<string:{name}>"

    return _PARAM.sub(convert, url)


_CONVERTERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "int": (r"-?\d+", int),
    "float": (r"-?\d+\.\d+", float),
    "string": (r"[^/]+", str),
    "path": (r"[^/].*?", str),
}


def _fast_pattern(url: str, handler: Callable[..., Any]) -> tuple[re.Pattern[str], dict[str, Any]]:
    """A regex (and value converters) equivalent to the werkzeug rule of ``url``."""
    converted = werkzeug_pattern(url, handler)
    converters: dict[str, Any] = {}
    parts: list[str] = []
    position = 0
    for match in re.finditer(r"<([a-z]+)(?:\([^)]*\))?:([^>]+)>", converted):
        parts.append(re.escape(converted[position : match.start()]))
        kind, name = match.group(1), match.group(2)
        regex, convert = _CONVERTERS[kind]
        parts.append(f"(?P<{name}>{regex})")
        converters[name] = convert
        position = match.end()
    parts.append(re.escape(converted[position:]))
    # \Z, not $: "$" also matches before a trailing newline ("/items/5\n" is not /items/5).
    return re.compile("^" + "".join(parts) + r"\Z"), converters


def _literal_prefix(url: str) -> list[str]:
    """The ``/``-separated segments of ``url`` before the first one with a parameter."""
    segments = url.split("/")
    for index, segment in enumerate(segments):
        if "{" in segment:
            return segments[:index]
    return segments


_Candidate = tuple[re.Pattern[str], dict[str, Any], Route]


class _Segments:
    """Dynamic routes filed under their leading literal segments.

    A path can only match a route whose literal segments it starts with, so matching
    tries the routes on the path's own branch -- not every route of the app.
    """

    __slots__ = ("children", "routes")

    def __init__(self) -> None:
        self.children: dict[str, _Segments] = {}
        self.routes: list[_Candidate] = []

    def add(self, prefix: list[str], candidate: _Candidate) -> None:
        node = self
        for segment in prefix:
            child = node.children.get(segment)
            if child is None:
                child = node.children[segment] = _Segments()
            node = child
        node.routes.append(candidate)

    def match(self, path: str) -> tuple[Route, re.Match[str], dict[str, Any]] | None:
        """The one route whose pattern matches ``path``; ``None`` for none or several."""
        found = None
        node: _Segments | None = self
        segments = iter(path.split("/"))
        while node is not None:
            for regex, converters, item in node.routes:
                match = regex.match(path)
                if match is not None:
                    if found is not None:
                        return None  # ambiguous: let werkzeug's ordering decide
                    found = (item, match, converters)
            segment = next(segments, None)
            node = None if segment is None else node.children.get(segment)
        return found


class Router:
    """Match ``(path, method)`` to a route; build URLs from route names.

    Static URLs are found in a dict; a URL that exactly one dynamic route of the method
    matches is found with precompiled regexes, tried only on the routes whose leading
    literal segments the path starts with (a tree of those segments, so the cost does not
    grow with the number of routes); everything else (several candidates, 404, 405,
    trailing-slash redirects) is decided by werkzeug's matcher.
    """

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = list(routes)
        rules: list[Rule] = []
        ws_rules: list[Rule] = []
        self.by_name: dict[str, Route] = {}
        self.static: dict[tuple[str, str], Route] = {}
        self.dynamic: dict[str, _Segments] = {}
        seen: dict[tuple[str, str, bool], Route] = {}
        for item in self.routes:
            key = (item.method, item.url, item.websocket)
            if key in seen:
                other = seen[key]
                msg = (
                    f"Duplicate route {item.method} {item.url}: {other.name!r} and {item.name!r}. "
                    "Give one of them another URL or method."
                )
                raise ConfigurationError(msg)
            seen[key] = item
            if item.name in self.by_name:
                msg = f"Duplicate route name {item.name!r} ({item.method} {item.url})."
                raise ConfigurationError(msg)
            self.by_name[item.name] = item
            rule = Rule(
                werkzeug_pattern(item.url, item.handler), methods=[item.method], endpoint=item.name
            )
            (ws_rules if item.websocket else rules).append(rule)
            if "{" not in item.url and not item.websocket:
                self.static[(item.method, item.url)] = item
                if item.method == "GET":
                    self.static.setdefault(("HEAD", item.url), item)
            elif not item.websocket:
                regex, converters = _fast_pattern(item.url, item.handler)
                tree = self.dynamic.setdefault(item.method, _Segments())
                tree.add(_literal_prefix(item.url), (regex, converters, item))
        self.adapter = Map(rules, strict_slashes=True, merge_slashes=False).bind("localhost")
        self.ws_adapter = Map(ws_rules, strict_slashes=True, merge_slashes=False).bind("localhost")

    def lookup(
        self, path: str, method: str, *, websocket: bool = False, query: bytes = b""
    ) -> tuple[Route, Any]:
        """Return the route and path parameters, or raise NotFound/MethodNotAllowed/Found."""
        if not websocket:
            hit = self.static.get((method, path))
            if hit is not None:
                return hit, {}
            found = None
            tree = self.dynamic.get(method)
            if tree is not None:
                found = tree.match(path)
            if found is not None:
                item, match, converters = found
                try:
                    return item, {k: converters[k](v) for k, v in match.groupdict().items()}
                except ValueError:
                    pass
        adapter = self.ws_adapter if websocket else self.adapter
        try:
            endpoint, params = adapter.match(path, "GET" if websocket else method)
        except RequestRedirect as redirect:
            parts = urlsplit(redirect.new_url)
            location = parts.path + (f"?{query.decode('latin-1')}" if query else "")
            # 302 for GET/HEAD as the original; 307 keeps the method and body of the others
            redirect_class = Found if method in ("GET", "HEAD") else TemporaryRedirect
            raise redirect_class(location) from None
        except _WzMethodNotAllowed as wrong:
            raise MethodNotAllowed(allowed=wrong.valid_methods or ()) from None
        except _WzNotFound:
            raise NotFound() from None
        return self.by_name[endpoint], params

    def reverse_url(self, name: str, **params: Any) -> str:
        """Build the path of route ``name``; ``NoReverseMatch`` for an unknown name."""
        item = self.by_name.get(name)
        if item is None:
            raise NoReverseMatch(name)
        adapter = self.ws_adapter if item.websocket else self.adapter
        try:
            return adapter.build(name, params, method=item.method)
        except Exception as error:  # werkzeug BuildError
            raise NoReverseMatch(f"{name}: {error}") from None
