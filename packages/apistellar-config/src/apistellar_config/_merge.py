"""How two sources that define the same setting are combined.

The rules are the original apistellar's: dicts merge recursively, sets are
unioned, lists are concatenated with duplicates dropped (first occurrence wins, order
kept); any other value -- including tuples and values of different kinds -- is replaced
by the higher-priority source.
"""

import copy
from collections.abc import Mapping
from typing import Any


def merge_value(lower: Any, higher: Any) -> Any:
    """Combine a lower-priority value with a higher-priority one.

    Args:
        lower: the value already loaded.
        higher: the value from the source with higher priority.

    Returns:
        The combined value (never one of the inputs, so the sources stay untouched).
    """
    if isinstance(lower, Mapping) and isinstance(higher, Mapping):
        merged = {key: copy.deepcopy(value) for key, value in lower.items()}
        for key, value in higher.items():
            merged[key] = merge_value(merged[key], value) if key in merged else copy.deepcopy(value)
        return merged
    if isinstance(lower, set | frozenset) and isinstance(higher, set | frozenset):
        return set(lower) | set(higher)
    if isinstance(lower, list) and isinstance(higher, list):
        combined: list[Any] = []
        for item in [*lower, *higher]:
            if item not in combined:
                combined.append(copy.deepcopy(item))
        return combined
    return copy.deepcopy(higher)


def merge_into(target: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Merge every key of ``values`` into ``target`` in place, following :func:`merge_value`."""
    for key, value in values.items():
        target[key] = merge_value(target[key], value) if key in target else copy.deepcopy(value)
