"""Starting benchmark servers: uvicorn with uvloop and httptools, pinned to one core."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["free_port", "start"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(
    target: str, folder: Path, core: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, int]:
    """Serve ``target`` from ``folder`` on a free port, with ``env`` added to the environment."""
    port = free_port()
    process = subprocess.Popen(
        [
            "taskset",
            "-c",
            core,
            sys.executable,
            "-m",
            "uvicorn",
            target,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--log-level",
            "warning",
            "--no-access-log",
            "--ws-max-size",
            str(1 << 20),
        ],
        cwd=folder,
        env={**os.environ, **(env or {})},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{target} did not start")
