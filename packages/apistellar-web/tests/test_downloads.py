"""FileResponse: every header case, over a real uvicorn socket."""

import io
import os
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import httpx
import pytest

from apistellar_web import Controller, FileResponse, get, route
from apistellar_web.downloads import content_disposition, parse_ranges
from apistellar_web.testing import LiveServer

DATA = os.urandom(300_000)
STAMP = "Wed, 21 Oct 2015 07:28:00 GMT"
opened: list = []


class TrackingBytesIO(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        opened.append(self)


class AsyncReader:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)
        self.closed = False
        self.name = "/somewhere/async.bin"
        opened.append(self)

    async def read(self, size: int = -1) -> bytes:
        return self.buffer.read(size)

    async def close(self) -> None:
        self.closed = True


@pytest.fixture(scope="module")
def file_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("files") / "report.bin"
    path.write_bytes(DATA)
    return path


@pytest.fixture(scope="module")
def server(file_path, tmp_path_factory):
    from apistellar_web import Application

    @route("/dl")
    class Downloads(Controller):
        @get("/path")
        def path(self) -> FileResponse:
            return FileResponse(file_path)

        @get("/bytes")
        def raw(self) -> FileResponse:
            return FileResponse(b"hello world", filename="hello.txt", download=False)

        @get("/text")
        def text(self) -> FileResponse:
            return FileResponse("héllo", filename='résumé 2024 "final".txt')

        @get("/sync")
        def sync(self) -> FileResponse:
            return FileResponse(
                TrackingBytesIO(DATA), filename="s.bin", headers={"Content-Length": str(len(DATA))}
            )

        @get("/async")
        def async_(self) -> FileResponse:
            return FileResponse(AsyncReader(DATA), headers={"Content-Length": str(len(DATA))})

        @get("/big")
        def big(self) -> FileResponse:
            size = 64 * 1024 * 1024
            return FileResponse(
                TrackingBytesIO(b"\0" * size),
                filename="big.bin",
                headers={"Content-Length": str(size)},
            )

        @get("/stamped")
        def stamped(self) -> FileResponse:
            return FileResponse(b"stamped", filename="s.txt", headers={"Last-Modified": STAMP})

        @get("/compressed")
        def compressed(self) -> FileResponse:
            return FileResponse(b"\xfd7zXZ", filename="archive.tar.xz")

    root = tmp_path_factory.mktemp("app")
    (root / "settings.py").write_text("")
    app = Application("dl", current_dir=root, controllers=[Downloads], discover=False)
    with LiveServer(app) as live:
        yield live


def get_(server, path, **headers):
    return httpx.get(f"{server.url}{path}", headers=headers)


def test_whole_file_with_real_last_modified_and_etag(server, file_path):
    response = get_(server, "/dl/path")
    assert response.status_code == 200 and response.content == DATA
    assert response.headers["content-length"] == str(len(DATA))
    assert response.headers["content-disposition"] == 'attachment; filename="report.bin"'
    assert response.headers["accept-ranges"] == "bytes"
    modified = datetime.fromtimestamp(file_path.stat().st_mtime, timezone.utc).replace(
        microsecond=0
    )
    assert response.headers["last-modified"] == format_datetime(modified, usegmt=True)
    assert response.headers["etag"].startswith('"')


def test_not_modified_answers_304_without_body(server):
    first = get_(server, "/dl/path")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    for headers in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"other", W/{etag}'},
        {"If-Modified-Since": modified},
    ):
        again = get_(server, "/dl/path", **headers)
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag and "content-length" not in again.headers
    older = format_datetime(datetime.now(timezone.utc) - timedelta(days=3650), usegmt=True)
    assert get_(server, "/dl/path", **{"If-Modified-Since": older}).status_code == 200
    assert (
        get_(
            server, "/dl/path", **{"If-None-Match": '"nope"', "If-Modified-Since": modified}
        ).status_code
        == 200
    )


def test_single_and_suffix_ranges(server):
    one = get_(server, "/dl/path", Range="bytes=100-199")
    assert one.status_code == 206 and one.content == DATA[100:200]
    assert one.headers["content-range"] == f"bytes 100-199/{len(DATA)}"
    suffix = get_(server, "/dl/path", Range="bytes=-50")
    assert suffix.content == DATA[-50:]
    open_ended = get_(server, "/dl/path", Range=f"bytes={len(DATA) - 10}-")
    assert open_ended.content == DATA[-10:]
    beyond = get_(server, "/dl/path", Range=f"bytes=0-{len(DATA) * 2}")
    assert beyond.status_code == 206 and beyond.content == DATA


