"""Services and class-attribute injection (``dep = inject << SomeType``).

A ``Service`` is a component that provides itself: each injection builds a new instance
and fills its ``inject`` attributes with request-scoped values. Values live on the
instance, never on the class, so concurrent requests cannot see each other's (the
original's class-attribute race). No source code is generated: the ``resolve`` signature
is built with ``inspect.Signature``.
"""

import contextvars
import inspect
from typing import Any

from .components import Component
from .exceptions import Readonly

__all__ = [
    "SHADOWED_PREFIX",
    "Inject",
    "InjectManager",
    "Service",
    "inject",
    "request_injections",
]

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
            # ``cls.attr`` in a classmethod that a factory's product calls: the value the
            # factory resolved for this request (the original had set it on the class).
            pending = request_injections.get()
            if pending and owner is not None:
                for klass in owner.__mro__:
                    if (klass, self.name) in pending:
                        return pending[(klass, self.name)]
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


#: Prefix of a base ``resolve`` parameter shadowed by a subclass attribute of the same name
#: and another type, in the generated signature (the original's name for it: its users'
#: tests read ``resolve.__annotations__``).
SHADOWED_PREFIX = "qwertrewq_"


def _add_parameter(parameters: list[inspect.Parameter], parameter: inspect.Parameter) -> None:
    # The original's order: a parameter without a default goes first, one with a default
    # last, so a positional ``resolve(a, b)`` call means what it meant there.
    if parameter.default is _EMPTY:
        parameters.insert(0, parameter)
    else:
        parameters.append(parameter)


def _generated_resolve(cls: type) -> Any:
    """Build ``cls.resolve``: its own ``inject`` attributes plus its base's ``resolve``
    parameters, passed on to that ``resolve``, whose result gets the own values."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters: list[inspect.Parameter] = []
    own: list[str] = []
    for name, value in vars(cls).items():
        if isinstance(value, Inject):
            value.name = name
            own.append(name)
            _add_parameter(
                parameters,
                inspect.Parameter(name, kind, annotation=value.annotation, default=value.default),
            )
    base_resolve = cls.__bases__[0].resolve  # type: ignore[attr-defined]
    passed: dict[str, str] = {}  # generated parameter -> the base's parameter
    for parameter in list(inspect.signature(base_resolve).parameters.values())[1:]:
        if parameter.kind not in (kind, inspect.Parameter.KEYWORD_ONLY):
            continue
        same = next((p for p in parameters if p.name == parameter.name), None)
        if same is not None and same.annotation == parameter.annotation:
            passed[parameter.name] = parameter.name  # one value for both
            continue
        name = parameter.name if same is None else SHADOWED_PREFIX + parameter.name
        _add_parameter(parameters, parameter.replace(name=name, kind=kind))
        passed[name] = parameter.name
    signature = inspect.Signature(
        [inspect.Parameter("self", kind), *parameters], return_annotation=cls
    )

    def resolve(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        values = bound.arguments
        instance = base_resolve(self, **{base: values[name] for name, base in passed.items()})
        for name in own:
            instance.__dict__[name] = values[name]
        return instance

    resolve.__signature__ = signature  # type: ignore[attr-defined]
    resolve.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": cls}
    resolve.__qualname__ = f"{cls.__qualname__}.resolve"
    return resolve


class Service(Component):
    """Base class of injectable services.

    Declare dependencies as class attributes (``repo = inject << Repository``); each
    injection of the service gives a new instance with them filled in. A subclass that
    defines its own ``resolve`` keeps it (its return annotation is set to the class); one
    that does not gets a generated ``resolve`` taking its ``inject`` attributes and its
    base's ``resolve`` parameters (those without a default first), as the original did,
    so ``service.resolve(a, b)`` called by hand fills the same attributes.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("resolve")
        if own is not None:
            own.__annotations__["return"] = cls
            return
        cls.resolve = _generated_resolve(cls)  # type: ignore[method-assign]

    def resolve(self) -> "Service":
        """Return a new instance of the service (subclasses get a generated version)."""
        return type(self)()
