"""Validators: the fields of models, and standalone value checks.

Every validator takes ``title``, ``description``, ``default``, ``allow_null``,
``definitions``, ``def_name`` and ``model``; other keyword arguments are kept in
``.kwargs``. ``allow_null`` without a default makes the default ``None``; a callable
default is called each time. ``a | b`` builds a :class:`Union`. Failures raise API Star's
``ValidationError`` whose detail is an :class:`~apistellar_web.types.messages.ErrorMessage`
(a ``str`` with ``.code``) or, for objects and arrays, a dict keyed by field or index.
Nesting deeper than ``MAX_DEPTH`` (64) levels -- deep or self-referencing data -- fails
with the ``depth`` error instead of exhausting the stack.

Bad constructor arguments (``String(enum=3)``, ``Integer(minimum="3")``...) fail when the
field is defined, with :class:`ArgumentTypeError` or :class:`ArgumentValueError`: a
``TypeError``/``ValueError`` that is also an ``AssertionError``, what the original raised
(with ``assert``, so never under ``python -O``).
"""

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from apistar.exceptions import ValidationError

from .formats import BaseFormat, ExchangeFormat, FormatDateTimeFormat, format_instance
from .messages import ErrorMessage, MessageTable, message_for

__all__ = [
    "MAX_DEPTH",
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

MAX_DEPTH = 64
_counter = itertools.count()


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()


class ArgumentTypeError(TypeError, AssertionError):
    """A validator was defined with an argument of the wrong type."""


class ArgumentValueError(ValueError, AssertionError):
    """A validator was defined with an argument of the right type but a wrong value."""


def _check_optional(name: str, value: Any, kinds: Any, what: str) -> None:
    """``value`` is ``None`` or an instance of ``kinds`` (never a ``bool`` for numbers)."""
    if value is None:
        return
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _kinds(kinds)):
        msg = f"{name} must be {what}, not {value!r}"
        raise ArgumentTypeError(msg)


def _kinds(kinds: Any) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _check_flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        msg = f"{name} must be True or False, not {value!r}"
        raise ArgumentTypeError(msg)


def _check_length(name: str, value: Any) -> None:
    _check_optional(name, value, int, "an int")
    if value is not None and value < 0:
        msg = f"{name} must not be negative, not {value!r}"
        raise ArgumentValueError(msg)


def _check_bounds(low_name: str, low: Any, high_name: str, high: Any) -> None:
    if low is not None and high is not None and low > high:
        msg = f"{low_name} ({low!r}) is greater than {high_name} ({high!r})"
        raise ArgumentValueError(msg)


def _check_enum(value: Any, item_kinds: Any, what: str) -> None:
    if value is None:
        return
    if not isinstance(value, list | tuple):
        msg = f"enum must be a list, not {value!r}"
        raise ArgumentTypeError(msg)
    for item in value:
        if not isinstance(item, item_kinds) or (
            isinstance(item, bool) and bool not in _kinds(item_kinds)
        ):
            msg = f"enum items must be {what}, not {item!r}"
            raise ArgumentTypeError(msg)


def _is_validator(value: Any) -> bool:
    return hasattr(value, "validate")


def _depth(definitions: Any) -> int:
    return int(definitions.get("__depth__", 0)) if isinstance(definitions, dict) else 0


class _Placeholders(dict[str, Any]):
    """A message's placeholders: the call context, then any attribute of the validator."""

    def __init__(self, validator: Any, context: dict[str, Any]) -> None:
        super().__init__(context)
        self.validator = validator

    def __missing__(self, key: str) -> Any:
        return getattr(self.validator, key)


