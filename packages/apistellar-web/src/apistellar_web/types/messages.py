"""Error messages of the validators, and their per-app localisation.

Each validator class has English defaults (the original's catalogue). An app
localises them with the ``ERROR_DESC`` setting (a mapping, or a dotted path to one, of
``{ValidatorClassName: {code: message}}``); a class without an entry uses its base
class's messages. Localised messages live in a context variable set per request (or with
:func:`use_messages`), so no module-level default is ever changed. Outside a request (a
script, a unit test) the ``ERROR_DESC`` environment variable (a dotted path) is read when
a message is needed, as the original's settings lookup did.
"""

import contextvars
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from .._dotted import import_string
from ..exceptions import ConfigurationError

__all__ = [
    "DEFAULT_MESSAGES",
    "ErrorMessage",
    "MessageTable",
    "message_for",
    "messages_of",
    "read_error_desc",
    "set_messages",
    "use_messages",
]


class ErrorMessage(str):
    """A validation message: a ``str`` with the error ``code`` (``"max_length"``...)."""

    code: str

    def __new__(cls, text: str, code: str) -> "ErrorMessage":
        message = super().__new__(cls, text)
        message.code = code
        return message

    def __reduce__(self) -> Any:
        return (ErrorMessage, (str(self), self.code))


_NULL = "May not be null."
_ENUM = "Must be one of {enum}."
_EXACT = "Must be {exact}."

DEFAULT_MESSAGES: Mapping[str, Mapping[str, str]] = {
    "Validator": {"null": _NULL, "depth": "Nesting is deeper than {max_depth} levels."},
    "String": {
        "type": "Must be a string.",
        "null": _NULL,
        "blank": "Must not be blank.",
        "max_length": "Must have no more than {max_length} characters",
        "min_length": "Must have at least {min_length} characters",
        "pattern": "Must match the pattern /{pattern}/.",
        "format": "Must be a valid {format}.",
        "enum": _ENUM,
        "exact": _EXACT,
    },
    "NumericType": {
        "type": "Must be a number.",
        "null": _NULL,
        "integer": "Must be an integer.",
        "finite": "Must be finite.",
        "minimum": "Must be greater than or equal to {minimum}.",
        "exclusive_minimum": "Must be greater than {minimum}.",
        "maximum": "Must be less than or equal to {maximum}.",
        "exclusive_maximum": "Must be less than {maximum}.",
        "multiple_of": "Must be a multiple of {multiple_of}.",
        "enum": _ENUM,
        "exact": _EXACT,
    },
    "Boolean": {"type": "Must be a valid boolean.", "null": _NULL},
    "Object": {
        "type": "Must be an object.",
        "null": _NULL,
        "invalid_key": "Object keys must be strings.",
        "required": 'The "{field_name}" field is required.',
        "invalid_property": "Invalid property name.",
        "empty": "Must not be empty.",
        "max_properties": "Must have no more than {max_properties} properties.",
        "min_properties": "Must have at least {min_properties} properties.",
    },
    "Array": {
        "type": "Must be an array.",
        "null": _NULL,
        "empty": "Must not be empty.",
        "exact_items": "Must have {min_items} items.",
        "min_items": "Must have at least {min_items} items.",
        "max_items": "Must have no more than {max_items} items.",
        "additional_items": "May not contain additional items.",
        "unique_items": "This item is not unique.",
    },
    "Union": {"null": "Must not be null.", "union": "Must match one of the union types."},
    "Proxy": {"null": _NULL},
}

_UNSET: Any = object()
_localised: contextvars.ContextVar[Mapping[str, Mapping[str, str]] | None] = contextvars.ContextVar(
    "apistellar-error-messages", default=_UNSET
)
_imported: dict[str, dict[str, dict[str, str]]] = {}


def read_error_desc(value: Any) -> dict[str, dict[str, str]] | None:
    """Read an ``ERROR_DESC`` value: ``{ValidatorClassName: {code: message}}`` or a dotted
    path to such a mapping (imported once).

    Raises:
        ConfigurationError: the path cannot be imported, or the value is not such a mapping.
    """
    if not value:
        return None
    if isinstance(value, str):
        if value in _imported:
            return _imported[value]
        found = import_string(value, setting="ERROR_DESC")
        _imported[value] = table = _as_table(found)
        return table
    return _as_table(value)


def _as_table(value: Any) -> dict[str, dict[str, str]]:
    try:
        return {
            str(k): {str(c): str(m) for c, m in dict(v).items()} for k, v in dict(value).items()
        }
    except (TypeError, ValueError):
        msg = "ERROR_DESC must map validator class names to {code: message} mappings."
        raise ConfigurationError(msg) from None


def _current() -> Mapping[str, Mapping[str, str]] | None:
    localised = _localised.get()
    if localised is not _UNSET:
        return localised
    return read_error_desc(os.environ.get("ERROR_DESC"))


def _own(klass: type) -> Mapping[str, str] | None:
    own = klass.__dict__.get("errors")
    return own if isinstance(own, Mapping) else None


def message_for(klass: type, code: str) -> str:
    """The message template of ``code`` for a validator class (localised first, MRO order)."""
    localised = _current()
    for base in klass.__mro__:
        if localised is not None:
            table = localised.get(base.__name__)
            if table and code in table:
                return table[code]
        own = _own(base)
        if own and code in own:
            return str(own[code])
        table = DEFAULT_MESSAGES.get(base.__name__)
        if table and code in table:
            return table[code]
    return code


def messages_of(klass: type) -> dict[str, str]:
    """Every message template of a validator class, ``{code: template}``, as
    :func:`message_for` resolves them."""
    codes: set[str] = set()
    localised = _current() or {}
    for base in klass.__mro__:
        name = base.__name__
        for table in (localised.get(name), _own(base), DEFAULT_MESSAGES.get(name)):
            codes.update(table or ())
    return {code: message_for(klass, code) for code in sorted(codes)}


class MessageTable:
    """``validator.errors`` (and ``ValidatorClass.errors``): the class's message table."""

    def __get__(self, instance: object, owner: type) -> dict[str, str]:
        return messages_of(owner)


@contextmanager
def use_messages(messages: Mapping[str, Mapping[str, str]] | None) -> Iterator[None]:
    """Validate with localised messages inside the block (the app does this per request)."""
    token = _localised.set(messages)
    try:
        yield
    finally:
        _localised.reset(token)


def set_messages(messages: Mapping[str, Mapping[str, str]] | None) -> None:
    """Use localised messages for the rest of the current context (one request or task)."""
    _localised.set(messages)
