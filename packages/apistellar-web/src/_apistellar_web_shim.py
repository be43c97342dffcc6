"""Adapts API Star 0.5.42 to current dependencies, once, as its modules are imported.

Loaded at interpreter start-up by ``apistellar_web.pth`` (and by ``apistellar_web._compat``
when the ``.pth`` file was not processed), this module imports nothing heavy: it only
registers a meta-path finder whose loaders wrap those of ``werkzeug.urls``, ``apistar``
and every ``apistar.*`` module. That is the one place where each point is patched:

1. ``werkzeug.urls.url_decode`` -- removed in werkzeug 2.3; ``apistar.codecs.urlencoded``
   imports it at module level. It is added to ``werkzeug.urls`` when that is imported,
   built on ``urllib.parse.parse_qsl`` with werkzeug's ``MultiDict``.
2. Warnings -- API Star's sources have invalid escape sequences (``SyntaxWarning`` when
   compiled) and use deprecated APIs (``cgi``): each of its modules is executed with those
   two warnings silenced, so ``-W error`` is not broken by them.
3. ``apistar.http.Response`` -- gains ``set_cookie``, ``delete_cookie`` and
   ``max_cookie_size`` when ``apistar.http`` is imported. Each call appends one
   ``Set-Cookie`` value to the response's ``cookies`` list, so a response can carry
   several (the original apistellar kept only one).

So ``from apistar import http`` works, before apistellar is imported or without it. The
wrapping loaders forward everything else to API Star's own loaders, package resources
included (``importlib.resources.files("apistar")``). ``apistellar_web._compat`` checks
that these points are in place.
"""

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any

__all__ = [
    "delete_cookie",
    "extend_response",
    "install",
    "response_cookies",
    "set_cookie",
    "url_decode",
]


def url_decode(
    s: "str | bytes",
    charset: str = "utf-8",
    include_empty: bool = True,
    errors: str = "replace",
    separator: str = "&",
    cls: "type | None" = None,
    **_: object,
) -> object:
    """Parse a query string into a ``MultiDict`` (werkzeug 2.2's ``url_decode``)."""
    from urllib.parse import parse_qsl

    from werkzeug.datastructures import MultiDict

    if isinstance(s, bytes):
        s = s.decode(charset, errors)
    pairs = parse_qsl(
        s, keep_blank_values=include_empty, encoding=charset, errors=errors, separator=separator
    )
    return (cls or MultiDict)(list(pairs))


def response_cookies(response: object) -> Sequence[str]:
    """The ``Set-Cookie`` values added to ``response`` by ``set_cookie`` (maybe none).

    They live in the instance's own ``cookies`` entry (never a class attribute, which
    every response would share).
    """
    cookies: Sequence[str] | None = response.__dict__.get("cookies")
    return cookies or ()


def _cookie_list(response: object) -> list[str]:
    cookies: list[str] | None = response.__dict__.get("cookies")
    if cookies is None:
        cookies = response.__dict__["cookies"] = []
    return cookies


def set_cookie(
    self: object,
    key: str,
    value: str = "",
    max_age: "int | None" = None,
    expires: Any = None,
    path: "str | None" = "/",
    domain: "str | None" = None,
    secure: bool = False,
    httponly: bool = False,
    samesite: "str | None" = None,
) -> None:
    """Add a ``Set-Cookie`` header to this response (several cookies are allowed)."""
    from werkzeug.http import dump_cookie

    header = dump_cookie(
        key,
        value,
        max_age=max_age,
        expires=expires,
        path=path,
        domain=domain,
        secure=secure,
        httponly=httponly,
        samesite=samesite,
    )
    _cookie_list(self).append(header)


def delete_cookie(
    self: object, key: str, path: "str | None" = "/", domain: "str | None" = None
) -> None:
    """Add a ``Set-Cookie`` header that deletes cookie ``key``."""
    set_cookie(self, key, expires=0, max_age=0, path=path, domain=domain)


def extend_response(response_class: type) -> None:
    """Give API Star's ``Response`` the cookie methods (a no-op when it has them)."""
    if "set_cookie" not in vars(response_class):
        setattr(response_class, "set_cookie", set_cookie)  # noqa: B010
        setattr(response_class, "delete_cookie", delete_cookie)  # noqa: B010
        setattr(response_class, "max_cookie_size", 4093)  # noqa: B010


def _adapt(name: str, module: ModuleType) -> None:
    """Patch the freshly executed (or already imported) module ``name``."""
    if name == "werkzeug.urls" and not hasattr(module, "url_decode"):
        setattr(module, "url_decode", url_decode)  # noqa: B010
    elif name == "apistar.http":
        extend_response(module.Response)


class _AdaptingLoader:
    """Wraps API Star's (or ``werkzeug.urls``') loader; anything else is the wrapped one's."""

    def __init__(self, inner: Any, name: str) -> None:
        self.inner = inner
        self.name = name

    def __getattr__(self, attribute: str) -> Any:
        # get_resource_reader, get_filename, get_source, is_package...: API Star's own.
        if attribute == "inner":  # not set yet (a copy being made): no recursion
            raise AttributeError(attribute)
        return getattr(self.inner, attribute)

    def create_module(self, spec: ModuleSpec) -> "ModuleType | None":
        module: ModuleType | None = self.inner.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        if self.name == "werkzeug.urls":
            self.inner.exec_module(module)
        else:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SyntaxWarning)
                warnings.simplefilter("ignore", DeprecationWarning)
                self.inner.exec_module(module)
        _adapt(self.name, module)


class _Finder:
    """Meta-path finder that wraps the loaders of ``werkzeug.urls`` and API Star's modules."""

    @classmethod
    def find_spec(
        cls, name: str, path: "Sequence[str] | None" = None, target: object = None
    ) -> "ModuleSpec | None":
        if name != "werkzeug.urls" and name != "apistar" and not name.startswith("apistar."):
            return None
        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _AdaptingLoader(spec.loader, name)  # type: ignore[assignment]
        return spec


def install() -> None:
    """Register the finder (once), and adapt the modules already imported without it."""
    if not any(finder is _Finder for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder)
    for name in ("werkzeug.urls", "apistar.http"):
        module = sys.modules.get(name)
        if module is not None:
            _adapt(name, module)


install()
