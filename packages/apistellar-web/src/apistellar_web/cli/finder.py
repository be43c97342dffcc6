"""Finding the app of the project in a folder, for ``apistellar routes`` and ``serve``.

Run in the project folder (the one holding ``web_app.py``, ``settings.py`` and the
project package). The app is, in this order:

1. ``--app module:attribute`` when given;
2. ``app`` of ``web_app.py`` (what ``uvicorn web_app:app`` serves there);
3. an ``Application`` of the project package ``<folder>/<folder name>/``.

The folder's parent comes first on ``sys.path``, then the folder itself, as the original
did: a project in a ``src/`` layout imports as ``<name>.<name>`` (what an installed
project imports), an original-layout project as ``<name>``.
"""

import importlib
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from .scaffold import ScaffoldError

__all__ = [
    "PROJECT_DIR_VARIABLE",
    "AppSpec",
    "error_location",
    "find_app",
    "import_app",
    "prepare_path",
    "project_app",
]

#: The project folder, for :func:`project_app` in server processes (``--workers``).
PROJECT_DIR_VARIABLE = "APISTELLAR_PROJECT_DIR"


class AppSpec:
    """Where the app of a project is: an import string (``factory`` for :func:`project_app`)."""

    def __init__(self, folder: Path, target: str, factory: bool = False) -> None:
        self.folder = folder
        self.target = target
        self.factory = factory

    def __repr__(self) -> str:
        return f"AppSpec({str(self.folder)!r}, {self.target!r}, factory={self.factory})"


def prepare_path(folder: Path) -> None:
    """Put ``folder`` and, before it, its parent at the front of ``sys.path``."""
    for entry in (str(folder), str(folder.parent)):
        if entry in sys.path:
            sys.path.remove(entry)
        sys.path.insert(0, entry)


def find_app(folder: Path, app: str | None = None) -> AppSpec:
    """The app of the project in ``folder`` (see the module docstring).

    Raises:
        ScaffoldError: there is no project here; the message says what was looked for.
    """
    folder = folder.resolve()
    if app:
        if ":" not in app:
            raise ScaffoldError(f"Invalid --app {app!r}: give module:attribute (web_app:app).")
        return AppSpec(folder, app)
    if (folder / "web_app.py").is_file():
        return AppSpec(folder, "web_app:app")
    if (folder / folder.name).is_dir():
        return AppSpec(folder, f"{__name__}:project_app", factory=True)
    raise ScaffoldError(
        f"No apistellar project in {str(folder)!r}: no web_app.py and no project package "
        f"{folder.name + '/'!r} here. Run the command in the project folder (next to "
        "web_app.py, src/<name>/ in a scaffolded project), pass --dir, or --app module:app."
    )


def error_location(error: BaseException) -> str:
    """`` (file.py, line N)`` of the frame ``error`` was raised in, or ``""``."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return ""
    return f" ({Path(frames[-1].filename).name}, line {frames[-1].lineno})"


def import_app(spec: AppSpec) -> Any:
    """Import the app of ``spec`` (``sys.path`` prepared); user errors become ScaffoldError."""
    prepare_path(spec.folder)
    if spec.factory:
        return project_app(spec.folder)
    module_name, _, attribute = spec.target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as error:
        raise ScaffoldError(
            f"Cannot import {module_name!r} (for {spec.target!r}): "
            f"{type(error).__name__}: {error}{error_location(error)}"
        ) from error
    value: Any = module
    for part in attribute.split("."):
        if not hasattr(value, part):
            raise ScaffoldError(f"{module_name!r} has no {attribute!r} (for {spec.target!r}).")
        value = getattr(value, part)
    return value


def project_app(folder: str | os.PathLike[str] | None = None) -> Any:
    """An ``Application`` of the project package in ``folder`` (by default the folder in
    ``APISTELLAR_PROJECT_DIR``, or the working directory); a uvicorn factory."""
    from .routes import project_application

    where = Path(folder or os.environ.get(PROJECT_DIR_VARIABLE) or ".").resolve()
    return project_application(where)
