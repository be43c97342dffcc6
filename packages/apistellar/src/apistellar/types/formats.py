"""``apistellar.types.formats``, the original module path of the string formats
(``BaseFormat`` for custom formats, ``install`` for format options).

Re-exports only: the names live in :mod:`apistellar_web.types.formats`.
"""

from apistellar_web.types.formats import (
    DATE_REGEX,
    DATETIME_REGEX,
    FORMATS,
    TIME_REGEX,
    BaseFormat,
    DateFormat,
    DateTimeFormat,
    ExchangeFormat,
    FormatDatetime,
    FormatDateTimeFormat,
    TimeFormat,
    UUIDFormat,
    install,
    register_format,
)

__all__ = [
    "DATETIME_REGEX",
    "DATE_REGEX",
    "FORMATS",
    "TIME_REGEX",
    "BaseFormat",
    "DateFormat",
    "DateTimeFormat",
    "ExchangeFormat",
    "FormatDateTimeFormat",
    "FormatDatetime",
    "TimeFormat",
    "UUIDFormat",
    "install",
    "register_format",
]
