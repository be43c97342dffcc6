"""An incremental ``multipart/form-data`` parser driven straight by ASGI ``receive()``.

Nothing is buffered beyond one chunk plus a boundary-sized tail: ``FileStream`` hands each
part to the handler as it arrives, and :func:`parse_form` (behind ``http.RequestData``,
``FormParam``, ``MultiPartForm`` and model binding) keeps fields in memory and spools file
parts to temporary files, writing to disk off the event loop.

Security limits (settings, with defaults): ``MULTIPART_MAX_PARTS`` (1000),
``MULTIPART_MAX_FILES`` (1000 file parts), ``MULTIPART_MAX_FIELD_SIZE`` (1 MiB per non-file
part), ``MULTIPART_MAX_HEADERS`` (32 per part), ``MULTIPART_MAX_HEADER_SIZE`` (8 KiB of
headers per part), ``MAX_UPLOAD_SIZE`` (total body; ``None``, no cap, by default; a declared
``Content-Length`` over it is refused before the body is read), ``MULTIPART_MEMORY_BUDGET``
(16 MiB: what one request's parsed form may hold in memory -- fields, and file parts of up
to 1 MiB while the budget lasts; past it file parts go straight to disk and a field that
does not fit answers 413). The boundary may not exceed 70 bytes (RFC 2046). Breaches
answer 413 (sizes, counts) or 400 (malformed input). Delimiter search uses ``bytes.find``
over a bounded window, so scanning is linear on any input; header lines are split, never
matched with backtracking regexes.

Client filenames are data, never paths: :meth:`File.save_to` picks a safe name, and writes
under a temporary name renamed on completion, so an aborted upload leaves no partial file.
The ``filename`` parameter is read as RFC 7578 says (a quoted string, percent-encoded bytes
decoded as UTF-8). The rule for ``filename*``/``name*`` (RFC 5987 ``charset''value``): they
are used **only when the plain parameter is absent**, so a proxy and the app never
disagree about a part's name (the GHSA-vffw-93wf-4j4q lesson). A per-part
``Content-Transfer-Encoding`` is not honoured (RFC 7578 deprecates it).
"""

import asyncio
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

from werkzeug.datastructures import FileStorage, Headers, ImmutableMultiDict

from ._bytesearch import find
from .exceptions import BadRequest, PayloadTooLarge

__all__ = ["File", "FileStream", "MultipartLimits", "parse_form"]

Receive = Callable[[], Awaitable[Mapping[str, Any]]]
_CHUNK = 256 * 1024  # body pieces handed out are about this size
_SPOOL_SIZE = 1024 * 1024  # file parts above this go to a temporary file


@dataclass(frozen=True)
class MultipartLimits:
    """Limits applied while parsing; ``None`` means no limit."""

    max_parts: int | None = 1000
    max_files: int | None = 1000
    max_field_size: int | None = 1024 * 1024
    max_headers: int = 32
    max_header_size: int = 8 * 1024
    max_body_size: int | None = None
    max_boundary: int = 70
    memory_budget: int | None = 16 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings: Any) -> "MultipartLimits":
        """Read the ``MULTIPART_*`` and ``MAX_UPLOAD_SIZE`` settings."""
        return cls(
            max_parts=settings.get_int("MULTIPART_MAX_PARTS", 1000),
            max_files=settings.get_int("MULTIPART_MAX_FILES", 1000),
            max_field_size=settings.get_int("MULTIPART_MAX_FIELD_SIZE", 1024 * 1024),
            max_headers=settings.get_int("MULTIPART_MAX_HEADERS", 32) or 32,
            max_header_size=settings.get_int("MULTIPART_MAX_HEADER_SIZE", 8 * 1024) or 8 * 1024,
            max_body_size=settings.get_int("MAX_UPLOAD_SIZE", None),
            memory_budget=settings.get_int("MULTIPART_MEMORY_BUDGET", 16 * 1024 * 1024),
        )


