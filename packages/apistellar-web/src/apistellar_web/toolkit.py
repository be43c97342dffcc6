"""Small helpers the original exposed in ``apistellar.helper``.

``find_children`` and ``ChildrenFactory`` (subclass registries), ``get_callargs`` (the
arguments a call binds to the innermost decorated function), ``classproperty`` and
``NotImplementedProp`` (descriptors), ``parse_date`` (HTTP dates).
"""

import datetime
import email.utils
import inspect
from collections.abc import Callable
from types import FunctionType, MethodType
from typing import Any, Generic, TypeVar

__all__ = [
    "ChildrenFactory",
    "NotImplementedProp",
    "classproperty",
    "find_children",
    "get_callargs",
    "innermost",
    "parse_date",
]

T = TypeVar("T")


def find_children(
    cls: type, initialize: bool = True, kwargs: dict[str, Any] | None = None
) -> list[Any]:
    """Every subclass of ``cls``, depth first; instances (built with ``kwargs``) by default."""
    found: list[type] = []
    pending: list[type] = list(cls.__subclasses__())
    while pending:
        child = pending.pop(0)
        if child not in found:
            found.append(child)
            pending[:0] = child.__subclasses__()
    return [child(**(kwargs or {})) for child in found] if initialize else found


class ChildrenFactory:
    """Instances of the subclasses of ``father`` by name (``name`` attribute or the
    lower-cased class name), built on first use with ``kwargs`` and kept."""

    def __init__(self, father: type, kwargs: dict[str, Any] | None = None) -> None:
        self.father = father
        self.kwargs = dict(kwargs or {})
        self.found: dict[str, Any] = {}

    def install(self, **kwargs: Any) -> None:
        """Add construction arguments and forget the instances built so far."""
        self.found.clear()
        self.kwargs.update(kwargs)

    def _classes(self) -> dict[str, type]:
        return {
            getattr(child, "name", None) or child.__name__.lower(): child
            for child in find_children(self.father, initialize=False)
        }

    def __contains__(self, name: object) -> bool:
        return name in self.found or name in self._classes()

    def __getitem__(self, name: str) -> Any:
        if name not in self.found:
            self.found[name] = self._classes()[name](**self.kwargs)
        return self.found[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self.found[name] = value

    def get(self, name: str, default: Any = None) -> Any:
        """The instance called ``name``, or ``default``."""
        try:
            return self[name]
        except KeyError:
            return default


def innermost(func: Callable[..., Any]) -> Callable[..., Any]:
    """The function under the decorators: ``__wrapped__`` first, else a function the
    wrapper closes over (decorators that do not use ``functools.wraps``)."""
    seen: set[int] = set()
    while id(func) not in seen:
        seen.add(id(func))
        func = inspect.unwrap(func)
        if hasattr(func, "__wrapped__"):
            continue
        inner = [
            cell.cell_contents
            for cell in getattr(func, "__closure__", None) or ()
            if isinstance(_contents(cell), FunctionType | MethodType)
        ]
        if not inner:
            break
        func = inner[0]
    return func


def _contents(cell: Any) -> Any:
    try:
        return cell.cell_contents
    except ValueError:  # an empty cell
        return None


def get_callargs(func: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The arguments of ``func(*args, **kwargs)`` by name, defaults included, as the
    innermost decorated function sees them (``**kwargs`` flattened).

    Raises:
        TypeError: the arguments do not fit the function.
    """
    target = innermost(func)
    bound = inspect.signature(target).bind(*args, **kwargs)
    bound.apply_defaults()
    values: dict[str, Any] = {}
    for name, value in bound.arguments.items():
        if bound.signature.parameters[name].kind is inspect.Parameter.VAR_KEYWORD:
            values.update(value)
        else:
            values[name] = value
    return values


class classproperty(Generic[T]):  # noqa: N801 - the original's name
    """A read-only property of the class: ``@classproperty def name(cls): ...``."""

    def __init__(self, func: Callable[[type], T]) -> None:
        self.func = func
        self.__doc__ = func.__doc__

    def __get__(self, instance: object, owner: type) -> T:
        return self.func(owner)


class NotImplementedProp:
    """A placeholder for a class attribute subclasses must set: reads as ``NotImplemented``."""

    def __get__(self, instance: object, owner: type) -> Any:
        return NotImplemented


def parse_date(value: str | None) -> float | None:
    """An RFC 1123, RFC 850 or asctime date as a UTC epoch; ``None`` if it is not one."""
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:  # asctime dates carry no zone: HTTP dates are UTC
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()
