"""WebSockets over a real uvicorn socket with the ``websockets`` client library."""

import asyncio
import json

import pytest
from apistar import http
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from apistellar_web import Component, Controller, Session, coroutinelocal, get, route, websocket
from apistellar_web.testing import LiveServer

resolutions: list[str] = []


class Counter:
    def __init__(self) -> None:
        self.value = 0


class CounterComponent(Component):
    def resolve(self) -> Counter:
        resolutions.append("counter")
        return Counter()


@route("/ws", name="ws")
class ChatController(Controller):
    @websocket("/echo")
    async def echo(self, message: dict, path: http.Path, counter: Counter) -> object:
        counter.value += 1
        text = message.get("text")
        if text == "json":
            return {"success": "ok", "count": counter.value}
        if text == "none":
            return None
        if text == "boom":
            raise RuntimeError("handler failed")
        if text == "local":
            return coroutinelocal["scope"]["path"]
        if message.get("bytes") is not None:
            return message["bytes"][::-1]
        return f"{path}:{text}"

    @websocket("/room")
    class Room:
        def __init__(self, send) -> None:
            self.send = send

        async def websocket_connect(self, message: dict, session: Session) -> str:
            return f"welcome {session.get('user', 'anon')}"

        async def websocket_receive(self, message: dict) -> None:
            await self.send(f"1:{message['text']}")
            await self.send(f"2:{message['text']}")

        async def websocket_disconnect(self, message: dict) -> None:
            resolutions.append(f"disconnect {message['code']}")

    @get("/login")
    def login(self, session: Session) -> str:
        session["user"] = "ann"
        return "ok"


@pytest.fixture
def server(make_app):
    resolutions.clear()
    app = make_app(
        ChatController,
        components=[CounterComponent()],
        settings=("SECRET_KEY = 'k'\nWEBSOCKET_MAX_MESSAGE_SIZE = 1000\n"),
    )
    with LiveServer(app) as live:
        yield live


def run(coro):
    return asyncio.run(coro)


def test_function_handler_text_bytes_json_and_none(server):
    async def scenario():
        async with connect(f"{server.ws_url}/ws/echo") as ws:
            await ws.send("hi")
            assert await ws.recv() == "/ws/echo:hi"
            await ws.send(b"\x01\x02\x03")
            assert await ws.recv() == b"\x03\x02\x01"
            await ws.send("json")
            assert json.loads(await ws.recv()) == {"success": "ok", "count": 3}
            await ws.send("none")  # nothing is sent and the socket stays open
            await ws.send("local")
            assert await ws.recv() == "/ws/echo"

    run(scenario())
    assert resolutions == ["counter"], "components are resolved once per connection"


def test_many_messages_on_one_connection(server):
    async def scenario():
        async with connect(f"{server.ws_url}/ws/echo") as ws:
            for index in range(500):
                await ws.send(str(index))
            return [await ws.recv() for _ in range(500)]

    assert run(scenario()) == [f"/ws/echo:{i}" for i in range(500)]


def test_class_handler_with_session_and_push(server):
    import httpx

    async def scenario(cookie: str):
        async with connect(f"{server.ws_url}/ws/room", additional_headers={"Cookie": cookie}) as ws:
            assert await ws.recv() == "welcome ann"
            await ws.send("x")
            assert [await ws.recv(), await ws.recv()] == ["1:x", "2:x"]

    login = httpx.get(f"{server.url}/ws/login")
    cookie = login.headers["set-cookie"].split(";")[0]
    run(scenario(cookie))
    import time

    deadline = time.monotonic() + 5  # the server handles the disconnect after the client left
    while not any(r.startswith("disconnect") for r in resolutions) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "disconnect 1000" in resolutions


def test_unknown_path_is_refused_at_handshake(server):
    async def scenario():
        async with connect(f"{server.ws_url}/ws/nowhere"):
            pass

    with pytest.raises(InvalidStatus) as info:
        run(scenario())
    assert info.value.response.status_code == 403


def test_handler_exception_closes_with_1011(server):
    async def scenario():
        async with connect(f"{server.ws_url}/ws/echo") as ws:
            await ws.send("boom")
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
            return closed.value.rcvd.code

    assert run(scenario()) == 1011


def test_oversized_message_closes_with_1009(server):
    async def scenario():
        async with connect(f"{server.ws_url}/ws/echo") as ws:
            await ws.send("x" * 2000)
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
            return closed.value.rcvd.code

    assert run(scenario()) == 1009


