"""apistellar-shell: an IPython shell with apistellar's injection and top-level ``await``.

``apistellar shell`` (or the original's ``apistar-console``) in a project folder opens it.
"""

from ._shell import Shell, ShellClient, build_namespace, start

__all__ = ["Shell", "ShellClient", "build_namespace", "start"]
