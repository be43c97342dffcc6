"""The ASGI 3 type aliases, defined once for every module of apistellar-web.

Messages are mutable mappings (servers and middlewares add keys to them); a receive
callable returns one, a send callable takes one.
"""

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["Message", "Receive", "Scope", "Send"]

#: A connection scope (``http``, ``websocket`` or ``lifespan``).
Scope = MutableMapping[str, Any]
#: An ASGI event (``http.request``, ``websocket.receive``, ``http.response.start``...).
Message = MutableMapping[str, Any]
#: Awaits the next event of the connection.
Receive = Callable[[], Awaitable[Message]]
#: Sends one event to the server.
Send = Callable[[Message], Awaitable[None]]