class Validator:
    """Base class of validators.

    ``errors`` is the message table of the validator's class (``{code: template}``),
    localised when ``ERROR_DESC`` is set; a subclass may define its own ``errors`` dict.
    """

    errors: Any = MessageTable()

    def __init__(
        self,
        title: str = "",
        description: str = "",
        default: Any = NO_DEFAULT,
        allow_null: bool = False,
        definitions: dict[str, Any] | None = None,
        def_name: str | None = None,
        model: Any = None,
        **kwargs: Any,
    ) -> None:
        _check_optional("title", title, str, "a str")
        _check_optional("description", description, str, "a str")
        if allow_null and default is NO_DEFAULT:
            default = None
        self.title = title
        self.description = description
        self.default = default
        self.allow_null = allow_null
        self.definitions = definitions
        self.def_name = def_name
        self.model = model
        self.kwargs = kwargs
        self._creation = next(_counter)

    def has_default(self) -> bool:
        """Whether a default is declared."""
        return self.default is not NO_DEFAULT

    def get_default(self) -> Any:
        """The default (a callable default is called)."""
        return self.default() if callable(self.default) else self.default

    def is_valid(self, value: Any) -> bool:
        """Whether ``value`` validates."""
        try:
            self.validate(value)
        except ValidationError:
            return False
        return True

    def error_message(self, code: str, **context: Any) -> ErrorMessage:
        """The (localised) message of ``code``, formatted with the validator's attributes."""
        template = message_for(type(self), code)
        try:
            text = template.format_map(_Placeholders(self, context))
        except (AttributeError, KeyError, IndexError, ValueError):
            text = template
        return ErrorMessage(text, code)

    def error(self, code: str, **context: Any) -> Any:
        """Raise ``ValidationError`` with the message of ``code``."""
        raise ValidationError(self.error_message(code, **context))

    def _null(self, value: Any) -> tuple[bool, Any]:
        """Apply defaults and null handling: ``(done, value)``."""
        if value is None and self.has_default():
            value = self.get_default()
        if value is None:
            if self.allow_null:
                return True, None
            self.error("null")
        return False, value

    def validate(
        self, value: Any, definitions: dict[str, Any] | None = None, allow_coerce: bool = False
    ) -> Any:
        """Return the validated (native) value or raise ``ValidationError``.

        Defaults and null handling come first; :meth:`check` validates the rest.
        """
        done, value = self._null(value)
        if done:
            return value
        return self.check(value, definitions, allow_coerce)

    def check(self, value: Any, definitions: dict[str, Any] | None, allow_coerce: bool) -> Any:
        """Validate a value that is not null (subclasses implement this)."""
        raise NotImplementedError

    def __or__(self, other: "Validator") -> "Union":
        items: list[Validator] = []
        for part in (self, other):
            items.extend(part.items if isinstance(part, Union) else [part])
        return Union(items)

    def __str__(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:  # "[String, Integer]" in a Union's {items} placeholder
        return type(self).__name__


class String(Validator):
    """A string, with lengths, pattern, enum and an optional format."""

    def __init__(
        self,
        max_length: int | None = None,
        min_length: int | None = None,
        pattern: str | None = None,
        enum: Sequence[str] | None = None,
        format: str | None = None,  # noqa: A002
        **kwargs: Any,
    ) -> None:
        _check_length("max_length", max_length)
        _check_length("min_length", min_length)
        _check_bounds("min_length", min_length, "max_length", max_length)
        _check_optional("pattern", pattern, str, "a str")
        _check_enum(enum, str, "strings")
        _check_optional("format", format, str, "a str")
        format_options = kwargs.pop("format_options", {})
        if not isinstance(format_options, Mapping):
            msg = f"format_options must be a mapping, not {format_options!r}"
            raise ArgumentTypeError(msg)
        try:
            regex = re.compile(pattern) if pattern else None
        except re.error as error:
            msg = f"pattern {pattern!r} is not a valid regular expression: {error}"
            raise ArgumentValueError(msg) from None
        super().__init__(**kwargs)
        self.max_length = max_length
        self.min_length = min_length
        self.pattern = pattern
        self.enum = list(enum) if enum is not None else None
        self.format = format
        self._regex = regex
        self._format_options = dict(format_options)
        self._own_formatter: BaseFormat | None = None
        self._formatter_key: Any = None
        self._formatter: BaseFormat | None = None

    @property
    def formatter(self) -> BaseFormat | None:
        """The format object of ``format`` (looked up when used, so a format defined after
        the field, or :func:`~apistellar_web.types.formats.install` options, still apply)."""
        if self._own_formatter is not None:
            return self._own_formatter
        if self.format is None:
            return None
        formatter, self._formatter_key = format_instance(
            self.format, self._format_options, self._formatter, self._formatter_key
        )
        self._formatter = formatter
        return formatter  # type: ignore[no-any-return]

    @formatter.setter
    def formatter(self, value: BaseFormat | None) -> None:
        self._own_formatter = value

    def check(self, value: Any, definitions: dict[str, Any] | None, allow_coerce: bool) -> Any:
        formatter = self.formatter
        if formatter is not None and formatter.is_native_type(value):
            return value
        if not isinstance(value, str):
            self.error("type")
        if self.enum is not None and value not in self.enum:
            if len(self.enum) == 1:
                self.error("exact", exact=self.enum[0])
            self.error("enum")
        if self.min_length is not None and len(value) < self.min_length:
            self.error("blank" if self.min_length == 1 else "min_length")
        if self.max_length is not None and len(value) > self.max_length:
            self.error("max_length")
        if self._regex is not None and not self._regex.search(value):
            self.error("pattern")
        if formatter is not None:
            try:
                return formatter.validate(value)
            except ValidationError as error:
                detail = error.detail
                if isinstance(detail, ErrorMessage):
                    if detail.code == "format":
                        self.error("format")  # the (localisable) "Must be a valid {format}."
                    raise
                if not isinstance(detail, str):
                    raise
                # A format's own reason (strptime's, a custom format's) with the format code.
                raise ValidationError(ErrorMessage(detail, "format")) from None
        return value


class Date(String):
    """An ISO date (``YYYY-M-D``), validated into ``datetime.date``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="date", **kwargs)


class Time(String):
    """A time (``H:M[:S[.ffffff]]``), validated into ``datetime.time``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="time", **kwargs)


