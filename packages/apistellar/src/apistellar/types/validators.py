"""``apistellar.types.validators``, the original module path of the validators
(``from apistellar.types.validators import String, Proxy``).

Re-exports only: the names live in :mod:`apistellar_web.types.validators`.
"""

from apistellar_web.types.validators import (
    NO_DEFAULT,
    UUID,
    Any,
    ArgumentTypeError,
    ArgumentValueError,
    Array,
    Boolean,
    Date,
    DateTime,
    Exchange,
    FormatDateTime,
    Integer,
    Number,
    NumericType,
    Object,
    Proxy,
    Ref,
    String,
    Time,
    Union,
    ValidationError,
    Validator,
)

__all__ = [
    "NO_DEFAULT",
    "UUID",
    "Any",
    "ArgumentTypeError",
    "ArgumentValueError",
    "Array",
    "Boolean",
    "Date",
    "DateTime",
    "Exchange",
    "FormatDateTime",
    "Integer",
    "Number",
    "NumericType",
    "Object",
    "Proxy",
    "Ref",
    "String",
    "Time",
    "Union",
    "ValidationError",
    "Validator",
]
