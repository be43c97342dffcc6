"""apistellar-config: the settings registry of apistellar, usable on its own.

Settings come from framework defaults, a Python ``settings`` module, optional YAML
files, environment variables (cast to the type of the value they override) and explicit
overrides, in that order of priority. Values are frozen; ``override_settings`` changes
them for the duration of a ``with`` block in tests.
"""

from importlib.metadata import version as _distribution_version

from ._errors import (
    FrozenError,
    MissingSettingError,
    SettingsError,
    SettingsLoadError,
    SettingsSchemaError,
    SettingsValueError,
)
from ._frozen import FrozenDict, FrozenList
from ._schema import Spec
from ._settings import (
    Settings,
    SettingsMixin,
    init_settings,
    load_settings,
    override_settings,
    settings,
)

__version__ = _distribution_version("apistellar-config")

__all__ = [
    "FrozenDict",
    "FrozenError",
    "FrozenList",
    "MissingSettingError",
    "Settings",
    "SettingsError",
    "SettingsLoadError",
    "SettingsMixin",
    "SettingsSchemaError",
    "SettingsValueError",
    "Spec",
    "init_settings",
    "load_settings",
    "override_settings",
    "settings",
]
