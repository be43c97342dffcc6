"""Loading a session from a request's cookies and saving it into response headers.

Two backends share Flask's save rules:

* :class:`SignedCookieBackend` keeps the whole session in a signed cookie, byte-compatible
  with Flask 3.x (and Quart).
* :class:`ServerSideBackend` keeps the data in a :class:`~apistellar_session.SessionStore`;
  the cookie carries only a signed random session id.

Save rules (Flask's, peers' CVE history in mind): ``Vary: Cookie`` whenever the session was
accessed; an emptied session that was modified deletes its cookie; otherwise the cookie is
set when the session was modified, or when it is permanent and
``SESSION_REFRESH_EACH_REQUEST`` is on; only permanent sessions get ``Expires``.
"""

import hashlib
import json
import logging
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from itsdangerous import BadData, Signer, TimestampSigner, URLSafeTimedSerializer

from ._config import SessionConfig
from ._cookies import cookie_value, delete_cookie_header, set_cookie_header
from ._errors import SessionConfigError
from ._session import Session
from ._stores import SessionStore
from ._tags import TaggedJSONSerializer

__all__ = ["SaveResult", "ServerSideBackend", "SignedCookieBackend"]

logger = logging.getLogger("apistellar.session")


@dataclass
class SaveResult:
    """What saving a session adds to the response."""

    set_cookie: list[str] = field(default_factory=list)
    vary_cookie: bool = False


class _Backend:
    """Shared cookie-attribute and size handling."""

    def __init__(self, config: SessionConfig, clock: Callable[[], float] | None = None) -> None:
        self.config = config
        self.clock = clock or time.time

    def _keys(self) -> list[bytes]:
        # itsdangerous signs with the last key and verifies newest first: the current key
        # goes last, so sessions are always signed with it (the CVE-2025-47278 lesson).
        keys = [*self.config.secret_key_fallbacks, self.config.secret_key]
        return [key.encode() if isinstance(key, str) else key for key in keys]

    def expires(self, session: Session) -> datetime | None:
        """Return the cookie's expiry: now + lifetime for permanent sessions, else ``None``."""
        if dict.get(session, "_permanent", False):
            return (
                datetime.fromtimestamp(self.clock(), timezone.utc) + self.config.permanent_lifetime
            )
        return None

    def _set(self, value: str, session: Session) -> list[str]:
        c = self.config
        header = set_cookie_header(
            c.cookie_name,
            value,
            expires=self.expires(session),
            domain=c.cookie_domain,
            path=c.cookie_path,
            secure=c.cookie_secure,
            httponly=c.cookie_httponly,
            samesite=c.cookie_samesite,
            partitioned=c.cookie_partitioned,
        )
        if len(header) > c.max_cookie_size:
            logger.error(
                "Session cookie %r is %d bytes, over MAX_COOKIE_SIZE=%d: browsers would drop it, "
                "so it was not sent and the session change is lost. Store less in the session "
                "or use a server-side store.",
                c.cookie_name,
                len(header),
                c.max_cookie_size,
            )
            return []
        return [header]

    def _delete(self) -> list[str]:
        c = self.config
        return [
            delete_cookie_header(
                c.cookie_name,
                domain=c.cookie_domain,
                path=c.cookie_path,
                secure=c.cookie_secure,
                httponly=c.cookie_httponly,
                samesite=c.cookie_samesite,
                partitioned=c.cookie_partitioned,
            )
        ]

    def _should_set(self, session: Session) -> bool:
        permanent = bool(dict.get(session, "_permanent", False))
        return session.modified or (permanent and self.config.refresh_each_request)

    def _raw_value(self, cookie_header: str | None) -> str | None:
        value = cookie_value(cookie_header, self.config.cookie_name)
        if value is not None and len(value) > 2 * self.config.max_cookie_size:
            logger.warning("Ignoring an oversized session cookie (%d bytes).", len(value))
            return None
        return value or None


