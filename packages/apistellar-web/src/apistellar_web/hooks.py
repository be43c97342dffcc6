"""Event hooks, ``Return`` and the error envelopes.

A ``Hook`` subclass implements any of ``on_request``, ``on_response`` and ``on_error``,
with injected parameters (``http.Response`` is the response so far, ``Exception`` the
error). ``on_request`` runs in ascending ``order``; ``on_response`` and ``on_error`` in
descending order, before the built-in hooks. An ``on_response`` or ``on_error`` hook whose
return annotation is ``http.Response`` replaces the response.

Unlike the original, ``on_response`` hooks run on **every** path -- normal responses,
framework HTTP errors, application errors and ``Return()`` -- so the session is always
saved and headers set by hooks are always there.

Envelopes (wire formats kept from the original):

* error envelope, for application errors (``assert cond, (code, msg, extra)``, ``raise
  Exception(code)``...): ``{"type": "normal", "code", "errcode", "message", "extra"}``,
  sent with the ``APP_ERROR_STATUS`` setting (default 200, as the original);
* HTTP envelope, for framework errors: ``{"type": "http", "code", "errcode", "message"}``
  with the real status;
* ``detail`` (the traceback) is added only when the app is in debug mode.

Logging, on the logger ``apistellar.errors``: an expected application error (one raised on
purpose, see :func:`apistellar_web.errors.is_expected`) at INFO without a traceback, any
other exception at ERROR with it. ``Return()`` is not logged, nor are framework HTTP
errors answered with their HTTP envelope (the access log has their status).

With the ``UNEXPECTED_ERRORS_AS_500`` setting (on in newly scaffolded projects), an
unexpected exception answers HTTP **500** with the HTTP envelope ``{"type": "http",
"code": 500, "errcode": 500, "message": "Internal server error.", "request_id": ...}``:
no exception text, no traceback (unless in debug mode); the ERROR log line carries the
same ``request_id``.
"""

import logging
import traceback
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, NoReturn

from apistar import http
from apistar.exceptions import HTTPException

from .errors import is_expected, new_request_id
from .rendering import JSONResponse, render

__all__ = ["ErrorHook", "Hook", "Return", "SessionHook", "WebContextHook"]

logger = logging.getLogger("apistellar.errors")


class Hook:
    """Base class of event hooks; subclasses in the app's package are found automatically."""

    order: ClassVar[int] = 1


class _RaisedWhenCalled(type):
    """Metaclass of :class:`Return`: calling the class raises the new instance."""

    def __call__(cls, *args: Any, **kwargs: Any) -> NoReturn:
        raise super().__call__(*args, **kwargs)


class Return(Exception, metaclass=_RaisedWhenCalled):  # noqa: N818 - the original's public name
    """``Return(value)`` answers the request with ``value`` at once, from a hook, a handler
    or a component: the call itself raises, as the original's ``Return`` function did, so
    nothing after it runs. ``raise Return(value)`` and ``except Return`` work too.

    A ``str`` becomes HTML, an ``http.Response`` is used as it is, anything else JSON.
    """

    def __init__(self, value: Any) -> None:
        super().__init__(value)
        self.value = value

    @property
    def response(self) -> http.Response:
        """The response this short-cut answers with."""
        return render(self.value)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # copy and pickle rebuild the instance without calling the class (which raises)
        return _rebuilt_return, (self.value,)


def _rebuilt_return(value: Any) -> Return:
    instance: Return = Exception.__new__(Return)
    Return.__init__(instance, value)
    return instance