def test_multiple_ranges_are_merged_and_sent_as_byteranges(server):
    response = get_(server, "/dl/path", Range="bytes=500-599,0-9,5-20,1000-1000")
    assert response.status_code == 206
    content_type = response.headers["content-type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    boundary = content_type.split("boundary=")[1].encode()
    parts = response.content.split(b"--" + boundary)
    bodies = [part.split(b"\r\n\r\n", 1)[1].removesuffix(b"\r\n") for part in parts[1:-1]]
    assert bodies == [DATA[0:21], DATA[500:600], DATA[1000:1001]]
    assert int(response.headers["content-length"]) == len(response.content)


def test_unsatisfiable_range_is_416(server):
    response = get_(server, "/dl/path", Range=f"bytes={len(DATA)}-")
    assert (
        response.status_code == 416 and response.headers["content-range"] == f"bytes */{len(DATA)}"
    )


@pytest.mark.parametrize(
    "header", ["bytes=abc", "items=0-1", "bytes=5-1", "bytes=" + ",".join(["0-1"] * 17)]
)
def test_malformed_or_excessive_ranges_are_ignored(server, header):
    response = get_(server, "/dl/path", Range=header)
    assert response.status_code == 200 and response.content == DATA


def test_if_range(server):
    etag = get_(server, "/dl/path").headers["etag"]
    assert get_(server, "/dl/path", Range="bytes=0-9", **{"If-Range": etag}).status_code == 206
    stale = get_(server, "/dl/path", Range="bytes=0-9", **{"If-Range": '"stale"'})
    assert stale.status_code == 200 and stale.content == DATA


def test_head_sends_headers_only(server):
    response = httpx.head(f"{server.url}/dl/path")
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-length"] == str(len(DATA))


def test_bytes_text_and_encodings(server):
    inline = get_(server, "/dl/bytes")
    assert inline.content == b"hello world"
    assert "content-disposition" not in inline.headers  # download=False: none, as the original
    assert inline.headers["content-type"] == "text/plain; charset=utf-8"
    text = get_(server, "/dl/text")
    assert text.content == "héllo".encode()
    assert text.headers["content-disposition"] == (
        "attachment; filename=\"r?sum? 2024 'final'.txt\"; "
        "filename*=UTF-8''r%C3%A9sum%C3%A9%202024%20%22final%22.txt"
    )
    compressed = get_(server, "/dl/compressed")
    assert compressed.headers["content-encoding"] == "xz"


def test_readables_are_streamed_and_closed(server):
    opened.clear()
    assert get_(server, "/dl/sync").content == DATA
    assert get_(server, "/dl/async").content == DATA
    assert get_(server, "/dl/sync", Range="bytes=10-19").content == DATA[10:20]
    assert len(opened) == 3 and all(getattr(f, "closed", False) for f in opened)
    assert (
        get_(server, "/dl/async").headers["content-disposition"]
        == 'attachment; filename="async.bin"'
    )


def test_file_is_closed_when_the_client_goes_away(server):
    import socket
    import time

    opened.clear()
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"GET /dl/big HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536)  # the download has started
    deadline = time.monotonic() + 10
    while not (opened and opened[0].closed) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert opened and opened[0].closed


def test_readable_without_length_and_missing_filename_are_clear_errors():
    with pytest.raises(AssertionError, match="need specify Content-Length"):
        FileResponse(io.BytesIO(b"x"), filename="x")
    with pytest.raises(AssertionError, match="filename must specify"):
        FileResponse(b"x")
    with pytest.raises(AssertionError, match="must be string or bytes"):
        FileResponse(123, filename="x")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", [(0, 0)]),
        ("bytes=0-4,2-8,10-", [(0, 8), (10, 99)]),
        ("bytes=-0", []),
        ("bytes=200-300", []),
        ("bytes=1-2,3-4", [(1, 4)]),
        ("bytes=x-1", None),
    ],
)
def test_parse_ranges(header, expected):
    assert parse_ranges(header, 100) == expected


def test_content_disposition_strips_control_characters_and_separators():
    assert content_disposition("a\r\nb/c.txt") == 'attachment; filename="ab_c.txt"'


