"""ASGI lifespan of an :class:`~apistellar_web.app.Application`.

At ``lifespan.startup``: glibc's allocator is tuned (``MALLOC_TUNING``), then every
``on_startup`` of the components and hooks runs, in order; a failure answers
``lifespan.startup.failed``. At ``lifespan.shutdown``: every ``on_shutdown``, then the
session store is closed; a failure answers ``lifespan.shutdown.failed``.
"""

import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ._allocator import tune_allocator
from ._asgi import Receive, Send

if TYPE_CHECKING:
    from .app import Application

__all__ = ["lifespan_functions", "serve_lifespan"]


def lifespan_functions(owners: Iterable[Any], name: str) -> list[Callable[..., Any]]:
    """The ``name`` methods (``on_startup``, ``on_shutdown``) of ``owners``, in order."""
    return [getattr(o, name) for o in owners if callable(getattr(o, name, None))]


async def _call_all(functions: Iterable[Callable[..., Any]]) -> None:
    for function in functions:
        result = function()
        if inspect.isawaitable(result):
            await result


async def serve_lifespan(app: "Application", receive: Receive, send: Send) -> None:
    """Run ``app``'s lifespan until the server's ``lifespan.shutdown``."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            if app.malloc_tuning:
                app.allocator_tuned = tune_allocator()
            try:
                await _call_all(app._startup)
            except Exception as error:
                app.logger.exception("Start-up failed")
                await send({"type": "lifespan.startup.failed", "message": str(error)})
                return
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            try:
                await _call_all(app._shutdown)
                backend = app._session_backend
                store = getattr(backend, "store", None)
                if store is not None and hasattr(store, "close"):
                    await store.close()
            except Exception as error:
                app.logger.exception("Shut-down failed")
                await send({"type": "lifespan.shutdown.failed", "message": str(error)})
                return
            await send({"type": "lifespan.shutdown.complete"})
            return
