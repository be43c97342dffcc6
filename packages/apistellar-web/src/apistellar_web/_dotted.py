"""``import_string``: the object a dotted path names, for every setting or option that
names one (``LOCAL_VARIABLE`` types, ``ERROR_DESC``, ``-p`` parsers)."""

import importlib
from typing import Any

from .exceptions import ConfigurationError

__all__ = ["import_string"]


def import_string(dotted: str, *, setting: str = "The path") -> Any:
    """The object ``dotted`` names: ``package.module.name`` or ``package.module:name``
    (after a colon, ``name`` may itself be dotted: ``module:Class.attribute``).

    Args:
        dotted: the path.
        setting: what named it, for the message (``"LOCAL_VARIABLE"``...).

    Raises:
        ConfigurationError: ``<setting> names '<dotted>', which cannot be imported: ...``.
    """
    if ":" in dotted:
        module_name, _, attribute = dotted.partition(":")
    else:
        module_name, _, attribute = dotted.rpartition(".")
    try:
        if not module_name or not attribute:
            msg = "give package.module.name or package.module:name"
            raise ValueError(msg)
        value: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            value = getattr(value, part)
    except (ImportError, AttributeError, ValueError) as error:
        msg = f"{setting} names {dotted!r}, which cannot be imported: {error}"
        raise ConfigurationError(msg) from None
    return value
