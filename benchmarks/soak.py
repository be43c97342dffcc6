"""A bounded soak of the example app: mixed traffic on loopback for a fixed time.

The example project (``examples/blog``) is served by uvicorn (one process, SQLite in a
temporary folder, a fresh ``SECRET_KEY``); a load generator of our own (asyncio, HTTP/1.1
keep-alive, one session per connection) sends a mix of article reads, article writes,
logins, session reads, uploads, expected 404s and 400s for ``--minutes`` (default 10), checking
every answer, then prints the figures and exits non-zero when any check fails:

* errors (connection failures, timeouts, 5xx, wrong bodies) must be 0;
* non-2xx answers other than the expected 404s (``/nope``) and 400s (an invalid article)
  must be 0;
* the server's RSS at the end may exceed its RSS after the warm-up by at most
  ``--max-rss-growth`` MiB (default 8).

Usage: ``python benchmarks/soak.py [--minutes 10] [--connections 16] [--json out.json]``
(``./noxw -s soak -- --minutes 1``). Traffic goes to 127.0.0.1 only, and stops by itself.
"""

import argparse
import asyncio
import hashlib
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from apistellar_web.testing import free_port, stop_process

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "blog"
HOST = "127.0.0.1"
TIMEOUT = 10.0
MIB = 1024 * 1024
# Articles are written at a bounded rate (other writes become reads), so the listings
# stay small over any duration: RSS growth then means a leak, not more data.
WRITES_PER_SECOND = 1.0


@dataclass
class Stats:
    requests: int = 0
    errors: int = 0
    unexpected_status: int = 0
    expected_non_2xx: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)

    def error(self, kind: str, what: str) -> None:
        self.errors += 1
        if len(self.samples) < 10:
            self.samples.append(f"{kind}: {what}")


