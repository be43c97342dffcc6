"""Streaming benchmarks: a 1 GiB multipart upload and 100k websocket messages.

For each server (uvicorn + uvloop + httptools, pinned to one core; the client on another):
upload throughput (median of ``--rounds`` uploads) and the server's peak RSS growth during
an upload; websocket messages per second and RSS before/after.

Uploads run twice. First with glibc's allocator defaults for every server, which is what a
deployment gets (apistellar sets its own thresholds at start-up, see ``MALLOC_TUNING``;
the other servers keep glibc's, under which body pieces are page-faulted in). Then with
the same thresholds given to every server through the environment, so the ratio against
the bare ``receive()`` drain measures the parser and nothing else. The body is one file
part with a boundary in the format browsers use (``----WebKitFormBoundary`` and 16
random characters). Usage:

    python benchmarks/streaming.py [--upload-mib 1024] [--rounds 3] [--messages 100000]
"""

import argparse
import asyncio
import os
import random
import socket
import statistics
import string
import time
from pathlib import Path

from servers import start

HERE = Path(__file__).resolve().parent
_RANDOM = random.Random(6)
BOUNDARY = (
    b"----WebKitFormBoundary"
    + "".join(_RANDOM.choices(string.ascii_letters + string.digits, k=16)).encode()
)
TUNED = {"MALLOC_MMAP_THRESHOLD_": "1048576", "MALLOC_TRIM_THRESHOLD_": "4194304"}
UPLOADS = {
    "raw receive() drain": ("streaming_apps:drain", HERE / "apps", "/upload"),
    "apistellar FileStream": ("web_app:app", HERE / "apps" / "apistellar_app", "/upload"),
    "Starlette request.stream()": ("streaming_apps:starlette_app", HERE / "apps", "/upload/stream"),
    "Starlette request.form()": ("streaming_apps:starlette_app", HERE / "apps", "/upload/form"),
}
SOCKETS = {
    "raw ASGI": ("streaming_apps:drain", HERE / "apps", "/ws"),
    "apistellar": ("web_app:app", HERE / "apps" / "apistellar_app", "/ws"),
    "Starlette": ("streaming_apps:starlette_app", HERE / "apps", "/ws"),
}


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def upload(port: int, path: str, mib: int) -> float:
    block = os.urandom(1 << 20)
    head = (
        b"--"
        + BOUNDARY
        + b'\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
    )
    head += b"Content-Type: application/octet-stream\r\n\r\n"
    tail = b"\r\n--" + BOUNDARY + b"--\r\n"
    length = len(head) + mib * len(block) + len(tail)
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary="
        f"{BOUNDARY.decode()}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(request + head)
        for _ in range(mib):
            sock.sendall(block)
        sock.sendall(tail)
        response = b""
        while data := sock.recv(65536):
            response += data
    elapsed = time.perf_counter() - started
    if not response.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(response[:300])
    return mib / elapsed


async def ws_round(port: int, path: str, count: int) -> float:
    from websockets.asyncio.client import connect

    async with connect(f"ws://127.0.0.1:{port}{path}", max_size=1 << 20) as ws:

        async def sender() -> None:
            for index in range(count):
                await ws.send(f"message {index}")

        started = time.perf_counter()
        task = asyncio.create_task(sender())
        for _ in range(count):
            await ws.recv()
        await task
        return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--upload-mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    cores = sorted(os.sched_getaffinity(0))
    server_core, client_core = str(cores[-1]), str(cores[0])
    os.sched_setaffinity(0, {int(client_core)})
    cores_text = f"server on core {server_core}, client on core {client_core}"
    print(f"upload of {args.upload_mib} MiB, median of {args.rounds} ({cores_text})")
    for title, env in (("glibc allocator defaults", None), ("same thresholds for all", TUNED)):
        settings = " ".join(f"{k}={v}" for k, v in (env or {}).items())
        print(f" {title}{': ' + settings if settings else ''}")
        results = {}
        for name, (target, folder, path) in UPLOADS.items():
            process, port = start(target, folder, server_core, env=env)
            try:
                upload(port, path, 8)  # warm-up
                before = rss_kib(process.pid)
                Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # reset VmHWM
                speeds = [upload(port, path, args.upload_mib) for _ in range(args.rounds)]
                growth = (rss_kib(process.pid, "VmHWM") - before) / 1024
                results[name] = statistics.median(speeds)
                spread = f"{min(speeds):.0f}-{max(speeds):.0f}"
                print(
                    f"  {name:<28} {results[name]:>6.0f} MiB/s ({spread:>9})"
                    f"   peak RSS growth {growth:>6.1f} MiB"
                )
            finally:
                process.terminate()
                process.wait(10)
        base = results["raw receive() drain"]
        print(f"  apistellar / raw drain: {results['apistellar FileStream'] / base:.2f}")
    print(f"\n{args.messages} websocket messages on one connection")
    speeds = {}
    for name, (target, folder, path) in SOCKETS.items():
        process, port = start(target, folder, server_core)
        try:
            asyncio.run(ws_round(port, path, 1000))
            before = rss_kib(process.pid)
            speeds[name] = asyncio.run(ws_round(port, path, args.messages))
            after = rss_kib(process.pid)
            memory = f"RSS {before / 1024:.1f} -> {after / 1024:.1f} MiB"
            print(f"  {name:<12} {speeds[name]:>9.0f} msg/s   {memory}")
        finally:
            process.terminate()
            process.wait(10)
    print(f"  apistellar / Starlette: {speeds['apistellar'] / speeds['Starlette']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
