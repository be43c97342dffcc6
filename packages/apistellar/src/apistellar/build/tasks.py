"""``apistellar.build.tasks``: the original module of the scaffolding tasks (re-exports).

A project's ``tasks.py`` written for the original (``from apistellar.build.tasks import
ModuleTask``) keeps working; the names live in :mod:`apistellar_web.cli.tasks` and
:mod:`apistellar_web.cli.builtin_tasks`.
"""

from apistellar_web.cli.builtin_tasks import Model, Project, Service, Solo
from apistellar_web.cli.tasks import ModuleTask, Task

__all__ = ["Model", "ModuleTask", "Project", "Service", "Solo", "Task"]
