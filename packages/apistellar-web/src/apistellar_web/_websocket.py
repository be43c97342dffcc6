"""WebSocket handlers: functions and classes, with the same injection as HTTP handlers.

* A function handler ``async def chat(self, message, <injected>)`` -- or, as the original
  allowed in a controller, ``async def chat(message, <injected>)`` without ``self`` -- is
  called for every ``websocket.receive`` message (the raw ASGI message first: the first
  parameter after ``self``). The instance is passed only when the first parameter is
  named ``self``.
* A class handler defines ``websocket_connect``, ``websocket_receive`` and
  ``websocket_disconnect`` (each ``(self, message, <injected>)``); one instance per
  connection, created as ``Handler(send)``, and ``await self.send(value)`` pushes messages.
* ``WEBSOCKET_ALLOWED_ORIGINS`` (unset: no check): a list (or comma-separated string) of
  origins such as ``https://example.com``; a handshake whose ``Origin`` is not one of them,
  or that has none, is refused before the accept (uvicorn answers 403). Browsers always
  send ``Origin``, so this stops cross-site websocket hijacking; other clients must send it.
* ``WEBSOCKET_MAX_MESSAGE_SIZE`` (1 MiB): a larger message closes the connection with
  1009. uvicorn assembles a message before the app sees it (its own cap, ``ws_max_size``,
  is 16 MiB by default): ``apistellar serve`` passes this setting as ``ws_max_size``; with
  plain ``uvicorn`` pass ``--ws-max-size`` yourself.
* A handler that could never be called (no message parameter, a class missing a method or
  not created as ``Handler(send)``) is a ``ConfigurationError`` at start-up.

Return values are sent: ``bytes`` as a binary frame, ``str`` as text, ``None`` sends
nothing (the original closed the socket), anything else as JSON. Components are resolved
once per connection; plans are made at start-up, never per message.
"""

import inspect
import json
import logging
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from apistar.exceptions import HTTPException

from ._asgi import Receive, Scope, Send
from ._handler_params import own_parameters, takes_self
from ._injector import Injector, run_steps
from ._setting_lists import string_list
from .exceptions import ConfigurationError
from .locals import coroutinelocal
from .rendering import encode_default

if TYPE_CHECKING:
    from ._router import Route
    from .app import Application

__all__ = [
    "WebSocketHandler",
    "WebSocketMessage",
    "allowed_origins",
    "check_handler",
    "is_class_handler",
    "message_caller",
    "origin_allowed",
    "plan_websocket",
    "send_value",
    "serve_websocket",
]

#: Annotation of the raw ASGI message in a planned websocket call.
WebSocketMessage = typing.NewType("WebSocketMessage", dict)  # type: ignore[type-arg]
#: Annotation of the per-connection handler instance in a planned call.
WebSocketHandler = typing.NewType("WebSocketHandler", object)

METHODS = ("websocket_connect", "websocket_receive", "websocket_disconnect")


def allowed_origins(value: Any) -> frozenset[str] | None:
    """Read ``WEBSOCKET_ALLOWED_ORIGINS``: ``None`` (no check) when unset or empty.

    Raises:
        ConfigurationError: it is neither a string nor a list of strings.
    """
    origins = string_list(value, setting="WEBSOCKET_ALLOWED_ORIGINS", example="https://example.com")
    return frozenset(item.rstrip("/").lower() for item in origins) if origins else None


def origin_allowed(scope: Mapping[str, Any], allowed: frozenset[str] | None) -> bool:
    """Whether the handshake's ``Origin`` header is one of ``allowed`` (always, when ``None``)."""
    if allowed is None:
        return True
    for name, value in scope.get("headers", ()):
        if name.lower() == b"origin":
            return value.decode("latin-1").strip().rstrip("/").lower() in allowed
    return False


def is_class_handler(handler: Any) -> bool:
    """A class that defines the three ``websocket_*`` methods."""
    return inspect.isclass(handler) and all(callable(getattr(handler, m, None)) for m in METHODS)


def _name(target: Any) -> str:
    return str(getattr(target, "__qualname__", None) or repr(target))


def check_handler(handler: Any) -> None:
    """Refuse, at start-up, a websocket handler that could never be called.

    Raises:
        ConfigurationError: a class without the three ``websocket_*`` methods, a class
            that cannot be created as ``Handler(send)``, or a handler (method) with no
            positional parameter for the message.
    """
    if inspect.isclass(handler):
        missing = [m for m in METHODS if not callable(getattr(handler, m, None))]
        if missing:
            msg = (
                f"WebSocket handler class {_name(handler)} must define "
                f"{', '.join(METHODS)}; missing: {', '.join(missing)}."
            )
            raise ConfigurationError(msg)
        try:
            inspect.signature(handler).bind(None)
        except TypeError:
            name = _name(handler)
            msg = f"WebSocket handler class {name} must be created as {name}(send)."
            raise ConfigurationError(msg) from None
        except ValueError:  # no signature to read: let it be
            pass
        for method in METHODS:
            _message_parameter(getattr(handler, method))
        return
    if not callable(handler):
        msg = f"WebSocket handler {handler!r} is neither a function nor a handler class."
        raise ConfigurationError(msg)
    _message_parameter(handler)


