"""The incremental multipart parser: correctness at any chunking, limits, adversarial input."""

import asyncio
import hashlib
import os
import random
import socket

import pytest

from apistellar_web import Controller, FileStream, get, post, route
from apistellar_web.exceptions import BadRequest, PayloadTooLarge
from apistellar_web.multipart import FileStream as Stream
from apistellar_web.multipart import MultipartLimits, disposition_names, parse_form, safe_suffix
from apistellar_web.testing import LiveServer

BOUNDARY = "----apistellarBoundary7MA4YWxkTrZu0gW"


def body_of(
    parts: list[tuple[str, str | None, bytes]],
    boundary: str = BOUNDARY,
    preamble: bytes = b"",
    epilogue: bytes = b"",
) -> bytes:
    out = [preamble]
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode())
        if filename:
            out.append(b"Content-Type: application/octet-stream\r\n")
        out.append(b"\r\n" + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode() + epilogue)
    return b"".join(out)


def chunked_receive(body: bytes, sizes: list[int] | None = None, seed: int = 0):
    rng = random.Random(seed)
    pieces = []
    position = 0
    while position < len(body):
        size = sizes.pop(0) if sizes else rng.randint(1, 70_000)
        pieces.append(body[position : position + size])
        position += size

    async def receive():
        if pieces:
            data = pieces.pop(0)
            return {"type": "http.request", "body": data, "more_body": bool(pieces)}
        return {"type": "http.disconnect"}

    return receive


async def collect(body: bytes, limits: MultipartLimits | None = None, **kwargs) -> list[tuple]:
    stream = Stream(chunked_receive(body, **kwargs), BOUNDARY.encode(), limits)
    result = []
    async for part in stream:
        data = b"".join([chunk async for chunk in part])
        result.append((part.name, part.filename, data))
    return result


TRICKY = [
    pytest.param(b"", id="empty"),
    pytest.param(b"\r\n" * 5000, id="crlf-dense"),
    pytest.param((b"\r\n--" + BOUNDARY.encode()[:-1] + b"X") * 200, id="almost-boundaries"),
    pytest.param(b"--" + BOUNDARY.encode() + b"x", id="boundary-prefix-in-data"),
    pytest.param(os.urandom(300_000), id="random-300k"),
    pytest.param(b"\r", id="lone-cr"),
]


@pytest.mark.parametrize("data", TRICKY)
@pytest.mark.parametrize("chunking", ["one-byte", "random", "whole"])
def test_round_trip_at_any_chunking(data, chunking):
    parts = [("field", None, b"value"), ("upload", "a.bin", data), ("tail", None, b"end")]
    body = body_of(parts, preamble=b"ignored preamble\r\n", epilogue=b"ignored epilogue")
    # one-byte chunks for small bodies; a large body gets 1-byte chunks at its start only
    one_byte = [1] * min(len(body), 20_000) + ([len(body) - 20_000] if len(body) > 20_000 else [])
    sizes = {"one-byte": one_byte, "random": None, "whole": [len(body)]}[chunking]
    assert asyncio.run(collect(body, sizes=sizes)) == parts


def test_many_parts_and_tell_read_mixing():
    parts = [(f"f{i}", f"{i}.txt", os.urandom(i * 37)) for i in range(200)]

    async def scenario():
        stream = Stream(chunked_receive(body_of(parts), seed=3), BOUNDARY.encode())
        seen = []
        async for part in stream:
            head = await part.read(5)
            rest = b"".join([chunk async for chunk in part])
            assert part.tell() == len(head) + len(rest)
            seen.append((part.name, part.filename, head + rest))
        return seen

    assert asyncio.run(scenario()) == parts


def test_unread_parts_are_skipped():
    parts = [("a", "a.bin", b"x" * 100_000), ("b", None, b"second")]

    async def scenario():
        stream = Stream(chunked_receive(body_of(parts)), BOUNDARY.encode())
        names = []
        async for part in stream:
            names.append(part.name)
            if part.name == "b":
                assert await part.read(100) == b"second" and await part.read() == b""
        return names

    assert asyncio.run(scenario()) == ["a", "b"]


def test_read_size_must_be_positive():
    async def scenario():
        stream = Stream(chunked_receive(body_of([("a", None, b"x")])), BOUNDARY.encode())
        async for part in stream:
            await part.read(0)

    with pytest.raises(AssertionError, match="Read size must > 0"):
        asyncio.run(scenario())


