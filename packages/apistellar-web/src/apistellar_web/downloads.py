"""``FileResponse``: downloads with conditional requests and byte ranges.

Content may be a ``pathlib.Path`` (streamed from disk, off the event loop), ``bytes``, a
``str`` (encoded with ``charset``, as the original), or a readable object with a sync or
async ``read`` (then ``Content-Length`` must be given). The app answers, from the request
headers:

* ``If-None-Match`` (weak comparison) or else ``If-Modified-Since`` -> **304** with no body;
* ``Range: bytes=...`` on seekable content -> **206** (one range, or ``multipart/byteranges``
  for several; at most ``MAX_RANGES`` = 16, overlapping and adjacent ranges merged after
  one sort), **416** with ``Content-Range: bytes */<size>`` when none is satisfiable, and
  ``If-Range`` (an ETag or the exact ``Last-Modified``) falls back to the whole file when
  it does not match; a malformed ``Range`` is ignored, as RFC 9110 says.

``Content-Disposition`` (sent only with ``download=True``, as the original) follows RFC
6266: an ASCII ``filename`` plus an RFC 5987 ``filename*`` for anything else.
``Last-Modified`` is real GMT: a path's mtime, or the moment the response was made for
bytes, str and readable content (the original's default, fixed to be GMT for real); a
``Last-Modified`` header or ``last_modified=`` given by the caller wins, and
``If-Modified-Since`` is compared with whichever applies. Files and readables are always
closed, also when the client goes away, and before the last byte of the response is sent.
"""

import asyncio
import hashlib
import inspect
import mimetypes
import os
import secrets
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from apistar import http

from ._asgi import Send
from .download_headers import (
    MAX_RANGES,
    content_disposition,
    etag_matches,
    http_date,
    parse_http_date,
    parse_ranges,
)

__all__ = ["MAX_RANGES", "FileResponse", "content_disposition", "parse_ranges"]

CHUNK = 256 * 1024


