"""Controllers and the routing decorators.

``@route(prefix, name=None)`` mounts a controller class; ``@get``/``@post``/``@put``/
``@delete``/``@patch``/``@head``/``@options``/``@websocket`` declare handlers. A
controller nested under another (by subclassing) gets its parent's prefix in front of its
own; only classes decorated with ``@route`` contribute a prefix and a name segment (the
original repeated an undecorated parent's prefix). Route names read
``view:<controller>:...:<action>``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

__all__ = [
    "Controller",
    "MethodDecorator",
    "RouteSpec",
    "delete",
    "get",
    "head",
    "options",
    "patch",
    "post",
    "put",
    "route",
    "websocket",
]

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)

ROUTES_ATTR = "__apistellar_routes__"


@dataclass(frozen=True)
class RouteSpec:
    """What a method decorator recorded on a handler."""

    method: str
    url: str
    name: str
    documented: bool
    standalone: bool
    websocket: bool = False


def route(prefix: str, name: str | None = None) -> Callable[[C], C]:
    """Mount a controller class under ``prefix`` (``"/"`` means none) with a name segment.

    Args:
        prefix: the URL prefix, for example ``"/user"``.
        name: the route-name segment; defaults to the lower-cased class name.
    """

    def decorate(cls: C) -> C:
        cls.prefix = "" if prefix == "/" else prefix  # type: ignore[attr-defined]
        cls.name = name or cls.__name__.lower()  # type: ignore[attr-defined]
        cls.__apistellar_routed__ = True  # type: ignore[attr-defined]
        return cls

    return decorate


@route("", name="view")
class Controller:
    """Root of the controller tree: mounted at ``""`` with the name segment ``view``.

    One instance of each controller class is created when the app starts, with no
    arguments, and shared by every request: keep request state out of ``self``.
    """

    prefix: str = ""
    name: str = "view"


class MethodDecorator(Protocol):
    """The type of ``get``, ``post``, ... ``websocket``: called with the route's options, it
    returns a decorator that records the route and gives the handler back unchanged (so a
    decorated handler keeps its own type under a type checker).
    """

    def __call__(
        self,
        url: str | None = None,
        name: str | None = None,
        documented: bool = True,
        standalone: bool = False,
    ) -> Callable[[F], F]:
        """Declare a handler for ``url`` (default ``/<function name>``) named ``name``."""
        ...


def _method_decorator(method: str, *, is_websocket: bool = False) -> MethodDecorator:
    def decorator(
        url: str | None = None,
        name: str | None = None,
        documented: bool = True,
        standalone: bool = False,
    ) -> Callable[[F], F]:
        def decorate(handler: F) -> F:
            existing: list[RouteSpec] = list(handler.__dict__.get(ROUTES_ATTR, ()))
            path = url or "/" + handler.__name__
            if not path.startswith("/"):
                path = "/" + path
            route_name = name or handler.__name__
            if existing:
                route_name = f"{route_name}_{method.lower()}"
            spec = RouteSpec(method, path, route_name, documented, standalone, is_websocket)
            setattr(handler, ROUTES_ATTR, [*existing, spec])
            return handler

        return decorate

    decorator.__name__ = method.lower() if not is_websocket else "websocket"
    decorator.__doc__ = (
        f"Declare a {method} handler: ``url`` defaults to ``/<function name>``, ``name`` "
        "to the function name; ``standalone=True`` skips hooks and rendering."
    )
    return decorator


get = _method_decorator("GET")
post = _method_decorator("POST")
put = _method_decorator("PUT")
delete = _method_decorator("DELETE")
patch = _method_decorator("PATCH")
head = _method_decorator("HEAD")
options = _method_decorator("OPTIONS")
websocket = _method_decorator("GET", is_websocket=True)


def controller_chain(cls: type) -> list[type]:
    """The routed controller classes from the root down to ``cls`` (MRO order, reversed)."""
    return [
        k
        for k in reversed(cls.__mro__)
        if k.__dict__.get("__apistellar_routed__") and issubclass(k, Controller)
    ]
