"""Exceptions of apistellar-web.

* :class:`ApistellarError` -- the base of every error apistellar-web raises itself.
* :class:`ConfigurationError` -- a wiring mistake found at start-up (an injectable nobody
  can provide, a duplicate route, a missing ``SECRET_KEY``). It is also API Star's
  ``ConfigurationError``, so existing ``except`` clauses keep working.
* :class:`Readonly` -- an injected attribute was assigned to.
* :class:`MethodNotAllowed` -- API Star's 405, with the ``Allow`` header.
* :class:`PayloadTooLarge` -- a request body over the configured limit (HTTP 413).
* :class:`TemporaryRedirect` -- a 307 redirect, which keeps the method and body (the
  trailing-slash redirect of a request other than GET or HEAD).

Framework HTTP errors are API Star's ``HTTPException`` subclasses (``NotFound``,
``BadRequest``...), re-exported here with :class:`PayloadTooLarge` and
:class:`TemporaryRedirect` added.
"""

from collections.abc import Iterable
from typing import Any

from apistar import exceptions as _apistar_exceptions
from apistar.exceptions import (
    BadRequest,
    Forbidden,
    Found,
    HTTPException,
    NotAcceptable,
    NotFound,
    UnsupportedMediaType,
)

__all__ = [
    "ApistellarError",
    "BadRequest",
    "ConfigurationError",
    "Forbidden",
    "Found",
    "HTTPException",
    "MethodNotAllowed",
    "NotAcceptable",
    "NotFound",
    "PayloadTooLarge",
    "Readonly",
    "TemporaryRedirect",
    "UnsupportedMediaType",
]


class ApistellarError(Exception):
    """Base class of the errors apistellar-web raises itself."""


class ConfigurationError(ApistellarError, _apistar_exceptions.ConfigurationError):
    """A wiring mistake found at start-up; the message names the culprit and the fix."""


class Readonly(ApistellarError, AttributeError):
    """An attribute filled by injection was assigned to."""


class MethodNotAllowed(_apistar_exceptions.MethodNotAllowed):
    """405: the path exists, not for this method; ``Allow`` lists the methods it has.

    API Star's ``MethodNotAllowed`` (``except`` clauses naming it still match) with the
    ``Allow`` header RFC 9110 requires, which the original did not send.

    Args:
        detail: the envelope's message (``Method not allowed``).
        allowed: the methods of the resource; no ``Allow`` header when empty.
    """

    def __init__(
        self, detail: Any = None, status_code: int | None = None, *, allowed: Iterable[str] = ()
    ) -> None:
        super().__init__(detail, status_code)
        self.allowed = sorted(set(allowed))

    def get_headers(self) -> dict[str, str]:
        """``Allow`` when the methods are known."""
        return {"Allow": ", ".join(self.allowed)} if self.allowed else {}


class PayloadTooLarge(HTTPException):
    """The request body is larger than the configured limit."""

    default_status_code = 413
    default_detail = "Request body is too large."


class TemporaryRedirect(Found):
    """A 307 redirect to ``location``: the client repeats the same method with the same body.

    A subclass of ``Found``, so ``except Found`` clauses see it too.
    """

    default_status_code = 307
    default_detail = "Temporary Redirect"