@pytest.mark.parametrize(
    ("body", "limits", "error", "message"),
    [
        pytest.param(
            body_of([("a", None, b"x")] * 5),
            MultipartLimits(max_parts=4),
            PayloadTooLarge,
            "at most 4 parts",
            id="part-count",
        ),
        pytest.param(
            b"--"
            + BOUNDARY.encode()
            + b"\r\n"
            + b"X-Long: "
            + b"a" * 10_000
            + b"\r\n\r\nx\r\n--"
            + BOUNDARY.encode()
            + b"--",
            MultipartLimits(),
            PayloadTooLarge,
            "headers are larger",
            id="header-size",
        ),
        pytest.param(
            b"--"
            + BOUNDARY.encode()
            + b"\r\n"
            + b"".join(b"X-%d: 1\r\n" % i for i in range(40))
            + b"Content-Disposition: form-data; name=a\r\n\r\nx\r\n--"
            + BOUNDARY.encode()
            + b"--",
            MultipartLimits(),
            PayloadTooLarge,
            "more than 32 headers",
            id="header-count",
        ),
        pytest.param(
            body_of([("a", "a.bin", b"x" * 5000)]),
            MultipartLimits(max_body_size=1000),
            PayloadTooLarge,
            "larger than 1000 bytes",
            id="total-size",
        ),
        pytest.param(
            body_of([("a", None, b"x")])[:-10],
            MultipartLimits(),
            BadRequest,
            "Content not complete",
            id="truncated",
        ),
        pytest.param(
            b"--"
            + BOUNDARY.encode()
            + b"\r\nBroken header line\r\n\r\nx\r\n--"
            + BOUNDARY.encode()
            + b"--",
            MultipartLimits(),
            BadRequest,
            "Malformed multipart part header",
            id="bad-header",
        ),
        pytest.param(
            b"--"
            + BOUNDARY.encode()
            + b"\r\nContent-Type: text/plain\r\n\r\nx\r\n--"
            + BOUNDARY.encode()
            + b"--",
            MultipartLimits(),
            BadRequest,
            "Content-Disposition",
            id="no-disposition",
        ),
        pytest.param(
            b"no boundary anywhere" * 100,
            MultipartLimits(),
            BadRequest,
            "Content not complete",
            id="no-boundary-at-all",
        ),
    ],
)
def test_limits_and_malformed_bodies(body, limits, error, message):
    with pytest.raises(error) as info:
        asyncio.run(collect(body, limits, sizes=None))
    assert message in str(info.value.detail)


def test_field_size_limit_for_parsed_forms():
    body = body_of([("big", None, b"x" * 2000), ("file", "f.bin", b"y" * 5000)])
    limits = MultipartLimits(max_field_size=1000)
    with pytest.raises(PayloadTooLarge, match="big"):
        asyncio.run(
            parse_form(chunked_receive(body), f"multipart/form-data; boundary={BOUNDARY}", limits)
        )


def test_spooling_to_disk_happens_off_the_event_loop(monkeypatch):
    """CVE-2025-54121: the rollover to disk must not run on the event-loop thread."""
    import tempfile
    import threading

    threads = []
    real_rollover = tempfile.SpooledTemporaryFile.rollover

    def rollover(self):
        threads.append(threading.current_thread())
        return real_rollover(self)

    monkeypatch.setattr(tempfile.SpooledTemporaryFile, "rollover", rollover)
    body = body_of([("file", "f.bin", b"z" * 3_000_000)])

    async def scenario():
        loop_thread = threading.current_thread()
        form = await parse_form(
            chunked_receive(body), f"multipart/form-data; boundary={BOUNDARY}", MultipartLimits()
        )
        form["file"].close()
        return loop_thread

    loop_thread = asyncio.run(scenario())
    assert threads and all(thread is not loop_thread for thread in threads)


def test_files_spool_and_fields_decode():
    body = body_of([("title", None, "héllo".encode()), ("file", "f.bin", b"y" * 3_000_000)])

    async def scenario():
        form = await parse_form(
            chunked_receive(body), f"multipart/form-data; boundary={BOUNDARY}", MultipartLimits()
        )
        upload = form["file"]
        try:
            return form["title"], upload.filename, len(upload.read())
        finally:
            upload.close()

    assert asyncio.run(scenario()) == ("héllo", "f.bin", 3_000_000)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('form-data; name="a"; filename="report.pdf"', ("a", "report.pdf")),
        ('form-data; name="a"; filename="r%C3%A9sum%C3%A9.txt"', ("a", "résumé.txt")),
        pytest.param(
            'form-data; name="a"; filename="x.txt"; filename*=UTF-8\'\'%E6%96%87%E4%BB%B6.txt',
            ("a", "x.txt"),
            id="plain-filename-wins-over-extended",
        ),
        ("form-data; name=\"a\"; filename*=UTF-8''%E6%96%87%E4%BB%B6.txt", ("a", "文件.txt")),
        ('form-data; name="semi;colon"; filename="a;b.txt"', ("semi;colon", "a;b.txt")),
        ('form-data; name="q"; filename="say \\"hi\\".txt"', ("q", 'say "hi".txt')),
        ('form-data; name="plain"', ("plain", None)),
        ("form-data; name*=UTF-8''%C3%A9", ("é", None)),
    ],
)
def test_disposition_names(header, expected):
    assert disposition_names(header) == expected


