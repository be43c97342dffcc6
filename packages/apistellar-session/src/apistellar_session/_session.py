"""The session object: a dict that remembers whether it was read or changed (Flask semantics)."""

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

__all__ = ["Session"]

_T = TypeVar("_T")
_MISSING: Any = object()


class Session(dict[str, Any]):
    """A session: a ``dict`` that tracks ``accessed``, ``modified``, ``permanent`` and ``new``.

    * ``accessed`` becomes true on any read, including ``in``, ``len`` and iteration, so
      the response gets ``Vary: Cookie``.
    * ``modified`` becomes true on any top-level change. Changing a nested value in place
      (``session["cart"].append(x)``) is not seen: set ``session.modified = True``.
    * ``permanent`` is stored under the ``_permanent`` key, as Flask stores it.
    * ``new`` is true when the request carried no valid session.
    """

    __slots__ = ("accessed", "created", "modified", "new", "regenerate_requested", "sid")

    def __init__(
        self,
        initial: Mapping[str, Any] | Iterable[tuple[str, Any]] = (),
        *,
        new: bool = True,
        sid: str | None = None,
    ) -> None:
        super().__init__(initial)
        self.accessed = False
        self.modified = False
        self.new = new
        self.sid = sid
        self.regenerate_requested = False
        self.created: float | None = None

    # -- reads -------------------------------------------------------------------------
    def __getitem__(self, key: str) -> Any:
        self.accessed = True
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        """Return ``session[key]`` or ``default`` (marks the session accessed)."""
        self.accessed = True
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.accessed = True
        return super().__contains__(key)

    def __len__(self) -> int:
        self.accessed = True
        return super().__len__()

    def __iter__(self) -> Iterator[str]:
        self.accessed = True
        return super().__iter__()

    def keys(self) -> Any:
        """Return the keys (marks the session accessed)."""
        self.accessed = True
        return super().keys()

    def values(self) -> Any:
        """Return the values (marks the session accessed)."""
        self.accessed = True
        return super().values()

    def items(self) -> Any:
        """Return the items (marks the session accessed)."""
        self.accessed = True
        return super().items()

    def copy(self) -> dict[str, Any]:
        """Return a plain ``dict`` copy (marks the session accessed)."""
        self.accessed = True
        return dict(super().items())

    # -- writes ------------------------------------------------------------------------
    def _changed(self) -> None:
        self.accessed = True
        self.modified = True

    def __setitem__(self, key: str, value: Any) -> None:
        self._changed()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._changed()
        super().__delitem__(key)

    def __ior__(self, other: Any) -> "Session":  # type: ignore[override,misc]
        self._changed()
        super().update(other)
        return self

    def clear(self) -> None:
        """Remove every key; a cleared session deletes its cookie on save."""
        self._changed()
        super().clear()

    def pop(self, key: str, default: Any = _MISSING) -> Any:
        """Remove ``key`` and return its value (or ``default``)."""
        self._changed()
        if default is _MISSING:
            return super().pop(key)
        return super().pop(key, default)

    def popitem(self) -> tuple[str, Any]:
        """Remove and return the last item."""
        self._changed()
        return super().popitem()

    def setdefault(self, key: str, default: Any = None) -> Any:
        """Return ``session[key]``, setting it to ``default`` first when missing."""
        self._changed()
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Update from a mapping or pairs, like ``dict.update``."""
        self._changed()
        super().update(*args, **kwargs)

    @property
    def permanent(self) -> bool:
        """A permanent session's cookie gets ``Expires`` and may be refreshed each request."""
        return bool(self.get("_permanent", False))

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    def regenerate(self) -> None:
        """Ask for a new session id on save (call it after login or any privilege change).

        Server-side stores move the data to a fresh id and delete the old one; cookie
        sessions are simply re-signed.
        """
        self.regenerate_requested = True
        self._changed()

    def __repr__(self) -> str:
        return f"<Session {dict(super().items())!r}>"

    def __reduce__(self) -> Any:
        return (Session, (dict(super().items()),))
