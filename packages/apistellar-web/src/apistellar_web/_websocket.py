"""WebSocket handlers: functions and classes, with the same injection as HTTP handlers.

* A function handler ``async def chat(self, message, <injected>)`` is called for every
  ``websocket.receive`` message (the raw ASGI message first).
* A class handler defines ``websocket_connect``, ``websocket_receive`` and
  ``websocket_disconnect`` (each ``(self, message, <injected>)``); one instance per
  connection, created as ``Handler(send)``, and ``await self.send(value)`` pushes messages.

Return values are sent: ``bytes`` as a binary frame, ``str`` as text, ``None`` sends
nothing (the original closed the socket), anything else as JSON. Components are resolved
once per connection; plans are made at start-up, never per message.
"""

import inspect
import json
import typing
from collections.abc import Awaitable, Callable
from typing import Any

from .rendering import encode_default

__all__ = ["WebSocketMessage", "is_class_handler", "message_caller", "send_value"]

#: Annotation of the raw ASGI message in a planned websocket call.
WebSocketMessage = typing.NewType("WebSocketMessage", dict)  # type: ignore[type-arg]
#: Annotation of the per-connection handler instance in a planned call.
WebSocketHandler = typing.NewType("WebSocketHandler", object)

METHODS = ("websocket_connect", "websocket_receive", "websocket_disconnect")


def is_class_handler(handler: Any) -> bool:
    """A class that defines the three ``websocket_*`` methods."""
    return inspect.isclass(handler) and all(callable(getattr(handler, m, None)) for m in METHODS)


def message_caller(func: Callable[..., Any], *, method: str | None = None) -> Callable[..., Any]:
    """A callable the injector can plan: the message (and instance) come from the state.

    ``func`` is a bound function handler (``method is None``) or a handler class whose
    ``method`` is called on the per-connection instance.
    """
    target = getattr(func, method) if method else func
    parameters = list(inspect.signature(target).parameters.values())
    if method:
        parameters = parameters[1:]  # self
    if not parameters:
        name = getattr(target, "__qualname__", repr(target))
        msg = f"WebSocket handler {name} must take the message as its first parameter."
        raise TypeError(msg)
    rest = parameters[1:]
    head = [
        inspect.Parameter(
            "_message", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=WebSocketMessage
        )
    ]
    if method:
        head.insert(
            0,
            inspect.Parameter(
                "_handler", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=WebSocketHandler
            ),
        )

    if method:

        async def call(_handler: Any, _message: Any, **kwargs: Any) -> Any:
            result = getattr(_handler, method)(_message, **kwargs)
            return await result if inspect.isawaitable(result) else result

    else:

        async def call(_message: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
            result = func(_message, **kwargs)
            return await result if inspect.isawaitable(result) else result

    call.__signature__ = inspect.Signature(head + rest)  # type: ignore[attr-defined]
    call.__qualname__ = getattr(target, "__qualname__", "websocket handler")
    return call


async def send_value(send: Callable[[dict[str, Any]], Awaitable[None]], value: Any) -> None:
    """Send a handler's value: bytes -> binary, str -> text, None -> nothing, else JSON."""
    if value is None:
        return
    if isinstance(value, bytes | bytearray):
        await send({"type": "websocket.send", "bytes": bytes(value)})
    elif isinstance(value, str):
        await send({"type": "websocket.send", "text": value})
    else:
        await send({"type": "websocket.send", "text": json.dumps(value, default=encode_default)})
