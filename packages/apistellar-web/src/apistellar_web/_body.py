"""Reading and decoding request bodies: linear in size and capped for in-memory formats."""

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.http import parse_options_header

from .exceptions import BadRequest, PayloadTooLarge, UnsupportedMediaType

__all__ = ["decode_body", "read_body", "replay"]

#: Default cap for bodies read into memory (JSON, URL-encoded, ``http.Body``).
DEFAULT_MAX_BODY_SIZE = 16 * 1024 * 1024


async def read_body(
    receive: Callable[[], Awaitable[Mapping[str, Any]]],
    headers: Mapping[str, str],
    limit: int,
) -> bytes:
    """Read the whole request body, refusing more than ``limit`` bytes with 413.

    A declared ``Content-Length`` over the limit is refused before anything is read; a
    body that grows past it is refused as soon as it does.
    """
    declared = headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise BadRequest("Invalid Content-Length header.") from None
        if length < 0:
            raise BadRequest("Invalid Content-Length header.")
        if length > limit:
            raise PayloadTooLarge(f"Request body is larger than {limit} bytes.")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        kind = message["type"]
        if kind == "http.disconnect":
            raise BadRequest("Client disconnected before the body was complete.")
        if kind != "http.request":
            continue
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"Request body is larger than {limit} bytes.")
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        raise BadRequest("Malformed JSON: the body is not valid UTF-8.") from None
    except json.JSONDecodeError as error:
        msg = f"Malformed JSON: {error.msg} at line {error.lineno} column {error.colno}."
        raise BadRequest(msg) from None


def _urlencoded(body: bytes, charset: str) -> ImmutableMultiDict[str, str]:
    try:
        text = body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        raise BadRequest("Malformed form body: it does not decode as text.") from None
    return ImmutableMultiDict(parse_qsl(text, keep_blank_values=True))


def replay(body: bytes) -> Callable[[], Awaitable[Mapping[str, Any]]]:
    """A ``receive()`` that yields an already-read body once."""
    sent = False

    async def receive() -> Mapping[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def decode_body(body: bytes, content_type: str | None) -> Any:
    """Decode a JSON or URL-encoded body by its Content-Type (``None`` if empty).

    Multipart bodies are parsed as they arrive by :mod:`apistellar_web.multipart`.

    Raises:
        BadRequest: the body does not parse.
        UnsupportedMediaType: no decoder for the Content-Type.
    """
    if not body:
        return None
    if not content_type:
        return _json(body)
    media, options = parse_options_header(content_type)
    media = media.lower()
    if media == "application/json" or media.endswith("+json"):
        return _json(body)
    if media == "application/x-www-form-urlencoded":
        return _urlencoded(body, options.get("charset", "utf-8"))
    raise UnsupportedMediaType()
