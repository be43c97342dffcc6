"""Application errors raised on purpose, and how the error path tells them from bugs.

``assert cond, (code, message, extra)`` is the original's way to answer with the error
envelope, but ``python -O`` strips every ``assert`` statement, and the check with it.
:func:`abort` raises the same error explicitly, so it survives ``-O``::

    abort(404, "No such article", {"id": article_id})
    # the same envelope as: assert False, (404, "No such article", {"id": article_id})

The error path (``apistellar_web.hooks``) logs an **expected** error (see
:func:`is_expected`) at INFO without a traceback, and anything else at ERROR with it.
With the ``UNEXPECTED_ERRORS_AS_500`` setting, an unexpected error answers HTTP 500 with
a generic message and a request id that the ERROR log line carries too.
"""

import secrets
from typing import Any, NoReturn

from apistar.exceptions import HTTPException, ValidationError

__all__ = ["ApplicationError", "abort", "is_expected", "new_request_id"]


class ApplicationError(AssertionError):
    """An application error raised on purpose: its envelope is ``code``, ``message``,
    ``extra``.

    It is an ``AssertionError``, so ``except AssertionError`` clauses and ``on_error``
    hooks written for ``assert``-based errors handle it unchanged.
    """

    def __init__(self, code: int, message: Any = None, extra: Any = None) -> None:
        super().__init__((code, message, extra))
        self.code = code
        self.message = message
        self.extra = extra

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return type(self), (self.code, self.message, self.extra)


def abort(code: int, message: Any = None, extra: Any = None) -> NoReturn:
    """Stop the request with the error envelope ``code``/``message``/``extra``.

    The same answer as ``assert False, (code, message, extra)``, also under ``python -O``.
    A ``message`` of ``None`` is the one registered for ``code`` with
    ``ErrorHook.register`` (``"Not configured error"`` when there is none).

    Raises:
        ApplicationError: always.
    """
    raise ApplicationError(code, message, extra)


def _is_code(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_expected(error: BaseException) -> bool:
    """Whether ``error`` is an application error raised on purpose, not a bug.

    Expected: :class:`ApplicationError` (:func:`abort`), an ``AssertionError`` carrying
    a message or a code (``assert cond, (code, msg)``, ``assert cond, "msg"``, a
    ``require`` failure), a validation error, a framework HTTP error (``BadRequest``...),
    and any exception whose first argument is an error code or a tuple or list led by one
    (``raise Exception(401)``). Anything else (``KeyError``, ``RuntimeError("...")``, a
    bare ``assert cond``) is unexpected.
    """
    if isinstance(error, ApplicationError | ValidationError | HTTPException):
        return True
    if not error.args:
        return False
    first = error.args[0]
    if isinstance(error, AssertionError):
        return True
    if _is_code(first):
        return True
    return isinstance(first, tuple | list) and bool(first) and _is_code(first[0])


def new_request_id() -> str:
    """A short random id that ties a generic 500 answer to its log line."""
    return secrets.token_hex(8)
