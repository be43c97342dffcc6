"""Optional declared schema: types and required keys, checked once at load time."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ._frozen import FrozenList


@dataclass(frozen=True)
class Spec:
    """What one setting must look like.

    Args:
        type: the accepted type or tuple of types; ``None`` accepts any value.
        required: the setting must be defined by some source.
    """

    type: type | tuple[type, ...] | None = None
    required: bool = False


SchemaLike = Mapping[str, "Spec | type | tuple[type, ...]"]


def as_spec(entry: "Spec | type | tuple[type, ...]") -> Spec:
    """Normalise a schema entry: a bare type (or tuple of types) means "optional, of that type"."""
    return entry if isinstance(entry, Spec) else Spec(type=entry)


# Frozen settings values are stored as read-only containers: accept them for their plain types.
_ACCEPTED: dict[type, tuple[type, ...]] = {
    dict: (Mapping,),
    list: (list, tuple, FrozenList),
    tuple: (list, tuple, FrozenList),
    set: (set, frozenset),
    frozenset: (set, frozenset),
    float: (float, int),
    timedelta: (timedelta,),
}


def type_name(expected: type | tuple[type, ...]) -> str:
    """Name a type or tuple of types for an error message."""
    if isinstance(expected, tuple):
        return " or ".join(t.__name__ for t in expected)
    return expected.__name__


def matches(value: Any, expected: type | tuple[type, ...]) -> bool:
    """Tell whether ``value`` is of ``expected`` type; bools are not integers or floats here."""
    for kind in expected if isinstance(expected, tuple) else (expected,):
        if isinstance(value, bool) and kind is not bool and kind is not object:
            continue
        if isinstance(value, _ACCEPTED.get(kind, (kind,))):
            return True
    return False


def check(
    schema: SchemaLike, lookup: Mapping[str, tuple[bool, Any, str]], searched: Sequence[str]
) -> list[str]:
    """Return one sentence per violation of ``schema``.

    Args:
        schema: the declared schema.
        lookup: for each key, ``(found, value, origin)``.
        searched: the sources that were searched, for "required" messages.
    """
    problems: list[str] = []
    for key, entry in schema.items():
        spec = as_spec(entry)
        found, value, origin = lookup.get(key, (False, None, ""))
        if not found:
            if spec.required:
                problems.append(
                    f"{key} is required but not defined (looked in: {'; '.join(searched)})"
                )
            continue
        if spec.type is not None and not matches(value, spec.type):
            got = f"{type(value).__name__} {value!r}"
            problems.append(f"{key} must be {type_name(spec.type)}, got {got} from {origin}")
    return problems
