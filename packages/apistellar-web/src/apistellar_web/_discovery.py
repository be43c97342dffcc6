"""Finding a project's modules and the classes they define, scoped to the project package.

The original layout is ``<project>/web_app.py``, ``<project>/settings.py`` and the package
``<project>/<project>/``. Every module of that package is imported (names starting with
``_`` are skipped); only classes *defined* in those modules are collected, so two apps in
one process, or test modules, never leak controllers, components or hooks into each other.
Nothing is added to ``sys.path`` and the working directory is never changed.
"""

import importlib
import importlib.util
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from .exceptions import ConfigurationError

__all__ = ["Discovered", "discover", "package_prefix"]


@dataclass
class Discovered:
    """The classes found in a project package, in definition order."""

    modules: list[ModuleType] = field(default_factory=list)
    classes: list[type] = field(default_factory=list)


def _resolves_to(name: str, folder: Path) -> bool:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    return any(
        Path(location).resolve() == folder.resolve() for location in spec.submodule_search_locations
    )


def package_prefix(current_dir: Path) -> str | None:
    """Return the import name of ``<current_dir>/<basename>/``, or ``None`` if there is none.

    Tries ``<basename>.<basename>`` (the project is installed, or its parent is on
    ``sys.path``), then ``<basename>`` (the app is run from its own folder).

    Raises:
        ConfigurationError: the package folder exists but cannot be imported.
    """
    name = current_dir.name
    folder = current_dir / name
    if not folder.is_dir():
        return None
    for candidate in (f"{name}.{name}", name):
        if name.isidentifier() and _resolves_to(candidate, folder):
            return candidate
    msg = (
        f"The project package {str(folder)!r} is not importable. Run the app from "
        f"{str(current_dir)!r} (python web_app.py, or uvicorn web_app:app there), from its "
        "parent folder, or install the project (pip install -e .)."
    )
    raise ConfigurationError(msg)


def _module_names(folder: Path, prefix: str) -> list[str]:
    names: list[str] = []
    for path in sorted(folder.rglob("*.py")):
        relative = path.relative_to(folder)
        if any(part.startswith((".", "_")) and part != "__init__.py" for part in relative.parts):
            continue
        if any(part == "__pycache__" for part in relative.parts):
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join([prefix, *parts]) if parts else prefix)
    return names


def discover(current_dir: Path) -> Discovered:
    """Import every module of the project package and collect the classes defined there."""
    found = Discovered()
    prefix = package_prefix(current_dir)
    if prefix is None:
        return found
    seen: set[int] = set()
    for module_name in _module_names(current_dir / current_dir.name, prefix):
        module = importlib.import_module(module_name)
        found.modules.append(module)
        for value in list(vars(module).values()):
            if not inspect.isclass(value):
                continue
            if value.__module__ == module.__name__ and id(value) not in seen:
                seen.add(id(value))
                found.classes.append(value)
    return found