@pytest.mark.parametrize(
    ("filename", "suffix"),
    [
        ("../../etc/passwd", ""),
        ("..\\..\\win.ini", ".ini"),
        ("photo.JPG", ".jpg"),
        ("a.tar.gz", ".gz"),
        ("noext", ""),
        ("evil.p/hp", ""),
        ("x.very-long-extension-name", ""),
    ],
)
def test_client_filenames_never_become_paths(filename, suffix):
    assert safe_suffix(filename) == suffix


def test_save_to_picks_a_safe_name(tmp_path):
    body = body_of([("f", "../../outside.txt", b"data")])

    async def scenario():
        stream = Stream(chunked_receive(body), BOUNDARY.encode())
        async for part in stream:
            return await part.save_to(tmp_path)

    path = asyncio.run(scenario())
    assert path.parent == tmp_path and path.read_bytes() == b"data" and "outside" not in path.name


# -- over a real uvicorn socket ---------------------------------------------------------------


@route("/up")
class UploadController(Controller):
    @post("/stream")
    async def stream(self, stream: FileStream) -> list:
        result = []
        async for part in stream:
            digest = hashlib.sha256()
            size = 0
            async for chunk in part:
                digest.update(chunk)
                size += len(chunk)
            result.append(
                {
                    "name": part.name,
                    "filename": part.filename,
                    "size": size,
                    "sha256": digest.hexdigest(),
                }
            )
        return result

    @get("/")
    def index(self) -> str:
        return "ok"


def raw_post(port: int, path: str, body: bytes, content_type: str, seed: int) -> bytes:
    """Send a body in random-size pieces over a raw socket; return the raw response."""
    rng = random.Random(seed)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        position = 0
        while position < len(body):
            size = rng.choice([1, 7, 100, 4096, 65_536, 1_000_000])
            sock.sendall(body[position : position + size])
            position += size
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    return b"".join(chunks)


@pytest.fixture(scope="module")
def upload_server(tmp_path_factory):
    from apistellar_web import Application

    root = tmp_path_factory.mktemp("uploads")
    (root / "settings.py").write_text("MULTIPART_MAX_PARTS = 300\n")
    app = Application("up", current_dir=root, controllers=[UploadController], discover=False)
    with LiveServer(app) as server:
        yield server


@pytest.mark.parametrize(
    "parts",
    [
        pytest.param([("small", "s.txt", b"hello")], id="small"),
        pytest.param([("large", "l.bin", os.urandom(8 * 1024 * 1024))], id="large-8MiB"),
        pytest.param(
            [(f"p{i}", f"{i}.bin", os.urandom(i * 101)) for i in range(250)], id="many-parts"
        ),
        pytest.param(
            [("crlf", "c.bin", b"\r\n" * 200_000), ("field", None, b"v")], id="crlf-dense"
        ),
    ],
)
def test_uploads_over_uvicorn_keep_every_byte(upload_server, parts):
    import json

    response = raw_post(
        upload_server.port,
        "/up/stream",
        body_of(parts),
        f"multipart/form-data; boundary={BOUNDARY}",
        seed=len(parts),
    )
    head, _, payload = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    assert json.loads(payload) == [
        {"name": n, "filename": f, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
        for n, f, d in parts
    ]


@pytest.mark.parametrize(
    ("content_type", "body", "status", "message"),
    [
        ("text/plain", b"x", 415, b"Unsupported Content-Type"),
        ("multipart/form-data", b"x", 400, b"Missing boundary"),
        (f"multipart/form-data; boundary={'b' * 71}", b"x", 400, b"Invalid multipart boundary"),
        (
            f"multipart/form-data; boundary={BOUNDARY}",
            body_of([("a", None, b"x")] * 301),
            413,
            b"at most 300 parts",
        ),
        (
            f"multipart/form-data; boundary={BOUNDARY}",
            body_of([("a", None, b"x")])[:-20],
            400,
            b"not complete",
        ),
    ],
)
def test_upload_errors_over_uvicorn_answer_envelopes(
    upload_server, content_type, body, status, message
):
    response = raw_post(upload_server.port, "/up/stream", body, content_type, seed=1)
    assert response.startswith(f"HTTP/1.1 {status}".encode()), response[:200]
    assert message in response
    again = raw_post(
        upload_server.port,
        "/up/stream",
        body_of([("ok", None, b"x")]),
        f"multipart/form-data; boundary={BOUNDARY}",
        seed=2,
    )
    assert again.startswith(b"HTTP/1.1 200"), "the server is still sane"
