"""String formats: how ``String(format=...)`` values turn into native objects and back.

A format subclasses :class:`BaseFormat` with a ``name``; defining the subclass registers it
(or call :func:`register_format`, or set ``FORMATS[name]`` to a class or to a ready
instance). Every validator gets its **own** format instance, built when first used with the
options given to :func:`install` (passed to every format class, as the original did) and
the field's ``format_options``; so two ``FormatDateTime`` fields with different patterns
never interfere (the original shared one), and a format may be defined after the fields
that name it. Built in: ``date``, ``time``, ``datetime``, ``format_datetime``, ``UUID``,
``exchange_format``.

``to_string`` is applied to values of the format's native type (:meth:`BaseFormat.
is_native_type`); anything else -- raw data of a model not yet formatted -- is shown as
stored.
"""

import datetime
import re
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from apistar.exceptions import ValidationError

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
    "format_instance",
    "install",
    "register_format",
]


class _Registry(dict[str, Any]):
    """name -> format class (or a ready instance); every change is seen by the fields."""

    generation = 0

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, value)
        _Registry.generation += 1

    def __delitem__(self, name: str) -> None:
        super().__delitem__(name)
        _Registry.generation += 1

    def install(self, **kwargs: Any) -> None:
        """``FORMATS.install(...)``, the original's spelling of :func:`install`."""
        install(**kwargs)


#: name -> format class, or an instance shared by every field of that format.
FORMATS = _Registry()
_installed: dict[str, Any] = {}


def install(**kwargs: Any) -> None:
    """Pass ``kwargs`` (``date_format``, ``tz``...) to the constructor of every format class,
    for the formats fields build from now on (fields rebuild theirs)."""
    _installed.clear()
    _installed.update(kwargs)
    _Registry.generation += 1


def format_instance(name: str, options: dict[str, Any], current: Any, key: Any) -> tuple[Any, Any]:
    """The format object a field named ``name`` uses: ``current`` while ``key`` (what
    :func:`install` and the registry were when it was built) still holds, else a new one."""
    now = _Registry.generation
    if current is not None and key == now:
        return current, key
    entry = FORMATS.get(name)
    if entry is None:
        return None, None
    if isinstance(entry, type):
        return entry(**{**_installed, **options}), now
    return entry, now


class BaseFormat:
    """Base of formats; subclasses set ``name`` and are registered under it.

    Implement ``validate(str) -> native`` (raise ``ValidationError`` when the text is not
    valid), ``to_string(native) -> str`` and either the ``type`` of native values or
    ``is_native_type``; the constructor receives :func:`install`'s options as keywords.
    """

    name: ClassVar[str | None] = None
    type: ClassVar[Any] = ()

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

    def to_string(self, value: Any) -> Any:
        """Turn the native object back into a string."""
        return None if value is None else str(value)


def register_format(format_class: type[BaseFormat], name: str | None = None) -> None:
    """Register a format class under ``name`` (default: its ``name`` attribute)."""
    FORMATS[name or format_class.name or format_class.__name__] = format_class


DATE_REGEX = _DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")
TIME_REGEX = _TIME = re.compile(
    r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2})(?:\.(?P<microsecond>\d{1,6})\d{0,6})?)?$"
)
DATETIME_REGEX = _DATETIME = re.compile(
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

    def to_string(self, value: Any) -> Any:
        return value.isoformat() if self.is_native_type(value) else value


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

    def to_string(self, value: Any) -> Any:
        return value.isoformat() if self.is_native_type(value) else value


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

    def to_string(self, value: Any) -> Any:
        if not self.is_native_type(value):
            return value
        text = str(value.isoformat())
        return text[:-6] + "Z" if text.endswith("+00:00") else text


class FormatDateTimeFormat(BaseFormat):
    """``strptime``/``strftime`` with the validator's own pattern."""

    name = "format_datetime"
    type = datetime.datetime

    def __init__(
        self,
        format: str | None = None,  # noqa: A002
        date_format: str = "%Y-%m-%d %H:%M:%S",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.format = format or date_format

    def validate(self, value: str) -> datetime.datetime:
        try:
            return datetime.datetime.strptime(value, self.format)
        except (TypeError, ValueError) as error:  # strptime's reason, as the original gave
            raise ValidationError(str(error)) from None

    def to_string(self, value: Any) -> Any:
        return value.strftime(self.format) if self.is_native_type(value) else value


class UUIDFormat(BaseFormat):
    """Any string is kept as given (as the original); ``uuid.UUID`` is native."""

    name = "UUID"
    type = uuid.UUID

    def validate(self, value: str) -> Any:
        return value

    def to_string(self, value: Any) -> Any:
        return None if value is None else str(value)


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
        except Exception as error:  # the cast's reason ("'x' is not a valid Color")
            raise ValidationError(str(error) or "Must be a valid exchange_format.") from None

    def to_string(self, value: Any) -> Any:
        if value is None:
            return None
        serialize = getattr(value, "__serialize__", None)
        return str(serialize()) if callable(serialize) else str(value)


#: The original's name of :class:`FormatDateTimeFormat`.
FormatDatetime = FormatDateTimeFormat