def test_in_memory_and_readable_content_is_last_modified_now_in_gmt(server):
    """bytes, str and readables default ``Last-Modified`` to the current time, in real GMT."""
    before = datetime.now(timezone.utc).replace(microsecond=0)
    for path in ("/dl/bytes", "/dl/text", "/dl/sync", "/dl/async"):
        response = get_(server, path)
        stamp = response.headers["last-modified"]
        assert stamp.endswith(" GMT")
        moment = parsedate_to_datetime(stamp)
        after = datetime.now(timezone.utc)
        assert before - timedelta(seconds=1) <= moment <= after, (path, stamp)
        # a client date at or after the response's "now" is not modified since (as the
        # original); a fresh response is stamped anew, so a date a minute ahead is used
        later = format_datetime(moment + timedelta(minutes=1), usegmt=True)
        again = get_(server, path, **{"If-Modified-Since": later})
        assert again.status_code == 304 and again.content == b"", path
        earlier = format_datetime(moment - timedelta(hours=1), usegmt=True)
        assert get_(server, path, **{"If-Modified-Since": earlier}).status_code == 200


def test_caller_given_last_modified_is_honoured(server):
    response = get_(server, "/dl/stamped")
    assert response.headers["last-modified"] == STAMP and response.content == b"stamped"
    assert get_(server, "/dl/stamped", **{"If-Modified-Since": STAMP}).status_code == 304
    older = "Tue, 20 Oct 2015 07:28:00 GMT"
    assert get_(server, "/dl/stamped", **{"If-Modified-Since": older}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"range": "bytes=0-9"}, {"range": "bytes=0-9,20-29"}, {"if-modified-since": STAMP}],
    ids=["whole", "one-range", "byteranges", "not-modified"],
)
def test_the_source_is_closed_before_the_response_ends(headers):
    """Item 11 of the flaky-suite report: a client that has the whole response must find
    the file closed, so closing comes before the final body message, on every path."""
    import asyncio

    sent: list[dict] = []
    closed_after: list[int] = []

    class Source(io.BytesIO):
        def close(self) -> None:
            closed_after.append(sum(1 for m in sent if _ends(m)))
            super().close()

    async def send(message: dict) -> None:
        sent.append(message)

    response = FileResponse(
        Source(DATA),
        filename="s.bin",
        headers={"Content-Length": str(len(DATA)), "Last-Modified": STAMP},
    )
    asyncio.run(
        response.stream_to(
            send, method="GET", request_headers=headers, extra_headers=[], base_headers=[]
        )
    )
    ends = [m for m in sent if _ends(m)]
    assert len(ends) == 1 and sent[-1] is ends[0]
    assert closed_after == [0], "closed once, before the final body message went out"


def _ends(message: dict) -> bool:
    return message["type"] == "http.response.body" and not message.get("more_body", False)


def test_req_headers_decide_304_at_construction_as_the_original():
    """The original's FileResponse read ``req_headers`` when built: a newer
    ``If-Modified-Since`` makes it a 304 at once."""
    stamp = {"Last-Modified": "Fri, 08 Feb 2019 22:56:51 GMT"}
    newer = {"If-Modified-Since": "Fri, 08 Feb 2019 22:56:53 GMT"}
    older = {"if-modified-since": "Fri, 08 Feb 2019 22:56:49 GMT"}
    assert FileResponse("x", filename="a.jpg", headers=stamp, req_headers=newer).status_code == 304
    assert FileResponse("x", filename="a.jpg", headers=stamp, req_headers=older).status_code == 200
    assert FileResponse("x", filename="a.jpg", headers=stamp).status_code == 200


def test_a_304_decided_at_construction_is_sent_without_a_body():
    import asyncio

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    response = FileResponse(
        b"data",
        filename="a.bin",
        headers={"Last-Modified": STAMP},
        req_headers={"If-Modified-Since": STAMP},
    )
    asyncio.run(
        response.stream_to(
            send, method="GET", request_headers={}, extra_headers=[], base_headers=[]
        )
    )
    assert sent[0]["status"] == 304 and [m.get("body") for m in sent[1:]] == [b""]


def test_text_mode_files_are_sent_as_encoded_bytes(tmp_path):
    import asyncio

    text = "héllo wörld\n" * 1000
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    size = len(text.encode())
    response = FileResponse(path.open(encoding="utf-8"), headers={"Content-Length": str(size)})
    asyncio.run(
        response.stream_to(
            send, method="GET", request_headers={}, extra_headers=[], base_headers=[]
        )
    )
    assert b"".join(m.get("body", b"") for m in sent[1:]) == text.encode()
