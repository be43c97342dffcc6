"""Scaffolding: ``apistellar create project|service|model|solo`` (the original's F76-F80)."""

import importlib.util
import re
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = [
    "ScaffoldError",
    "create_model",
    "create_project",
    "create_service",
    "create_solo",
    "words",
]

NAME = re.compile(r"^[_a-zA-Z]\w*$")
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


class ScaffoldError(Exception):
    """A scaffolding request that cannot be carried out; the message says why."""


def words(name: str) -> tuple[str, str]:
    """``(ClassName, module_name)`` from a name such as ``group-admin``."""
    parts = re.findall(r"[A-Za-z0-9]+", name)
    if not parts:
        raise ScaffoldError(f"name: {name} invalid!")
    if parts[0][0].isdigit():
        raise ScaffoldError(f"name: {name} start with number!")
    return "".join(p.capitalize() for p in parts), "_".join(p.lower() for p in parts)


Writer = Callable[[Path, str], bool]


def writer(force: bool, ask: Callable[[str], str] | None) -> Writer:
    """Write files; an existing file is overwritten only with ``force`` or a ``y`` answer."""

    def write(path: Path, text: str) -> bool:
        if path.exists() and not force:
            answer = ask(f"{path} exists, overwrite? y/n ") if ask else "n"
            if answer.strip().lower() not in ("y", "yes"):
                return False
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
        return True

    return write


def create_project(name: str, where: Path, write: Writer) -> list[Path]:
    """The original project tree, with a pyproject.toml and a fresh random ``SECRET_KEY``."""
    if not NAME.match(name):
        raise ScaffoldError(
            "The project name may contain only letters, digits and underscores, "
            "and must start with a letter."
        )
    if importlib.util.find_spec(name) is not None:
        raise ScaffoldError(f"Module {name} already exists!")
    root = where / name
    app_dir = root / "src" / name
    files = {
        root / "README.md": f"# {name}\n\nAn apistellar project. Run it with:\n\n"
        f"    cd src/{name} && uvicorn web_app:app\n",
        root / "pyproject.toml": PYPROJECT.format(name=name),
        app_dir / "__init__.py": f'"""The {name} project."""\n',
        app_dir / "settings.py": SETTINGS.format(secret=secrets.token_hex(32)),
        app_dir / "web_app.py": WEB_APP.format(name=name),
        app_dir / name / "__init__.py": f'"""Controllers, services and models of {name}."""\n',
        root / "tests" / "conftest.py": CONFTEST.format(name=name),
    }
    return [path for path, text in files.items() if write(path, text)]


def _father(folder: Path) -> tuple[str, str | None]:
    """The controller class to nest under: one found in ``folder/controller.py``."""
    controller = folder / "controller.py"
    if controller.is_file():
        match = re.search(r"class (\w+Controller)\(", controller.read_text(encoding="utf-8"))
        if match:
            return match.group(1), f"from ..controller import {match.group(1)}"
    return "Controller", None


def create_service(names: Sequence[str], where: Path, write: Writer) -> list[Path]:
    """For each name: ``<module>/__init__.py``, ``controller.py`` and ``service.py``."""
    father, father_import = _father(where)
    created: list[Path] = []
    for name in names:
        class_name, module = words(name)
        folder = where / module
        files = {
            folder / "__init__.py": "",
            folder / "service.py": SERVICE.format(cls=class_name),
            folder / "controller.py": CONTROLLER.format(
                cls=class_name,
                module=module,
                father=father,
                father_import=father_import or "",
                controller_import="" if father_import else "Controller, ",
            ),
        }
        created += [path for path, text in files.items() if write(path, text)]
    return created


