"""apistellar-session: Flask-compatible signed sessions for any ASGI app.

* :class:`SessionMiddleware` -- pure ASGI; puts a :class:`Session` in ``scope["session"]``.
* :class:`SignedCookieBackend` -- the cookie format of Flask 3.x, byte for byte.
* :class:`ServerSideBackend` with :class:`MemoryStore` or :class:`RedisStore` -- the
  cookie carries a signed random id; data, idle and absolute expiry live in the store.
* :class:`TaggedJSONSerializer` / :class:`JSONTag` -- Flask's tagged JSON, extensible.
"""

from importlib.metadata import version as _distribution_version

from ._backends import SaveResult, ServerSideBackend, SignedCookieBackend
from ._config import SessionConfig
from ._errors import SessionConfigError, SessionError, SessionStoreError
from ._middleware import SessionMiddleware, apply_save_result, get_session, request_cookie_header
from ._session import Session
from ._stores import MemoryStore, RedisStore, SessionStore
from ._tags import JSONTag, TaggedJSONSerializer

__version__ = _distribution_version("apistellar-session")

__all__ = [
    "JSONTag",
    "MemoryStore",
    "RedisStore",
    "SaveResult",
    "ServerSideBackend",
    "Session",
    "SessionConfig",
    "SessionConfigError",
    "SessionError",
    "SessionMiddleware",
    "SessionStore",
    "SessionStoreError",
    "SignedCookieBackend",
    "TaggedJSONSerializer",
    "apply_save_result",
    "get_session",
    "request_cookie_header",
]
