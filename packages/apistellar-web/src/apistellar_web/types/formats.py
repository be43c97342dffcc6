"""String formats: how ``String(format=...)`` values turn into native objects and back.

A format subclasses :class:`BaseFormat` with a ``name``; defining the subclass registers it
(or call :func:`register_format`). Every validator gets its **own** format instance, so two
``FormatDateTime`` fields with different patterns never interfere (the original shared one).
Built in: ``date``, ``time``, ``datetime``, ``format_datetime``, ``UUID``, ``exchange_format``.
"""

import datetime
import re
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from apistar.exceptions import ValidationError

__all__ = ["FORMATS", "BaseFormat", "register_format"]

#: name -> format class.
FORMATS: dict[str, type["BaseFormat"]] = {}


class BaseFormat:
    """Base of formats; subclasses set ``name`` and are registered under it."""

    name: ClassVar[str | None] = None
    type: ClassVar[type | tuple[type, ...]] = object

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name"):
            FORMATS[cls.name] = cls  # type: ignore[index]

    def is_native_type(self, value: Any) -> bool:
        """Whether ``value`` is already the native object."""
        return isinstance(value, self.type)

    def validate(self, value: str) -> Any:
        """Turn a string into the native object (raise ``ValidationError`` when it cannot)."""
        raise NotImplementedError

    def to_string(self, value: Any) -> str | None:
        """Turn the native object back into a string."""
        return None if value is None else str(value)


def register_format(format_class: type[BaseFormat], name: str | None = None) -> None:
    """Register a format class under ``name`` (default: its ``name`` attribute)."""
    FORMATS[name or format_class.name or format_class.__name__] = format_class


_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")
_TIME = re.compile(
    r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2})(?:\.(?P<microsecond>\d{1,6})\d{0,6})?)?$"
)
_DATETIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})[T ](?P<hour>\d{1,2}):(?P<minute>\d{1,2})"
    r"(?::(?P<second>\d{1,2})(?:\.(?P<microsecond>\d{1,6})\d{0,6})?)?"
    r"(?P<tzinfo>Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def _fail(name: str) -> ValidationError:
    from .messages import ErrorMessage

    return ValidationError(ErrorMessage(f"Must be a valid {name}.", "format"))


class DateFormat(BaseFormat):
    name = "date"
    type = datetime.date

    def is_native_type(self, value: Any) -> bool:
        return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)

    def validate(self, value: str) -> datetime.date:
        match = _DATE.match(value)
        if not match:
            raise _fail("date")
        try:
            return datetime.date(**{k: int(v) for k, v in match.groupdict().items()})
        except ValueError:
            raise _fail("date") from None

    def to_string(self, value: Any) -> str | None:
        return None if value is None else value.isoformat()


class TimeFormat(BaseFormat):
    name = "time"
    type = datetime.time

    def validate(self, value: str) -> datetime.time:
        match = _TIME.match(value)
        if not match:
            raise _fail("time")
        parts = match.groupdict()
        if parts["microsecond"]:
            parts["microsecond"] = parts["microsecond"].ljust(6, "0")
        try:
            numbers: dict[str, Any] = {k: int(v) for k, v in parts.items() if v is not None}
            return datetime.time(**numbers)
        except ValueError:
            raise _fail("time") from None

    def to_string(self, value: Any) -> str | None:
        return None if value is None else value.isoformat()


class DateTimeFormat(BaseFormat):
    name = "datetime"
    type = datetime.datetime

    def validate(self, value: str) -> datetime.datetime:
        match = _DATETIME.match(value)
        if not match:
            raise _fail("datetime")
        parts = match.groupdict()
        if parts["microsecond"]:
            parts["microsecond"] = parts["microsecond"].ljust(6, "0")
        zone = parts.pop("tzinfo")
        tz: datetime.tzinfo | None = None
        if zone == "Z":
            tz = datetime.timezone.utc
        elif zone is not None:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            tz = datetime.timezone(sign * offset)
        try:
            return datetime.datetime(
                **{k: int(v) for k, v in parts.items() if v is not None}, tzinfo=tz
            )
        except ValueError:
            raise _fail("datetime") from None

    def to_string(self, value: Any) -> str | None:
        if value is None:
            return None
        text = str(value.isoformat())
        return text[:-6] + "Z" if text.endswith("+00:00") else text


class FormatDateTimeFormat(BaseFormat):
    """``strptime``/``strftime`` with the validator's own pattern."""

    name = "format_datetime"
    type = datetime.datetime

    def __init__(self, format: str = "%Y-%m-%d %H:%M:%S", **kwargs: Any) -> None:  # noqa: A002
        super().__init__(**kwargs)
        self.format = format

    def validate(self, value: str) -> datetime.datetime:
        try:
            return datetime.datetime.strptime(value, self.format)
        except (TypeError, ValueError):
            raise _fail("format_datetime") from None

    def to_string(self, value: Any) -> str | None:
        return None if value is None else value.strftime(self.format)


class UUIDFormat(BaseFormat):
    """Any string is kept as given (as the original); ``uuid.UUID`` is native."""

    name = "UUID"
    type = uuid.UUID

    def validate(self, value: str) -> Any:
        return value


class ExchangeFormat(BaseFormat):
    """Calls ``cast(value)``; serialised with ``__serialize__()`` when it exists, else ``str``."""

    name = "exchange_format"

    def __init__(self, cast: Callable[[Any], Any] = str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cast = cast

    def is_native_type(self, value: Any) -> bool:
        return (
            isinstance(self.cast, type)
            and isinstance(value, self.cast)
            and not isinstance(value, str)
        )

    def validate(self, value: str) -> Any:
        try:
            return self.cast(value)
        except Exception:
            raise _fail("exchange_format") from None

    def to_string(self, value: Any) -> str | None:
        if value is None:
            return None
        serialize = getattr(value, "__serialize__", None)
        return str(serialize()) if callable(serialize) else str(value)
