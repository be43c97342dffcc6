"""The in-process runner behind ``client`` and ``async_client``: one loop per app, its
lifespan, the caller's context carried into each request, and apps without lifespan."""

import asyncio
import contextvars
import json
from typing import Any

import httpx
import pytest

from pytest_apistellar.asgi import AppRunner, AsyncRunnerTransport, LifespanError, RunnerTransport

WHO: contextvars.ContextVar[str] = contextvars.ContextVar("who", default="nobody")


class Recording:
    """A raw ASGI app: records lifespan events and the loop of everything it runs."""

    def __init__(self, fail_startup: bool = False) -> None:
        self.events: list[str] = []
        self.loops: set[int] = set()
        self.fail_startup = fail_startup

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.loops.add(id(asyncio.get_running_loop()))
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    if self.fail_startup:
                        await send({"type": "lifespan.startup.failed", "message": "no db"})
                        return
                    self.events.append("startup")
                    await send({"type": "lifespan.startup.complete"})
                else:
                    self.events.append("shutdown")
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = json.dumps({"who": WHO.get(), "path": scope["path"]}).encode()
        headers = [(b"content-type", b"application/json"), (b"set-cookie", b"seen=1; Path=/")]
        cookie = dict(scope["headers"]).get(b"cookie", b"").decode()
        headers.append((b"x-cookie", cookie.encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def test_lifespan_and_requests_share_one_loop_and_the_callers_context():
    app = Recording()
    runner = AppRunner(app).start()
    assert app.events == ["startup"]
    try:
        WHO.set("sync caller")
        with httpx.Client(
            transport=RunnerTransport(runner, app), base_url="http://testserver"
        ) as client:
            first = client.get("/one")
            assert first.json() == {"who": "sync caller", "path": "/one"}
            assert client.get("/two").headers["x-cookie"] == "seen=1"

        async def from_another_loop() -> list[Any]:
            WHO.set("async caller")
            client = httpx.AsyncClient(
                transport=AsyncRunnerTransport(runner, app), base_url="http://testserver"
            )
            responses = await asyncio.gather(client.get("/a"), client.get("/b"))
            return [r.json() for r in responses]

        assert asyncio.run(from_another_loop()) == [
            {"who": "async caller", "path": "/a"},
            {"who": "async caller", "path": "/b"},
        ]
    finally:
        runner.stop()
    assert app.events == ["startup", "shutdown"]
    assert len(app.loops) == 1


def test_failed_startup_is_a_clear_error():
    with pytest.raises(LifespanError, match="start-up failed: no db"):
        AppRunner(Recording(fail_startup=True)).start()


def test_an_app_without_lifespan_is_served():
    async def plain(scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http", "no lifespan here"
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    runner = AppRunner(plain).start()
    try:
        with httpx.Client(transport=RunnerTransport(runner, plain)) as client:
            assert client.get("http://testserver/").status_code == 204
    finally:
        runner.stop()
