"""The one place where API Star 0.5.42 is adapted to current dependencies.

API Star 0.5.42 was released for werkzeug < 2.3 and Python < 3.13. Each patched point is
listed here, installed before ``apistar`` is imported, and covered by a test:

1. ``werkzeug.urls.url_decode`` -- removed in werkzeug 2.3; ``apistar.codecs.urlencoded``
   imports it at module level. It is provided again, built on ``urllib.parse.parse_qsl``
   with werkzeug's ``MultiDict`` (the same results for the inputs API Star passes). The
   distribution installs ``apistellar_web.pth``, which loads ``_apistellar_web_shim`` at
   interpreter start-up: it adds ``url_decode`` when ``werkzeug.urls`` is first imported,
   so ``from apistar import http`` works even before apistellar is imported.
2. Warnings -- API Star's sources have invalid escape sequences (``SyntaxWarning`` when
   compiled) and use deprecated APIs; :func:`install` imports API Star once with those
   warnings silenced, so an application running with ``-W error`` is not broken by them.
3. ``apistar.http.Response`` -- gains ``set_cookie``, ``delete_cookie`` and a ``cookies``
   list (the original apistellar added the first two). Each call appends one
   ``Set-Cookie`` header, so a response can carry several (the original kept only one).
4. ``cgi`` -- removed from the standard library in Python 3.13; ``apistar.codecs.download``
   imports it at module level. The ``legacy-cgi`` distribution provides it and is a
   dependency on 3.13+, so nothing is patched in code: :func:`install` only checks it.
"""

import importlib
import sys
import warnings
from typing import Any

import werkzeug.urls
from _apistellar_web_shim import url_decode

__all__ = ["install", "url_decode"]


def _set_cookie(
    self: Any,
    key: str,
    value: str = "",
    max_age: int | None = None,
    expires: Any = None,
    path: str | None = "/",
    domain: str | None = None,
    secure: bool = False,
    httponly: bool = False,
    samesite: str | None = None,
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


def _delete_cookie(self: Any, key: str, path: str | None = "/", domain: str | None = None) -> None:
    """Add a ``Set-Cookie`` header that deletes cookie ``key``."""
    _set_cookie(self, key, expires=0, max_age=0, path=path, domain=domain)


def _cookie_list(response: Any) -> list[str]:
    cookies: list[str] | None = response.__dict__.get("cookies")
    if cookies is None:
        cookies = response.__dict__["cookies"] = []
    return cookies


def install() -> None:
    """Install every patched point; safe to call more than once."""
    if not hasattr(werkzeug.urls, "url_decode"):
        werkzeug.urls.url_decode = url_decode  # type: ignore[attr-defined]
    if sys.version_info >= (3, 13):  # pragma: no cover - depends on the interpreter
        try:
            import cgi  # noqa: F401
        except ImportError as error:
            msg = "apistellar-web needs the 'legacy-cgi' distribution on Python 3.13 and later."
            raise ImportError(msg) from error

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        for module in _APISTAR_MODULES:
            importlib.import_module(module)

    from apistar import http

    if not hasattr(http.Response, "set_cookie"):
        http.Response.set_cookie = _set_cookie
        http.Response.delete_cookie = _delete_cookie
        http.Response.max_cookie_size = 4093


#: API Star modules imported (and so compiled) under :func:`install`.
_APISTAR_MODULES = (
    "apistar",
    "apistar.codecs",
    "apistar.codecs.download",
    "apistar.server.asgi",
    "apistar.server.app",
    "apistar.server.injector",
    "apistar.server.router",
    "apistar.test",
)

install()
