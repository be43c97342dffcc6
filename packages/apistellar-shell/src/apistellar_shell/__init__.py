"""apistellar-shell: an IPython shell with apistellar's injection and top-level ``await``.

``apistellar shell`` (or the original's ``apistar-console``) in a project folder opens it.
"""

from importlib.metadata import version as _distribution_version

from ._shell import Mocker, Shell, ShellClient, build_namespace, start

__version__ = _distribution_version("apistellar-shell")

__all__ = ["Mocker", "Shell", "ShellClient", "build_namespace", "start"]
