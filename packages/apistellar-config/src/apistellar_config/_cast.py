"""Casting strings (environment variables) and loose values to typed settings.

Booleans accept exactly ``true/false/1/0/yes/no/on/off`` in any case. Lists, tuples and
sets accept a JSON array or a comma-separated string; dicts accept a JSON object.
Durations (``timedelta``) accept a number of seconds. Nothing is ever evaluated as code.
"""

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off"})


class CastError(Exception):
    """A value cannot be cast; ``expected`` says to what."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def to_bool(value: Any) -> bool:
    """Cast a bool, the ints 0/1, or one of the accepted words to ``bool``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise CastError("a boolean (true/false/1/0/yes/no/on/off)")


def to_int(value: Any) -> int:
    """Cast an int, an integral float or a decimal string to ``int`` (bools are refused)."""
    if isinstance(value, bool):
        raise CastError("an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise CastError("an integer")


def to_float(value: Any) -> float:
    """Cast a number or a numeric string to ``float`` (bools are refused)."""
    if isinstance(value, bool):
        raise CastError("a number")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise CastError("a number")


def to_list(value: Any) -> list[Any]:
    """Cast a sequence, a JSON array or a comma-separated string to ``list``."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except (ValueError, RecursionError):  # RecursionError: nested too deep
                raise CastError("a list (a JSON array or comma-separated values)") from None
            if isinstance(parsed, list):
                return parsed
            raise CastError("a list (a JSON array or comma-separated values)")
        return [part.strip() for part in text.split(",") if part.strip()] if text else []
    if isinstance(value, list | tuple | set | frozenset) or (
        hasattr(value, "__iter__") and hasattr(value, "__len__") and not isinstance(value, Mapping)
    ):
        return list(value)
    raise CastError("a list (a JSON array or comma-separated values)")


def to_dict(value: Any) -> dict[Any, Any]:
    """Cast a mapping or a JSON object string to ``dict``."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except (ValueError, RecursionError):  # RecursionError: nested too deep
            raise CastError("a mapping (a JSON object)") from None
        if isinstance(parsed, dict):
            return parsed
    raise CastError("a mapping (a JSON object)")


def to_timedelta(value: Any) -> timedelta:
    """Cast a timedelta or a number of seconds (number or numeric string) to ``timedelta``."""
    if isinstance(value, timedelta):
        return value
    try:
        return timedelta(seconds=to_float(value))
    except (CastError, OverflowError, ValueError):  # also inf, nan and beyond timedelta.max
        raise CastError("a duration in seconds") from None


def cast_like(text: str, current: Any) -> Any:
    """Cast an environment string to the type of the value it overrides.

    Args:
        text: the raw environment value.
        current: the value being overridden; ``None`` or a string keeps ``text`` as is.

    Returns:
        ``text`` converted to ``type(current)``.

    Raises:
        CastError: the text cannot be read as that type.
    """
    if current is None or isinstance(current, str):
        return text
    if isinstance(current, bool):
        return to_bool(text)
    if isinstance(current, int):
        return to_int(text)
    if isinstance(current, float):
        return to_float(text)
    if isinstance(current, timedelta):
        return to_timedelta(text)
    if isinstance(current, Mapping):
        return to_dict(text)
    if isinstance(current, tuple):
        return tuple(to_list(text))
    if isinstance(current, set | frozenset):
        return set(to_list(text))
    if isinstance(current, list) or (hasattr(current, "__iter__") and hasattr(current, "__len__")):
        return to_list(text)
    if isinstance(current, bytes):
        return text.encode()
    raise CastError(f"a value of type {type(current).__name__}, which cannot be set from text")
