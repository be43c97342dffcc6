"""Hooks: every response says how long the request took (and, if asked, which process)."""

import os
import time

from apistar import http

from apistellar import Hook, coroutinelocal, settings


class TimingHook(Hook):
    order = 10

    def on_request(self) -> None:
        coroutinelocal["started"] = time.perf_counter()

    def on_response(self, response: http.Response) -> None:
        started = coroutinelocal.get("started")
        if started is not None:
            response.headers["X-Elapsed-Ms"] = f"{(time.perf_counter() - started) * 1000:.3f}"


class WorkerHook(Hook):
    """``X-Worker-Pid`` on every response when ``WORKER_PID_HEADER`` is on (multi-worker demos)."""

    order = 20

    def on_response(self, response: http.Response) -> None:
        if settings.get_bool("WORKER_PID_HEADER", False):
            response.headers["X-Worker-Pid"] = str(os.getpid())