def test_websocket_routes_have_names(make_app):
    app = make_app(ChatController, components=[CounterComponent()])
    assert app.reverse_url("view:ws:echo") == "/ws/echo"
    assert app.reverse_url("view:ws:Room") == "/ws/room"


@route("/plain", name="plain")
class PlainController(Controller):
    """Handlers written without ``self``, as the original allowed (F70)."""

    @websocket("/echo")
    async def receive(message: dict, path: http.Path) -> dict:  # type: ignore[misc]
        return {"got": message.get("text"), "path": path}

    @websocket("/room")
    class Room:
        def __init__(self, send) -> None:
            self.send = send

        async def websocket_connect(self, message: dict) -> str:
            return "hello"

        # no ``self``: called as a plain function, the message first
        async def websocket_receive(message: dict, path: http.Path) -> str:  # type: ignore[misc]
            return f"{path}:{message['text']}"

        async def websocket_disconnect(self, message: dict) -> None:
            return None


@pytest.fixture
def plain_server(make_app):
    app = make_app(
        PlainController,
        settings=(
            "WEBSOCKET_ALLOWED_ORIGINS = ['https://app.example', 'http://localhost:8080/']\n"
        ),
    )
    with LiveServer(app) as live:
        yield live


def test_handlers_without_self_get_the_message_first(plain_server):
    async def scenario():
        origin = {"origin": "https://app.example"}
        async with connect(f"{plain_server.ws_url}/plain/echo", **origin) as ws:
            await ws.send("hi")
            assert json.loads(await ws.recv()) == {"got": "hi", "path": "/plain/echo"}
            await ws.send("again")
            assert json.loads(await ws.recv()) == {"got": "again", "path": "/plain/echo"}
        async with connect(f"{plain_server.ws_url}/plain/room", **origin) as ws:
            assert await ws.recv() == "hello"
            await ws.send("x")
            assert await ws.recv() == "/plain/room:x"

    run(scenario())


@pytest.mark.parametrize("origin", ["https://evil.example", "http://app.example", None])
def test_origins_outside_the_allow_list_are_refused_at_handshake(plain_server, origin):
    async def scenario():
        options = {"origin": origin} if origin else {}
        async with connect(f"{plain_server.ws_url}/plain/echo", **options):
            pass

    with pytest.raises(InvalidStatus) as info:
        run(scenario())
    assert info.value.response.status_code == 403


def test_allowed_origins_match_without_case_or_trailing_slash(plain_server):
    async def scenario():
        async with connect(
            f"{plain_server.ws_url}/plain/echo", origin="HTTP://LOCALHOST:8080"
        ) as ws:
            await ws.send("ok")
            return json.loads(await ws.recv())["got"]

    assert run(scenario()) == "ok"


def test_no_origin_check_by_default(server):
    async def scenario():
        async with connect(f"{server.ws_url}/ws/echo", origin="https://anywhere.example") as ws:
            await ws.send("hi")
            return await ws.recv()

    assert run(scenario()) == "/ws/echo:hi"


def test_bad_allowed_origins_setting_is_a_startup_error(make_app):
    from apistellar_web.exceptions import ConfigurationError

    with pytest.raises(ConfigurationError, match="WEBSOCKET_ALLOWED_ORIGINS"):
        make_app(PlainController, settings="WEBSOCKET_ALLOWED_ORIGINS = 3\n")


def _controller_with(handler):
    return type("Bad", (Controller,), {"handler": websocket("/bad")(handler)})


async def _no_message() -> None:
    return None


async def _keyword_message(*, message: dict) -> None:
    return None


class _MissingMethods:
    def __init__(self, send) -> None:
        self.send = send

    async def websocket_receive(self, message: dict) -> None:
        return None


class _NoSend:
    def __init__(self) -> None:
        pass

    async def websocket_connect(self, message: dict) -> None:
        return None

    async def websocket_receive(self, message: dict) -> None:
        return None

    async def websocket_disconnect(self, message: dict) -> None:
        return None


class _MethodWithoutMessage(_NoSend):
    def __init__(self, send) -> None:
        self.send = send

    async def websocket_receive(self) -> None:  # type: ignore[override]
        return None


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (_no_message, "must take the message"),
        (_keyword_message, "must take the message"),
        (_MissingMethods, "missing: websocket_connect, websocket_disconnect"),
        (_NoSend, r"must be created as _NoSend\(send\)"),
        (_MethodWithoutMessage, "websocket_receive must take the message"),
    ],
)
def test_bad_websocket_handlers_are_startup_errors(make_app, handler, message):
    from apistellar_web.exceptions import ConfigurationError

    with pytest.raises(ConfigurationError, match=message):
        make_app(_controller_with(handler))