def create_model(name: str, fields: Sequence[str], where: Path, write: Writer) -> list[Path]:
    """``<module_name>.py`` with a ``Type`` and one validator per ``field:type``."""
    class_name, module = words(name)
    lines = []
    for spec in fields:
        field, _, kind = spec.partition(":")
        if not field.isidentifier():
            raise ScaffoldError(f"Invalid field name {field!r} in {spec!r}.")
        validator = VALIDATORS.get(kind.strip().lower() or "string")
        if validator is None:
            known = ", ".join(sorted(set(VALIDATORS)))
            raise ScaffoldError(f"Unknown field type {kind!r} in {spec!r}; known types: {known}.")
        lines.append(f"    {field} = validators.{validator}()")
    body = "\n".join(lines) or "    pass"
    path = where / f"{module}.py"
    text = MODEL.format(cls=class_name, body=body)
    return [path] if write(path, text) else []


def create_solo(names: Sequence[str], where: Path, write: Writer) -> list[Path]:
    """For each name ``<project>/<module>/{__init__,solo}.py``, and ``solo_app.py`` here.

    Runs in the project folder, next to ``web_app.py`` (``src/<project>/``).
    """
    if not (where / "web_app.py").is_file():
        raise ScaffoldError(
            "Run 'apistellar create solo' in the project folder, next to web_app.py "
            "(src/<project>/)."
        )
    project = where.resolve().name
    if not (where / project).is_dir():
        raise ScaffoldError(f"The project package {project}/ is missing in {where}.")
    created: list[Path] = []
    for name in names:
        class_name, module = words(name)
        folder = where / project / module
        files = {
            folder / "__init__.py": "",
            folder / "solo.py": SOLO.format(
                cls=class_name, module=module, command=class_name.lower()
            ),
        }
        created += [path for path, text in files.items() if write(path, text)]
    if write(where / "solo_app.py", SOLO_APP.format(name=project)):
        created.append(where / "solo_app.py")
    return created


PYPROJECT = """[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "{name}"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["apistellar>=2,<3"]

[tool.hatch.build.targets.wheel]
packages = ["src/{name}"]

[tool.pytest.ini_options]
addopts = ["--import-mode=importlib"]
"""

SETTINGS = '''"""Settings: upper-case names only. Keep SECRET_KEY secret (or set it in the env)."""

SECRET_KEY = "{secret}"
'''

WEB_APP = '''"""The web app: ``uvicorn web_app:app`` from this folder, or ``python web_app.py``."""

import logging
import os

import uvicorn

from apistellar import Application

logging.basicConfig(level=logging.INFO)

app = Application("{name}", current_dir=os.path.dirname(os.path.abspath(__file__)))

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=8000)
'''

CONFTEST = """from apistellar import init_settings

init_settings("{name}.settings")
"""

SERVICE = """from apistellar import Service


class {cls}Service(Service):
    def hello(self) -> str:
        return "hello from {cls}Service"
"""

CONTROLLER = """from apistellar import {controller_import}get, route
{father_import}

from .service import {cls}Service


@route("/{module}", name="{module}")
class {cls}Controller({father}):
    @get("/")
    async def index(self, service: {cls}Service) -> dict:
        return {{"message": service.hello()}}
"""

MODEL = """from apistellar import Type, validators


class {cls}(Type):
{body}
"""

SOLO = '''import argparse

from apistellar import Solo


class {cls}(Solo):
    """The {module} offline task: ``python solo_app.py {command}``."""

    @classmethod
    def enrich_parser(cls, sub_parser: argparse.ArgumentParser) -> None:
        sub_parser.add_argument("--times", type=int, default=1, help="how many rounds")

    async def setup(self) -> None:
        self.logger.info("set up")

    async def run(self) -> None:
        for round_number in range(self.kwargs["times"]):
            self.logger.info("round %d", round_number + 1)

    async def teardown(self) -> None:
        self.logger.info("torn down")
'''

SOLO_APP = '''"""Offline tasks of {name}: ``python solo_app.py <solo> [options]``."""

import logging
import os
import sys

from apistellar import SoloManager

logging.basicConfig(
    level=logging.INFO,
    format="%(asctime)s.%(msecs)d %(filename)s[line:%(lineno)d] %(levelname)s: %(message)s",
)

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    sys.exit(SoloManager("{name}", current_dir=here).start())
'''
