"""``coroutinelocal``: named values per request or task, on ``contextvars``.

Values flow into tasks started from the current one (the context is copied) and changes
in a child are not seen by its parent. During HTTP and websocket requests the app fills
the names configured in ``LOCAL_VARIABLE`` (default ``{"scope": ASGIScope}``); solo tasks
and the shell fill them too.

A name set anywhere in the process but not in the current context (or cleared there)
reads as ``None``, as the original's ``clear()`` left it; a name never set is a
``KeyError`` (``AttributeError`` by attribute).
"""

import contextvars
import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ._dotted import import_string

__all__ = ["Local", "coroutinelocal", "locals_filler"]

_MISSING: Any = object()


class Local:
    """A store of named values per context, with item and attribute access."""

    def __init__(self) -> None:
        object.__setattr__(
            self, "_values", contextvars.ContextVar("apistellar-local", default=None)
        )
        object.__setattr__(self, "_defaults", {})
        object.__setattr__(self, "_known", set())

    def _data(self) -> dict[str, Any]:
        data: dict[str, Any] | None = self._values.get()
        return data if data is not None else {}

    def set(self, key: str, value: Any) -> None:
        """Set ``key`` in the current context (copy-on-write, so parents are untouched)."""
        data = dict(self._data())
        data[key] = value
        self._values.set(data)
        self._known.add(key)

    def _update(self, values: Mapping[str, Any]) -> None:
        # every item at once, one copy: what the app does before each request
        data = {**self._data(), **values}
        self._values.set(data)
        self._known.update(values)

    def get(self, key: str, default: Any = None) -> Any:
        """Return ``key`` in the current context, or ``default``."""
        return self._data().get(key, default)

    def __getitem__(self, key: str) -> Any:
        value = self._data().get(key, _MISSING)
        if value is _MISSING:
            if key in self._known:
                return None
            raise KeyError(f"{key} not found!")
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self.set(key, value)

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        value = self._data().get(key, _MISSING)
        if value is _MISSING:
            if key in self._known:
                return None
            raise AttributeError(f"{key} not found!")
        return value

    def __setattr__(self, key: str, value: Any) -> None:
        self.set(key, value)

    def __contains__(self, key: object) -> bool:
        return key in self._data()

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def clear(self) -> None:
        """Forget every value in the current context (the names then read as ``None``)."""
        self._values.set(None)

    def set_default(self, name: str, dotted_type: str) -> None:
        """Add a default ``LOCAL_VARIABLE`` entry (name -> dotted path of an injectable type)."""
        self._defaults[name] = dotted_type

    @property
    def defaults(self) -> dict[str, str]:
        """The entries added with :meth:`set_default`."""
        return dict(self._defaults)


#: The process-wide store.
coroutinelocal = Local()


def _local_type(dotted: Any) -> Any:
    """A ``LOCAL_VARIABLE`` type: the class itself, or the dotted path naming it."""
    return import_string(dotted, setting="LOCAL_VARIABLE") if isinstance(dotted, str) else dotted


def locals_filler(variables: Mapping[str, Any]) -> Callable[..., None]:
    """The function an app plans before every request: its keyword parameters are
    ``variables`` (``LOCAL_VARIABLE``: name -> type or dotted path) plus the
    :attr:`Local.defaults`, and it stores what it is given in :data:`coroutinelocal`.

    Raises:
        ConfigurationError: a dotted path that cannot be imported.
    """
    parameters = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=_local_type(dotted))
        for name, dotted in {**coroutinelocal.defaults, **variables}.items()
    ]

    def fill_locals(**values: Any) -> None:
        coroutinelocal._update(values)

    fill_locals.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    # what a start-up error names: 'No component ... on function "LOCAL_VARIABLE"'
    fill_locals.__qualname__ = "LOCAL_VARIABLE"
    return fill_locals
