"""Request limits and hardening, each over a real uvicorn socket (raw sockets where the
exact bytes on the wire matter): JSON depth and numbers, declared bodies over the cap,
form field counts, the multipart memory budget, static paths, aborted uploads and the
JSON content-type rule."""

import asyncio
import json
import logging
import os
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from apistar import http

from apistellar_web import Application, Controller, FileStream, _body, get, post, route
from apistellar_web.exceptions import PayloadTooLarge
from apistellar_web.multipart import MultipartLimits, parse_form
from apistellar_web.testing import LiveServer

BOUNDARY = "limitsBoundary42"
saved: list[str] = []
failures: list[str] = []


@route("/lim")
class LimitsController(Controller):
    @post("/json")
    def echo(self, data: http.RequestData) -> dict:
        return {"type": type(data).__name__}

    @post("/form")
    def form(self, data: http.RequestData) -> dict:
        return {"fields": len(list(data.items(multi=True))) if data is not None else 0}

    @post("/save")
    async def save(self, stream: FileStream) -> dict:
        try:
            async for part in stream:
                saved.append(str(await part.save_to(UPLOADS)))
        except Exception as error:
            failures.append(type(error).__name__)
            raise
        return {"saved": len(saved)}

    @get("/ping")
    def ping(self) -> str:
        return "pong"


UPLOADS = Path()


