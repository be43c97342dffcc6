"""Turning handler return values into responses, and sending responses over ASGI.

* an ``http.Response`` is sent as it is;
* a ``str`` becomes ``text/html; charset=utf-8``;
* anything else becomes compact JSON (``ensure_ascii=False``, no NaN) with
  ``application/json; charset=utf-8``; models and other mappings become objects, and
  ``TypeEncoder.register`` teaches it (and ``Type.to_dict``) more types.
"""

import json
from collections.abc import Mapping
from typing import Any

from apistar import http, types

from .types.model import Type as ApistellarType
from .types.model import TypeEncoder

__all__ = ["JSONResponse", "encode_default", "render", "response_headers"]


def encode_default(value: Any) -> Any:
    """``json.dumps`` fallback: ``TypeEncoder.register``-ed types first, then models,
    mappings, frozen settings values, sets and tuples."""
    for kind, convert in TypeEncoder.options.items():
        if isinstance(value, kind):
            return convert(value)
    if isinstance(value, ApistellarType):
        return value.__json__()
    if isinstance(value, types.Type | Mapping):
        return dict(value)
    normalize = getattr(value, "normalize", None)
    if callable(normalize):
        return normalize()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    msg = f"Object of type {type(value).__name__!r} is not JSON serializable."
    raise TypeError(msg)


_dumps = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=encode_default
).encode


class JSONResponse(http.JSONResponse):
    """API Star's JSON response with ``charset=utf-8`` and apistellar's encoder."""

    charset = None
    media_type = "application/json; charset=utf-8"

    def __init__(
        self, content: Any, status_code: int = 200, headers: Any = None, exc_info: Any = None
    ) -> None:
        if headers is not None:
            super().__init__(content, status_code, headers, exc_info)
            return
        # The common case, without API Star's generic header handling.
        body = _dumps(content).encode("utf-8")
        self.content = body
        self.status_code = status_code
        self.exc_info = exc_info
        items = [("content-length", str(len(body))), ("content-type", self.media_type)]
        mutable = http.MutableHeaders.__new__(http.MutableHeaders)
        mutable._list = items
        mutable._dict = dict(items)
        self.headers = mutable

    def render(self, content: Any) -> bytes:
        return _dumps(content).encode("utf-8")


def render(value: Any) -> http.Response:
    """Turn a handler's return value into a response (see the module docstring)."""
    if isinstance(value, http.Response):
        return value
    if isinstance(value, str):
        return http.HTMLResponse(value)
    return JSONResponse(value)


def response_headers(response: http.Response) -> list[tuple[bytes, bytes]]:
    """The response's headers as ASGI pairs, every ``Set-Cookie`` included."""
    pairs = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers._list]
    for cookie in response.__dict__.get("cookies") or ():
        pairs.append((b"set-cookie", cookie.encode("latin-1")))
    return pairs
