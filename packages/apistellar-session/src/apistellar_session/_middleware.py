"""A pure-ASGI middleware that gives any ASGI app a Flask-compatible ``scope["session"]``."""

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from datetime import timedelta
from typing import Any

from ._backends import SaveResult, ServerSideBackend, SignedCookieBackend
from ._config import SessionConfig
from ._session import Session
from ._stores import SessionStore
from ._tags import TaggedJSONSerializer

__all__ = ["SessionMiddleware", "apply_save_result", "get_session", "request_cookie_header"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def request_cookie_header(scope: Mapping[str, Any]) -> str | None:
    """Return the request's ``Cookie`` headers joined by ``; `` (``None`` when there are none)."""
    values = [
        value.decode("latin-1")
        for name, value in scope.get("headers", ())
        if name.lower() == b"cookie"
    ]
    return "; ".join(values) if values else None


def apply_save_result(
    headers: list[tuple[bytes, bytes]], result: SaveResult
) -> list[tuple[bytes, bytes]]:
    """Return ``headers`` plus the session's ``Set-Cookie`` headers and ``Vary: Cookie``.

    Every ``Set-Cookie`` the app sent is kept; ``Cookie`` is merged into an existing
    ``Vary`` header instead of adding a second one.
    """
    out = list(headers)
    out.extend((b"set-cookie", value.encode("latin-1")) for value in result.set_cookie)
    if result.vary_cookie:
        for index, (name, value) in enumerate(out):
            if name.lower() == b"vary":
                tokens = {token.strip().lower() for token in value.split(b",")}
                if b"cookie" not in tokens and b"*" not in tokens:
                    out[index] = (name, value + b", Cookie")
                break
        else:
            out.append((b"vary", b"Cookie"))
    return out


class SessionMiddleware:
    """Load the session into ``scope["session"]`` and save it into the response headers.

    Works around any ASGI 3 app (Starlette, a raw ASGI callable, ...). HTTP responses get
    the session cookie when Flask's rules say so; websocket handlers can read and change
    the session, and changes made before ``websocket.accept`` are sent with the handshake;
    lifespan and other scopes pass through untouched.

    Args:
        app: the ASGI app to wrap.
        secret_key: the signing key (or put ``SECRET_KEY`` in ``config``).
        config: a mapping with Flask's names (an app's settings; unrelated keys ignored).
        store: a server-side store; without one the session lives in the signed cookie.
        idle_timeout: server-side sessions only: seconds or timedelta of inactivity.
        absolute_timeout: server-side sessions only: maximum age.
        serializer: a tagged JSON serializer with custom tags registered.
        **options: Flask's names as keywords (``session_cookie_secure=True``, ...).

    Raises:
        SessionConfigError: no ``SECRET_KEY``, or an invalid option value.
        TypeError: an unknown keyword option.
    """

    def __init__(
        self,
        app: ASGIApp,
        secret_key: str | bytes | None = None,
        *,
        config: Mapping[str, Any] | None = None,
        store: SessionStore | None = None,
        idle_timeout: timedelta | float | None = None,
        absolute_timeout: timedelta | float | None = None,
        serializer: TaggedJSONSerializer | None = None,
        **options: Any,
    ) -> None:
        if secret_key is not None:
            options["SECRET_KEY"] = secret_key
        self.app = app
        self.config = SessionConfig.from_options(config, **options)
        self.backend: SignedCookieBackend | ServerSideBackend
        if store is None:
            self.backend = SignedCookieBackend(self.config, serializer)
        else:
            self.backend = ServerSideBackend(
                self.config,
                store,
                idle_timeout=idle_timeout,
                absolute_timeout=absolute_timeout,
                serializer=serializer,
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        session = await self.backend.load(request_cookie_header(scope))
        scope = dict(scope)
        scope["session"] = session
        start = "http.response.start" if kind == "http" else "websocket.accept"
        saved = False

        async def send_with_session(message: Message) -> None:
            nonlocal saved
            if message["type"] == start and not saved:
                saved = True
                result = await self.backend.save(session)
                if result.set_cookie or result.vary_cookie:
                    message = dict(message)
                    message["headers"] = apply_save_result(list(message.get("headers", [])), result)
            await send(message)

        await self.app(scope, receive, send_with_session)


def get_session(scope: Mapping[str, Any]) -> Session:
    """Return ``scope["session"]``, with a clear error when the middleware is not installed."""
    try:
        session = scope["session"]
    except KeyError:
        msg = "No session in the ASGI scope: wrap the app in apistellar_session.SessionMiddleware."
        raise LookupError(msg) from None
    if not isinstance(session, Session):
        msg = f"scope['session'] is a {type(session).__name__}, not an apistellar_session.Session."
        raise TypeError(msg)
    return session
