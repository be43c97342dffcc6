"""The built-in scaffolding tasks, rendered from ``cli/templates/<task>/``.

``-t DIR`` with a ``DIR/<task>/`` folder replaces a built-in template folder; it is
rendered with the same variables:

* ``project``: ``name``, ``dirname``, ``project_dir``, ``secret_key``.
* ``service``: ``class_name``, ``module_name``, ``dirname``, ``father`` (the controller
  class to subclass) and ``father_import`` (its import line, or ``""``).
* ``model``: ``class_name``, ``module_name``, ``dirname`` (``-p`` or the module name),
  ``fields`` (``(name, ValidatorClass)`` pairs), ``type_base`` (``Type`` or, with
  ``-a``, ``AsyncType``), ``module`` and ``cls`` (the ``-d module:Class`` driver, or
  ``None``).
* ``solo``: ``class_name``, ``module_name``, ``command``, ``project_name``, ``dirname``
  (``<project>/<module>``) and ``back_trace`` (``../../``, from there back to the folder
  of ``web_app.py``, where ``solo_app.py`` goes).
"""

import argparse
import importlib.util
import os
import re
import secrets
from pathlib import Path
from typing import Any

from .scaffold import NAME, ScaffoldError
from .tasks import ModuleTask, Task

__all__ = ["BUILTIN_TASKS", "Model", "Project", "Service", "Solo"]

VALIDATORS = {
    "string": "String",
    "str": "String",
    "integer": "Integer",
    "int": "Integer",
    "number": "Number",
    "float": "Number",
    "boolean": "Boolean",
    "bool": "Boolean",
    "date": "Date",
    "time": "Time",
    "datetime": "DateTime",
    "uuid": "UUID",
    "array": "Array",
    "object": "Object",
    "any": "Any",
}


def _location(kwargs: dict[str, Any]) -> Path:
    return Path(str(kwargs.get("location") or "."))


class Project(Task):
    """create a project"""

    @classmethod
    def enrich_parser(cls, sub_parser: argparse.ArgumentParser) -> None:
        """One project name."""
        sub_parser.add_argument("name", nargs=1, help="project name")

    def validate_name(self, name: str) -> str:
        """An identifier that is not already importable."""
        if not NAME.match(name):
            raise ScaffoldError(
                f"The project name {name!r} may contain only letters, digits and "
                "underscores, and must start with a letter."
            )
        try:
            taken = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            taken = True
        if taken:
            raise ScaffoldError(f"Module {name!r} already exists!")
        return name

    def enrich_kwargs(self, name: Any) -> None:
        """``name``, ``dirname``, ``project_dir`` and a fresh random ``secret_key``."""
        super().enrich_kwargs(name)
        self.kwargs["project_dir"] = str((_location(self.kwargs) / name).resolve())
        self.kwargs["secret_key"] = secrets.token_hex(32)


_CONTROLLER_CLASS = re.compile(r"class\s+(\w*Controller)\(\s*[\w.]*Controller\s*\)\s*:")


class Service(ModuleTask):
    """create a service"""

    @classmethod
    def enrich_parser(cls, sub_parser: argparse.ArgumentParser) -> None:
        """One or more service names."""
        sub_parser.add_argument("name", nargs="+", help="service module names")

    def enrich_kwargs(self, name: Any) -> None:
        """Nest under the controller of the folder: ``controller.py`` or ``__init__.py``."""
        super().enrich_kwargs(name)
        father, father_import = "Controller", ""
        for module, source in (("controller", ".."), ("__init__", "..")):
            path = _location(self.kwargs) / f"{module}.py"
            if not path.is_file():
                continue
            match = _CONTROLLER_CLASS.search(path.read_text(encoding="utf-8"))
            if match:
                father = match.group(1)
                where = source if module == "__init__" else f"{source}{module}"
                father_import = f"from {where} import {father}"
                break
        self.kwargs["father"] = father
        self.kwargs["father_import"] = father_import


