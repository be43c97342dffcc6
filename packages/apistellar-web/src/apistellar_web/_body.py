"""Reading and decoding request bodies: linear in size and capped for in-memory formats.

Limits (settings, read when the app is built; see :class:`BodyLimits`):

* ``MAX_BODY_SIZE`` (16 MiB): bodies read into memory (JSON, URL-encoded, ``http.Body``).
  A declared ``Content-Length`` over it is answered 413 **before** anything is read, so
  uvicorn never sends ``100 Continue`` for it (see :class:`BodyProgress`).
* ``JSON_MAX_DEPTH`` (128): nesting of arrays and objects; deeper, and numbers too long
  for Python's integer conversion, answer 400 -- never Python's own message.
* ``FORM_MAX_FIELDS`` (1000, as Django): fields of a URL-encoded body; more answer 413.
* ``BODY_PARSE_THREAD_SIZE`` (256 KiB): bodies larger are decoded in a worker thread, so
  one big body does not stall the event loop.
* ``JSON_REQUIRE_CONTENT_TYPE`` (false): when true, a body without a Content-Type answers
  415 instead of being read as JSON. The original (API Star's codec negotiation) read such
  a body as JSON and migrated clients rely on it, so it stays the default; the session
  cookie's ``SameSite=Lax`` default keeps cross-site requests from carrying the session.
"""

import asyncio
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import orjson
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.http import parse_options_header

from ._asgi import Message, Receive, Scope
from .exceptions import BadRequest, PayloadTooLarge, UnsupportedMediaType

__all__ = [
    "BodyLimits",
    "BodyProgress",
    "check_declared_length",
    "decode_body",
    "decode_request_body",
    "read_body",
    "replay",
]

#: Default cap for bodies read into memory (JSON, URL-encoded, ``http.Body``).
DEFAULT_MAX_BODY_SIZE = 16 * 1024 * 1024
#: Scope key set when a body was refused by its declared length, before reading it.
REFUSED_UNREAD = "apistellar.body_refused_unread"
Headers = list[tuple[bytes, bytes]]
_DRAIN_BUDGET = 1024 * 1024


@dataclass(frozen=True)
class BodyLimits:
    """How request bodies are decoded (see the module docstring for each setting)."""

    max_depth: int = 128
    max_fields: int | None = 1000
    thread_size: int = 256 * 1024
    require_json_type: bool = False

    @classmethod
    def from_settings(cls, settings: Any) -> "BodyLimits":
        """Read ``JSON_MAX_DEPTH``, ``FORM_MAX_FIELDS``, ``BODY_PARSE_THREAD_SIZE`` and
        ``JSON_REQUIRE_CONTENT_TYPE``."""
        return cls(
            max_depth=int(settings.get_int("JSON_MAX_DEPTH", 128) or 128),
            max_fields=settings.get_int("FORM_MAX_FIELDS", 1000),
            thread_size=int(settings.get_int("BODY_PARSE_THREAD_SIZE", 256 * 1024) or 0),
            require_json_type=bool(settings.get_bool("JSON_REQUIRE_CONTENT_TYPE", False)),
        )


def check_declared_length(
    scope: Scope | None, headers: Mapping[str, str], limit: int | None
) -> None:
    """Refuse a declared ``Content-Length`` over ``limit`` (413) before reading anything.

    The refusal is noted in ``scope`` so the app answers at once, without reading the body.

    Raises:
        BadRequest: the header is not a non-negative integer.
        PayloadTooLarge: it is over ``limit``.
    """
    declared = headers.get("content-length")
    if declared is None:
        return
    try:
        length = int(declared)
    except ValueError:
        raise BadRequest("Invalid Content-Length header.") from None
    if length < 0:
        raise BadRequest("Invalid Content-Length header.")
    if limit is not None and length > limit:
        if scope is not None:
            scope[REFUSED_UNREAD] = True
        raise PayloadTooLarge(f"Request body is larger than {limit} bytes.")


async def read_body(
    receive: Receive,
    headers: Mapping[str, str],
    limit: int,
    scope: Scope | None = None,
) -> bytes:
    """Read the whole request body, refusing more than ``limit`` bytes with 413.

    A declared ``Content-Length`` over the limit is refused before anything is read (noted
    in ``scope``, see :func:`check_declared_length`); a body that grows past it is
    refused as soon as it does.
    """
    check_declared_length(scope, headers, limit)
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        body = message.get("body", b"")
        if type(body) is bytes:  # the whole body in one message, as servers send a small one
            if len(body) > limit:
                raise PayloadTooLarge(f"Request body is larger than {limit} bytes.")
            return body
    chunks: list[bytes] = []
    size = 0
    while True:
        kind = message["type"]
        if kind == "http.disconnect":
            raise BadRequest("Client disconnected before the body was complete.")
        if kind == "http.request":
            chunk = message.get("body", b"")
            if chunk:
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"Request body is larger than {limit} bytes.")
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        message = await receive()
    return b"".join(chunks)


