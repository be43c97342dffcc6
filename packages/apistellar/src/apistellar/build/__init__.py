"""``apistellar.build``: the original package of the scaffolding command (re-exports).

``main`` is ``apistar-create``; the tasks are in :mod:`apistellar.build.tasks`.
"""

from apistellar_web.cli import create_main as main

__all__ = ["main"]