def boundary_of(content_type: str | None) -> bytes:
    """The boundary of a ``multipart/form-data`` Content-Type.

    Raises:
        UnsupportedMediaType-like ``BadRequest``: missing or invalid boundary.
    """
    from werkzeug.http import parse_options_header

    media, options = parse_options_header(content_type or "")
    boundary = options.get("boundary", "")
    if not boundary:
        raise BadRequest("Missing boundary")
    if len(boundary) > 70 or not re.fullmatch(
        r"[0-9A-Za-z'()+_,\-./:=? ]*[0-9A-Za-z'()+_,\-./:=?]", boundary
    ):
        raise BadRequest("Invalid multipart boundary.")
    return boundary.encode("latin-1")


def _parameter(value: str, name: str) -> str | None:
    """Read one ``name=value`` parameter of a header value without regex backtracking."""
    for piece in _split_params(value):
        key, sep, raw = piece.partition("=")
        if sep and key.strip().lower() == name:
            raw = raw.strip()
            if len(raw) >= 2 and raw[0] == raw[-1] == '"':
                raw = raw[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            return raw
    return None


def _split_params(value: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    quoted = False
    escaped = False
    for char in value:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\" and quoted:
            current.append(char)
            escaped = True
        elif char == '"':
            quoted = not quoted
            current.append(char)
        elif char == ";" and not quoted:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces[1:]  # the first piece is the disposition type


def _ext_value(raw: str) -> str | None:
    charset, _, rest = raw.partition("'")
    _, _, encoded = rest.partition("'")
    try:
        return unquote_to_bytes(encoded).decode(charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return None


def disposition_names(value: str) -> tuple[str | None, str | None]:
    """``(name, filename)`` of a ``Content-Disposition`` header (see the module docstring)."""
    name = _parameter(value, "name")
    if name is None:
        extended_name = _parameter(value, "name*")
        name = _ext_value(extended_name) if extended_name is not None else None
    filename: str | None = None
    plain = _parameter(value, "filename")
    if plain is not None:
        filename = unquote(plain, encoding="utf-8", errors="replace")
    else:
        extended = _parameter(value, "filename*")
        if extended is not None:
            filename = _ext_value(extended)
    return name, filename


class _Reader:
    """Pulls body chunks from ``receive()`` and enforces the total-size limit."""

    def __init__(self, receive: Receive, limit: int | None) -> None:
        self.receive = receive
        self.limit = limit
        self.total = 0
        self.done = False

    async def chunk(self) -> bytes:
        if self.done:
            return b""
        while True:
            message = await self.receive()
            kind = message["type"]
            if kind == "http.disconnect":
                raise BadRequest("Content not complete!")
            if kind != "http.request":
                raise BadRequest(f"Unexpected ASGI message type: {kind}.")
            data = bytes(message.get("body", b""))
            if not message.get("more_body", False):
                self.done = True
            if data:
                self.total += len(data)
                if self.limit is not None and self.total > self.limit:
                    raise PayloadTooLarge(f"Upload is larger than {self.limit} bytes.")
                return data
            if self.done:
                return b""


class File:
    """One part of a multipart body: a file or a plain field (``filename is None``)."""

    def __init__(
        self, stream: "FileStream", name: str | None, filename: str | None, headers: Headers
    ) -> None:
        self._stream = stream
        self.name = name
        self.filename = filename
        self.headers = headers
        self.mimetype: str | None = headers.get("content-type")
        try:
            self.content_length = int(headers.get("content-length", "0"))
        except ValueError:
            self.content_length = 0
        self._consumed = 0
        self._pending = b""
        self._finished = False

    def tell(self) -> int:
        """Bytes of this part consumed so far."""
        return self._consumed

    @property
    def finished(self) -> bool:
        """Whether every byte of the part has been read."""
        return self._finished and not self._pending

    async def _next(self) -> bytes:
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        if self._finished:
            return b""
        data, last = await self._stream._body_chunk()
        if last:
            self._finished = True
        return data

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.iter_content()

    async def iter_content(self) -> AsyncIterator[bytes]:
        """Yield the part's content in chunks of any size."""
        while True:
            data = await self._next()
            if not data:
                if self.finished:
                    return
                continue
            self._consumed += len(data)
            yield data

    async def read(self, size: int = 10240) -> bytes:
        """Read up to ``size`` bytes; ``b""`` at the end of the part."""
        if size <= 0:
            raise AssertionError((999, "Read size must > 0"))
        parts: list[bytes] = []
        wanted = size
        while wanted > 0:
            data = await self._next()
            if not data:
                if self.finished:
                    break
                continue
            if len(data) > wanted:
                self._pending = data[wanted:]
                data = data[:wanted]
            parts.append(data)
            wanted -= len(data)
        result = b"".join(parts)
        self._consumed += len(result)
        return result

    async def drain(self) -> None:
        """Skip whatever is left of the part."""
        async for _ in self.iter_content():
            pass

    async def save_to(self, directory: str | os.PathLike[str]) -> Path:
        """Write the part into ``directory`` under a safe, unique name and return the path.

        The client filename only contributes a sanitised suffix; it never names a path.
        The content goes to a hidden temporary name (``.<name>.part``) renamed when the part
        is complete; if the upload fails or the client goes away, it is removed.
        """
        folder = Path(directory)
        suffix = safe_suffix(self.filename or "")
        name = f"{secrets.token_hex(8)}{suffix}"
        target = folder / name
        partial = folder / f".{name}.part"
        handle = await asyncio.to_thread(open, partial, "xb")
        try:
            try:
                async for chunk in self.iter_content():
                    await asyncio.to_thread(handle.write, chunk)
            finally:
                await asyncio.to_thread(handle.close)
            await asyncio.to_thread(os.replace, partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)  # one quick call, safe while being cancelled
            raise
        return target

    def __repr__(self) -> str:
        return f"<File name={self.name!r} filename={self.filename!r} mimetype={self.mimetype!r}>"


def safe_suffix(filename: str) -> str:
    """A harmless extension taken from a client filename (``""`` when there is none)."""
    base = unicodedata.normalize("NFKC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    _, dot, extension = base.rpartition(".")
    if not dot or not re.fullmatch(r"[A-Za-z0-9]{1,16}", extension):
        return ""
    return "." + extension.lower()


def _held_back(data: bytes | bytearray, delimiter: bytes) -> int:
    """Where the bytes that might start a delimiter begin (``len(data)`` if none can).

    Only a suffix of ``data`` that is a prefix of the delimiter can still turn into one;
    the delimiter starts with CR, so only CRs among the last ``len(delimiter) - 1`` bytes
    are candidates. Random data almost never has such a suffix, so a chunk is almost
    always handed on whole, without a copy.
    """
    start = max(0, len(data) - len(delimiter) + 1)
    position = data.find(b"\r", start)
    while position >= 0:
        if delimiter.startswith(bytes(data[position:])):
            return position
        position = data.find(b"\r", position + 1)
    return len(data)


class FileStream:
    """The parts of a multipart request body, read lazily: ``async for part in stream``.

    A part that the handler does not finish reading is skipped (drained) when the next
    part is requested. Limits come from the app's settings (see the module docstring).
    """

    def __init__(
        self, receive: Receive, boundary: bytes, limits: MultipartLimits | None = None
    ) -> None:
        self.limits = limits or MultipartLimits()
        if len(boundary) > self.limits.max_boundary:
            raise BadRequest("Invalid multipart boundary.")
        self._reader = _Reader(receive, self.limits.max_body_size)
        self._delimiter = b"\r\n--" + boundary
        self._first = b"--" + boundary
        self._buffer = bytearray()
        self._next_chunk = b""
        self._state = "preamble"
        self._current: File | None = None
        self._parts = 0
        self._files = 0

    async def _fill(self) -> bool:
        data = await self._reader.chunk()
        if data:
            self._buffer += data
            return True
        return False

    async def _require(self, size: int) -> None:
        while len(self._buffer) < size:
            if not await self._fill():
                raise BadRequest("Content not complete!")

    async def _skip_preamble(self) -> None:
        # The first delimiter may start the body or follow a preamble (ignored) and CRLF.
        keep = len(self._delimiter)
        await self._require(len(self._first))
        while True:
            if self._buffer.startswith(self._first):
                del self._buffer[: len(self._first)]
                return
            index = self._buffer.find(self._delimiter)
            if index >= 0:
                del self._buffer[: index + len(self._delimiter)]
                return
            if len(self._buffer) > keep:
                del self._buffer[: len(self._buffer) - keep]
            if not await self._fill():
                raise BadRequest("Content not complete!")

    async def _after_delimiter(self) -> bool:
        """Consume what follows a delimiter; return False at the closing ``--``."""
        await self._require(2)
        if self._buffer[:2] == b"--":
            self._state = "end"
            return False
        # transport padding (spaces/tabs) may precede the CRLF
        while True:
            index = self._buffer.find(b"\r\n")
            if index >= 0:
                if self._buffer[:index].strip(b" \t"):
                    raise BadRequest("Malformed multipart body: junk after a boundary.")
                del self._buffer[: index + 2]
                return True
            if len(self._buffer) > 256:
                raise BadRequest("Malformed multipart body: junk after a boundary.")
            if not await self._fill():
                raise BadRequest("Content not complete!")

    async def _headers(self) -> Headers:
        limit = self.limits.max_header_size
        await self._require(2)
        if self._buffer.startswith(b"\r\n"):  # a part without headers
            del self._buffer[:2]
            return Headers()
        start = 0
        while True:
            # Only the new bytes are searched (3 bytes of overlap): linear on any input.
            end = self._buffer.find(b"\r\n\r\n", start, limit + 4)
            if end >= 0:
                break
            if len(self._buffer) > limit + 4:
                raise PayloadTooLarge(f"Multipart part headers are larger than {limit} bytes.")
            start = max(0, len(self._buffer) - 3)
            if not await self._fill():
                raise BadRequest("Content not complete!")
        raw = bytes(self._buffer[:end])
        del self._buffer[: end + 4]
        headers = Headers()
        lines = raw.split(b"\r\n")
        if len(lines) > self.limits.max_headers:
            raise PayloadTooLarge(
                f"A multipart part has more than {self.limits.max_headers} headers."
            )
        for line in lines:
            name, sep, value = line.partition(b":")
            # A lone CR or LF inside a header line is malformed (werkzeug's Headers refuses it).
            if not sep or not name.strip() or b"\r" in line or b"\n" in line:
                raise BadRequest("Malformed multipart part header.")
            headers.add(name.strip().decode("latin-1"), value.strip().decode("utf-8", "replace"))
        return headers

    async def _body_chunk(self) -> tuple[bytes, bool]:
        """The next piece of the current part's body, and whether it is the last one."""
        delimiter = self._delimiter
        if len(self._buffer) < len(delimiter) and (self._next_chunk or not self._reader.done):
            # Fast path, the common case inside a large part: at most a short held-back
            # tail is buffered, so the next chunk is searched where it is and handed out
            # without a copy unless it ends with what could start a delimiter.
            data = self._next_chunk or await self._reader.chunk()
            self._next_chunk = b""
            if not data:
                return await self._buffered_body_chunk()
            if self._buffer:
                tail = bytes(self._buffer)
                keep = len(delimiter) - 1
                # With ``keep`` more bytes, any delimiter starting in the tail is complete.
                seam = (tail + data[:keep]).find(delimiter) if len(data) >= keep else 0
                if 0 <= seam < len(tail):  # the delimiter (may) start in the held-back tail
                    self._buffer += data
                    return await self._buffered_body_chunk()
                self._buffer.clear()
                self._next_chunk = data  # handled by the next call
                return tail, False
            index = find(data, delimiter)
            if index >= 0:
                self._buffer += memoryview(data)[index + len(delimiter) :]
                self._state = "delimiter"
                return data[:index], True
            held = _held_back(data, delimiter)
            if held == len(data):
                return data, False
            self._buffer += memoryview(data)[held:]
            return data[:held], False
        return await self._buffered_body_chunk()

    async def _buffered_body_chunk(self) -> tuple[bytes, bool]:
        delimiter = self._delimiter
        keep = len(delimiter) - 1
        start = 0
        while True:
            # Bytes before ``start`` were searched already: each byte is scanned a bounded
            # number of times, whatever the chunk sizes (no quadratic rescans).
            index = self._buffer.find(delimiter, start)
            if index >= 0:
                data = bytes(memoryview(self._buffer)[:index])
                del self._buffer[: index + len(delimiter)]
                self._state = "delimiter"
                return data, True
            if len(self._buffer) > keep + _CHUNK or (
                self._reader.done and len(self._buffer) > keep
            ):
                cut = _held_back(self._buffer, delimiter)
                data = bytes(memoryview(self._buffer)[:cut])
                del self._buffer[:cut]
                return data, False
            start = max(0, len(self._buffer) - keep)
            if not await self._fill():
                raise BadRequest("Content not complete!")

    def __aiter__(self) -> AsyncIterator[File]:
        return self._parts_iter()

    async def _parts_iter(self) -> AsyncIterator[File]:
        while True:
            part = await self.next_part()
            if part is None:
                return
            yield part

    async def next_part(self) -> File | None:
        """The next part, draining the current one first; ``None`` after the last part."""
        if self._current is not None and not self._current.finished:
            await self._current.drain()
        self._current = None
        if self._state == "end":
            return None
        if self._state == "preamble":
            await self._skip_preamble()
        if not await self._after_delimiter():
            return None
        self._parts += 1
        if self.limits.max_parts is not None and self._parts > self.limits.max_parts:
            raise PayloadTooLarge(
                f"A multipart body may have at most {self.limits.max_parts} parts."
            )
        headers = await self._headers()
        disposition = headers.get("content-disposition")
        if disposition is None or not disposition.strip().lower().startswith("form-data"):
            raise BadRequest("Malformed multipart part: missing Content-Disposition: form-data.")
        name, filename = disposition_names(disposition)
        if filename is not None:
            self._files += 1
            if self.limits.max_files is not None and self._files > self.limits.max_files:
                msg = f"A multipart body may have at most {self.limits.max_files} files."
                raise PayloadTooLarge(msg)
        self._state = "body"
        self._current = File(self, name, filename, headers)
        return self._current


async def parse_form(
    receive: Receive, content_type: str | None, limits: MultipartLimits
) -> ImmutableMultiDict[str, Any]:
    """Parse a whole multipart body: fields as ``str``, files as spooled ``FileStorage``."""
    stream = FileStream(receive, boundary_of(content_type), limits)
    items: list[tuple[str, Any]] = []
    budget = limits.memory_budget
    in_memory = 0  # bytes of fields and in-memory file parts held so far
    async for part in stream:
        if part.filename is None:
            data = bytearray()
            async for chunk in part:
                data += chunk
                if limits.max_field_size is not None and len(data) > limits.max_field_size:
                    raise PayloadTooLarge(
                        f"Form field {part.name!r} is larger than {limits.max_field_size} bytes."
                    )
                if budget is not None and in_memory + len(data) > budget:
                    raise PayloadTooLarge(
                        f"The form's fields take more than {budget} bytes of memory."
                    )
            in_memory += len(data)
            items.append((part.name or "", data.decode("utf-8", "replace")))
            continue
        room = _SPOOL_SIZE if budget is None else min(_SPOOL_SIZE, budget - in_memory)
        spool: Any = (
            tempfile.SpooledTemporaryFile(max_size=room)
            if room > 0
            else await asyncio.to_thread(tempfile.TemporaryFile)
        )
        written = 0
        try:
            async for chunk in part:
                written += len(chunk)
                if room <= 0 or written > room:  # on disk, or rolling over: off the loop
                    await asyncio.to_thread(spool.write, chunk)
                else:
                    spool.write(chunk)
            await asyncio.to_thread(spool.seek, 0)
        except BaseException:
            spool.close()
            raise
        if 0 < written <= room:
            in_memory += written  # still in memory
        items.append(
            (
                part.name or "",
                FileStorage(
                    stream=spool, filename=part.filename, name=part.name, headers=part.headers
                ),
            )
        )
    return ImmutableMultiDict(items)
