"""Building the app's session backend from settings (apistellar-session underneath)."""

import logging
import secrets
from typing import Any

from apistellar_config import Settings
from apistellar_session import (
    MemoryStore,
    RedisStore,
    ServerSideBackend,
    SessionConfig,
    SignedCookieBackend,
)

from .exceptions import ConfigurationError

__all__ = ["session_backend"]

logger = logging.getLogger("apistellar.session")


def session_options(settings: Settings) -> dict[str, Any]:
    """The session configuration: top-level Flask names, then ``SESSION_CONFIG`` merged over."""
    options = {
        name: settings.get(name) for name in SessionConfig.NAMES if settings.get(name) is not None
    }
    extra = settings.get("SESSION_CONFIG")
    if extra:
        options.update({str(k).upper(): v for k, v in dict(extra).items()})
    return options


def session_backend(settings: Settings, *, debug: bool) -> SignedCookieBackend | ServerSideBackend:
    """Build the backend; without ``SECRET_KEY`` this is a start-up error (debug: a random key).

    ``SESSION_STORE`` picks server-side sessions: ``"memory"`` or a ``redis://`` URL.
    """
    options = session_options(settings)
    if not options.get("SECRET_KEY"):
        if not debug:
            msg = (
                "This app uses the session but SECRET_KEY is not set. Add SECRET_KEY = '<a long "
                "random string>' to settings.py (python -c \"import secrets; print(secrets."
                'token_hex(32))"), or set the SECRET_KEY environment variable.'
            )
            raise ConfigurationError(msg)
        logger.warning(
            "SECRET_KEY is not set: using a random key for this process (debug mode only). "
            "Sessions will not survive a restart and are not shared between workers."
        )
        options["SECRET_KEY"] = secrets.token_hex(32)
    config = SessionConfig.from_options(options)
    store_setting = settings.get("SESSION_STORE")
    idle = settings.get("SESSION_IDLE_TIMEOUT")
    absolute = settings.get("SESSION_ABSOLUTE_TIMEOUT")
    if not store_setting:
        return SignedCookieBackend(config)
    if store_setting == "memory":
        store: Any = MemoryStore()
    elif isinstance(store_setting, str) and store_setting.startswith(
        ("redis://", "rediss://", "unix://")
    ):
        store = RedisStore(store_setting)
    else:
        msg = f"SESSION_STORE must be 'memory' or a redis:// URL, not {store_setting!r}."
        raise ConfigurationError(msg)
    return ServerSideBackend(config, store, idle_timeout=idle, absolute_timeout=absolute)