def _too_deep(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than ``limit`` (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


#: A run of digits orjson may read as a float where ``json`` reads an exact integer.
_LONG_DIGITS = re.compile(rb"\d{19}")
_UNREAD: Any = object()


def _stdlib_json(body: bytes, limits: BodyLimits) -> Any:
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        raise BadRequest("Malformed JSON: the body is not valid UTF-8.") from None
    except json.JSONDecodeError as error:
        msg = f"Malformed JSON: {error.msg} at line {error.lineno} column {error.colno}."
        raise BadRequest(msg) from None
    except RecursionError:
        msg = f"Malformed JSON: nested deeper than {limits.max_depth} levels."
        raise BadRequest(msg) from None
    except ValueError:  # an integer literal longer than Python converts
        raise BadRequest("Malformed JSON: a number has too many digits.") from None


def _json(body: bytes, limits: BodyLimits) -> Any:
    # orjson where it reads what json reads; what it refuses, and long digit runs, go to
    # json, whose values and messages are the reference.
    value = _UNREAD
    if _LONG_DIGITS.search(body) is None:
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    if value is _UNREAD:
        value = _stdlib_json(body, limits)
    # Counting brackets is cheap and bounds the depth: only bodies with enough of them
    # (so with more bytes than the limit) are walked.
    if (
        len(body) > limits.max_depth
        and isinstance(value, dict | list)
        and body.count(b"[") + body.count(b"{") > limits.max_depth
        and _too_deep(value, limits.max_depth)
    ):
        msg = f"Malformed JSON: nested deeper than {limits.max_depth} levels."
        raise BadRequest(msg)
    return value


def _urlencoded(body: bytes, charset: str, limits: BodyLimits) -> ImmutableMultiDict[str, str]:
    try:
        text = body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        raise BadRequest("Malformed form body: it does not decode as text.") from None
    if limits.max_fields is not None and text.count("&") + 1 > limits.max_fields:
        msg = f"A form body may have at most {limits.max_fields} fields."
        raise PayloadTooLarge(msg)
    return ImmutableMultiDict(parse_qsl(text, keep_blank_values=True))


def replay(body: bytes) -> Receive:
    """A ``receive()`` that yields an already-read body once."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def decode_body(body: bytes, content_type: str | None, limits: BodyLimits | None = None) -> Any:
    """Decode a JSON or URL-encoded body by its Content-Type (``None`` if empty).

    Multipart bodies are parsed as they arrive by :mod:`apistellar_web.multipart`.

    Raises:
        BadRequest: the body does not parse (or nests too deep).
        PayloadTooLarge: a form body has too many fields.
        UnsupportedMediaType: no decoder for the Content-Type (or none given while
            ``JSON_REQUIRE_CONTENT_TYPE`` is on).
    """
    limits = limits or BodyLimits()
    if not body:
        return None
    if not content_type:
        if limits.require_json_type:
            raise UnsupportedMediaType()
        return _json(body, limits)
    kind, charset = _media_kind(content_type)
    if kind == "json":
        return _json(body, limits)
    if kind == "form":
        return _urlencoded(body, charset, limits)
    raise UnsupportedMediaType()


_MEDIA_SEEN: dict[str, tuple[str, str]] = {}


def _media_kind(content_type: str) -> tuple[str, str]:
    """``("json" | "form" | "", charset)`` of a Content-Type (the few an app sees kept)."""
    known = _MEDIA_SEEN.get(content_type)
    if known is None:
        media, options = parse_options_header(content_type)
        media = media.lower()
        if media == "application/json" or media.endswith("+json"):
            known = ("json", "")
        elif media == "application/x-www-form-urlencoded":
            known = ("form", options.get("charset", "utf-8"))
        else:
            known = ("", "")
        if len(_MEDIA_SEEN) < 256:
            _MEDIA_SEEN[content_type] = known
    return known


async def decode_request_body(
    body: bytes, content_type: str | None, limits: BodyLimits | None = None
) -> Any:
    """:func:`decode_body`, in a worker thread for bodies over ``BODY_PARSE_THREAD_SIZE``."""
    limits = limits or BodyLimits()
    if len(body) > limits.thread_size:
        return await asyncio.to_thread(decode_body, body, content_type, limits)
    return decode_body(body, content_type, limits)


def _expects_continue(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        # the length first: most requests have no header of six letters to lower-case
        if len(name) == 6 and name.lower() == b"expect":
            if value.strip().lower() == b"100-continue":
                return True
    return False


def _declares_body(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        lowered = name.lower()
        if lowered == b"transfer-encoding":
            return True
        if lowered == b"content-length":
            return value.strip() not in (b"", b"0")
    return False


class BodyProgress:
    """Tracks how far the request body was read, and settles the rest before answering.

    ``receive`` is what the request's components read the body through. Before the
    response goes out, :meth:`settle`:

    * reads nothing of a body refused by its declared length, or of one the client holds
      back behind ``Expect: 100-continue`` and nobody asked for -- uvicorn sends
      ``100 Continue`` only when the body is first read, so the client is never invited
      to send it; a held-back body closes the connection (it will never arrive);
    * drains up to 1 MiB of an error response's half-read body, so the client reads the
      error instead of a reset connection.
    """

    __slots__ = ("_receive", "done", "started")

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self.started = False
        self.done = False

    async def receive(self) -> Message:
        """The app's ``receive()``, noting the body's progress."""
        self.started = True
        message = await self._receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            self.done = True
        return message

    async def settle(self, scope: Scope, status: int, headers: Headers) -> Headers:
        """The response headers after settling the unread body (see the class docstring)."""
        if self.done:
            return headers
        held_back = not self.started and _expects_continue(scope) and _declares_body(scope)
        if held_back:
            if not any(name.lower() == b"connection" for name, _ in headers):
                headers = [*headers, (b"connection", b"close")]
            return headers
        if scope.get(REFUSED_UNREAD):
            return headers  # uvicorn discards the body it did not hand over
        if status >= 400:
            budget = _DRAIN_BUDGET
            while not self.done and budget > 0:
                message = await self.receive()
                budget -= len(message.get("body", b""))
        return headers