def _message_parameter(target: Callable[..., Any]) -> list[inspect.Parameter]:
    """``target``'s parameters after ``self``; the first one, which takes the message, must
    be positional."""
    parameters = own_parameters(target)
    positional = (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    )
    if not parameters or parameters[0].kind not in positional:
        msg = (
            f"WebSocket handler {_name(target)} must take the message as its first "
            "parameter (after self, if it has one)."
        )
        raise ConfigurationError(msg)
    return parameters


def message_caller(func: Callable[..., Any], *, method: str | None = None) -> Callable[..., Any]:
    """A callable the injector can plan: the message (and instance) come from the state.

    ``func`` is a function handler (``method is None``: bound when written with ``self``,
    plain otherwise) or a handler class whose ``method`` is called on the per-connection
    instance -- passed only when that method's first parameter is ``self``. The message is
    the first parameter after ``self``.
    """
    check_handler(func)
    target = getattr(func, method) if method else func
    rest = _message_parameter(target)[1:]
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
        bound = takes_self(target)

        async def call(_handler: Any, _message: Any, **kwargs: Any) -> Any:
            function = getattr(_handler, method) if bound else target
            result = function(_message, **kwargs)
            return await result if inspect.isawaitable(result) else result

    else:

        async def call(_message: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
            result = func(_message, **kwargs)
            return await result if inspect.isawaitable(result) else result

    call.__signature__ = inspect.Signature(head + rest)  # type: ignore[attr-defined]
    call.__qualname__ = _name(target)
    return call


async def send_value(send: Send, value: Any) -> None:
    """Send a handler's value: bytes -> binary, str -> text, None -> nothing, else JSON."""
    if value is None:
        return
    if isinstance(value, bytes | bytearray):
        await send({"type": "websocket.send", "bytes": bytes(value)})
    elif isinstance(value, str):
        await send({"type": "websocket.send", "text": value})
    else:
        await send({"type": "websocket.send", "text": json.dumps(value, default=encode_default)})


def plan_websocket(injector: Injector, route: "Route", fill_locals: Callable[..., None]) -> None:
    """Plan a websocket route at start-up: ``connect`` (filling ``coroutinelocal``), then
    ``websocket_receive`` (and, for a class handler, ``websocket_connect`` and
    ``websocket_disconnect``), one plan each in ``route.plans``."""
    handler = route.handler
    route.plans["connect"] = injector.plan([fill_locals])
    if is_class_handler(handler):
        for method in METHODS:
            route.plans[method] = injector.plan([message_caller(handler, method=method)])
    else:
        route.plans["websocket_receive"] = injector.plan([message_caller(handler)])


async def serve_websocket(app: "Application", scope: Scope, receive: Receive, send: Send) -> None:
    """One websocket connection of ``app``, from the handshake to the close.

    An unknown path, a ``Host`` that ``ALLOWED_HOSTS`` does not list, or an ``Origin``
    that ``WEBSOCKET_ALLOWED_ORIGINS`` refuses, is closed
    before the accept; then each ``websocket.receive`` message runs the handler's plan
    and its value is sent back. A message over ``WEBSOCKET_MAX_MESSAGE_SIZE`` closes with
    1009, a handler error with 1011; ``coroutinelocal`` is cleared at the end.
    """
    first = await receive()
    if first["type"] != "websocket.connect":
        return
    try:
        route, path_params = app.router.lookup(scope["path"], "GET", websocket=True)
    except HTTPException:
        await send({"type": "websocket.close", "code": 1000})  # before accept: refused
        return
    if app.allowed_hosts is not None and not app.allowed_hosts.admits(scope):
        logging.getLogger("websocket").info("Websocket of %s refused: Host.", scope["path"])
        await send({"type": "websocket.close", "code": 1008})  # before accept: 403
        return
    if not origin_allowed(scope, app.websocket_origins):
        logging.getLogger("websocket").warning("Websocket of %s refused: Origin.", scope["path"])
        await send({"type": "websocket.close", "code": 1008})  # before accept: 403
        return
    state: dict[str, Any] = {
        "scope": scope,
        "receive": receive,
        "send": send,
        "app": app,
        "route": route,
        "path_params": path_params,
        "exc": None,
        "message": first,
    }
    limit = app.websocket_max_message
    path = scope.get("path", "")
    log = logging.getLogger("websocket")
    handler_class = route.handler if is_class_handler(route.handler) else None
    closed = False

    async def push(value: Any) -> None:
        await send_value(send, value)

    try:
        await run_steps(route.plans["connect"], state)
        await send({"type": "websocket.accept"})
        log.debug("Websocket of %s connect. ", path)
        if handler_class is not None:
            state["ws_handler"] = handler_class(push)
            await push(await run_steps(route.plans["websocket_connect"], state))
        while True:
            message = await receive()
            kind = message["type"]
            state["message"] = message
            if kind == "websocket.disconnect":
                closed = True
                log.debug("Websocket of %s disconnect. ", path)
                if handler_class is not None:
                    await run_steps(route.plans["websocket_disconnect"], state)
                break
            if kind != "websocket.receive":
                continue
            size = len(message.get("bytes") or b"") + len((message.get("text") or "").encode())
            if size > limit:
                closed = True
                log.warning("Websocket of %s closed: %d-byte message over %d.", path, size, limit)
                await send({"type": "websocket.close", "code": 1009, "reason": "Message too big."})
                break
            await push(await run_steps(route.plans["websocket_receive"], state))
    except Exception:
        app.logger.exception("WebSocket handler of %s failed", path)
        if not closed:
            await send({"type": "websocket.close", "code": 1011, "reason": "Internal error."})
    finally:
        coroutinelocal.clear()
