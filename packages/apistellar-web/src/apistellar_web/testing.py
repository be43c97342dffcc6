"""Helpers to run an app on a real socket in tests (used by pytest-apistellar too)."""

import os
import socket
import subprocess
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

__all__ = ["LiveServer", "free_port", "stop_process", "wait_for_port"]


def _xdist_share() -> tuple[int, int] | None:
    """``(index, workers)`` of this pytest-xdist worker, ``None`` outside xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    try:
        workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
        index = int(worker[2:]) if worker.startswith("gw") else -1
    except ValueError:
        return None
    return (index % workers, workers) if index >= 0 and workers > 1 else None


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago on ``host``.

    The port stays unbound until a server starts on it a moment later, so under
    pytest-xdist another worker could be handed the same one in that window: each worker
    then keeps to its own share of the ports (``port // 2 % workers == index``; Linux
    gives ``bind(0)`` odd ports only, so the lowest bit cannot split them).
    """
    share = _xdist_share()
    while True:
        with socket.socket() as sock:
            sock.bind((host, 0))
            port = int(sock.getsockname()[1])
        if share is None or port // 2 % share[1] == share[0]:
            return port


def stop_process(process: Any, timeout: float = 20) -> None:
    """Stop a server started in a subprocess: terminate it, kill it after ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def wait_for_port(
    port: int, process: Any = None, timeout: float = 30, host: str = "127.0.0.1"
) -> None:
    """Wait until something listens on ``host:port`` (a server started in a subprocess).

    Raises:
        RuntimeError: ``process`` exited, or nothing listened within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return
        except OSError:
            if process is not None and process.poll() is not None:
                msg = (
                    f"The server process exited with status {process.returncode} before listening."
                )
                raise RuntimeError(msg) from None
            if time.monotonic() > deadline:
                msg = f"Nothing listened on {host}:{port} within {timeout} seconds."
                raise RuntimeError(msg) from None
            time.sleep(0.05)


class LiveServer:
    """Serve an ASGI app with uvicorn in a thread; listening before ``__enter__`` returns.

    Lifespan runs (start-up before the first request, shut-down on exit).
    """

    def __init__(
        self, app: Any, host: str = "127.0.0.1", port: int | None = None, **options: Any
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        options.setdefault("log_level", "warning")
        options.setdefault("lifespan", "on")
        config = uvicorn.Config(app, host=host, port=self.port, **options)
        self.server = uvicorn.Server(config)
        # uvicorn cannot install signal handlers outside the main thread
        setattr(self.server, "install_signal_handlers", lambda: None)  # noqa: B010
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="apistellar-live-server", daemon=True)

    def _run(self) -> None:
        try:
            self.server.run()
        except BaseException as error:  # uvicorn exits with SystemExit when start-up fails
            self.error = error

    @property
    def url(self) -> str:
        """``http://host:port``."""
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        """``ws://host:port``."""
        return f"ws://{self.host}:{self.port}"

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive():
                msg = f"The live server stopped during start-up (see the log above): {self.error!r}"
                raise RuntimeError(msg)
            if time.monotonic() > deadline:
                self.server.should_exit = True
                msg = "The live server did not start within 20 seconds."
                raise RuntimeError(msg)
            time.sleep(0.01)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.server.should_exit = True
        self.thread.join(20)