class FileResponse(http.Response):
    """A file download (see the module docstring for every header case).

    Args:
        content: a ``Path``, ``bytes``, ``str`` or a readable object.
        filename: the name offered to the client (default: the path's or object's name).
        status_code: 200 by default.
        headers: extra headers (``Content-Length`` is required for readable objects).
        media_type: ``"auto"`` guesses from the filename; ``text/*`` gets ``charset``.
        charset: the charset of ``str`` content and of ``text/*`` types.
        download: send ``Content-Disposition: attachment`` (no disposition when false).
        last_modified: overrides the file's modification time (or the default "now"); a
            ``Last-Modified`` in ``headers`` does too.
        etag: overrides the computed entity tag.
        req_headers: the request's headers: when given, a conditional request that is not
            modified makes ``status_code`` 304 at once, as the original did. Without them
            the app decides when sending, from the request it answers.
    """

    def __init__(
        self,
        content: Any,
        filename: str | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        exc_info: Any = None,
        media_type: str | None = "auto",
        charset: str | None = "utf-8",
        download: bool = True,
        req_headers: Mapping[str, str] | None = None,
        *,
        last_modified: datetime | None = None,
        etag: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.exc_info = exc_info
        self.headers = http.MutableHeaders(headers or {})
        self.req_headers = req_headers
        self.path: Path | None = None
        self.readable: Any = None
        self.content = b""
        if isinstance(content, os.PathLike):
            self.path = Path(content)
            stat = self.path.stat()
            self.size = stat.st_size
            filename = filename or self.path.name
            modified = datetime.fromtimestamp(stat.st_mtime, timezone.utc)
            tag = hashlib.sha1(
                f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}".encode()
            ).hexdigest()[:20]
        elif isinstance(content, bytes | str):
            if isinstance(content, str):
                if charset is None:
                    msg = f"FileResponse content must be bytes. Got {type(content).__name__}."
                    raise AssertionError(msg)
                content = content.encode(charset)
            self.content = content
            self.size = len(content)
            modified = datetime.now(timezone.utc)
            tag = hashlib.sha1(content).hexdigest()[:20]
        elif callable(getattr(content, "read", None)):
            self.readable = content
            filename = (
                filename
                or getattr(content, "filename", None)
                or os.path.basename(getattr(content, "name", "") or "")
                or None
            )
            if "Content-Length" not in self.headers:
                raise AssertionError("File like object need specify Content-Length.")
            self.size = int(self.headers["Content-Length"])
            modified = datetime.now(timezone.utc)
            tag = None
        else:
            kinds = "bytes" if charset is None else "string or bytes"
            msg = f"FileResponse content must be {kinds}. Got {type(content).__name__}."
            raise AssertionError(msg)
        if not filename:
            raise AssertionError("filename must specify.")
        self.filename = filename
        given = self.headers.get("Last-Modified")
        self.last_modified = (
            last_modified or (parse_http_date(given) if given else None) or modified
        )
        self.etag = f'"{etag or tag}"' if (etag or tag) else None
        if media_type == "auto":
            guessed, encoding = mimetypes.guess_type(filename)
            media_type = guessed or "application/octet-stream"
            if encoding and "Content-Encoding" not in self.headers:
                self.headers["Content-Encoding"] = encoding
        if (
            media_type
            and media_type.startswith("text/")
            and charset
            and "charset" not in media_type
        ):
            media_type += f"; charset={charset}"
        if media_type and "Content-Type" not in self.headers:
            self.headers["Content-Type"] = media_type
        self.headers["Content-Length"] = str(self.size)
        if download and "Content-Disposition" not in self.headers:
            self.headers["Content-Disposition"] = content_disposition(filename)
        if self.last_modified is not None and "Last-Modified" not in self.headers:
            self.headers["Last-Modified"] = http_date(self.last_modified)
        if self.etag and "ETag" not in self.headers:
            self.headers["ETag"] = self.etag
        if self.seekable:
            self.headers["Accept-Ranges"] = "bytes"
        self.charset = charset
        if req_headers is not None and self._not_modified(
            {str(k).lower(): str(v) for k, v in dict(req_headers).items()}
        ):
            self.status_code = 304  # decided now, as the original did; sent without a body

    @property
    def seekable(self) -> bool:
        """Whether byte ranges can be served."""
        if self.path is not None or self.readable is None:
            return True
        seekable = getattr(self.readable, "seekable", None)
        return (
            bool(seekable())
            if callable(seekable) and not inspect.iscoroutinefunction(seekable)
            else False
        )

    # -- negotiation ------------------------------------------------------------------------
    def _not_modified(self, request: Mapping[str, str]) -> bool:
        if self.status_code != 200:
            return False
        none_match = request.get("if-none-match")
        if none_match is not None:
            return self.etag is not None and etag_matches(none_match, self.etag)
        since = request.get("if-modified-since")
        if since and self.last_modified is not None:
            moment = parse_http_date(since)
            return moment is not None and self.last_modified.replace(microsecond=0) <= moment
        return False

    def _if_range_ok(self, request: Mapping[str, str]) -> bool:
        value = request.get("if-range")
        if value is None:
            return True
        value = value.strip()
        if value.startswith(('"', "W/")):
            return self.etag is not None and not value.startswith("W/") and value == self.etag
        moment = parse_http_date(value)
        return (
            moment is not None
            and self.last_modified is not None
            and self.last_modified.replace(microsecond=0) == moment
        )

    async def stream_to(
        self,
        send: Send,
        *,
        method: str,
        request_headers: Mapping[str, str],
        extra_headers: list[tuple[bytes, bytes]],
        base_headers: list[tuple[bytes, bytes]],
    ) -> None:
        """Send the response, answering conditional and range requests.

        The file (or readable) is closed before the response's last byte goes out, so a
        client that has read the whole response never sees it still open.
        """
        headers = [h for h in base_headers]
        status = self.status_code
        ranges: list[tuple[int, int]] | None = None
        try:
            if self.status_code == 304 or (
                method in ("GET", "HEAD") and self._not_modified(request_headers)
            ):
                drop = {
                    b"content-length",
                    b"content-type",
                    b"content-disposition",
                    b"content-encoding",
                }
                headers = [(k, v) for k, v in headers if k not in drop]
                await self._finish_empty(send, 304, headers + extra_headers)
                return
            range_header = request_headers.get("range")
            if (
                range_header
                and status == 200
                and self.seekable
                and self._if_range_ok(request_headers)
            ):
                ranges = parse_ranges(range_header, self.size)
            if ranges == []:
                headers = [(k, v) for k, v in headers if k != b"content-length"]
                headers += [
                    (b"content-range", f"bytes */{self.size}".encode()),
                    (b"content-length", b"0"),
                ]
                await self._finish_empty(send, 416, headers + extra_headers)
                return
            if ranges:
                await self._send_ranges(send, ranges, headers, extra_headers, head=method == "HEAD")
                return
            if method == "HEAD":
                await self._finish_empty(send, status, headers + extra_headers)
                return
            await self._start(send, status, headers + extra_headers)
            await self._send_span(send, 0, self.size - 1, final=True)
        finally:
            await self.aclose()

    async def _start(self, send: Send, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})

    async def _finish_empty(
        self, send: Send, status: int, headers: list[tuple[bytes, bytes]]
    ) -> None:
        """A response without body (304, 416, HEAD): the source is closed first."""
        await self.aclose()
        await self._start(send, status, headers)
        await send({"type": "http.response.body", "body": b""})

    async def _send_ranges(
        self,
        send: Send,
        ranges: list[tuple[int, int]],
        headers: list[tuple[bytes, bytes]],
        extra: list[tuple[bytes, bytes]],
        *,
        head: bool,
    ) -> None:
        headers = [(k, v) for k, v in headers if k not in (b"content-length", b"content-type")]
        content_type = self.headers.get("content-type", "application/octet-stream")
        if len(ranges) == 1:
            start, end = ranges[0]
            headers += [
                (b"content-type", content_type.encode("latin-1")),
                (b"content-range", f"bytes {start}-{end}/{self.size}".encode()),
                (b"content-length", str(end - start + 1).encode()),
            ]
            if head:
                await self._finish_empty(send, 206, headers + extra)
                return
            await self._start(send, 206, headers + extra)
            await self._send_span(send, start, end, final=True)
            return
        boundary = secrets.token_hex(16)
        heads = [
            (
                f"--{boundary}\r\nContent-Type: {content_type}\r\n"
                f"Content-Range: bytes {start}-{end}/{self.size}\r\n\r\n"
            ).encode("latin-1")
            for start, end in ranges
        ]
        closing = f"\r\n--{boundary}--\r\n".encode()
        length = sum(len(h) for h in heads) + sum(e - s + 1 for s, e in ranges)
        length += 2 * (len(ranges) - 1) + len(closing)
        headers += [
            (b"content-type", f"multipart/byteranges; boundary={boundary}".encode()),
            (b"content-length", str(length).encode()),
        ]
        if head:
            await self._finish_empty(send, 206, headers + extra)
            return
        await self._start(send, 206, headers + extra)
        for index, ((start, end), part_head) in enumerate(zip(ranges, heads, strict=True)):
            prefix = (b"\r\n" if index else b"") + part_head
            await send({"type": "http.response.body", "body": prefix, "more_body": True})
            await self._send_span(send, start, end, final=False)
        await self.aclose()
        await send({"type": "http.response.body", "body": closing})

    async def _send_span(self, send: Send, start: int, end: int, *, final: bool) -> None:
        remaining = end - start + 1
        if self.path is None and self.readable is None:
            await send(
                {
                    "type": "http.response.body",
                    "body": self.content[start : end + 1],
                    "more_body": not final,
                }
            )
            return
        await self._seek(start)
        while remaining > 0:
            chunk = await self._read(min(CHUNK, remaining))
            if not chunk:
                break
            chunk = chunk[:remaining]  # text-mode reads count characters, not bytes
            remaining -= len(chunk)
            last = final and remaining <= 0
            if last:
                await self.aclose()
            await send({"type": "http.response.body", "body": chunk, "more_body": not last})
            if last:
                return
        if final:
            await self.aclose()
            await send({"type": "http.response.body", "body": b""})

    # -- file access off the event loop ---------------------------------------------------------
    _handle: Any = None

    async def _open(self) -> Any:
        if self._handle is None:
            if self.path is not None:
                self._handle = await asyncio.to_thread(open, self.path, "rb")
            else:
                self._handle = self.readable
        return self._handle

    async def _seek(self, position: int) -> None:
        handle = await self._open()
        if position == 0 and self.path is None and not self.seekable:
            return
        if inspect.iscoroutinefunction(getattr(handle, "seek", None)):
            await handle.seek(position)
        else:
            await asyncio.to_thread(handle.seek, position)

    async def _read(self, size: int) -> bytes:
        handle = await self._open()
        read = handle.read
        if inspect.iscoroutinefunction(read):
            data = await read(size)
        else:
            data = await asyncio.to_thread(read, size)
        if isinstance(data, str):  # a file opened in text mode
            return data.encode(self.charset or "utf-8")
        return bytes(data)

    _closed = False

    async def aclose(self) -> None:
        """Close the file (or the readable object) this response was streaming (once)."""
        if self._closed:
            return
        self._closed = True
        source = self._handle if self._handle is not None else self.readable
        self._handle = None
        if source is None:
            return
        close = getattr(source, "close", None)
        if close is None:
            return
        result = close() if inspect.iscoroutinefunction(close) else await asyncio.to_thread(close)
        if inspect.isawaitable(result):
            await result
