"""Collecting what a project defines: component and hook instances, controller routes.

Only concrete classes are instantiated (not abstract ones, nor those marking themselves
``__abstract__ = True``); a controller is instantiated once, and only when it has
routes of its own -- a handler class never inherits its base's routes.
"""

import inspect
from collections.abc import Iterable
from typing import Any

from ._handler_params import bind_handler
from ._router import Route
from .routing import ROUTES_ATTR, RouteSpec, controller_chain

__all__ = ["controller_routes", "instantiate"]


def instantiate(classes: Iterable[type], base: type) -> list[Any]:
    """Instantiate concrete subclasses of ``base`` (those that are not bases themselves)."""
    instances = []
    for cls in classes:
        if not (inspect.isclass(cls) and issubclass(cls, base)) or cls is base:
            continue
        if inspect.isabstract(cls) or cls.__dict__.get("__abstract__", False):
            continue
        instances.append(cls())
    return instances


def controller_routes(controller_classes: Iterable[type]) -> list[Route]:
    """The routes of ``controller_classes``, in order, each class once."""
    routes: list[Route] = []
    seen_classes: set[type] = set()
    for cls in controller_classes:
        if cls in seen_classes:
            continue
        seen_classes.add(cls)
        if any(getattr(v, ROUTES_ATTR, None) for v in vars(cls).values()):
            routes += _routes_of(cls, cls())
    return routes


def _routes_of(controller_cls: type, instance: Any) -> list[Route]:
    chain = controller_chain(controller_cls)
    prefix = "".join(getattr(klass, "prefix", "") for klass in chain)
    names = [getattr(klass, "name", "") for klass in chain]
    routes: list[Route] = []
    for attribute, value in vars(controller_cls).items():
        raw = value.__func__ if isinstance(value, staticmethod | classmethod) else value
        # own attribute only: a handler class must not inherit its base's routes
        specs: list[RouteSpec] = vars(raw).get(ROUTES_ATTR, []) if hasattr(raw, "__dict__") else []
        if not specs:
            continue
        handler = bind_handler(instance, attribute)
        for spec in specs:
            routes.append(
                Route(
                    url=prefix + spec.url,
                    method=spec.method,
                    name=":".join([*names, spec.name]),
                    handler=handler,
                    documented=spec.documented,
                    standalone=spec.standalone,
                    websocket=spec.websocket,
                    controller=instance,
                    action=attribute,
                )
            )
    return routes
