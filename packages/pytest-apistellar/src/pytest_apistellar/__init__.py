"""pytest-apistellar: the pytest plugin of apistellar (loaded through the ``pytest11`` entry point).

It provides the ``env``, ``settings``, ``prop``, ``item``, ``path`` and ``syspath``
markers, session-wide mocks from the ini file, and the ``server``, ``join_root_dir``,
``session_mock`` and ``mock`` fixtures (see ``plugin``); :func:`prop_alias` shortens
``prop`` markers.
"""

from importlib.metadata import version as _distribution_version

from .mocks import PropCascadeWarning, prop_alias
from .overrides import SettingsFixture

__version__ = _distribution_version("pytest-apistellar")

__all__ = ["PropCascadeWarning", "SettingsFixture", "prop_alias"]
