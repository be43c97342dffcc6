"""Exceptions raised by apistellar-session.

* :class:`SessionError` -- the base of every error here.
* :class:`SessionConfigError` -- the configuration is unusable (for example no
  ``SECRET_KEY``); raised when the middleware or backend is built, never per request.
* :class:`SessionStoreError` -- a server-side store failed (for example Redis is down).
"""


class SessionError(Exception):
    """Base class of every error raised by apistellar-session."""


class SessionConfigError(SessionError, ValueError):
    """The session configuration is unusable; the message says which key and how to fix it."""


class SessionStoreError(SessionError, RuntimeError):
    """A server-side session store could not load, save or delete a session."""
