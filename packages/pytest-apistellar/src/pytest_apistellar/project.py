"""Finding the project under test and building the app the fixtures serve.

The project folder is the one ``apistellar routes`` runs in: the folder holding
``web_app.py`` (with ``settings.py`` and the package named after the folder). It is
the ``apistellar_project`` ini value when set (relative to the ini file), else the first
of ``<rootdir>``, ``<rootdir>/src/*``, ``<rootdir>/*`` and the rootdir's parent (the
original's projects set ``--rootdir=<project>/tests``) holding a ``web_app.py``.

Building an app never replaces settings a conftest loaded with ``init_settings(...)``:
``Application`` (re)loads the process settings from its folder when it is created, so
the plugin creates it with ``load_settings=False`` whenever a settings module is loaded.
"""

import importlib
import importlib.util
import inspect
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

__all__ = ["build_app", "find_project", "module_app", "module_controllers"]

INI_PROJECT = "apistellar_project"


def find_project(config: pytest.Config) -> Path | None:
    """The folder of the project under test, or ``None`` when there is none.

    Raises:
        pytest.UsageError: the ``apistellar_project`` ini value names no such folder.
    """
    value = str(config.getini(INI_PROJECT) or "").strip()
    if value:
        base = config.inipath.parent if config.inipath else config.rootpath
        folder = (base / value).resolve()
        if not (folder / "web_app.py").is_file():
            msg = f"{INI_PROJECT} = {value}: {folder} has no web_app.py."
            raise pytest.UsageError(msg)
        return folder
    root = config.rootpath
    candidates = [root, *sorted((root / "src").glob("*/")), *sorted(root.glob("*/"))]
    candidates.append(root.parent)  # the original's projects set --rootdir=<project>/tests
    for folder in candidates:
        if folder.is_dir() and (folder / "web_app.py").is_file():
            return folder.resolve()
    return None


def _settings_module_loaded() -> bool:
    from apistellar_config import settings

    return any(
        source.startswith("settings module ") and "(not found" not in source
        for source in settings.sources
    )


def _importable(folder: Path) -> None:
    """Make the project package importable as ``apistellar routes`` does, if it is not."""
    name = folder.name
    for candidate in (f"{name}.{name}", name):
        try:
            spec = importlib.util.find_spec(candidate)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            locations = {Path(p).resolve() for p in spec.submodule_search_locations}
            if (folder / name).resolve() in locations:
                return
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


def build_app(
    name: str,
    project: Path | None,
    controllers: Iterable[type] = (),
    fallback_dir: Path | None = None,
) -> Any:
    """An ``Application`` of ``project`` (discovered) plus ``controllers``.

    Without a project the app routes ``controllers`` only, with ``fallback_dir`` as its
    folder. Settings loaded before are kept; a project's settings are loaded only when
    no settings module is loaded yet, and a folder without a project never loads any.
    """
    from apistellar_web import Application

    load_settings = project is not None and not _settings_module_loaded()
    if project is None:
        folder = fallback_dir or Path.cwd()
        return Application(
            name,
            current_dir=folder,
            controllers=controllers,
            discover=False,
            load_settings=load_settings,
        )
    _importable(project)
    return Application(
        name, current_dir=project, controllers=controllers, load_settings=load_settings
    )


def module_controllers(module: ModuleType) -> list[type]:
    """Every ``Controller`` subclass in the module's namespace, defined or imported there."""
    from apistellar_web import Controller

    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, Controller) and value is not Controller
    ]


def module_app(module: ModuleType | None, project: Path | None) -> Any:
    """The app for a test module: its ``app`` attribute, or the project's app plus the
    controllers the module defines or imports."""
    if module is not None:
        explicit = getattr(module, "app", None)
        if explicit is not None and not _is_fixture(explicit):
            return explicit
    controllers = module_controllers(module) if module is not None else []
    folder = Path(module.__file__).parent if module is not None and module.__file__ else None
    return build_app("test", project, controllers, fallback_dir=folder)


def _is_fixture(value: Any) -> bool:
    return type(value).__name__ == "FixtureFunctionDefinition" or hasattr(
        value, "_pytestfixturefunction"
    )
