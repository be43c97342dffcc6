"""Turning handler return values into responses, and sending responses over ASGI.

* an ``http.Response`` is sent as it is;
* a ``str`` becomes ``text/html; charset=utf-8``;
* anything else becomes compact JSON (``ensure_ascii=False``, no NaN) with
  ``application/json; charset=utf-8``; models and other mappings become objects.
"""

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from apistar import http, types

from .types.model import Type as ApistellarType
from .types.model import TypeEncoder

__all__ = ["JSONResponse", "encode_default", "render", "send_response"]

Send = Callable[[dict[str, Any]], Awaitable[None]]
_encoders: list[tuple[type, Callable[[Any], Any]]] = []


def register_encoder(kind: type, encoder: Callable[[Any], Any]) -> None:
    """Teach the JSON renderer to serialise ``kind`` (checked before the built-in rules)."""
    _encoders.insert(0, (kind, encoder))


def encode_default(value: Any) -> Any:
    """``json.dumps`` fallback: registered encoders, models and mappings, sequences and sets."""
    json_method = getattr(value, "__json__", None)
    if json_method is not None and not TypeEncoder.options:
        return json_method()
    for kind, encoder in _encoders:
        if isinstance(value, kind):
            return encoder(value)
    if isinstance(value, ApistellarType):
        for kind, convert in TypeEncoder.options.items():
            if isinstance(value, kind):
                return convert(value)
        return value.__json__()
    for kind, convert in TypeEncoder.options.items():
        if isinstance(value, kind):
            return convert(value)
    if isinstance(value, types.Type):
        return dict(value)
    if isinstance(value, Mapping):
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


async def send_response(
    response: http.Response,
    send: Send,
    *,
    head: bool = False,
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """Send a response; ``head`` sends the headers only."""
    headers = response_headers(response)
    if extra_headers:
        headers.extend(extra_headers)
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    body = b"" if head else response.content
    await send({"type": "http.response.body", "body": body})