class DateTime(String):
    """An ISO date-time with an optional zone, validated into ``datetime.datetime``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="datetime", **kwargs)


class FormatDateTime(String):
    """A date-time in a ``strptime`` pattern of this field's own."""

    def __init__(self, format: str = "%Y-%m-%d %H:%M:%S", **kwargs: Any) -> None:  # noqa: A002
        _check_optional("format", format, str, "a str")
        super().__init__(**kwargs)
        self.format = "format_datetime"
        self.formatter = FormatDateTimeFormat(format=format)


class UUID(String):
    """A UUID string (kept as given); ``uuid.UUID`` values are accepted as they are."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="UUID", **kwargs)


class Exchange(String):
    """A string turned into ``cast(value)`` (an ``Enum``, say)."""

    def __init__(self, cast: Any, **kwargs: Any) -> None:
        if not callable(cast):
            msg = f"cast must be callable, not {cast!r}"
            raise ArgumentTypeError(msg)
        super().__init__(**kwargs)
        self.format = "exchange_format"
        self.formatter = ExchangeFormat(cast=cast)


class NumericType(Validator):
    """Base of :class:`Integer` and :class:`Number`."""

    numeric_type: type = float

    def __init__(
        self,
        minimum: float | None = None,
        maximum: float | None = None,
        exclusive_minimum: bool = False,
        exclusive_maximum: bool = False,
        multiple_of: Any = None,
        enum: Sequence[float] | None = None,
        format: str | None = None,  # noqa: A002
        **kwargs: Any,
    ) -> None:
        _check_optional("minimum", minimum, int | float, "a number")
        _check_optional("maximum", maximum, int | float, "a number")
        _check_bounds("minimum", minimum, "maximum", maximum)
        _check_flag("exclusive_minimum", exclusive_minimum)
        _check_flag("exclusive_maximum", exclusive_maximum)
        _check_optional("multiple_of", multiple_of, int | float, "a number")
        if multiple_of is not None and multiple_of <= 0:
            msg = f"multiple_of must be greater than 0, not {multiple_of!r}"
            raise ArgumentValueError(msg)
        _check_enum(enum, (int, float), "numbers")
        _check_optional("format", format, str, "a str")
        super().__init__(**kwargs)
        self.minimum = minimum
        self.maximum = maximum
        self.exclusive_minimum = exclusive_minimum
        self.exclusive_maximum = exclusive_maximum
        self.multiple_of = multiple_of
        self.enum = list(enum) if enum is not None else None
        self.format = format

    def check(self, value: Any, definitions: dict[str, Any] | None, allow_coerce: bool) -> Any:
        if isinstance(value, str | bytes) or (isinstance(value, bool) and allow_coerce):
            if not allow_coerce:
                self.error("type")
            try:
                value = float(value) if isinstance(value, str | bytes) else int(value)
            except ValueError:
                self.error("type")
        elif not isinstance(value, int | float):
            self.error("type")
        if isinstance(value, float) and not math.isfinite(value):
            self.error("finite")
        if self.numeric_type is int:
            if isinstance(value, float) and not value.is_integer():
                self.error("integer")
            value = int(value)
        else:
            value = float(value) if not isinstance(value, bool) else value
        if self.enum is not None and value not in self.enum:
            if len(self.enum) == 1:
                self.error("exact", exact=self.enum[0])
            self.error("enum")
        if self.minimum is not None:
            if self.exclusive_minimum and value <= self.minimum:
                self.error("exclusive_minimum")
            if not self.exclusive_minimum and value < self.minimum:
                self.error("minimum")
        if self.maximum is not None:
            if self.exclusive_maximum and value >= self.maximum:
                self.error("exclusive_maximum")
            if not self.exclusive_maximum and value > self.maximum:
                self.error("maximum")
        if self.multiple_of is not None:
            if isinstance(self.multiple_of, float):
                quotient = value * (1 / self.multiple_of)
                if not math.isclose(quotient, round(quotient), rel_tol=0, abs_tol=1e-9):
                    self.error("multiple_of")
            elif value % self.multiple_of:
                self.error("multiple_of")
        return value


class Integer(NumericType):
    """An integer (an integral float is accepted and converted)."""

    numeric_type = int


class Number(NumericType):
    """A number, returned as ``float``."""

    numeric_type = float


_TRUE = {"true", "on", "1"}
_FALSE = {"false", "off", "0", ""}
_NULLS = {"", "null", "none"}


class Boolean(Validator):
    """A boolean; with coercion also ``true/on/1``, ``false/off/0/""`` and ``1``/``0``."""

    def validate(
        self, value: Any, definitions: dict[str, Any] | None = None, allow_coerce: bool = False
    ) -> Any:
        if allow_coerce and self.allow_null and isinstance(value, str) and value.lower() in _NULLS:
            value = None
        return super().validate(value, definitions, allow_coerce)

    def check(self, value: Any, definitions: dict[str, Any] | None, allow_coerce: bool) -> Any:
        if isinstance(value, bool):
            return value
        if allow_coerce:
            if isinstance(value, str):
                lowered = value.lower()
                if lowered in _TRUE:
                    return True
                if lowered in _FALSE:
                    return False
            elif isinstance(value, int) and value in (0, 1):
                return bool(value)
        return self.error("type")


class _AnyValidator(Validator):
    """Any value, unchanged (no null or default handling)."""

    def validate(
        self, value: Any, definitions: dict[str, Any] | None = None, allow_coerce: bool = False
    ) -> Any:
        return value


_AnyValidator.__name__ = _AnyValidator.__qualname__ = "Any"


def _child_definitions(definitions: dict[str, Any] | None, validator: Validator) -> dict[str, Any]:
    nested = dict(definitions or {})
    depth = _depth(nested) + 1
    if depth > MAX_DEPTH:
        validator.error("depth", max_depth=MAX_DEPTH)
    nested["__depth__"] = depth
    return nested


def _run(validator: Any, value: Any, definitions: dict[str, Any], allow_coerce: bool) -> Any:
    """Validate with a validator instance or a model class (anything with ``validate``)."""
    return validator.validate(value, definitions=definitions, allow_coerce=allow_coerce)


class _Slow(Exception):  # noqa: N818 - a signal, not an error
    """A compiled check cannot decide: the full check decides."""


_SLOW = _Slow()
_UNCOMPILED: Any = object()
_Check = Any  # Callable[[Any], Any]: the value, or raise _SLOW


def _string_check(child: Any) -> Any:
    if type(child) is not String or child.format is not None or child._own_formatter is not None:
        return None
    enum, low, high, regex = child.enum, child.min_length, child.max_length, child._regex
    if enum is None and low is None and high is None and regex is None:

        def plain(value: Any) -> Any:
            if type(value) is str:
                return value
            raise _SLOW

        return plain

    def constrained(value: Any) -> Any:
        if (
            type(value) is not str
            or (enum is not None and value not in enum)
            or (low is not None and len(value) < low)
            or (high is not None and len(value) > high)
            or (regex is not None and not regex.search(value))
        ):
            raise _SLOW
        return value

    return constrained


def _numeric_check(child: Any) -> Any:
    kind = type(child)
    if (kind is not Integer and kind is not Number) or child.multiple_of is not None:
        return None
    enum, low, high = child.enum, child.minimum, child.maximum
    low_open, high_open = child.exclusive_minimum, child.exclusive_maximum
    is_float = kind is Number

    def check(value: Any) -> Any:
        kind_of = type(value)
        if kind_of is int:
            if is_float:
                value = float(value)
        elif not (is_float and kind_of is float and value - value == 0.0):  # finite floats
            raise _SLOW
        if (
            (enum is not None and value not in enum)
            or (low is not None and (value <= low if low_open else value < low))
            or (high is not None and (value >= high if high_open else value > high))
        ):
            raise _SLOW
        return value

    return check


def _boolean_check(child: Any) -> Any:
    if type(child) is not Boolean:
        return None

    def check(value: Any) -> Any:
        if type(value) is bool:
            return value
        raise _SLOW

    return check


def _any_check(child: Any) -> Any:
    return (lambda value: value) if type(child) is _AnyValidator else None


def _field_check(child: Any) -> Any:
    """A fast check of the common, valid values of ``child`` (``None``: none for it)."""
    for make in (_string_check, _numeric_check, _boolean_check, _any_check):
        check = make(child)
        if check is not None:
            return check
    return None


def _compile_object(validator: "Object") -> Any:
    """Compile ``validator``'s walk once, with fast checks of the common valid values.

    The compiled function walks the fields as :meth:`Object.check` does -- same results,
    same errors in the same order -- but accepts a plain valid value of a plain field
    without calling its validator; it raises ``_Slow`` only before validating anything,
    for what only the full walk answers (the depth limit, non-string keys). ``None``
    when the object's options need the full walk every time. With string property names
    (as models have) the walk is generated source (:func:`_generate_walk`).
    """
    if (
        type(validator) is not Object
        or validator._patterns
        or validator.min_properties is not None
        or validator.max_properties is not None
        or validator.additional_properties not in (None, True, False)
    ):
        return None
    required = set(validator.required)
    labels = validator._labels
    fields: list[tuple[str, Any, Any, str, int]] = []
    for key, child in validator.properties.items():
        if key in required:
            missing = 1
        elif hasattr(child, "has_default") and child.has_default():
            missing = 2
        else:
            missing = 0
        fields.append((key, _field_check(child), child, labels[key], missing))
    names = frozenset(validator.properties)
    extras = validator.additional_properties
    def_name = validator.def_name
    if all(type(key) is str for key in names):
        return _generate_walk(validator, fields, names)

    def fast(value: dict[str, Any], definitions: dict[str, Any] | None, allow_coerce: bool) -> Any:
        depth = _depth(definitions) + 1
        if depth > MAX_DEPTH:
            raise _SLOW
        extra_keys = not names.issuperset(value)
        if extra_keys and any(not isinstance(key, str) for key in value):
            raise _SLOW
        nested: dict[str, Any] | None = None
        validated: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for key, check, child, label, missing in fields:
            if key in value:
                item = value[key]
                if check is not None:
                    try:
                        validated[key] = check(item)
                        continue
                    except _Slow:
                        pass
            elif missing == 1:
                errors[label] = validator.error_message("required", field_name=key)
                continue
            elif missing == 2:
                item = child.get_default()
            else:
                continue
            if nested is None:
                nested = dict(definitions or {})
                nested["__depth__"] = depth
                if def_name is not None:
                    nested.setdefault(def_name, validator)
            try:
                validated[key] = child.validate(item, definitions=nested, allow_coerce=allow_coerce)
            except ValidationError as error:
                errors[label] = error.detail
        if extra_keys and extras is not None:
            for key, item in value.items():
                if key not in names:
                    if extras is True:
                        validated[key] = item
                    else:
                        errors[key] = validator.error_message("invalid_property")
        if errors:
            raise ValidationError(errors)
        return validated

    return fast


def _inline_kind(child: Any) -> str | None:
    """The check written inline for ``child``'s plain valid values (``None``: its own)."""
    kind = type(child)
    if kind is String and _string_check(child) is not None:
        plain = child.enum is None and child.min_length is None and child.max_length is None
        return "str" if plain and child._regex is None else None
    if (kind is Integer or kind is Number) and child.multiple_of is None:
        if child.enum is None and child.minimum is None and child.maximum is None:
            return "int" if kind is Integer else "float"
        return None
    if kind is Boolean:
        return "bool"
    if kind is _AnyValidator:
        return "any"
    return None