def multipart(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    out = []
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out.append(f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode())
        out.append(data + b"\r\n")
    out.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(out)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    global UPLOADS
    root = tmp_path_factory.mktemp("limits")
    UPLOADS = root / "uploads"
    UPLOADS.mkdir()
    static = root / "static"
    static.mkdir()
    (static / "site.css").write_text("body { color: red }\n" * 1000)
    (static / "big.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    (static / "archive.tar.gz").write_bytes(b"\x1f\x8b" + os.urandom(100))
    (root / "settings.py").write_text(
        "MAX_BODY_SIZE = 1024 * 1024\n"
        "FORM_MAX_FIELDS = 50\n"
        "MULTIPART_MEMORY_BUDGET = 64 * 1024\n"
        "MAX_UPLOAD_SIZE = 8 * 1024 * 1024\n"
        "STATIC_DIR = 'static'\n"
    )
    return Application("lim", current_dir=root, controllers=[LimitsController], discover=False)


@pytest.fixture(scope="module")
def live(app):
    with LiveServer(app) as server:  # uvicorn's default HTTP implementation, httptools
        yield server


@pytest.fixture(scope="module")
def live_h11(app):
    with LiveServer(app, http="h11") as server:
        yield server


@pytest.fixture(params=["live", "live_h11"])
def either(request):
    """The app behind each of uvicorn's HTTP implementations."""
    return request.getfixturevalue(request.param)


def raw(port: int, head: bytes, body: bytes = b"", *, read_timeout: float = 10) -> bytes:
    """Send ``head`` (and ``body``), then read until the server closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as sock:
        sock.sendall(head + body)
        chunks = []
        try:
            while data := sock.recv(65536):
                chunks.append(data)
                if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                    break
        except TimeoutError:
            pass
    return b"".join(chunks)


def _complete(response: bytes) -> bool:
    head, _, body = response.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def envelope(response: httpx.Response) -> dict:
    return json.loads(response.content)


# -- 1. JSON depth and numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        pytest.param(b"[" * 1000 + b"]" * 1000, "nested deeper than 128", id="deep-1000"),
        pytest.param(b"[" * 200 + b"]" * 200, "nested deeper than 128", id="deep-200"),
        pytest.param(b'{"a":' * 150 + b"1" + b"}" * 150, "nested deeper", id="deep-objects"),
        pytest.param(b"1" * 5000, "too many digits", id="huge-integer"),
        pytest.param(b'{"n": ' + b"9" * 5000 + b"}", "too many digits", id="huge-integer-field"),
    ],
)
def test_deep_json_and_huge_numbers_are_400_without_a_traceback(live, body, detail, caplog):
    with caplog.at_level(logging.INFO):
        response = httpx.post(
            f"{live.url}/lim/json", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400
    text = response.text
    assert detail in text and "recursion" not in text and "sys.set_int" not in text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_json_as_deep_as_allowed_still_parses(live):
    body = b"[" * 120 + b"]" * 120
    response = httpx.post(
        f"{live.url}/lim/json", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200 and response.json() == {"type": "list"}


def test_brackets_inside_strings_do_not_count_as_depth(live):
    body = json.dumps({"text": "[{" * 5000, "list": [[1]]}).encode()
    response = httpx.post(
        f"{live.url}/lim/json", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200 and response.json() == {"type": "dict"}


def test_body_limits_come_from_settings(tmp_path):
    from apistellar_config import init_settings, settings

    (tmp_path / "settings.py").write_text(
        "JSON_MAX_DEPTH = 5\nFORM_MAX_FIELDS = 2\nBODY_PARSE_THREAD_SIZE = 10\n"
        "JSON_REQUIRE_CONTENT_TYPE = True\n"
    )
    init_settings(search_path=tmp_path)
    limits = _body.BodyLimits.from_settings(settings)
    assert limits == _body.BodyLimits(
        max_depth=5, max_fields=2, thread_size=10, require_json_type=True
    )


# -- 2. declared bodies over the cap -----------------------------------------------------------


def test_declared_length_over_the_cap_with_expect_gets_413_and_never_100_continue(either):
    head = (
        "POST /lim/json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {64 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n"
    ).encode()
    started = time.monotonic()
    response = raw(either.port, head)  # no body is ever sent
    assert time.monotonic() - started < 5, "answered at once, not after a read timeout"
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert b"100 Continue" not in response
    assert b"larger than 1048576 bytes" in response
    assert b"connection: close" in response.lower()


def test_declared_length_over_the_cap_gets_413_before_the_body_is_sent(either):
    head = (
        "POST /lim/json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {64 * 1024 * 1024}\r\n\r\n"
    ).encode()
    started = time.monotonic()
    response = raw(either.port, head, b"[1," * 1000)  # a few KiB of 64 MiB
    assert time.monotonic() - started < 5
    assert response.startswith(b"HTTP/1.1 413"), response[:200]


def test_multipart_declared_over_max_upload_size_is_refused_unread(either):
    head = (
        "POST /lim/save HTTP/1.1\r\nHost: x\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {9 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n"
    ).encode()
    response = raw(either.port, head)
    assert response.startswith(b"HTTP/1.1 413") and b"100 Continue" not in response


def test_expect_with_an_acceptable_body_still_gets_100_continue(either):
    body = b'{"a": 1}'
    head = (
        "POST /lim/json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", either.port), timeout=5) as sock:
        sock.sendall(head)
        assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(body)
        answer = b""
        while not _complete(answer):
            answer += sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200") and b'"dict"' in answer


def test_a_refused_body_that_is_never_asked_for_closes_the_connection(either):
    """A guard that answers without reading a body held back behind ``Expect`` must not
    leave the connection waiting for it: the server closes it."""
    head = (
        b"POST /lim/ping HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n"
    )
    response = raw(either.port, head)
    assert response.startswith(b"HTTP/1.1 405") and b"100 Continue" not in response
    assert b"connection: close" in response.lower()


# -- 3. URL-encoded forms --------------------------------------------------------------------


def test_form_field_count_is_capped(live):
    ok = httpx.post(f"{live.url}/lim/form", data={f"f{i}": "x" for i in range(50)})
    assert ok.status_code == 200 and ok.json() == {"fields": 50}
    many = httpx.post(
        f"{live.url}/lim/form",
        content=b"&".join([b"a="] * 51),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert many.status_code == 413 and "at most 50 fields" in many.text


def test_a_flood_of_empty_fields_is_refused_quickly(live):
    body = b"a=&" * (1024 * 1024 // 3 - 10)
    started = time.monotonic()
    response = httpx.post(
        f"{live.url}/lim/form",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413 and time.monotonic() - started < 5


def test_other_requests_are_served_while_a_big_form_is_decoded(tmp_path):
    """A 6 MiB ``a=&a=&...`` body allowed by raised caps takes seconds to decode: a request
    arriving meanwhile is answered first, because decoding runs in a worker thread."""
    (tmp_path / "settings.py").write_text(
        "MAX_BODY_SIZE = 32 * 1024 * 1024\nFORM_MAX_FIELDS = 10_000_000\n"
    )
    app = Application("big", current_dir=tmp_path, controllers=[LimitsController], discover=False)
    body = b"a=&" * (6 * 1024 * 1024 // 3)
    finished: dict[str, float] = {}
    with LiveServer(app) as server:

        def post_form() -> None:
            response = httpx.post(
                f"{server.url}/lim/form",
                content=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                timeout=60,
            )
            assert response.status_code == 200
            finished["form"] = time.monotonic()

        poster = threading.Thread(target=post_form)
        poster.start()
        time.sleep(0.3)  # the body is on its way / being decoded
        started = time.monotonic()
        assert httpx.get(f"{server.url}/lim/ping", timeout=60).text == "pong"
        finished["ping"] = time.monotonic()
        poster.join(60)
    assert "form" in finished, "the form was decoded"
    assert finished["ping"] < finished["form"], "the ping did not wait for the decoding"
    assert finished["ping"] - started < 2


def test_big_bodies_are_decoded_off_the_event_loop(monkeypatch):
    threads: list[threading.Thread] = []
    real = _body.decode_body

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(_body, "decode_body", spy)
    limits = _body.BodyLimits(thread_size=1000)

    async def scenario():
        small = await _body.decode_request_body(b"[1]", "application/json", limits)
        big = await _body.decode_request_body(b"[" + b"1," * 1000 + b"1]", None, limits)
        return threading.current_thread(), small, big

    loop_thread, small, big = asyncio.run(scenario())
    assert small == [1] and len(big) == 1001
    assert threads[0] is loop_thread and threads[1] is not loop_thread


# -- 4. the multipart memory budget ------------------------------------------------------------


def test_fields_over_the_memory_budget_are_413(live):
    body = multipart([(f"f{i}", None, b"x" * 20_000) for i in range(4)])  # 80 KB > 64 KiB
    response = httpx.post(
        f"{live.url}/lim/form",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert response.status_code == 413 and "bytes of memory" in response.text
    fits = multipart([(f"f{i}", None, b"x" * 20_000) for i in range(3)])
    response = httpx.post(
        f"{live.url}/lim/form",
        content=fits,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert response.status_code == 200 and response.json() == {"fields": 3}


def test_the_default_budget_refuses_many_megabyte_fields(tmp_path):
    """The report's 1000 fields of 1 MiB (each within MULTIPART_MAX_FIELD_SIZE) would hold
    1 GiB; with the default 16 MiB budget the 17th field is refused."""
    (tmp_path / "settings.py").write_text("")
    app = Application(
        "budget", current_dir=tmp_path, controllers=[LimitsController], discover=False
    )
    body = multipart([(f"f{i}", None, b"v" * (1024 * 1024 - 100)) for i in range(40)])
    with LiveServer(app) as server:
        response = httpx.post(
            f"{server.url}/lim/form",
            content=body,
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
            timeout=60,
        )
    assert response.status_code == 413
    assert f"more than {16 * 1024 * 1024} bytes of memory" in response.text


def test_small_files_past_the_budget_go_to_disk():
    parts = [(f"file{i}", f"{i}.bin", bytes([i]) * 30_000) for i in range(5)]
    body = multipart(parts)

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def scenario():
        form = await parse_form(
            receive,
            f"multipart/form-data; boundary={BOUNDARY}",
            MultipartLimits(memory_budget=70_000),
        )
        files = [form[f"file{i}"] for i in range(5)]
        try:
            # a spooled file still in memory holds a BytesIO; the others are real files
            kinds = [type(getattr(f.stream, "_file", f.stream)).__name__ for f in files]
            return [f.read() for f in files], kinds
        finally:
            for f in files:
                f.close()

    contents, kinds = asyncio.run(scenario())
    assert contents == [data for _, _, data in parts]
    in_memory = [kind == "BytesIO" for kind in kinds]
    assert in_memory == [True, True, False, False, False], kinds


def test_fields_budget_in_the_parser():
    body = multipart([("a", None, b"x" * 600), ("b", None, b"y" * 600)])

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    with pytest.raises(PayloadTooLarge, match="1000 bytes of memory"):
        asyncio.run(
            parse_form(
                receive,
                f"multipart/form-data; boundary={BOUNDARY}",
                MultipartLimits(memory_budget=1000),
            )
        )


# -- 5. static files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/static/x%00.png",
        "/static/site.css%00",
        "/static/" + "a" * 5000 + ".png",
        "/static/" + "/".join(["b" * 255] * 30),
        "/static/../settings.py",
        "/static/%2e%2e/settings.py",
        "/static/nothing-here.css",
        "/static/",
    ],
)
def test_static_paths_the_os_refuses_or_that_leave_the_folder_are_404(live, path):
    response = httpx.get(f"{live.url}{path}")
    assert response.status_code == 404, (path[:60], response.text[:200])
    assert "errno" not in response.text.lower() and "null byte" not in response.text


def test_static_files_are_streamed_with_validators_and_ranges(live):
    whole = httpx.get(f"{live.url}/static/site.css")
    assert whole.status_code == 200 and whole.text == "body { color: red }\n" * 1000
    assert whole.headers["content-type"] == "text/css; charset=utf-8"
    assert "content-disposition" not in whole.headers
    etag, modified = whole.headers["etag"], whole.headers["last-modified"]
    assert (
        httpx.get(f"{live.url}/static/site.css", headers={"If-None-Match": etag}).status_code == 304
    )
    since = httpx.get(f"{live.url}/static/site.css", headers={"If-Modified-Since": modified})
    assert since.status_code == 304 and since.content == b""
    part = httpx.get(f"{live.url}/static/big.bin", headers={"Range": "bytes=1000-1999"})
    data = (Path(UPLOADS).parent / "static" / "big.bin").read_bytes()
    assert part.status_code == 206 and part.content == data[1000:2000]
    assert httpx.get(f"{live.url}/static/big.bin").content == data
    gz = httpx.get(f"{live.url}/static/archive.tar.gz")
    assert gz.headers["content-type"] == "application/octet-stream"
    assert "content-encoding" not in gz.headers


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_static_files_are_not_read_into_memory(tmp_path):
    """Three concurrent downloads of a 96 MiB static file grow the serving process (here,
    the test process itself) by far less than one copy of the file."""
    (tmp_path / "static").mkdir()
    size = 96 * 1024 * 1024
    with (tmp_path / "static" / "huge.bin").open("wb") as handle:
        handle.truncate(size)
    (tmp_path / "settings.py").write_text("STATIC_DIR = 'static'\n")
    app = Application("huge", current_dir=tmp_path, controllers=[LimitsController], discover=False)
    received: list[int] = []

    def download(url: str) -> None:
        total = 0
        with httpx.stream("GET", url, timeout=60) as response:
            for chunk in response.iter_raw(256 * 1024):
                total += len(chunk)
        received.append(total)

    with LiveServer(app) as server:
        download(f"{server.url}/static/huge.bin")  # warm up: buffers, threads
        received.clear()
        before = _rss_kib()
        threads = [
            threading.Thread(target=download, args=(f"{server.url}/static/huge.bin",))
            for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        peak = before
        while any(thread.is_alive() for thread in threads):
            peak = max(peak, _rss_kib())
            time.sleep(0.01)
    assert received == [size] * 3
    assert (peak - before) * 1024 < size // 3, f"grew by {(peak - before) // 1024} MiB"


# -- 6. aborted uploads leave nothing behind ---------------------------------------------------


def test_save_to_leaves_no_partial_file_when_the_client_aborts(live):
    saved.clear()
    failures.clear()
    body = multipart([("f", "movie.mp4", os.urandom(2 * 1024 * 1024))])
    head = (
        "POST /lim/save HTTP/1.1\r\nHost: x\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", live.port), timeout=5) as sock:
        sock.sendall(head + body[: len(body) // 2])
        time.sleep(0.3)  # the handler is writing
    deadline = time.monotonic() + 10
    while not failures and time.monotonic() < deadline:
        time.sleep(0.05)
    assert failures, "the handler saw the abort"
    assert list(UPLOADS.iterdir()) == []
    complete = httpx.post(
        f"{live.url}/lim/save",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert complete.status_code == 200
    names = [p.name for p in UPLOADS.iterdir()]
    assert len(names) == 1 and names[0].endswith(".mp4") and not names[0].startswith(".")
    assert (UPLOADS / names[0]).stat().st_size == 2 * 1024 * 1024


# -- JSON content type ---------------------------------------------------------------------------


def test_a_body_without_content_type_is_json_by_default_as_the_original(live):
    response = httpx.post(f"{live.url}/lim/json", content=b'{"a": 1}')
    assert response.status_code == 200 and response.json() == {"type": "dict"}
    other = httpx.post(
        f"{live.url}/lim/json", content=b'{"a": 1}', headers={"Content-Type": "text/plain"}
    )
    assert other.status_code == 415


def test_json_content_type_can_be_required(tmp_path):
    (tmp_path / "settings.py").write_text("JSON_REQUIRE_CONTENT_TYPE = True\n")
    app = Application(
        "strict", current_dir=tmp_path, controllers=[LimitsController], discover=False
    )
    with LiveServer(app) as server:
        bare = httpx.post(f"{server.url}/lim/json", content=b'{"a": 1}')
        assert bare.status_code == 415
        typed = httpx.post(
            f"{server.url}/lim/json",
            content=b'{"a": 1}',
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        assert typed.status_code == 200 and typed.json() == {"type": "dict"}