class SignedCookieBackend(_Backend):
    """The whole session in a signed cookie, byte-compatible with Flask's.

    Args:
        config: the session configuration.
        serializer: the tagged JSON serializer (register custom tags on it).
        clock: a ``time.time``-like function (tests freeze it).

    The signing parameters are Flask's class attributes, with Flask's defaults.
    """

    salt = "cookie-session"
    digest_method = staticmethod(hashlib.sha1)
    key_derivation = "hmac"

    def __init__(
        self,
        config: SessionConfig,
        serializer: TaggedJSONSerializer | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(config, clock)
        self.serializer = serializer or TaggedJSONSerializer()
        backend = self

        class _ClockSigner(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(backend.clock())

        self._signer = URLSafeTimedSerializer(
            self._keys(),
            salt=self.salt,
            serializer=self.serializer,
            signer=_ClockSigner,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )

    def encode(self, data: dict[str, Any]) -> str:
        """Sign ``data`` into a cookie value exactly as Flask would."""
        return self._signer.dumps(dict(data))

    def decode(self, value: str) -> dict[str, Any] | None:
        """Verify and load a cookie value; ``None`` (logged) for anything not valid and fresh."""
        try:
            data = self._signer.loads(value, max_age=self.config.max_age)
        except BadData as error:
            logger.debug("Ignoring session cookie: %s: %s", type(error).__name__, error)
            return None
        except Exception as error:  # a valid signature over an undecodable payload
            logger.warning("Ignoring a signed session cookie that does not decode: %r", error)
            return None
        if not isinstance(data, dict):
            logger.warning("Ignoring a signed session cookie that is not a mapping.")
            return None
        return data

    async def load(self, cookie_header: str | None) -> Session:
        """Return the request's session (empty and ``new`` when there is no valid cookie)."""
        return self.load_sync(cookie_header)

    def load_sync(self, cookie_header: str | None) -> Session:
        """Synchronous :meth:`load`, for WSGI or other non-async callers."""
        value = self._raw_value(cookie_header)
        data = self.decode(value) if value else None
        return Session(new=True) if data is None else Session(data, new=False)

    async def save(self, session: Session) -> SaveResult:
        """Return the headers Flask's rules add to the response."""
        return self.save_sync(session)

    def save_sync(self, session: Session) -> SaveResult:
        """Synchronous :meth:`save`."""
        result = SaveResult(vary_cookie=session.accessed)
        if not dict.__len__(session):
            if session.modified:
                result.set_cookie = self._delete()
                result.vary_cookie = True
            return result
        if self._should_set(session):
            result.set_cookie = self._set(self.encode(dict(dict.items(session))), session)
            result.vary_cookie = True
        return result


class ServerSideBackend(_Backend):
    """Session data in a store; the cookie carries only a signed random session id.

    Args:
        config: the session configuration (cookie attributes, keys, lifetime).
        store: where the data lives (:class:`MemoryStore`, :class:`RedisStore`, ...).
        idle_timeout: a session unused for this long is gone (default: the permanent
            session lifetime, 31 days).
        absolute_timeout: a session older than this is gone however much it is used
            (default: none).
        serializer: the tagged JSON serializer used for the stored data.
    """

    salt = "apistellar-session-id"

    def __init__(
        self,
        config: SessionConfig,
        store: SessionStore,
        *,
        idle_timeout: timedelta | float | None = None,
        absolute_timeout: timedelta | float | None = None,
        serializer: TaggedJSONSerializer | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(config, clock)
        self.store = store
        self.serializer = serializer or TaggedJSONSerializer()
        self.idle = _seconds(idle_timeout, "idle_timeout") or config.max_age
        self.absolute = _seconds(absolute_timeout, "absolute_timeout")
        self._signer = Signer(
            self._keys(), salt=self.salt, key_derivation="hmac", digest_method=hashlib.sha256
        )

    def _sid(self, cookie_header: str | None) -> str | None:
        value = self._raw_value(cookie_header)
        if not value:
            return None
        try:
            return self._signer.unsign(value).decode("ascii")
        except (BadData, UnicodeDecodeError) as error:
            logger.debug("Ignoring session id cookie: %s", error)
            return None

    async def load(self, cookie_header: str | None) -> Session:
        """Return the session named by the request's cookie, or a new empty one."""
        sid = self._sid(cookie_header)
        if sid is None:
            return Session(new=True)
        raw = await self.store.get(sid)
        if raw is None:
            return Session(new=True)
        try:
            record = json.loads(raw)
            data = self.serializer.loads(record["d"])
            created = float(record["c"])
            if not math.isfinite(created):
                msg = f"the stored creation time {created!r} is not a finite number"
                raise ValueError(msg)
            if not isinstance(data, dict):
                msg = f"the stored data is a {type(data).__name__}, not a mapping"
                raise TypeError(msg)
        except Exception as error:
            logger.warning("Discarding an undecodable stored session: %r", error)
            await self.store.delete(sid)
            return Session(new=True)
        # Idle expiry is the store's time-to-live, refreshed on every request; the absolute
        # limit is checked here as well as through the time-to-live.
        if self.absolute is not None and self.clock() - created > self.absolute:
            await self.store.delete(sid)
            return Session(new=True)
        session = Session(data, new=False, sid=sid)
        session.created = created
        return session

    async def revoke(self, sid: str) -> None:
        """Delete a session from the store (for example to log a user out everywhere)."""
        await self.store.delete(sid)

    def _ttl(self, created: float, now: float) -> int:
        ttl = self.idle
        if self.absolute is not None:
            ttl = min(ttl, max(1, int(created + self.absolute - now)))
        return max(1, int(ttl))

    async def save(self, session: Session) -> SaveResult:
        """Write the data to the store and return the cookie headers."""
        result = SaveResult(vary_cookie=session.accessed)
        now = self.clock()
        if not dict.__len__(session):
            if session.sid is not None and (session.modified or session.regenerate_requested):
                await self.store.delete(session.sid)
            if session.modified and (session.sid is not None or not session.new):
                result.set_cookie = self._delete()
                result.vary_cookie = True
            return result
        new_id = session.sid is None or session.regenerate_requested
        if session.regenerate_requested and session.sid is not None:
            await self.store.delete(session.sid)
        created = now if new_id or session.created is None else session.created
        sid = secrets.token_urlsafe(32) if new_id else session.sid
        assert sid is not None
        if session.modified or new_id:
            record = {"c": created, "d": self.serializer.dumps(dict(dict.items(session)))}
            await self.store.set(sid, json.dumps(record).encode(), self._ttl(created, now))
        else:
            await self.store.touch(sid, self._ttl(created, now))
        session.sid, session.created = sid, created
        if new_id or self._should_set(session):
            result.set_cookie = self._set(self._signer.sign(sid).decode("ascii"), session)
            result.vary_cookie = True
        return result


def _seconds(value: timedelta | float | None, name: str) -> int | None:
    if value is None:
        return None
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    if seconds <= 0:
        msg = f"{name} must be positive, not {value!r}."
        raise SessionConfigError(msg)
    return int(seconds)
