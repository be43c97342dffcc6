"""Scaffolding tasks: ``Task`` subclasses become ``apistellar create`` sub-commands.

The built-in tasks (``project``, ``service``, ``model``, ``solo``) are tasks too, and a
``tasks.py`` in the folder the command runs in adds more: every :class:`Task` subclass in
its namespace (also imported ones) becomes ``apistellar create <name>``, the name being the
lower-cased class name (a built-in task of the same name wins). A task renders the
template folder named after it, found in the first of these roots that has one: the
``-t``/``--templates`` folder, then ``templates/`` next to ``tasks.py``, then the
templates shipped in this package (``apistellar_web/cli/templates/``).

Templates are Jinja2 (no autoescaping: they are source files); ``self.kwargs`` (the
parsed command line plus what :meth:`Task.enrich_kwargs` adds) is their context. In file
and folder names ``${var}`` is replaced by ``kwargs["var"]``, a trailing ``.tmpl`` is
dropped and ``__pycache__`` folders are skipped. A rendered path must stay inside the
destination folder or the folder the command runs in (``-l``), so a template never
writes elsewhere.
"""

import argparse
import importlib.util
import inspect
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

from .project import on_sys_path
from .scaffold import NAME, ScaffoldError, Writer, class_and_module, words

__all__ = [
    "BUILTIN_TEMPLATES",
    "ModuleTask",
    "Task",
    "environment",
    "load_tasks",
    "run_task",
    "template_roots",
]

#: The templates of the built-in tasks, one folder per task.
BUILTIN_TEMPLATES = Path(__file__).resolve().parent / "templates"

_VARIABLE = re.compile(r"\$\{(\w+)\}")


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


class Task:
    """A scaffolding task; subclass it in ``tasks.py`` (see the module docstring).

    ``apistellar create <task> NAME [NAME ...]`` calls :meth:`create` with the parsed
    command line (``task`` is the task's name). For each name it calls
    :meth:`validate_name`, passes what that returns (the name itself by default) to
    :meth:`enrich_kwargs` (which must set ``kwargs["dirname"]``, the destination folder),
    then copies the task's template folder there with :meth:`copytree`.
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
        self.write: Writer = write or Writer()
        #: The template root the task renders from (set by the command).
        self.template: Path | None = None
        self.created: list[Path] = []

    @classmethod
    def task_name(cls) -> str:
        """The sub-command name: the lower-cased class name."""
        return cls.__name__.lower()

    @classmethod
    def enrich_parser(cls, sub_parser: argparse.ArgumentParser) -> None:
        """Add the task's arguments; by default one or more names."""
        sub_parser.add_argument("names", nargs="+", help="what to create")

    def validate_name(self, name: str) -> Any:
        """Refuse a name (raise :class:`ScaffoldError` or ``assert``); by default an identifier.

        What it returns is what :meth:`enrich_kwargs` receives.
        """
        if not NAME.match(name):
            raise ScaffoldError(
                f"name: {name!r} may contain only letters, digits and underscores, "
                "and must start with a letter."
            )
        return name

    def enrich_kwargs(self, name: Any) -> None:
        """Add the template variables of ``name``; must set ``kwargs["dirname"]``."""
        self.kwargs["name"] = name
        self.kwargs["dirname"] = name

    def create(self, env: Any, **kwargs: Any) -> list[Path]:
        """Render the task's templates once per name; the written paths.

        ``kwargs`` are the parsed command line: ``task`` (the template folder), and the
        names in ``name`` (the original's argument) or ``names``.
        """
        task = str(kwargs.pop("task", None) or self.task_name())
        names = _names(kwargs.pop("name", None), kwargs.pop("names", None))
        self.kwargs.update(kwargs)
        for name in names:
            self.kwargs["name"] = name
            value = self.validate_name(name)
            self.enrich_kwargs(name if value is None else value)
            if "dirname" not in self.kwargs:
                raise ScaffoldError(f"{type(self).__name__}.enrich_kwargs did not set dirname.")
            self.copytree(env, task)
        return self.created

    def _destination(self, dest_path: str | Path | None) -> Path:
        location = Path(str(self.kwargs.get("location") or "."))
        return location / Path(str(dest_path if dest_path is not None else self.kwargs["dirname"]))

    def copytree(self, env: Any, task: str, dest_path: str | Path | None = None) -> list[Path]:
        """Render the template folder ``task`` of ``env``'s root into ``dest_path``.

        ``dest_path`` defaults to ``kwargs["dirname"]``; a relative one is taken from the
        ``location`` argument (the current folder by default).
        """
        import jinja2

        root = Path(env.loader.searchpath[0])
        source = root / task
        destination = self._destination(dest_path)
        base = Path(str(self.kwargs.get("location") or "."))
        written: list[Path] = []
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if "__pycache__" in relative.parts or not path.is_file():
                continue
            rendered = destination.joinpath(*(self.render_path_name(p) for p in relative.parts))
            target = Path(os.path.normpath(rendered))
            if not (_inside(target, destination) or _inside(target, base)):
                raise ScaffoldError(
                    f"The template {relative.as_posix()!r} renders to an unsafe name "
                    f"{str(target)!r}, outside {str(destination)!r}."
                )
            try:
                template = env.get_template(f"{task}/{relative.as_posix()}")
                text = template.render(**self.kwargs)
            except jinja2.TemplateError as error:
                raise ScaffoldError(f"Template {str(path)!r}: {error}") from error
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

        name = _VARIABLE.sub(value, Path(path).name).removesuffix(".tmpl")
        if not name or name in (".", ".."):
            raise ScaffoldError(f"The template name {path!r} renders to an unsafe name {name!r}.")
        return name


