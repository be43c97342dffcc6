"""Services and class-attribute injection (``dep = inject << SomeType``).

A ``Service`` is a component that provides itself: each injection builds a new instance
and fills its ``inject`` attributes with request-scoped values. Values live on the
instance, never on the class, so concurrent requests cannot see each other's (the
original's class-attribute race). No source code is generated: the ``resolve`` signature
is built with ``inspect.Signature``.
"""

import contextvars
import inspect
from typing import Any, ClassVar

from .components import Component
from .exceptions import Readonly

__all__ = ["Inject", "InjectManager", "Service", "inject", "request_injections"]

_EMPTY = inspect.Parameter.empty

#: Values a ``ModelFactory`` resolved for its model's ``inject`` attributes in the current
#: request, keyed by ``(model class, attribute)``; read by instances created in the request.
request_injections: contextvars.ContextVar[dict[tuple[type, str], Any] | None] = (
    contextvars.ContextVar("apistellar-request-injections", default=None)
)


class Inject:
    """A descriptor declared with ``inject << T`` or ``inject(default=v) << T``."""

    def __init__(self, annotation: Any, default: Any = _EMPTY) -> None:
        self.annotation = annotation
        self.default = default
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        try:
            return instance.__dict__[self.name]
        except KeyError:
            pending = request_injections.get()
            if pending:
                for klass in type(instance).__mro__:
                    if (klass, self.name) in pending:
                        return pending[(klass, self.name)]
            if self.default is not _EMPTY:
                return self.default
            msg = (
                f"{type(instance).__name__}.{self.name} was not injected: get the object "
                "through injection (a handler parameter) instead of creating it by hand."
            )
            raise AttributeError(msg) from None

    def __set__(self, instance: Any, value: Any) -> None:
        msg = f"Readonly object of {self.annotation!r}."
        raise Readonly(msg)

    def __repr__(self) -> str:
        return f"<Inject {self.name}: {self.annotation!r}>"


class InjectManager:
    """The ``inject`` object: ``inject << T`` and ``inject(default=v) << T``."""

    def __init__(self, default: Any = _EMPTY) -> None:
        self.default = default

    def __call__(self, default: Any = _EMPTY) -> "InjectManager":
        return InjectManager(default)

    def __lshift__(self, annotation: Any) -> Inject:
        return Inject(annotation, self.default)


inject = InjectManager()


def injected_attributes(cls: type) -> dict[str, Inject]:
    """Every ``Inject`` attribute of ``cls`` and its bases (a subclass's wins by name)."""
    found: dict[str, Inject] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, Inject):
                found[name] = value
    return found


class Service(Component):
    """Base class of injectable services.

    Declare dependencies as class attributes (``repo = inject << Repository``); each
    injection of the service gives a new instance with them filled in. A subclass that
    defines its own ``resolve`` keeps it (its return annotation is set to the class).
    """

    _generated: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("resolve")
        if own is not None:
            own.__annotations__["return"] = cls
            return
        attributes = injected_attributes(cls)
        ordered = sorted(attributes.values(), key=lambda item: item.default is not _EMPTY)
        parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        parameters += [
            inspect.Parameter(
                item.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=item.annotation,
                default=item.default,
            )
            for item in ordered
        ]

        def resolve(self: Any, **values: Any) -> Any:
            instance = type(self)()
            instance.__dict__.update(values)
            init = getattr(instance, "__post_inject__", None)
            if callable(init):
                init()
            return instance

        resolve.__signature__ = inspect.Signature(parameters, return_annotation=cls)  # type: ignore[attr-defined]
        resolve.__annotations__ = {item.name: item.annotation for item in ordered} | {"return": cls}
        resolve.__qualname__ = f"{cls.__qualname__}.resolve"
        cls.resolve = resolve  # type: ignore[method-assign]

    def resolve(self) -> "Service":
        """Return a new instance of the service (subclasses get a generated version)."""
        return type(self)()
