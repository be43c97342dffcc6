"""apistellar's model layer: ``Type`` models, ``validators``, formats and ``TypeEncoder``.

Validation errors are API Star's ``ValidationError``, so existing ``except`` clauses keep
working; messages are ``ErrorMessage`` strings with a ``.code``.
"""

from . import validators
from .formats import FORMATS, BaseFormat, register_format
from .messages import ErrorMessage, use_messages
from .model import AsyncType, Type, TypeEncoder

__all__ = [
    "FORMATS",
    "AsyncType",
    "BaseFormat",
    "ErrorMessage",
    "Type",
    "TypeEncoder",
    "register_format",
    "use_messages",
    "validators",
]