class ErrorHook(Hook):
    """The original's error hook: the registry of error-code messages
    (:meth:`register`) and an ``on_error`` that builds the error envelope.

    The app never runs it, nor a subclass of it, as a hook: its own error path
    (:mod:`apistellar_web._pipeline`) builds the same response and logs the error. Call
    :meth:`on_error` to get that response elsewhere.
    """

    registry: ClassVar[dict[int, Any]] = {999: "Unknown error"}

    @classmethod
    def register(cls, codes: Mapping[int, Any] | Iterable[tuple[int, Any]]) -> None:
        """Register messages for error codes (``{401: "Login required!"}`` or pairs)."""
        cls.registry.update(dict(codes))

    @classmethod
    def message_for(cls, code: int) -> Any:
        """The registered message of ``code``, or ``"Not configured error"``."""
        return cls.registry.get(code, "Not configured error")

    def on_error(self, error: Exception, app: Any) -> http.Response:
        """The response for ``error``: the error envelope (with the traceback when
        ``app.debug``), or the ``http.Response`` the error carries. The app's own error
        path builds the same response."""
        status = getattr(app, "error_status", 200)
        return application_error_response(
            error,
            debug=bool(getattr(app, "debug", False)),
            status=status,
            unexpected_as_500=bool(getattr(app, "unexpected_errors_as_500", False)),
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def error_envelope(error: BaseException) -> dict[str, Any] | http.Response:
    """Build the error envelope of an application error, or its response."""
    code: int = 999
    extra: Any = None
    if not error.args:
        message: Any = ErrorHook.message_for(999)
    else:
        first = error.args[0]
        if _is_int(first):
            code, message = first, None
        elif isinstance(first, tuple | list):
            items = list(first)
            if items and _is_int(items[0]):
                code = items.pop(0)
            message = items[0] if items else None
            extra = items[1] if len(items) > 1 else None
        else:
            message = first
    if isinstance(message, http.Response):
        return message
    if message is None:
        message = ErrorHook.message_for(code)
    errcode = getattr(message, "code", code)
    return {"type": "normal", "code": code, "errcode": errcode, "message": message, "extra": extra}


def traceback_text(error: BaseException) -> str:
    """The formatted traceback of ``error``."""
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


def _safe_json(payload: dict[str, Any], status: int, headers: Any = None) -> http.Response:
    try:
        return JSONResponse(payload, status_code=status, headers=headers)
    except (TypeError, ValueError):
        payload = {
            **payload,
            "message": str(payload.get("message")),
            "extra": repr(payload.get("extra")),
        }
        return JSONResponse(payload, status_code=status, headers=headers)


#: The message of the generic 500 answer (``UNEXPECTED_ERRORS_AS_500``).
INTERNAL_ERROR_MESSAGE = "Internal server error."


def application_error_response(
    error: BaseException, *, debug: bool, status: int, unexpected_as_500: bool = False
) -> http.Response:
    """The response for an exception that is not a framework HTTP error.

    An expected application error is logged at INFO without a traceback and answers the
    error envelope with ``status``; any other exception is logged at ERROR with its
    traceback and answers the same envelope, or, when ``unexpected_as_500``, a generic
    HTTP 500 envelope that carries no exception text.
    """
    envelope = error_envelope(error)
    if isinstance(envelope, http.Response):
        return envelope
    if is_expected(error):
        logger.info("Error happened: %s extra: %s", envelope["message"], envelope["extra"])
    elif unexpected_as_500:
        request_id = new_request_id()
        logger.error(
            "Unexpected error (request_id %s): %s",
            request_id,
            envelope["message"],
            exc_info=error,
            extra={"request_id": request_id},
        )
        payload: dict[str, Any] = {
            "type": "http",
            "code": 500,
            "errcode": 500,
            "message": INTERNAL_ERROR_MESSAGE,
            "request_id": request_id,
        }
        if debug:
            payload["detail"] = traceback_text(error)
        return JSONResponse(payload, status_code=500)
    else:
        logger.error(
            "Error happened: %s extra: %s", envelope["message"], envelope["extra"], exc_info=error
        )
    if debug:
        envelope["detail"] = traceback_text(error)
    return _safe_json(envelope, status)


def http_error_response(error: HTTPException, *, debug: bool) -> http.Response:
    """The HTTP envelope of a framework error, with its real status and headers."""
    payload: dict[str, Any] = {
        "type": "http",
        "code": error.status_code,
        "errcode": error.status_code,
        "message": error.detail,
    }
    if debug:
        payload["detail"] = traceback_text(error)
    return _safe_json(payload, error.status_code, headers=error.get_headers() or None)


class SessionHook(Hook):
    """The original's session hook, kept as a name to import.

    The app saves the session itself, after the ``on_response`` hooks, when the request
    used it (:mod:`apistellar_web._pipeline`); this class, or a subclass, never runs as
    a hook.
    """

    # A placeholder: no hook method, so nothing to run.


class WebContextHook(Hook):
    """The original's context hook, kept as a name to import.

    The app itself fills ``coroutinelocal`` with the ``LOCAL_VARIABLE`` values before the
    ``on_request`` hooks and clears it once the response is ready; this class, or a
    subclass, never runs as a hook.
    """

    # A placeholder: no hook method, so nothing to run.
