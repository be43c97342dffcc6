"""Components of the request's parts: method, URL, path, query string and headers.

They provide API Star's ``http.*`` types, with the original apistellar's strict
``QueryParam``/``Header`` rules (a missing one without a default is an application error).
Headers are read from the scope's pairs and decoded only as far as they are used.
"""

import inspect
from typing import Any
from urllib.parse import parse_qsl

from apistar import http
from apistar.server.asgi import ASGIScope

from ._compat import (
    HEADER_STORAGE,
    header_items,
    header_values,
    query_params_from_pairs,
    store_header_items,
)
from .components import Component

__all__ = [
    "HeaderComponent",
    "HeadersComponent",
    "HostComponent",
    "MethodComponent",
    "PathComponent",
    "PortComponent",
    "QueryParamComponent",
    "QueryParamsComponent",
    "QueryStringComponent",
    "SchemeComponent",
    "ScopeHeaders",
    "URLComponent",
    "make_headers",
    "parse_query",
    "query_params",
]

_EMPTY = inspect.Parameter.empty

_ABSENT: Any = object()
#: Header names looked up -> the lower-case bytes servers send them as.
_NAMES: dict[str, bytes] = {}


class ScopeHeaders(http.Headers):
    """API Star's ``http.Headers`` over a scope's header pairs, decoded when used.

    Looking up a name finds its raw bytes (the first of a name wins, as in
    ``http.Headers``) and decodes that value only; listing them decodes all of them once.
    """

    def __init__(self, raw: Any) -> None:  # noqa: D107 - the scope's header pairs
        self.__dict__["_raw"] = raw

    def __getattr__(self, name: str) -> Any:
        if name in HEADER_STORAGE:  # made on first use
            items = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in self._raw]
            store_header_items(self, items)  # the first value of a name wins
            return self.__dict__[name]
        raise AttributeError(name)

    def get(self, key: str, default: Any = None) -> Any:
        """The first value of header ``key`` (any case), or ``default``."""
        by_name: Any = self.__dict__.get("_by_name")
        if by_name is None:
            by_name = dict(reversed(self._raw))  # the first value of a name wins
            # names all in lower case (as servers send them): look the bytes up as they are
            if not b"".join(by_name).islower():
                by_name = False
            self.__dict__["_by_name"] = by_name
        if by_name is False:
            return header_values(self).get(key.lower(), default)
        name = _NAMES.get(key)
        if name is None:
            try:
                name = key.lower().encode("latin-1")
            except UnicodeEncodeError:  # no header name decodes to it
                return default
            if len(_NAMES) < 256:  # the few names an app looks up, not every one
                _NAMES[key] = name
        value = by_name.get(name)
        return default if value is None else value.decode("latin-1")

    def __getitem__(self, key: str) -> Any:
        value = self.get(key, _ABSENT)
        if value is _ABSENT:
            raise KeyError(key.lower())
        return value

    def __contains__(self, key: object) -> bool:
        return self.get(key, _ABSENT) is not _ABSENT  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"Headers({header_items(self)!r})"  # as API Star shows request headers


def make_headers(scope: ASGIScope) -> http.Headers:
    """``http.Headers`` of an ASGI scope, decoded only as far as they are read."""
    return ScopeHeaders(scope.get("headers", ()))


class MethodComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.Method:
        return http.Method(scope["method"])


class URLComponent(Component):
    def resolve(self, scope: ASGIScope, headers: http.Headers) -> http.URL:
        scheme = scope.get("scheme", "http")
        host = headers.get("host")
        if not host:
            server = scope.get("server") or ("localhost", None)
            host, port = server[0], server[1]
            default = (scheme, port) in (("http", 80), ("https", 443), ("ws", 80), ("wss", 443))
            host = host if port is None or default else f"{host}:{port}"
        url = f"{scheme}://{host}{scope.get('root_path', '')}{scope['path']}"
        query = scope.get("query_string", b"")
        if query:
            url += "?" + query.decode("latin-1")
        return http.URL(url)


class SchemeComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.Scheme:
        return http.Scheme(scope.get("scheme", "http"))


class HostComponent(Component):
    """The server's bind host, as API Star gives it (not the ``Host`` header)."""

    def resolve(self, scope: ASGIScope) -> http.Host:
        server = scope.get("server") or ("localhost", None)
        return http.Host(server[0])


class PortComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.Port:
        server = scope.get("server") or (None, 80)
        return http.Port(server[1])


class PathComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.Path:
        return http.Path(scope.get("root_path", "") + scope["path"])


class QueryStringComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.QueryString:
        return http.QueryString(scope.get("query_string", b"").decode("latin-1"))


def parse_query(text: str) -> list[tuple[str, str]]:
    """``parse_qsl(text, keep_blank_values=True)``, split by hand when nothing is escaped."""
    if "%" in text or "+" in text:
        return parse_qsl(text, keep_blank_values=True)
    pairs = []
    for part in text.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((name, value))
    return pairs


def query_params(scope: ASGIScope) -> http.QueryParams:
    """The ``http.QueryParams`` of a scope's query string (the first value of a name wins)."""
    query = scope.get("query_string", b"")
    pairs = parse_query(query.decode("latin-1")) if query else []
    params: http.QueryParams = query_params_from_pairs(pairs)  # without __init__'s handling
    return params


class QueryParamsComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.QueryParams:
        return query_params(scope)


class QueryParamComponent(Component):
    """Strict: a missing query parameter without a default is an application error."""

    def resolve(
        self, parameter: inspect.Parameter, query_params: http.QueryParams
    ) -> http.QueryParam:
        name = parameter.name
        if name in query_params:
            return http.QueryParam(query_params[name])
        if parameter.default is _EMPTY:
            # an application error (999 envelope), as in the original apistellar
            raise AssertionError(f"Query Param: {name} not found!")
        return parameter.default


class HeadersComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.Headers:
        return make_headers(scope)


class HeaderComponent(Component):
    """Strict: the header named after the parameter (``_`` -> ``-``), or its default."""

    def resolve(self, parameter: inspect.Parameter, headers: http.Headers) -> http.Header:
        name = parameter.name.replace("_", "-")
        if name in headers:
            return http.Header(headers[name])
        if parameter.default is _EMPTY:
            # an application error (999 envelope), as in the original apistellar
            raise AssertionError(f"Header: {name} not found!")
        return parameter.default
