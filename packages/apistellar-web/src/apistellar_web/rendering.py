"""Turning handler return values into responses, and a response's headers into ASGI pairs.

* an ``http.Response`` is sent as it is;
* a ``str`` becomes ``text/html; charset=utf-8``;
* anything else becomes compact JSON (``ensure_ascii=False``, no NaN) with
  ``application/json; charset=utf-8``; models and other mappings become objects, and
  ``TypeEncoder.register`` teaches it (and ``Type.to_dict``) more types.

Bodies are encoded with orjson, and again with the standard library whenever the two
could differ (a ``null`` that may be a NaN, a short negative exponent, an error, a
registered type orjson writes natively), so the bytes are always the standard library's.
"""

import enum
import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

import orjson
from apistar import http, types

from ._compat import header_items, mutable_headers
from .types.model import Type as ApistellarType
from .types.model import TypeEncoder

__all__ = ["JSONResponse", "dumps", "encode_default", "render", "response_headers"]


def encode_default(value: Any) -> Any:
    """The fallback of both JSON encoders (orjson's and the standard library's):
    ``TypeEncoder.register``-ed types first, then models, mappings, frozen settings values,
    sets and tuples."""
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


_std_dumps = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=encode_default
).encode
#: Dates and dataclasses go to ``encode_default`` as the standard library sends them.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
#: orjson writes ``1e-7`` where the standard library writes ``1e-07``.
_SHORT_EXPONENT = re.compile(rb"\de-\d(?!\d)")
#: Types orjson writes itself but the standard library hands to ``encode_default``.
_NATIVE = (uuid.UUID, enum.Enum)
_registered_seen: Any = None
_registered_size = -1
_registered_native = False


def _stdlib_bytes(content: Any) -> bytes:
    return _std_dumps(content).encode("utf-8")


def dumps(content: Any) -> bytes:
    """The compact UTF-8 JSON of ``content``: the standard library's bytes, made fast."""
    global _registered_seen, _registered_size, _registered_native
    options = TypeEncoder.options
    if options is not _registered_seen or len(options) != _registered_size:
        _registered_native = any(
            isinstance(kind, type)
            and any(issubclass(kind, native) or issubclass(native, kind) for native in _NATIVE)
            for kind in options
        )
        _registered_seen, _registered_size = options, len(options)
    if _registered_native:
        return _stdlib_bytes(content)
    try:
        # a model answered as it is: what encode_default gives orjson for it, given at once
        plain = (
            content.__json__() if not options and isinstance(content, ApistellarType) else content
        )
        body = orjson.dumps(plain, default=encode_default, option=_ORJSON_OPTIONS)
    except Exception:  # noqa: BLE001 - the standard library gives the answer (or its error)
        return _stdlib_bytes(content)
    if b"null" in body or (b"e-" in body and _SHORT_EXPONENT.search(body)):
        return _stdlib_bytes(content)
    return body


class JSONResponse(http.JSONResponse):
    """API Star's JSON response with ``charset=utf-8`` and apistellar's encoder.

    Built without headers, it keeps its two headers as the ASGI pairs it is sent with;
    ``headers`` is made from them when first read (or set), and is the truth from then on.
    """

    charset = None
    media_type = "application/json; charset=utf-8"

    def __init__(
        self, content: Any, status_code: int = 200, headers: Any = None, exc_info: Any = None
    ) -> None:
        if headers is not None:
            super().__init__(content, status_code, headers, exc_info)
            return
        # The common case, without API Star's generic header handling.
        body = dumps(content)
        self.content = body
        self.status_code = status_code
        self.exc_info = exc_info
        media_type = self.media_type
        content_type = _CONTENT_TYPES.get(media_type)
        if content_type is None:
            content_type = (b"content-type", media_type.encode("latin-1"))
            if len(_CONTENT_TYPES) < 64:
                _CONTENT_TYPES[media_type] = content_type
        self.__dict__[_PAIRS] = [(b"content-length", b"%d" % len(body)), content_type]

    @property
    def headers(self) -> http.MutableHeaders:
        """The response headers (API Star's ``MutableHeaders``)."""
        built: http.MutableHeaders | None = self.__dict__.get("_headers")
        if built is None:
            pairs = self.__dict__.pop(_PAIRS, None) or []
            items = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in pairs]
            built = mutable_headers(items)  # two distinct names: any value of one is its first
            self.__dict__["_headers"] = built
        return built

    @headers.setter
    def headers(self, value: http.MutableHeaders) -> None:
        self.__dict__.pop(_PAIRS, None)
        self.__dict__["_headers"] = value

    def render(self, content: Any) -> bytes:
        return dumps(content)


#: Where a JSONResponse keeps its ASGI header pairs until ``headers`` is used.
_PAIRS = "_asgi_header_pairs"
#: Media type -> its ``Content-Type`` pair (the few a JSON response class is given).
_CONTENT_TYPES: dict[str, tuple[bytes, bytes]] = {}


def render(value: Any) -> http.Response:
    """Turn a handler's return value into a response (see the module docstring)."""
    if isinstance(value, http.Response):
        return value
    if isinstance(value, str):
        return http.HTMLResponse(value)
    return JSONResponse(value)


def response_headers(response: http.Response) -> list[tuple[bytes, bytes]]:
    """The response's headers as ASGI pairs, every ``Set-Cookie`` included."""
    kept = response.__dict__.get(_PAIRS)
    if kept is not None:  # a JSONResponse whose headers nobody read or changed
        pairs = list(kept)
    else:
        pairs = [
            (k.encode("latin-1"), v.encode("latin-1")) for k, v in header_items(response.headers)
        ]
    for cookie in response.__dict__.get("cookies") or ():
        pairs.append((b"set-cookie", cookie.encode("latin-1")))
    return pairs
