"""A hook: every response says how long the request took."""

import time

from apistar import http

from apistellar import Hook, coroutinelocal


class TimingHook(Hook):
    order = 10

    def on_request(self) -> None:
        coroutinelocal["started"] = time.perf_counter()

    def on_response(self, response: http.Response) -> None:
        started = coroutinelocal.get("started")
        if started is not None:
            response.headers["X-Elapsed-Ms"] = f"{(time.perf_counter() - started) * 1000:.3f}"
