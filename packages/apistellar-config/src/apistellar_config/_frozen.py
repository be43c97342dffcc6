"""Read-only views of settings values: dicts and lists frozen all the way down."""

from collections.abc import Iterator, Mapping, Sequence, Set
from typing import Any, NoReturn, overload

from ._errors import FrozenError


def freeze(value: Any) -> Any:
    """Return a read-only copy of ``value``: dicts, lists, tuples and sets are frozen deeply.

    Args:
        value: any settings value.

    Returns:
        A :class:`FrozenDict`, :class:`FrozenList` or ``frozenset`` for containers, the value
        itself otherwise.
    """
    if isinstance(value, FrozenDict | FrozenList | frozenset):
        return value
    if isinstance(value, Mapping):
        return FrozenDict(value)
    if isinstance(value, list | tuple):
        return FrozenList(value)
    if isinstance(value, Set):
        return frozenset(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """Return a plain, mutable deep copy of a (possibly frozen) value."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, FrozenList | list):
        return [thaw(item) for item in value]
    if isinstance(value, tuple):
        return tuple(thaw(item) for item in value)
    if isinstance(value, frozenset | set):
        return {thaw(item) for item in value}
    return value


def _refuse(what: str) -> NoReturn:
    msg = f"Settings are read-only: cannot {what}. Use override_settings(...) in tests."
    raise FrozenError(msg)


class FrozenDict(Mapping[str, Any]):
    """A read-only mapping with attribute access to its keys (``value.key``)."""

    __slots__ = ("_data",)
    _data: dict[Any, Any]

    def __init__(self, data: Mapping[Any, Any] = ()) -> None:  # type: ignore[assignment]
        object.__setattr__(self, "_data", {key: freeze(item) for key, item in dict(data).items()})

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self._data[name]
        except KeyError:
            msg = f"Frozen mapping has no key {name!r}"
            raise AttributeError(msg) from None

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        _refuse(f"set attribute {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        _refuse(f"delete attribute {name!r}")

    def __setitem__(self, key: Any, value: Any) -> NoReturn:
        _refuse(f"set item {key!r}")

    def __delitem__(self, key: Any) -> NoReturn:
        _refuse(f"delete item {key!r}")

    def __repr__(self) -> str:
        return f"FrozenDict({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (self.normalize(),))

    def normalize(self) -> dict[Any, Any]:
        """Return a plain, mutable deep copy (``dict`` of plain values)."""
        return thaw(self)  # type: ignore[no-any-return]

    to_dict = normalize


class FrozenList(Sequence[Any]):
    """A read-only list; compares equal to lists and tuples with the same items."""

    __slots__ = ("_items",)
    _items: tuple[Any, ...]

    def __init__(self, items: Sequence[Any] = ()) -> None:
        object.__setattr__(self, "_items", tuple(freeze(item) for item in items))

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> "FrozenList": ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return FrozenList(self._items[index])
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenList):
            return self._items == other._items
        if isinstance(other, list | tuple):
            return self._items == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        _refuse(f"set attribute {name!r}")

    def __setitem__(self, index: Any, value: Any) -> NoReturn:
        _refuse("set an item of a list")

    def __delitem__(self, index: Any) -> NoReturn:
        _refuse("delete an item of a list")

    def __repr__(self) -> str:
        return f"FrozenList({list(self._items)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenList, (self.normalize(),))

    def append(self, item: Any) -> NoReturn:
        """Refuse: frozen lists cannot grow."""
        _refuse("append to a list")

    def extend(self, items: Any) -> NoReturn:
        """Refuse: frozen lists cannot grow."""
        _refuse("extend a list")

    def normalize(self) -> list[Any]:
        """Return a plain, mutable deep copy (``list`` of plain values)."""
        return thaw(self)  # type: ignore[no-any-return]
