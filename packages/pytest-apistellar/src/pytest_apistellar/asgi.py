"""Running an ASGI app in-process for tests: its own event loop, its lifespan, httpx clients.

The app runs on one event loop in a background thread for as long as the runner lives,
so start-up and every request share a loop whatever loop the test runs on (sync tests,
pytest-asyncio in strict or auto mode, any loop scope). Each request runs in a copy of
the caller's context: ``override_settings`` blocks and the ``settings`` fixture of the
test are seen by the app.
"""

import asyncio
import concurrent.futures
import contextvars
import threading
from collections.abc import Coroutine, MutableMapping
from typing import Any

import httpx

from apistellar_config import override_settings

from .overrides import active_overrides, startup_attributes

__all__ = ["AppRunner", "AsyncRunnerTransport", "LifespanError", "RunnerTransport", "TestApp"]

Message = MutableMapping[str, Any]


class LifespanError(RuntimeError):
    """The app's lifespan start-up or shut-down failed."""


class TestApp:
    """The ASGI app as tests serve it.

    Around every HTTP and websocket call, the start-up attributes of the settings the
    test overrides are put on the app (``DEBUG`` -> ``app.debug``, ...); with
    ``apply_overrides`` (the live server, whose thread cannot see the test's context) the
    overrides themselves are applied too.
    """

    __test__ = False  # not a test class, despite the name

    def __init__(self, app: Any, *, apply_overrides: bool) -> None:
        self.app = app
        self.apply_overrides = apply_overrides

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        overrides = active_overrides()
        if self.apply_overrides and overrides:
            with override_settings(overrides), startup_attributes(self.app, overrides):
                await self.app(scope, receive, send)
            return
        with startup_attributes(self.app, overrides):
            await self.app(scope, receive, send)


class AppRunner:
    """An ASGI app on its own event loop thread, with lifespan started and stopped.

    As uvicorn's ``lifespan="auto"``: an app that raises or returns at once on the
    lifespan scope has none; one that answers ``lifespan.startup.failed`` fails to start.
    """

    def __init__(self, app: Any, *, timeout: float = 30) -> None:
        self.app = app
        self.timeout = timeout
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._run_loop, name="apistellar-test-app", daemon=True
        )
        self._receive: asyncio.Queue[Message] | None = None
        self._sent: asyncio.Queue[Message] | None = None
        self._lifespan: asyncio.Task[None] | None = None
        self._supports_lifespan = True
        self.started = False

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def submit(
        self, coroutine: Coroutine[Any, Any, Any], context: contextvars.Context | None = None
    ) -> "concurrent.futures.Future[Any]":
        """Run ``coroutine`` on the app's loop, in a copy of ``context`` (default: a fresh one)."""
        result: concurrent.futures.Future[Any] = concurrent.futures.Future()
        context = context if context is not None else contextvars.Context()

        def start() -> None:
            task = context.run(self.loop.create_task, coroutine)

            def done(finished: "asyncio.Task[Any]") -> None:
                if finished.cancelled():
                    result.cancel()
                elif finished.exception() is not None:
                    result.set_exception(finished.exception())
                else:
                    result.set_result(finished.result())

            task.add_done_callback(done)

        self.loop.call_soon_threadsafe(start)
        return result

    def call(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        """Run ``coroutine`` on the app's loop and wait for its result."""
        return self.submit(coroutine).result(self.timeout)

    # -- lifespan ---------------------------------------------------------------------------
    async def _run_lifespan(self) -> None:
        assert self._receive is not None and self._sent is not None
        receive, sent = self._receive, self._sent
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
        try:
            await self.app(scope, receive.get, sent.put)
        except Exception as error:  # an app without lifespan support may raise here
            await sent.put({"type": "apistellar.lifespan.raised", "error": error})
        else:
            await sent.put({"type": "apistellar.lifespan.returned"})

    async def _startup(self) -> None:
        self._receive, self._sent = asyncio.Queue(), asyncio.Queue()
        self._lifespan = asyncio.get_running_loop().create_task(self._run_lifespan())
        await self._receive.put({"type": "lifespan.startup"})
        message = await self._sent.get()
        kind = message["type"]
        if kind == "lifespan.startup.failed":
            raise LifespanError(f"The app's start-up failed: {message.get('message', '')}")
        if kind in ("apistellar.lifespan.raised", "apistellar.lifespan.returned"):
            # As uvicorn's lifespan="auto": an app that raises or returns before answering
            # the start-up does not support lifespan, and there is nothing to run.
            self._supports_lifespan = False

    async def _shutdown(self) -> None:
        if not self._supports_lifespan or self._receive is None or self._sent is None:
            return
        await self._receive.put({"type": "lifespan.shutdown"})
        message = await self._sent.get()
        if self._lifespan is not None:
            await self._lifespan
        if message["type"] == "lifespan.shutdown.failed":
            raise LifespanError(f"The app's shut-down failed: {message.get('message', '')}")
        if message["type"] == "apistellar.lifespan.raised":
            raise LifespanError(f"The app's lifespan raised {message['error']!r}.")

    def start(self) -> "AppRunner":
        """Start the loop and run the app's lifespan start-up; returns when it completed.

        Raises:
            LifespanError: the start-up failed.
        """
        self._thread.start()
        try:
            self.call(self._startup())
        except BaseException:
            self._stop_loop()
            raise
        self.started = True
        return self

    def stop(self) -> None:
        """Run the app's lifespan shut-down, then stop the loop.

        Raises:
            LifespanError: the shut-down failed (the loop is stopped anyway).
        """
        if not self._thread.is_alive():
            return
        try:
            if self.started:
                self.call(self._shutdown())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(self.timeout)
        if not self._thread.is_alive():
            self.loop.close()


async def _send(app: Any, request: httpx.Request) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    response = await transport.handle_async_request(request)
    body = await response.aread()
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=httpx.ByteStream(body),
        extensions=response.extensions,
    )


class RunnerTransport(httpx.BaseTransport):
    """httpx transport of the sync in-process client: requests go to an :class:`AppRunner`."""

    def __init__(self, runner: AppRunner, app: Any) -> None:
        self.runner = runner
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` to the app on the runner's loop, in the caller's context."""
        request.read()
        future = self.runner.submit(_send(self.app, request), contextvars.copy_context())
        response: httpx.Response = future.result(self.runner.timeout)
        return response


class AsyncRunnerTransport(httpx.AsyncBaseTransport):
    """httpx transport of the async in-process client (usable from any event loop)."""

    def __init__(self, runner: AppRunner, app: Any) -> None:
        self.runner = runner
        self.app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` to the app on the runner's loop, in the caller's context."""
        await request.aread()
        future = self.runner.submit(_send(self.app, request), contextvars.copy_context())
        response: httpx.Response = await asyncio.wait_for(
            asyncio.wrap_future(future), self.runner.timeout
        )
        return response
