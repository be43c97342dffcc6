"""Settings that are lists of strings (``ALLOWED_HOSTS``, ``WEBSOCKET_ALLOWED_ORIGINS``).

Written in ``settings.py`` as a list, or in the environment as one comma-separated string.
"""

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from .exceptions import ConfigurationError

__all__ = ["string_list"]


def string_list(value: Any, *, setting: str, example: str) -> list[str] | None:
    """The non-blank items of a list-of-strings setting, stripped; ``None`` when unset or empty.

    Raises:
        ConfigurationError: it is neither a string nor a list of strings (``example``
            shows a valid item in the message).
    """
    if value is None or value == "" or value == []:
        return None
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, Sequence | AbstractSet) or not all(
        isinstance(item, str) for item in items
    ):
        msg = f"{setting} must be a list of strings such as {example!r}."
        raise ConfigurationError(msg)
    return [item.strip() for item in items if item.strip()] or None