def _names(name: Any, names: Any) -> list[str]:
    found: list[str] = []
    for value in (name, names):
        if value is None:
            continue
        found += [value] if isinstance(value, str) else [str(v) for v in value]
    return found


class ModuleTask(Task):
    """A task whose names become a ``ClassName`` and a ``module_name`` (as ``create service``).

    :meth:`validate_name` returns the name's words; ``group-admin`` gives ``class_name =
    "GroupAdmin"`` and ``module_name = "group_admin"``; the destination folder is the
    module name.
    """

    abstract = True

    def validate_name(self, name: str) -> Any:
        """The words of ``name``; refuses names without words or starting with a digit."""
        return words(name)

    def enrich_kwargs(self, name: Any) -> None:
        """``class_name``, ``module_name`` and ``dirname`` from the words (or a name)."""
        parts = words(name) if isinstance(name, str) else list(name)
        class_name, module_name = class_and_module(parts)
        self.kwargs.update(class_name=class_name, module_name=module_name, dirname=module_name)


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
    """Where task templates are looked for, in order (the built-in templates last)."""
    roots = [Path(explicit)] if explicit else []
    if tasks_file is not None:
        roots.append(tasks_file.parent / "templates")
    roots.append(BUILTIN_TEMPLATES)
    return roots


def environment(task: str, roots: Iterable[Path]) -> Any:
    """A Jinja2 environment rooted at the first root that has a ``task`` folder."""
    import jinja2

    looked = list(roots)
    for root in looked:
        if (root / task).is_dir():
            loader = jinja2.FileSystemLoader(str(root))
            return jinja2.Environment(
                loader=loader, keep_trailing_newline=True, undefined=jinja2.StrictUndefined
            )
    where = ", ".join(str(r) for r in looked if r != BUILTIN_TEMPLATES)
    raise ScaffoldError(
        f"No template folder {task!r} found; looked in {where or 'nowhere (pass -t TEMPLATES)'}."
    )


def run_task(
    task: type[Task], arguments: Mapping[str, Any], roots: list[Path], write: Writer
) -> list[Path]:
    """Run one task with the parsed ``arguments``, as the original did: ``create(env, **args)``."""
    env = environment(task.task_name(), roots)
    instance = task()
    instance.write = write
    instance.template = Path(env.loader.searchpath[0])
    return list(instance.create(env, task=task.task_name(), **arguments) or instance.created)
