"""使用websocket进行通讯.md (talking over websockets): the page's function handler and its
class handler with connect/disconnect callbacks and ``self.send``, driven the way its
JavaScript snippets do (send, read, close) with the ``websockets`` client."""

import asyncio
import time

import pytest
import websockets

CONTROLLER = """
    import asyncio

    from apistar.http import Path
    from apistellar import Controller, websocket


    class ChatController(Controller):

        @websocket("/test/websocket")
        async def receive(message, path: Path):
            _text = message.get("text")

            print("received", _text, f"from {path}")
            return {"success": "ok"}

        @websocket("/test/websocket1")
        class Handler(object):
            def __init__(self, send):
                self.send = send
                self.message = ""

            async def websocket_connect(self, message, path: Path):
                print(f"Websocket of {path} connect. ")
                return {"success": "ok"}

            async def websocket_disconnect(self, message, path: Path):
                print("Got total data: %s" % self.message)
                print(f"Websocket of {path} disconnect. ")

            async def websocket_receive(self, message):
                text = message.get("text")
                self.message += text
                await self.send(f"got piece: {text}")
                await asyncio.sleep(1)
                return {"success": "ok"}
"""


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("wswiki"), "wswiki", {"wswiki/chat/controller.py": CONTROLLER}
    )
    with migration.serve(project) as server:
        yield server


def wait_for(served, text, timeout=10.0):
    deadline = time.monotonic() + timeout
    while text not in served.output() and time.monotonic() < deadline:
        time.sleep(0.05)
    return served.output()


@pytest.mark.asyncio
async def test_function_handler_answers_each_message(served):
    """使用websocket进行通讯.md, first example: ``hello,`` and ``world!`` each get
    ``{"success": "ok"}`` back, and the handler prints what it received and from where."""
    async with websockets.connect(f"{served.ws_url}/test/websocket") as ws:
        await ws.send("hello,")
        assert await ws.recv() == '{"success": "ok"}'
        await ws.send("world!")
        assert await ws.recv() == '{"success": "ok"}'
    output = await asyncio.to_thread(wait_for, served, "received world! from /test/websocket")
    assert "received hello, from /test/websocket" in output
    assert "received world! from /test/websocket" in output


@pytest.mark.asyncio
async def test_class_handler_pushes_and_collects(served):
    """使用websocket进行通讯.md, second example: connect greets, every piece is pushed
    back at once and acknowledged a second later, and the disconnect callback prints all
    pieces. [bug] of the original, fixed: its disconnect returned ``None``, which closed
    the socket and was followed by a second close; nothing is sent for ``None`` now."""
    async with websockets.connect(f"{served.ws_url}/test/websocket1") as ws:
        assert await ws.recv() == '{"success": "ok"}'
        await ws.send("hello,")
        assert await ws.recv() == "got piece: hello,"
        assert await ws.recv() == '{"success": "ok"}'
        await ws.send("world")
        assert await ws.recv() == "got piece: world"
        assert await ws.recv() == '{"success": "ok"}'
    output = await asyncio.to_thread(wait_for, served, "Got total data: hello,world")
    assert "Websocket of /test/websocket1 connect. " in output
    assert "Got total data: hello,world" in output
    assert "Websocket of /test/websocket1 disconnect. " in output
