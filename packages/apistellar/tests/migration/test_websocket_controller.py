"""tests/test_websocket.py of the original: a controller with a class handler (connect,
receive, disconnect, ``self.send`` pushes) and a function handler written without
``self``, talked to with the ``websockets`` client over a real uvicorn socket."""

import pytest
import websockets
from websockets.exceptions import InvalidStatus

CONTROLLER = """
    from apistar import http
    from apistellar import websocket, Controller


    class WebsocketController(Controller):

        @websocket("/test/websocket/complex")
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

        @websocket("/test/websocket/simple")
        async def receive(message, path: http.Path):
            _text = message.get("text")
            return {"success": "ok"}
"""


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("wsctl"), "wsctl", {"wsctl/chat/controller.py": CONTROLLER}
    )
    with migration.serve(project) as server:
        yield server


@pytest.mark.asyncio
async def test_websocket_simple(served):
    """test_websocket.py::test_websocket_simple: the function handler without ``self``
    gets the message first and its dict goes back as JSON with spaces (F70, F72). Before
    the fix the controller instance took the message's place and the socket closed 1011."""
    async with websockets.connect(f"{served.ws_url}/test/websocket/simple") as ws:
        await ws.send("hello,")
        assert await ws.recv() == '{"success": "ok"}'
        await ws.send("again")
        assert await ws.recv() == '{"success": "ok"}'


@pytest.mark.asyncio
async def test_websocket_complex(served):
    """test_websocket.py::test_websocket_complex: the connect result is sent after the
    accept; each receive pushes through ``self.send`` and then sends its result (F71)."""
    async with websockets.connect(f"{served.ws_url}/test/websocket/complex") as ws:
        assert await ws.recv() == '{"success": "ok"}'
        await ws.send("hello,")
        assert await ws.recv() == "got piece: hello,"
        assert await ws.recv() == '{"success": "ok"}'
        await ws.send("world")
        assert await ws.recv() == "got piece: world"
        assert await ws.recv() == '{"success": "ok"}'


@pytest.mark.asyncio
async def test_websocket_not_found(served):
    """test_websocket.py::test_websocket_not_found: an unknown path is closed before the
    accept (F69). The original asserted ``ConnectionClosed`` on ``recv()``; with uvicorn
    and current ``websockets`` that refusal surfaces at the handshake, as HTTP 403."""
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(f"{served.ws_url}/test/websocket/not/found") as ws:
            await ws.recv()
    assert refused.value.response.status_code == 403