def _generate_walk(
    validator: "Object", fields: list[tuple[str, Any, Any, str, int]], names: frozenset[str]
) -> Any:
    """The walk of :func:`_compile_object` as one generated function: each field's check
    written out in order (plain types tested inline, others through their fast check),
    so a valid object costs no call per field. Same results and errors, in the same order.
    """
    namespace: dict[str, Any] = {
        "MAX_DEPTH": MAX_DEPTH,
        "_SLOW": _SLOW,
        "_Slow": _Slow,
        "ValidationError": ValidationError,
        "names": names,
        "validator": validator,
    }
    def_name = validator.def_name

    def nest(definitions: dict[str, Any] | None, depth: int) -> dict[str, Any]:
        nested = dict(definitions or {})
        nested["__depth__"] = depth
        if def_name is not None:
            nested.setdefault(def_name, validator)
        return nested

    namespace["_nest"] = nest
    lines = [
        "def fast(value, definitions, allow_coerce):",
        "    depth = (int(definitions.get('__depth__', 0)) if isinstance(definitions, dict)"
        " else 0) + 1",
        "    if depth > MAX_DEPTH:",
        "        raise _SLOW",
        "    extra_keys = not names.issuperset(value)",
        "    if extra_keys and any(not isinstance(key, str) for key in value):",
        "        raise _SLOW",
        "    nested = None",
        "    validated = {}",
        "    errors = {}",
    ]
    for index, (key, check, child, label, missing) in enumerate(fields):
        namespace[f"child{index}"] = child
        namespace[f"check{index}"] = check
        namespace[f"label{index}"] = label
        k = repr(key)

        def slow(indent: str, k: str = k, index: int = index) -> list[str]:
            return [
                f"{indent}if nested is None:",
                f"{indent}    nested = _nest(definitions, depth)",
                f"{indent}try:",
                f"{indent}    validated[{k}] = child{index}.validate(",
                f"{indent}        item, definitions=nested, allow_coerce=allow_coerce",
                f"{indent}    )",
                f"{indent}except ValidationError as error:",
                f"{indent}    errors[label{index}] = error.detail",
            ]

        lines += [f"    if {k} in value:", f"        item = value[{k}]"]
        kind = _inline_kind(child)
        if kind in ("str", "int", "bool"):
            lines += [
                f"        if type(item) is {kind}:",
                f"            validated[{k}] = item",
                "        else:",
                *slow("            "),
            ]
        elif kind == "float":
            lines += [
                "        kind = type(item)",
                "        if kind is int:",
                f"            validated[{k}] = float(item)",
                "        elif kind is float and item - item == 0.0:",  # finite floats
                f"            validated[{k}] = item",
                "        else:",
                *slow("            "),
            ]
        elif kind == "any":
            lines.append(f"        validated[{k}] = item")
        elif check is not None:
            lines += [
                "        unsure = False",
                "        try:",
                f"            validated[{k}] = check{index}(item)",
                "        except _Slow:",
                "            unsure = True",
                "        if unsure:",  # validated outside the handler: no chained context
                *slow("            "),
            ]
        else:
            lines += slow("        ")
        if missing == 1:
            lines += [
                "    else:",
                f"        errors[label{index}] = validator.error_message("
                f"'required', field_name={k})",
            ]
        elif missing == 2:
            lines += ["    else:", f"        item = child{index}.get_default()", *slow("        ")]
    extras = validator.additional_properties
    if extras is not None:
        lines += [
            "    if extra_keys:",
            "        for key, item in value.items():",
            "            if key not in names:",
            "                validated[key] = item"
            if extras is True
            else "                errors[key] = validator.error_message('invalid_property')",
        ]
    lines += ["    if errors:", "        raise ValidationError(errors)", "    return validated"]
    name = f"<walk of {validator.def_name or 'Object'}>"
    exec(compile("\n".join(lines), name, "exec"), namespace)  # noqa: S102 - source made above
    return namespace["fast"]


