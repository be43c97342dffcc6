"""Server-side session stores: where :class:`ServerSideBackend` keeps session data.

A store maps a session id to bytes with a time-to-live. Implement :class:`SessionStore`
(four coroutines) to add another one.
"""

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from ._errors import SessionStoreError

__all__ = ["MemoryStore", "RedisStore", "SessionStore"]


class SessionStore(ABC):
    """The interface of a session store."""

    @abstractmethod
    async def get(self, sid: str) -> bytes | None:
        """Return the stored bytes, or ``None`` when absent or expired."""

    @abstractmethod
    async def set(self, sid: str, value: bytes, ttl: int) -> None:
        """Store ``value`` for ``ttl`` seconds."""

    @abstractmethod
    async def touch(self, sid: str, ttl: int) -> None:
        """Reset the time-to-live of an existing entry (idle expiry slides)."""

    @abstractmethod
    async def delete(self, sid: str) -> None:
        """Remove an entry; removing an absent one is not an error."""


class MemoryStore(SessionStore):
    """An in-process store: for tests, development and single-process deployments.

    Args:
        clock: a ``time.monotonic``-like function (tests move it).
        max_entries: a bound on memory; when full, expired entries are purged, then the
            oldest entries are dropped.
    """

    def __init__(
        self, clock: Callable[[], float] | None = None, max_entries: int = 100_000
    ) -> None:
        self._clock = clock or time.monotonic
        self._data: dict[str, tuple[float, bytes]] = {}
        self._lock = threading.Lock()
        self._max = max_entries

    def __len__(self) -> int:
        now = self._clock()
        with self._lock:
            return sum(1 for deadline, _ in self._data.values() if deadline > now)

    async def get(self, sid: str) -> bytes | None:
        """Return the bytes stored under ``sid`` unless expired."""
        with self._lock:
            entry = self._data.get(sid)
            if entry is None:
                return None
            if entry[0] <= self._clock():
                del self._data[sid]
                return None
            return entry[1]

    async def set(self, sid: str, value: bytes, ttl: int) -> None:
        """Store ``value`` under ``sid`` for ``ttl`` seconds."""
        now = self._clock()
        with self._lock:
            if sid not in self._data and len(self._data) >= self._max:
                self._purge(now)
            self._data[sid] = (now + ttl, value)

    async def touch(self, sid: str, ttl: int) -> None:
        """Give ``sid`` a fresh time-to-live."""
        now = self._clock()
        with self._lock:
            entry = self._data.get(sid)
            if entry is not None and entry[0] > now:
                self._data[sid] = (now + ttl, entry[1])

    async def delete(self, sid: str) -> None:
        """Forget ``sid``."""
        with self._lock:
            self._data.pop(sid, None)

    def _purge(self, now: float) -> None:
        for key in [k for k, (deadline, _) in self._data.items() if deadline <= now]:
            del self._data[key]
        while len(self._data) >= self._max:
            del self._data[next(iter(self._data))]


class RedisStore(SessionStore):
    """A Redis store (``pip install apistellar-session[redis]``), using redis-py's asyncio client.

    Args:
        client: a ``redis.asyncio.Redis`` client, or a URL such as ``redis://127.0.0.1:6379/0``.
        prefix: prepended to every session id to form the key.
    """

    def __init__(self, client: Any, prefix: str = "apistellar:session:") -> None:
        if isinstance(client, str):
            try:
                from redis.asyncio import Redis
            except ImportError as error:  # pragma: no cover - depends on the extra
                msg = "RedisStore needs redis-py: pip install 'apistellar-session[redis]'."
                raise SessionStoreError(msg) from error
            client = Redis.from_url(client)
        self.client = client
        self.prefix = prefix

    def _key(self, sid: str) -> str:
        return self.prefix + sid

    async def _call(self, what: str, *args: Any) -> Any:
        try:
            return await getattr(self.client, what)(*args)
        except Exception as error:
            msg = f"Redis session store failed on {what.upper()}: {error}"
            raise SessionStoreError(msg) from error

    async def get(self, sid: str) -> bytes | None:
        """``GET`` the session."""
        value = await self._call("get", self._key(sid))
        return None if value is None else bytes(value)

    async def set(self, sid: str, value: bytes, ttl: int) -> None:
        """``SET ... EX ttl``."""
        await self._call("set", self._key(sid), value, ttl)

    async def touch(self, sid: str, ttl: int) -> None:
        """``EXPIRE`` the session."""
        await self._call("expire", self._key(sid), ttl)

    async def delete(self, sid: str) -> None:
        """``DEL`` the session."""
        await self._call("delete", self._key(sid))

    async def close(self) -> None:
        """Close the client's connections."""
        await self.client.aclose()
