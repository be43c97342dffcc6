"""Loading the application of a project named by its package (``-m MODULE``)."""

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .scaffold import ScaffoldError

__all__ = ["load_app", "on_sys_path"]


@contextmanager
def on_sys_path(folder: Path) -> Iterator[None]:
    """``folder`` at the front of ``sys.path`` for the block (if it was not there)."""
    entry = str(folder.resolve())
    added = entry not in sys.path
    if added:
        sys.path.insert(0, entry)
    try:
        yield
    finally:
        if added:
            sys.path.remove(entry)


def _module_folder(module: str) -> Path:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError) as error:
        raise ScaffoldError(f"Cannot import {module}: {error}") from error
    if spec is None:
        raise ScaffoldError(f"Module {module} not found (run where it can be imported).")
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    if spec.origin is None:
        raise ScaffoldError(f"Module {module} has no file.")
    return Path(spec.origin).parent


def load_app(name: str, module: str) -> Any:
    """The ``Application`` of the project whose folder is ``module``'s.

    As ``uvicorn --app-dir``, the current folder is importable while the app is built.
    """
    from ..app import Application

    with on_sys_path(Path.cwd()):
        return Application(name, current_dir=_module_folder(module))
