"""An application written as a user writes one, checked with ``mypy --strict``.

The routing decorators must give each handler (and each controller class) back with its
own type: a decorated handler stays callable with its parameters and its return type, a
routed controller stays its own class. ``tests/test_routing_types.py`` runs mypy on this
module and builds an app from it.
"""

import sys
from collections.abc import Awaitable, Callable
from typing import Any

from apistellar_web import (
    Controller,
    Session,
    delete,
    get,
    head,
    options,
    patch,
    post,
    put,
    route,
    websocket,
)

if sys.version_info >= (3, 11):
    from typing import assert_type
else:
    from typing_extensions import assert_type


@route("/items", name="items")
class ItemController(Controller):
    """Items, with one handler per HTTP method."""

    @get("/")
    async def list_items(self, page: int = 1) -> list[dict[str, int]]:
        return [{"page": page}]

    @get("/{item_id}", name="one", documented=False)
    def one(self, item_id: int) -> dict[str, int]:
        return {"id": item_id}

    @post("/")
    @put("/")
    async def save(self, name: str) -> dict[str, str]:
        return {"saved": name}

    @delete("/{item_id}")
    def remove(self, item_id: int) -> None:
        return None

    @patch("/{item_id}")
    def change(self, item_id: int, name: str = "") -> dict[str, Any]:
        return {"id": item_id, "name": name}

    @head("/probe")
    @options("/probe", standalone=True)
    def probe(self) -> str:
        return ""

    @get()
    def plain(self) -> str:
        return "plain"


@route("/chat", name="chat")
class ChatController(ItemController):
    """A nested controller with a websocket handler function and a handler class."""

    @websocket("/echo")
    async def echo(self, session: Session) -> str:
        return "hello"

    @websocket("/room")
    class Room:
        def __init__(self, send: Callable[[str], Awaitable[None]]) -> None:
            self.send = send

        async def websocket_connect(self, message: dict[str, Any]) -> str:
            return "welcome"

        async def websocket_receive(self, message: dict[str, Any]) -> None:
            await self.send(str(message.get("text")))

        async def websocket_disconnect(self, message: dict[str, Any]) -> None:
            return None


# The controller classes keep their own types.
assert_type(ItemController, type[ItemController])
assert_type(ChatController, type[ChatController])
assert_type(ChatController.Room, type[ChatController.Room])


async def use_handlers() -> None:
    """Each handler keeps its signature: what calling it gives, and what it accepts."""
    items = ItemController()
    assert_type(await items.list_items(2), list[dict[str, int]])
    assert_type(items.one(3), dict[str, int])
    assert_type(await items.save("x"), dict[str, str])
    assert_type(items.remove(3), None)
    assert_type(items.change(3, name="x"), dict[str, Any])
    assert_type(items.probe(), str)
    assert_type(items.plain(), str)
    assert_type(await ChatController().echo(Session()), str)
    sent: list[str] = []

    async def send(text: str) -> None:
        sent.append(text)

    room = ChatController.Room(send)
    assert_type(await room.websocket_connect({}), str)
    assert_type(await room.websocket_receive({"text": "hi"}), None)
    assert sent == ["hi"]


def decorate_later(handler: Callable[[int], str]) -> Callable[[int], str]:
    """A decorator applied by hand keeps the type it was given."""
    return get("/later", name="later")(handler)


CONTROLLERS = [ItemController, ChatController]