class Model(ModuleTask):
    """create a model"""

    @staticmethod
    def to_list(value: str) -> list[str]:
        """``-n NAME`` as a list of one name, as the other tasks' names."""
        return [value]

    @classmethod
    def enrich_parser(cls, sub_parser: argparse.ArgumentParser) -> None:
        """``-n NAME [-p PATH] [-a] [-d module:Class] [field:type ...]``."""
        sub_parser.add_argument("-n", "--name", type=cls.to_list, help="the model's name")
        sub_parser.add_argument("-p", "--path", help="the folder of the model file (a service)")
        sub_parser.add_argument(
            "-a", "--async", action="store_true", help="an AsyncType (fields loaded by load())"
        )
        sub_parser.add_argument("-d", "--driver", help="a driver to inject, module:Class")
        sub_parser.add_argument("fields", nargs="*", help="field:type pairs, e.g. id:integer")

    def create(self, env: Any, **kwargs: Any) -> list[Path]:
        """One model per ``-n`` name."""
        if not kwargs.get("name"):
            raise ScaffoldError("Name the model: apistellar create model -n NAME [field:type ...].")
        return super().create(env, **kwargs)

    def enrich_kwargs(self, name: Any) -> None:
        """``fields``, ``type_base``, the driver's ``module``/``cls``, and ``dirname``."""
        super().enrich_kwargs(name)
        fields = []
        for spec in self.kwargs.get("fields") or []:
            if isinstance(spec, tuple):  # already rendered for an earlier name
                fields.append(spec)
                continue
            field, _, kind = str(spec).partition(":")
            if not field.isidentifier():
                raise ScaffoldError(f"Invalid field name {field!r} in {spec!r}.")
            validator = VALIDATORS.get(kind.strip().lower() or "string")
            if validator is None:
                known = ", ".join(sorted(set(VALIDATORS)))
                raise ScaffoldError(
                    f"Unknown field type {kind!r} in {spec!r}; known types: {known}."
                )
            fields.append((field, validator))
        self.kwargs["fields"] = fields
        self.kwargs["type_base"] = "AsyncType" if self.kwargs.get("async") else "Type"
        driver = self.kwargs.get("driver")
        module, cls = None, None
        if driver:
            module, sep, cls = str(driver).partition(":")
            if not sep or not module or not cls.isidentifier():
                raise ScaffoldError(f"Invalid driver {driver!r}: give module:Class.")
        self.kwargs["module"], self.kwargs["cls"] = module, cls
        self.kwargs["dirname"] = self.kwargs.get("path") or self.kwargs["dirname"]


class Solo(ModuleTask):
    """create an offline task (run next to web_app.py)"""

    @classmethod
    def enrich_parser(cls, sub_parser: argparse.ArgumentParser) -> None:
        """One or more solo names."""
        sub_parser.add_argument("name", nargs="+", help="offline task names")

    def enrich_kwargs(self, name: Any) -> None:
        """``project_name`` (this folder's name), ``dirname`` and ``back_trace``."""
        super().enrich_kwargs(name)
        here = _location(self.kwargs)
        if not (here / "web_app.py").is_file():
            raise ScaffoldError(
                "Run 'apistellar create solo' in the project folder, next to web_app.py "
                "(src/<project>/)."
            )
        project = here.resolve().name
        if not (here / project).is_dir():
            raise ScaffoldError(f"The project package {project!r} is missing in {str(here)!r}.")
        self.kwargs["project_name"] = project
        self.kwargs["command"] = self.kwargs["class_name"].lower()
        self.kwargs["dirname"] = os.path.join(project, self.kwargs["module_name"])
        self.kwargs["back_trace"] = ".." + os.sep + ".." + os.sep


#: The template-folder tasks built in, by sub-command name.
BUILTIN_TASKS: dict[str, type[Task]] = {
    task.task_name(): task for task in (Project, Service, Model, Solo)
}