class Connection:
    """One keep-alive HTTP/1.1 connection with its own session cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.cookie: str | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def request(
        self, method: str, target: str, body: bytes = b"", content_type: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        lines = [f"{method} {target} HTTP/1.1", f"Host: {HOST}:{self.port}"]
        if self.cookie:
            lines.append(f"Cookie: session={self.cookie}")
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "set-cookie" and value.strip().startswith("session="):
                cookie = value.strip()[len("session=") :].split(";", 1)[0]
                self.cookie = cookie or None
            headers[name] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            content = bytearray()
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                content += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                del content[-2:]
            data = bytes(content[:-2]) if content.endswith(b"\r\n") else bytes(content)
        else:
            data = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, data


def multipart(blob: bytes) -> tuple[bytes, str]:
    boundary = "soak" + secrets.token_hex(8)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\nsoak\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="s.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + blob
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


class Load:
    """The traffic mix and its checks."""

    MIX = (
        ("article", 30),
        ("whoami", 20),
        ("login", 8),
        ("write", 10),
        ("upload", 12),
        ("index", 5),
        ("static", 5),
        ("missing", 4),
        ("invalid", 3),
        ("list", 4),
    )

    def __init__(self, port: int, deadline: float, stats: Stats) -> None:
        self.port = port
        self.deadline = deadline
        self.stats = stats
        self.articles: dict[int, str] = {}
        self.next_write = time.monotonic()
        self.blobs = [os.urandom(size) for size in (1024, 64 * 1024, 300 * 1024)]
        self.uploads = [(multipart(blob), hashlib.sha256(blob).hexdigest()) for blob in self.blobs]
        names, weights = zip(*self.MIX, strict=True)
        self.names, self.weights = list(names), list(weights)

    async def seed(self) -> None:
        connection = Connection(self.port)
        for number in range(20):
            await self.write(connection, f"seed {number}")
        await connection.close()

    async def write(self, connection: Connection, title: str) -> None:
        body = json.dumps({"title": title, "body": "soak", "tags": ["soak"]}).encode()
        status, _, data = await connection.request(
            "POST", "/api/articles/", body, "application/json"
        )
        record = json.loads(data)
        if status != 200 or record.get("title") != title:
            raise AssertionError(f"write answered {status} {data[:200]!r}")
        self.articles[int(record["id"])] = title

    async def one(self, connection: Connection, user: str, kind: str) -> None:
        if kind == "write":
            now = time.monotonic()
            if now < self.next_write:
                kind = "article"
            else:
                self.next_write = max(now, self.next_write) + 1 / WRITES_PER_SECOND
                await self.write(connection, f"soak {secrets.token_hex(4)}")
                return
        if kind == "article":
            article_id = random.choice(list(self.articles))
            status, _, data = await connection.request("GET", f"/api/articles/{article_id}")
            if status != 200 or json.loads(data).get("title") != self.articles[article_id]:
                raise AssertionError(f"article {article_id} answered {status} {data[:200]!r}")
        elif kind == "login":
            status, _, data = await connection.request("GET", f"/account/login?user={user}")
            if status != 200 or json.loads(data) != {"logged_in": user} or not connection.cookie:
                raise AssertionError(f"login answered {status} {data[:200]!r}")
        elif kind == "whoami":
            status, _, data = await connection.request("GET", "/account/whoami")
            if status != 200 or json.loads(data) != {"user": user}:
                raise AssertionError(f"whoami answered {status} {data[:200]!r}")
        elif kind == "upload":
            (body, content_type), digest = random.choice(self.uploads)
            status, _, data = await connection.request("POST", "/api/uploads/", body, content_type)
            parts = {part["name"]: part for part in json.loads(data).get("parts", [])}
            if status != 200 or parts.get("photo", {}).get("sha256") != digest:
                raise AssertionError(f"upload answered {status} {data[:200]!r}")
        elif kind == "index":
            status, _, data = await connection.request("GET", "/")
            if status != 200 or b"<ul>" not in data:
                raise AssertionError(f"index answered {status}")
        elif kind == "static":
            status, _, data = await connection.request("GET", "/static/style.css")
            if status != 200 or not data:
                raise AssertionError(f"static answered {status}")
        elif kind == "list":
            status, _, data = await connection.request("GET", "/api/articles/")
            if status != 200 or len(json.loads(data)) < len(self.articles) - 64:
                raise AssertionError(f"list answered {status}")
        elif kind == "invalid":
            body = json.dumps({"title": 5}).encode()  # a model error: 400, nothing stored
            status, _, data = await connection.request(
                "POST", "/api/articles/", body, "application/json"
            )
            if status != 400 or b"title" not in data:
                raise AssertionError(f"an invalid article answered {status} {data[:200]!r}")
            self.stats.expected_non_2xx += 1
            return
        elif kind == "missing":
            status, _, _ = await connection.request("GET", "/nope")
            if status != 404:
                raise AssertionError(f"/nope answered {status}")
            self.stats.expected_non_2xx += 1
            return
        if not 200 <= status < 300:
            self.stats.unexpected_status += 1

    async def client(self, number: int) -> None:
        connection = Connection(self.port)
        user = f"user{number}"
        try:
            await asyncio.wait_for(self.one(connection, user, "login"), TIMEOUT)
        except (OSError, asyncio.TimeoutError, AssertionError, ValueError) as error:
            self.stats.error("login", repr(error))
        while time.monotonic() < self.deadline:
            kind = random.choices(self.names, self.weights)[0]
            started = time.perf_counter()
            try:
                await asyncio.wait_for(self.one(connection, user, kind), TIMEOUT)
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as error:
                self.stats.error(kind, repr(error))
                await connection.close()
            except (AssertionError, ValueError, KeyError) as error:
                self.stats.error(kind, str(error))
                await connection.close()
            else:
                self.stats.latencies.append(time.perf_counter() - started)
            self.stats.requests += 1
            self.stats.by_kind[kind] = self.stats.by_kind.get(kind, 0) + 1
        await connection.close()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


async def wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}")
        try:
            _, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise RuntimeError("uvicorn did not listen within 30 seconds")


async def soak(args: argparse.Namespace, port: int, process: subprocess.Popen[bytes]) -> dict:
    await wait_listening(port, process)
    duration = args.minutes * 60
    warmup = min(30.0, duration / 10)
    stats = Stats()
    started = time.monotonic()
    load = Load(port, started + duration, stats)
    await load.seed()
    clients = [asyncio.create_task(load.client(n)) for n in range(args.connections)]
    await asyncio.sleep(warmup)
    rss_start = rss_mib(process.pid)
    rss_peak = rss_start
    timeline = [(round(time.monotonic() - started), round(rss_start, 1))]
    while time.monotonic() < started + duration:
        await asyncio.sleep(min(15.0, max(0.1, started + duration - time.monotonic())))
        rss_peak = max(rss_peak, rss_mib(process.pid))
        timeline.append((round(time.monotonic() - started), round(rss_mib(process.pid), 1)))
    await asyncio.gather(*clients)
    elapsed = time.monotonic() - started
    rss_end = rss_mib(process.pid)
    return {
        "minutes": args.minutes,
        "connections": args.connections,
        "requests": stats.requests,
        "requests_per_second": round(stats.requests / elapsed, 1),
        "errors": stats.errors,
        "unexpected_non_2xx": stats.unexpected_status,
        "expected_404_and_400": stats.expected_non_2xx,
        "articles_written": len(load.articles),
        "p50_ms": round(percentile(stats.latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(stats.latencies, 0.99) * 1000, 2),
        "max_ms": round(max(stats.latencies, default=0.0) * 1000, 2),
        "rss_after_warmup_mib": round(rss_start, 1),
        "rss_end_mib": round(rss_end, 1),
        "rss_peak_mib": round(rss_peak, 1),
        "rss_growth_mib": round(rss_end - rss_start, 1),
        "rss_timeline": timeline,
        "by_kind": dict(sorted(stats.by_kind.items())),
        "error_samples": stats.samples,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="duration (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients")
    parser.add_argument(
        "--max-rss-growth", type=float, default=8.0, help="MiB allowed after warm-up"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.minutes <= 0 or args.minutes > 120 or args.connections < 1:
        parser.error("--minutes must be in (0, 120] and --connections at least 1")

    with tempfile.TemporaryDirectory(prefix="apistellar-soak-") as folder:
        port = free_port(HOST)
        env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "WORKER_PID_HEADER")}
        env.update(
            SECRET_KEY=secrets.token_hex(32),
            DATABASE_URL=f"sqlite:///{folder}/blog.sqlite3",
        )
        log = Path(folder) / "uvicorn.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--host",
                    HOST,
                    "--port",
                    str(port),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                    "web_app:app",
                ],
                cwd=EXAMPLE,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        try:
            figures = asyncio.run(soak(args, port, process))
        finally:
            stop_process(process)
        server_log = log.read_text(errors="replace")

    print(f"soak: the example app on uvicorn, {args.minutes:g} min, {args.connections} connections")
    for name in (
        "requests",
        "requests_per_second",
        "errors",
        "unexpected_non_2xx",
        "expected_404_and_400",
        "articles_written",
        "p50_ms",
        "p99_ms",
        "max_ms",
        "rss_after_warmup_mib",
        "rss_end_mib",
        "rss_peak_mib",
        "rss_growth_mib",
    ):
        print(f"  {name:<22} {figures[name]}")
    print(f"  {'by_kind':<22} {figures['by_kind']}")
    print(f"  {'rss_timeline (s, MiB)':<22} {figures['rss_timeline']}")
    for sample in figures["error_samples"]:
        print(f"  error: {sample}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    problems = []
    if figures["errors"]:
        problems.append(f"{figures['errors']} errors")
    if figures["unexpected_non_2xx"]:
        problems.append(f"{figures['unexpected_non_2xx']} unexpected non-2xx answers")
    if figures["rss_growth_mib"] > args.max_rss_growth:
        problems.append(f"RSS grew {figures['rss_growth_mib']} MiB (> {args.max_rss_growth})")
    if "Traceback" in server_log:
        problems.append("the server logged a traceback:\n" + server_log[-3000:])
    if problems:
        print("soak FAILED: " + "; ".join(problems))
        return 1
    print("soak ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
