"""apistellar: the original public API, re-exported from the apistellar distributions.

This module holds no logic: every name is imported from the distribution that owns it.
"""

from apistellar_config import SettingsMixin, init_settings, settings

__all__ = ["SettingsMixin", "init_settings", "settings"]
