"""API Star 0.5.42 on current dependencies: the check, and every use of its private parts.

API Star 0.5.42 was released for werkzeug < 2.3 and Python < 3.13. It is adapted once,
by the import hook in ``_apistellar_web_shim`` (loaded at start-up by
``apistellar_web.pth``), which lists each patched point: ``werkzeug.urls.url_decode``,
API Star's modules executed with ``SyntaxWarning``/``DeprecationWarning`` silenced, and
``Response.set_cookie``/``delete_cookie``. :func:`install` patches nothing itself: it
makes sure the hook is registered (when the ``.pth`` file was not processed) and checks
that each point is in place. On Python 3.13 and later, ``cgi`` (which
``apistar.codecs.download`` imports) comes from the ``legacy-cgi`` distribution.

The rest of this module is the one place where apistellar-web reads or writes API Star's
private attributes; each helper names what it relies on and has a test:

* :func:`header_items`, :func:`header_values`, :func:`store_header_items`,
  :func:`mutable_headers` -- the ``_list``/``_dict`` storage of ``http.Headers``;
* :func:`query_values`, :func:`query_params_from_pairs` -- the same storage in
  ``http.QueryParams``;
* :func:`validated_type` -- the ``_dict`` of a ``types.Type`` instance;
* :func:`response_cookies` -- the ``cookies`` that ``set_cookie`` keeps on a response.
"""

import sys
from collections.abc import Mapping
from typing import Any, TypeVar

import _apistellar_web_shim as _shim  # registers the hook (a no-op after the .pth file)
from _apistellar_web_shim import response_cookies, url_decode
from apistar import http

__all__ = [
    "HEADER_STORAGE",
    "header_items",
    "header_values",
    "install",
    "mutable_headers",
    "query_params_from_pairs",
    "query_values",
    "response_cookies",
    "store_header_items",
    "url_decode",
    "validated_type",
]

#: The attributes where ``http.Headers`` keeps its values: the pairs, and the first value
#: of each (lower-case) name.
HEADER_STORAGE = ("_list", "_dict")

T = TypeVar("T")


def header_items(headers: Any) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs of an ``http.Headers``, in order: its own list, not a copy
    (``headers.items()`` copies it)."""
    items: list[tuple[str, str]] = headers._list
    return items


def header_values(headers: Any) -> Mapping[str, str]:
    """The first value of each lower-case name of an ``http.Headers``: its own dict."""
    values: Mapping[str, str] = headers._dict
    return values


def store_header_items(headers: Any, items: list[tuple[str, str]]) -> None:
    """Make ``items`` (lower-case names) the content of ``headers``, an ``http.Headers``
    whose ``__init__`` did not run: the pairs and, for each name, its first value."""
    headers.__dict__["_list"] = items
    headers.__dict__["_dict"] = dict(reversed(items))


def mutable_headers(items: list[tuple[str, str]]) -> Any:
    """An ``http.MutableHeaders`` holding ``items`` (lower-case names) as they are, without
    the copy and the lower-casing of its ``__init__``."""
    built = http.MutableHeaders.__new__(http.MutableHeaders)
    store_header_items(built, items)
    return built


def query_values(query_params: Any) -> Mapping[str, str]:
    """The first value of each name of an ``http.QueryParams``: its own dict."""
    values: Mapping[str, str] = query_params._dict
    return values


def query_params_from_pairs(pairs: list[tuple[str, str]]) -> Any:
    """An ``http.QueryParams`` holding ``pairs`` as they are (the first value of a name
    wins), without the copy and the argument handling of its ``__init__``."""
    built = http.QueryParams.__new__(http.QueryParams)
    built.__dict__["_list"] = pairs
    built.__dict__["_dict"] = dict(reversed(pairs))
    return built


def validated_type(cls: type[T], validated: Any) -> T:
    """An instance of ``cls`` (an API Star ``types.Type`` keeping its ``__init__``) holding
    ``validated`` -- data its validator already returned -- as ``Type.__init__`` leaves it."""
    instance = cls.__new__(cls)
    object.__setattr__(instance, "_dict", validated)
    return instance


def install() -> None:
    """Make sure API Star is adapted (the hook registered), then check each patched point.

    Safe to call more than once. Raises ``ImportError`` naming a point that is missing.
    """
    _shim.install()
    if sys.version_info >= (3, 13):  # pragma: no cover - depends on the interpreter
        try:
            import cgi  # noqa: F401
        except ImportError as error:
            msg = "apistellar-web needs the 'legacy-cgi' distribution on Python 3.13 and later."
            raise ImportError(msg) from error
    import werkzeug.urls

    missing = []
    if getattr(werkzeug.urls, "url_decode", None) is None:
        missing.append("werkzeug.urls.url_decode")
    if getattr(http.Response, "set_cookie", None) is not _shim.set_cookie:
        missing.append("apistar.http.Response.set_cookie")
    if missing:
        msg = f"API Star is not adapted to current dependencies: {', '.join(missing)} missing."
        raise ImportError(msg)


install()
