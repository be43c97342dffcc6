"""Injectable components: the base class and the values every request can ask for.

A component provides one type: ``resolve`` declares its own injectable parameters and a
return annotation. As in the original apistellar, the identity of a resolved value is
``str(annotation)`` (plus the parameter name when ``resolve`` asks for the
``inspect.Parameter``), a ``Union[A, B]`` return annotation satisfies ``A`` and ``B``, and
annotations are compared with ``==``.
"""

import inspect
import typing
from typing import Any

from apistar.server.components import Component as _APIStarComponent

from .exceptions import ConfigurationError

__all__ = ["Component"]


def _union_members(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) is typing.Union:
        return typing.get_args(annotation)
    union_type = getattr(__import__("types"), "UnionType", None)
    if union_type is not None and isinstance(annotation, union_type):
        return typing.get_args(annotation)
    return (annotation,)


class Component(_APIStarComponent):
    """Base class of custom injectable components.

    Implement ``resolve(self, <injectable parameters>) -> ProvidedType`` (sync or
    ``async``). Components are instantiated once, with no arguments, when the app starts.
    Override ``can_handle_parameter`` for name-based or multi-type resolution.
    """

    def _resolve_signature(self) -> inspect.Signature:
        cached: inspect.Signature | None = self.__dict__.get("_apistellar_signature")
        if cached is None:
            cached = inspect.signature(self.resolve)
            self.__dict__["_apistellar_signature"] = cached
        return cached

    def provides(self) -> tuple[Any, ...]:
        """The annotations this component provides (the members of a ``Union``)."""
        returns = self._resolve_signature().return_annotation
        if returns is inspect.Signature.empty:
            msg = (
                f"Component {type(self).__name__!r} must annotate the return type of resolve(), "
                "or override can_handle_parameter()."
            )
            raise ConfigurationError(msg)
        return _union_members(returns)

    def identity(self, parameter: inspect.Parameter) -> str:
        """Key of the resolved value in the request state."""
        key = str(parameter.annotation)
        parameters = self._resolve_signature().parameters.values()
        if any(p.annotation is inspect.Parameter for p in parameters):
            return f"{key}:{parameter.name}"
        return key

    def can_handle_parameter(self, parameter: inspect.Parameter) -> bool:
        """Accept parameters annotated with (a member of) the return annotation of ``resolve``."""
        annotation = parameter.annotation
        return any(annotation == provided for provided in self.provides())

    def resolve(self, *args: Any, **kwargs: Any) -> Any:
        """Return the value for a parameter; subclasses declare their own parameters."""
        raise NotImplementedError
