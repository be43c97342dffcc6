"""Exceptions of apistellar-web.

* :class:`ApistellarError` -- the base of every error apistellar-web raises itself.
* :class:`ConfigurationError` -- a wiring mistake found at start-up (an injectable nobody
  can provide, a duplicate route, a missing ``SECRET_KEY``). It is also API Star's
  ``ConfigurationError``, so existing ``except`` clauses keep working.
* :class:`Readonly` -- an injected attribute was assigned to.
* :class:`PayloadTooLarge` -- a request body over the configured limit (HTTP 413).

Framework HTTP errors are API Star's ``HTTPException`` subclasses (``NotFound``,
``BadRequest``...), re-exported here with :class:`PayloadTooLarge` added.
"""

from apistar import exceptions as _apistar_exceptions
from apistar.exceptions import (
    BadRequest,
    Forbidden,
    Found,
    HTTPException,
    MethodNotAllowed,
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
    "UnsupportedMediaType",
]


class ApistellarError(Exception):
    """Base class of the errors apistellar-web raises itself."""


class ConfigurationError(ApistellarError, _apistar_exceptions.ConfigurationError):
    """A wiring mistake found at start-up; the message names the culprit and the fix."""


class Readonly(ApistellarError, AttributeError):
    """An attribute filled by injection was assigned to."""


class PayloadTooLarge(HTTPException):
    """The request body is larger than the configured limit."""

    default_status_code = 413
    default_detail = "Request body is too large."
