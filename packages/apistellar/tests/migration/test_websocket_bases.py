"""tests/test_bases/test_websocket.py of the original: the same handlers under a
controller prefix (``@route("/websocket")``), tests grouped in a class as the original
wrote them, against a real uvicorn socket."""

import pytest
import websockets
from websockets.exceptions import InvalidStatus

CONTROLLER = """
    from apistar import http
    from apistellar import websocket, Controller, route


    @route("/websocket")
    class WebsocketController(Controller):

        @websocket("/complex")
        class Handler(object):
            def __init__(self, send):
                self.send = send
                self.message = ""

            async def websocket_connect(self, message, path: http.Path):
                print(f"Websocket of {path} connect. ")
                return {"success": "ok"}

            async def websocket_disconnect(self, message, path: http.Path):
                print("Got total data: %s" % self.message)
                print(f"Websocket of {path} disconnect. ")

            async def websocket_receive(self, message):
                text = message.get("text")
                self.message += text
                await self.send(f"got piece: {text}")
                return {"success": "ok"}

        @websocket("/simple")
        async def receive(message, path: http.Path):
            _text = message.get("text")
            return {"success": "ok"}
"""


@pytest.fixture(scope="module")
def server(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("wsbases"), "wsbases", {"wsbases/chat/controller.py": CONTROLLER}
    )
    with migration.serve(project) as served:
        yield served


@pytest.mark.asyncio
class TestWebsocket:
    async def test_websocket_simple(self, server):
        """test_bases/test_websocket.py::test_websocket_simple: a prefixed function handler
        without ``self`` answers each message."""
        async with websockets.connect(f"{server.ws_url}/websocket/simple") as ws:
            await ws.send("hello,")
            assert await ws.recv() == '{"success": "ok"}'

    async def test_websocket_complex(self, server):
        """test_bases/test_websocket.py::test_websocket_complex: the prefixed class handler
        greets, pushes and answers; its disconnect sees everything received."""
        async with websockets.connect(f"{server.ws_url}/websocket/complex") as ws:
            assert await ws.recv() == '{"success": "ok"}'
            await ws.send("hello,")
            assert await ws.recv() == "got piece: hello,"
            assert await ws.recv() == '{"success": "ok"}'
            await ws.send("world")
            assert await ws.recv() == "got piece: world"
            assert await ws.recv() == '{"success": "ok"}'

    async def test_websocket_not_found(self, server):
        """test_bases/test_websocket.py::test_websocket_not_found: a path outside the
        routes is refused before the accept (the original saw ``ConnectionClosed``; the
        refusal now shows at the handshake, HTTP 403)."""
        with pytest.raises(InvalidStatus) as refused:
            async with websockets.connect(f"{server.ws_url}/websocket/not/found") as ws:
                await ws.recv()
        assert refused.value.response.status_code == 403
