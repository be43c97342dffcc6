"""Finding a project's package, its modules and the classes they define (public API).

:func:`discover` is what ``Application`` runs at start-up; tools that need the project's
classes without building an app (the solo runner, the shell) call it too.

The original layout is ``<project>/web_app.py``, ``<project>/settings.py`` and the package
``<project>/<project>/``. Which package is the project's (the one rule, also in the
apistellar-web README):

1. an explicit ``package=`` argument: a folder of ``current_dir`` or an importable name;
2. the original's rule: the folder named after ``current_dir``'s own folder;
3. the folder named after the app name (``Application("blog", ...)`` finds ``blog/``),
   so a copy of a project in a folder with another name keeps working.

The package is imported under the name it already has when it is importable (its parent
on ``sys.path``, or the project installed); otherwise it is loaded from its file location
as a top-level package. Nothing is added to ``sys.path`` and the working directory is
never changed. It fails only on a real clash: a module of that name already imported
from somewhere else.

Every module of the package is imported (names starting with ``_`` are skipped); only
classes *defined* in those modules are collected, so two apps in one process, or test
modules, never leak controllers, components or hooks into each other.
"""

import importlib
import importlib.machinery
import importlib.util
import inspect
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from .exceptions import ConfigurationError

__all__ = ["Discovered", "discover"]


@dataclass
class Discovered:
    """The classes found in a project package, in definition order.

    ``package`` is the import name of the package (``None`` when none was found),
    ``folder`` its folder, ``looked`` the places tried, for messages.
    """

    modules: list[ModuleType] = field(default_factory=list)
    classes: list[type] = field(default_factory=list)
    package: str | None = None
    folder: Path | None = None
    looked: list[str] = field(default_factory=list)


def _locations(module: ModuleType) -> list[Path]:
    return [Path(p).resolve() for p in getattr(module, "__path__", None) or ()]


def _resolves_to(name: str, folder: Path) -> bool:
    """Whether ``name`` imports as ``folder`` (already imported, or found on ``sys.path``)."""
    module = sys.modules.get(name)
    if module is not None:
        return folder.resolve() in _locations(module)
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    return any(
        Path(location).resolve() == folder.resolve() for location in spec.submodule_search_locations
    )


def _load_from_location(name: str, folder: Path) -> str:
    """Import ``folder`` as the top-level package ``name`` from its file location."""
    existing = sys.modules.get(name)
    if existing is not None:
        if folder.resolve() in _locations(existing):
            return name
        where = getattr(existing, "__file__", None) or _locations(existing) or "elsewhere"
        msg = (
            f"The project package {str(folder)!r} cannot be loaded as {name!r}: a module of "
            f"that name is already imported from {where}. Rename the package or pass "
            "package=<import name> to Application."
        )
        raise ConfigurationError(msg)
    init = folder / "__init__.py"
    if init.is_file():
        spec = importlib.util.spec_from_file_location(
            name, init, submodule_search_locations=[str(folder)]
        )
    else:  # a namespace-style folder: a package with no code of its own
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(folder)]
    if spec is None:  # pragma: no cover - spec_from_file_location on an existing .py file
        msg = f"The project package {str(folder)!r} cannot be loaded."
        raise ConfigurationError(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        if spec.loader is not None:
            spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return name


def _import_name(current_dir: Path, folder: Path) -> str:
    """The name to import the package ``folder`` (a child of ``current_dir``) under."""
    name = folder.name
    if not name.isidentifier():
        msg = f"The project package {str(folder)!r} is not a valid Python package name."
        raise ConfigurationError(msg)
    parent = current_dir.name
    # ``<parent>.<name>`` only when ``<parent>`` is this very folder (checked without
    # importing it: a same-named installed package must not be imported as a side effect)
    if (
        parent.isidentifier()
        and _resolves_to(parent, current_dir)
        and _resolves_to(f"{parent}.{name}", folder)
    ):
        return f"{parent}.{name}"  # the project folder itself is importable (or installed)
    if _resolves_to(name, folder):
        return name  # run from the project folder: it is on sys.path
    return _load_from_location(name, folder)


def find_package(
    current_dir: Path, *, package: str | None = None, app_name: str | None = None
) -> tuple[str | None, Path | None, list[str]]:
    """Return ``(import name, folder, places looked)`` of the project package (see the
    module's rule), importing it; ``(None, None, looked)`` when there is none.

    Raises:
        ConfigurationError: an explicit ``package`` that does not exist, or a clash.
    """
    current_dir = current_dir.resolve()
    looked: list[str] = []
    if package:
        folder = current_dir / package
        looked.append(str(folder))
        if package.isidentifier() and folder.is_dir():
            return _import_name(current_dir, folder), folder, looked
        try:
            module = importlib.import_module(package)
        except ImportError as error:
            msg = (
                f"package={package!r}: no folder {str(folder)!r} and no importable "
                f"package of that name ({error})."
            )
            raise ConfigurationError(msg) from None
        locations = _locations(module)
        if not locations:
            msg = f"package={package!r} is a module, not a package."
            raise ConfigurationError(msg)
        return package, locations[0], looked
    candidates = [current_dir.name]
    if app_name and app_name != current_dir.name:
        candidates.append(app_name)
    for candidate in candidates:
        folder = current_dir / candidate
        looked.append(str(folder))
        if candidate.isidentifier() and folder.is_dir():
            return _import_name(current_dir, folder), folder, looked
    return None, None, looked


def package_prefix(current_dir: Path) -> str | None:
    """The import name of ``<current_dir>/<basename>/`` (the original's rule), or ``None``."""
    return find_package(current_dir)[0]


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


def discover(
    current_dir: str | os.PathLike[str],
    *,
    package: str | None = None,
    app_name: str | None = None,
) -> Discovered:
    """Import every module of the project package and collect the classes defined there.

    Args:
        current_dir: the project folder (the one holding ``web_app.py``).
        package: the project package, a folder of ``current_dir`` or an importable name;
            by default found by the module's rule.
        app_name: the app's name, the last place the package is looked for.

    Returns:
        The package's modules and classes; empty (``package`` ``None``) when there is
        no project package.

    Raises:
        ConfigurationError: an explicit ``package`` that does not exist, or a clash.
    """
    name, folder, looked = find_package(Path(current_dir), package=package, app_name=app_name)
    found = Discovered(package=name, folder=folder, looked=looked)
    if name is None or folder is None:
        return found
    seen: set[int] = set()
    for module_name in _module_names(folder, name):
        module = importlib.import_module(module_name)
        found.modules.append(module)
        for value in list(vars(module).values()):
            if not inspect.isclass(value):
                continue
            if value.__module__ == module.__name__ and id(value) not in seen:
                seen.add(id(value))
                found.classes.append(value)
    return found
