"""Custom scaffolding tasks: ``Task`` subclasses become ``apistellar create`` sub-commands.

A ``tasks.py`` in the folder the command runs in is imported; every :class:`Task`
subclass in its namespace (also imported ones) becomes ``apistellar create <name>``, the
name being the lower-cased class name (a built-in task of the same name wins). A task
renders the template folder named after it, found in the first of these roots that has
one: the ``-t``/``--templates`` folder, then ``templates/`` next to ``tasks.py``.

Templates are Jinja2 (no autoescaping: they are source files); ``self.kwargs`` (the
parsed command line plus what :meth:`Task.enrich_kwargs` adds) is their context. In file
and folder names ``${var}`` is replaced by ``kwargs["var"]``, a trailing ``.tmpl`` is
dropped and ``__pycache__`` folders are skipped; a rendered name may not contain a path
separator or be ``.``/``..``, so nothing is written outside the destination folder.
"""

import argparse
import importlib.util
import inspect
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

from .project import on_sys_path
from .scaffold import NAME, ScaffoldError, Writer, words, writer

__all__ = ["ModuleTask", "Task", "environment", "load_tasks", "run_task", "template_roots"]

_VARIABLE = re.compile(r"\$\{(\w+)\}")


class Task:
    """A scaffolding task; subclass it in ``tasks.py`` (see the module docstring).

    ``apistellar create <task> NAME [NAME ...]`` runs :meth:`create`, which for each name
    calls :meth:`validate_name` and :meth:`enrich_kwargs` (which must set
    ``kwargs["dirname"]``, the destination folder), then copies the task's template folder
    there with :meth:`copytree`.
    """

    #: Not offered as a sub-command (a base for other tasks).
    abstract: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "abstract" not in cls.__dict__:
            cls.abstract = False

    def __init__(self, kwargs: Mapping[str, Any] | None = None, write: Writer | None = None):
        self.kwargs: dict[str, Any] = dict(kwargs or {})
        #: Writes one file; by default existing files are kept (the command asks or forces).
        self.write: Writer = write or writer(force=False, ask=None)
        self.created: list[Path] = []

    @classmethod
    def task_name(cls) -> str:
        """The sub-command name: the lower-cased class name."""
        return cls.__name__.lower()

    @classmethod
    def enrich_parser(cls, sub_parser: argparse.ArgumentParser) -> None:
        """Add the task's arguments; by default one or more names."""
        sub_parser.add_argument("names", nargs="+", help="what to create")

    def validate_name(self, name: str) -> None:
        """Refuse a name (raise :class:`ScaffoldError`); by default a Python identifier."""
        if not NAME.match(name):
            raise ScaffoldError(
                f"name: {name} may contain only letters, digits and underscores, "
                "and must start with a letter."
            )

    def enrich_kwargs(self, name: str) -> None:
        """Add the template variables of ``name``; must set ``kwargs["dirname"]``."""
        self.kwargs["name"] = name
        self.kwargs["dirname"] = name

    def create(self, env: Any, **kwargs: Any) -> list[Path]:
        """Render the task's templates once per name; the written paths."""
        self.kwargs.update(kwargs)
        names = self.kwargs.get("names") or [self.kwargs.get("name", "")]
        for name in names:
            self.validate_name(name)
            self.enrich_kwargs(name)
            if "dirname" not in self.kwargs:
                raise ScaffoldError(f"{type(self).__name__}.enrich_kwargs did not set dirname.")
            self.copytree(env, self.task_name(), Path(str(self.kwargs["dirname"])))
        return self.created

    def copytree(self, env: Any, task: str, dest_path: Path | None = None) -> list[Path]:
        """Render the template folder ``task`` of ``env``'s root into ``dest_path``."""
        root = Path(env.loader.searchpath[0])
        source = root / task
        destination = Path(dest_path if dest_path is not None else self.kwargs["dirname"])
        written: list[Path] = []
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if "__pycache__" in relative.parts or not path.is_file():
                continue
            target = destination.joinpath(*(self.render_path_name(p) for p in relative.parts))
            template = env.get_template(f"{task}/{relative.as_posix()}")
            text = template.render(**self.kwargs)
            if self.write(target, text):
                written.append(target)
        self.created += written
        return written

    def render_path_name(self, path: str) -> str:
        """One file or folder name with ``${var}`` filled in and ``.tmpl`` dropped."""

        def value(match: re.Match[str]) -> str:
            if match.group(1) not in self.kwargs:
                raise ScaffoldError(f"Unknown variable ${{{match.group(1)}}} in {path!r}.")
            return str(self.kwargs[match.group(1)])

        name = _VARIABLE.sub(value, path)
        name = name.removesuffix(".tmpl")
        if not name or name in (".", "..") or "/" in name or "\\" in name:
            raise ScaffoldError(f"The template name {path!r} renders to an unsafe name {name!r}.")
        return name


class ModuleTask(Task):
    """A task whose names become a ``ClassName`` and a ``module_name`` (as ``create service``).

    ``group-admin`` gives ``class_name = "GroupAdmin"`` and ``module_name =
    "group_admin"``; the destination folder is the module name.
    """

    abstract = True

    def validate_name(self, name: str) -> None:
        """Refuse names without words, or starting with a digit."""
        words(name)

    def enrich_kwargs(self, name: str) -> None:
        """``name``, ``class_name``, ``module_name`` and ``dirname``."""
        class_name, module_name = words(name)
        self.kwargs.update(
            name=name, class_name=class_name, module_name=module_name, dirname=module_name
        )


def load_tasks(folder: Path) -> tuple[dict[str, type[Task]], Path | None]:
    """The tasks of ``folder/tasks.py`` by sub-command name, and the file (if any).

    The folder is on ``sys.path`` only while the module is imported.
    """
    path = folder / "tasks.py"
    if not path.is_file():
        return {}, None
    module = _import(path)
    found: dict[str, type[Task]] = {}
    for value in vars(module).values():
        if inspect.isclass(value) and issubclass(value, Task) and not value.abstract:
            found[value.task_name()] = value
    return found, path


def _import(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("_apistellar_user_tasks", path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py file always has one
        raise ScaffoldError(f"Cannot import {path}.")
    module = importlib.util.module_from_spec(spec)
    try:
        with on_sys_path(path.parent):
            spec.loader.exec_module(module)
    except Exception as error:
        raise ScaffoldError(f"Importing {path} failed: {type(error).__name__}: {error}") from error
    return module


def template_roots(explicit: str | None, tasks_file: Path | None) -> list[Path]:
    """Where task templates are looked for, in order."""
    roots = [Path(explicit)] if explicit else []
    if tasks_file is not None:
        roots.append(tasks_file.parent / "templates")
    return roots


def environment(task: str, roots: Iterable[Path]) -> Any:
    """A Jinja2 environment rooted at the first root that has a ``task`` folder."""
    import jinja2

    for root in roots:
        if (root / task).is_dir():
            loader = jinja2.FileSystemLoader(str(root))
            return jinja2.Environment(
                loader=loader, keep_trailing_newline=True, undefined=jinja2.StrictUndefined
            )
    looked = ", ".join(str(r) for r in roots) or "nowhere (pass -t TEMPLATES)"
    raise ScaffoldError(f"No template folder {task!r} found; looked in {looked}.")


def run_task(
    task: type[Task], arguments: Mapping[str, Any], roots: list[Path], write: Writer
) -> list[Path]:
    """Run one custom task with the parsed ``arguments``."""
    instance = task(arguments, write)
    return instance.create(environment(task.task_name(), roots))