class Object(Validator):
    """A mapping with declared properties (``additional_properties=None`` drops extras)."""

    def __init__(
        self,
        properties: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        pattern_properties: Mapping[str, Any] | None = None,
        additional_properties: Any = True,
        min_properties: int | None = None,
        max_properties: int | None = None,
        required: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        _check_length("min_properties", min_properties)
        _check_length("max_properties", max_properties)
        if additional_properties not in (None, True, False) and not _is_validator(
            additional_properties
        ):
            msg = (
                "additional_properties must be a bool, None or a validator, "
                f"not {additional_properties!r}"
            )
            raise ArgumentTypeError(msg)
        super().__init__(**kwargs)
        self.properties = dict(properties or {})
        self.pattern_properties = dict(pattern_properties or {})
        self._patterns = [(re.compile(p), v) for p, v in self.pattern_properties.items()]
        self.additional_properties = additional_properties
        self.min_properties = min_properties
        self.max_properties = max_properties
        self.required = list(required or [])
        self._labels = {
            key: getattr(child, "title", "") or key for key, child in self.properties.items()
        }
        self._fast: Any = _UNCOMPILED

    def dict_check(self) -> "Callable[[dict[str, Any], dict[str, Any] | None, bool], Any] | None":
        """``validate(value, definitions, allow_coerce)`` for a ``dict`` value, compiled:
        the same results and errors, without the generic steps (``None`` for a subclass,
        which may validate otherwise). ``definitions`` is only read, never changed."""
        if type(self) is not Object:
            return None
        fast = self._fast
        if fast is _UNCOMPILED:
            fast = self._fast = _compile_object(self)
        check = self.check

        def run(
            value: dict[str, Any], definitions: dict[str, Any] | None, allow_coerce: bool
        ) -> Any:
            if fast is not None:
                try:
                    return fast(value, definitions, allow_coerce)
                except _Slow:
                    pass  # what only the full walk answers
            return check(value, dict(definitions or {}), allow_coerce)

        return run

    def check(self, value: Any, definitions: dict[str, Any] | None, allow_coerce: bool) -> Any:
        if not isinstance(value, Mapping):
            self.error("type")
        fast = self._fast
        if fast is _UNCOMPILED:
            fast = self._fast = _compile_object(self)
        if fast is not None and type(value) is dict:
            try:
                return fast(value, definitions, allow_coerce)
            except _Slow:
                pass  # what only the full walk below answers
        definitions = _child_definitions(definitions, self)
        if self.def_name is not None:
            definitions.setdefault(self.def_name, self)
        if any(not isinstance(key, str) for key in value):
            self.error("invalid_key")
        if self.min_properties is not None and len(value) < self.min_properties:
            self.error("empty" if self.min_properties == 1 else "min_properties")
        if self.max_properties is not None and len(value) > self.max_properties:
            self.error("max_properties")
        validated: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        labels = self._labels
        for key, child in self.properties.items():
            if key in value:
                try:
                    validated[key] = child.validate(
                        value[key], definitions=definitions, allow_coerce=allow_coerce
                    )
                except ValidationError as error:
                    errors[labels[key]] = error.detail
                continue
            if key in self.required:
                errors[labels[key]] = self.error_message("required", field_name=key)
            elif hasattr(child, "has_default") and child.has_default():
                try:  # a default is validated like a given value (a string becomes a date...)
                    validated[key] = child.validate(
                        child.get_default(), definitions=definitions, allow_coerce=allow_coerce
                    )
                except ValidationError as error:
                    errors[labels[key]] = error.detail
        for key, item in value.items():
            if key in self.properties:
                continue
            for regex, child in self._patterns:
                if regex.search(key):
                    try:
                        validated[key] = _run(child, item, definitions, allow_coerce)
                    except ValidationError as error:
                        errors[key] = error.detail
                    break
            else:
                if self.additional_properties is True:
                    validated[key] = item
                elif self.additional_properties is False:
                    errors[key] = self.error_message("invalid_property")
                elif self.additional_properties is not None:
                    try:
                        validated[key] = _run(
                            self.additional_properties, item, definitions, allow_coerce
                        )
                    except ValidationError as error:
                        errors[key] = error.detail
        if errors:
            raise ValidationError(errors)
        return validated


class Array(Validator):
    """A list; ``items`` is one validator (or model class), or a list for tuple checks."""

    def __init__(
        self,
        items: Any = None,
        additional_items: Any = None,
        min_items: int | None = None,
        max_items: int | None = None,
        unique_items: bool = False,
        **kwargs: Any,
    ) -> None:
        if items is not None and not _is_validator(items):
            if not isinstance(items, list | tuple) or not all(map(_is_validator, items)):
                msg = f"items must be a validator, a model or a list of them, not {items!r}"
                raise ArgumentTypeError(msg)
        if additional_items not in (None, True, False) and not _is_validator(additional_items):
            msg = f"additional_items must be a bool, None or a validator, not {additional_items!r}"
            raise ArgumentTypeError(msg)
        _check_length("min_items", min_items)
        _check_length("max_items", max_items)
        _check_bounds("min_items", min_items, "max_items", max_items)
        _check_flag("unique_items", unique_items)
        super().__init__(**kwargs)
        self.items = items
        self.additional_items = additional_items
        self.min_items = min_items
        self.max_items = max_items
        self.unique_items = unique_items

    def check(self, value: Any, definitions: dict[str, Any] | None, allow_coerce: bool) -> Any:
        if not isinstance(value, list | tuple):
            self.error("type")
        definitions = _child_definitions(definitions, self)
        count = len(value)
        if (
            self.min_items is not None
            and self.min_items == self.max_items
            and count != self.min_items
        ):
            self.error("exact_items")
        if self.min_items is not None and count < self.min_items:
            self.error("empty" if self.min_items == 1 else "min_items")
        if self.max_items is not None and count > self.max_items:
            self.error("max_items")
        if (
            isinstance(self.items, list | tuple)
            and self.additional_items is False
            and count > len(self.items)
        ):
            self.error("additional_items")
        validated: list[Any] = []
        errors: dict[int, Any] = {}
        seen: list[Any] = []
        for index, item in enumerate(value):
            if isinstance(self.items, list | tuple):
                child = self.items[index] if index < len(self.items) else self.additional_items
            else:
                child = self.items
            try:
                result = (
                    item
                    if child in (None, True, False)
                    else _run(child, item, definitions, allow_coerce)
                )
            except ValidationError as error:
                errors[index] = error.detail
                continue
            if self.unique_items:
                marker = (type(result) is bool, result)
                if marker in seen:
                    errors[index] = self.error_message("unique_items")
                    continue
                seen.append(marker)
            validated.append(result)
        if errors:
            raise ValidationError(errors)
        return validated


class Union(Validator):
    """The first of ``items`` that validates."""

    def __init__(self, items: Sequence[Validator], **kwargs: Any) -> None:
        if not isinstance(items, list | tuple) or not all(map(_is_validator, items)):
            msg = f"items must be a list of validators, not {items!r}"
            raise ArgumentTypeError(msg)
        super().__init__(**kwargs)
        self.items = list(items)

    def __lshift__(self, options: Mapping[str, Any]) -> "Union":
        if not isinstance(options, Mapping):
            raise AssertionError((777, "<< operator need Mapping object."))
        Validator.__init__(self, **{**self._common(), **options})
        return self

    def _common(self) -> dict[str, Any]:
        names = (
            "title",
            "description",
            "default",
            "allow_null",
            "definitions",
            "def_name",
            "model",
        )
        return {name: getattr(self, name) for name in names}

    def validate(
        self, value: Any, definitions: dict[str, Any] | None = None, allow_coerce: bool = False
    ) -> Any:
        if value is None and self.has_default():
            value = self.get_default()
        if value is None:
            if self.allow_null:
                return None
            self.error("null")
        for item in self.items:
            try:
                return _run(item, value, definitions or {}, allow_coerce)
            except ValidationError:
                continue
        return self.error("union")


class Ref(Validator):
    """A reference to an enclosing model by class name (self-reference works)."""

    def __init__(self, ref: str, **kwargs: Any) -> None:
        _check_optional("ref", ref, str, "a str")
        super().__init__(**kwargs)
        self.ref = ref

    def check(self, value: Any, definitions: dict[str, Any] | None, allow_coerce: bool) -> Any:
        target = (definitions or {}).get(self.ref)
        if target is None:
            msg = f"Ref({self.ref!r}) names no enclosing model."
            raise KeyError(msg)
        model = getattr(target, "model", None) or target
        return _run(model, value, definitions or {}, allow_coerce)


class Proxy(Validator):
    """Delegates to ``type.validate`` (a model class, say), with null and default handling."""

    def __init__(self, type: Any, **kwargs: Any) -> None:  # noqa: A002
        super().__init__(**kwargs)
        self.type = type

    def get_default(self) -> Any:
        """The default (a mapping or a factory's result), validated into the model."""
        value = super().get_default()
        return None if value is None else _run(self.type, value, {}, False)

    def check(self, value: Any, definitions: dict[str, Any] | None, allow_coerce: bool) -> Any:
        return _run(self.type, value, definitions or {}, allow_coerce)


#: ``validators.Any``: accepts any value unchanged (the name shadows ``typing.Any`` here only).
Any = _AnyValidator  # type: ignore[misc,assignment]  # noqa: F811
