"""Reading settings out of Python modules and YAML files, with clear errors.

A settings module is executed from its file into a fresh module object on every load,
so a reload really re-reads the file -- its source, never a cached ``.pyc``: a file
rewritten within the same second with the same size looks unchanged to the bytecode
cache. It is never added to ``sys.modules`` and neither ``sys.path`` nor the working
directory is touched.
"""

import importlib.machinery
import importlib.util
import inspect
import logging
import traceback
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ._errors import SettingsLoadError

logger = logging.getLogger("apistellar.config")

#: File names looked for next to the settings module when no YAML file list is given.
YAML_NAMES = ("settings.yaml", "settings.yml")


def is_setting_name(name: object) -> bool:
    """Tell whether ``name`` names a setting: upper-case, not private, not a dunder."""
    return isinstance(name, str) and name.isupper() and not name.startswith("_")


def _module_values(module: types.ModuleType) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in vars(module).items():
        if not is_setting_name(name):
            continue
        if inspect.ismodule(value) or inspect.isclass(value) or inspect.isroutine(value):
            continue
        values[name] = value
    return values


def find_module_file(
    dotted: str, search_path: Path | None, *, use_sys_path: bool = True
) -> Path | None:
    """Locate the file of a dotted settings module.

    Args:
        dotted: ``"settings"`` or ``"myproject.settings"``.
        search_path: a directory to look in first (the app's directory).
        use_sys_path: when the file is not in ``search_path``, look the module up on
            ``sys.path`` too.

    Returns:
        The module's file, or ``None`` when it does not exist anywhere.
    """
    if search_path is not None:
        relative = Path(*dotted.split("."))
        for candidate in (search_path / f"{relative}.py", search_path / relative / "__init__.py"):
            if candidate.is_file():
                return candidate
    if not use_sys_path:
        return None
    try:
        spec = importlib.util.find_spec(dotted)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def _error_line(error: BaseException, path: Path) -> int | None:
    if isinstance(error, SyntaxError):
        return error.lineno
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if Path(frame.filename) == path:
            return frame.lineno
    return None


class _SourceOnlyLoader(importlib.machinery.SourceFileLoader):
    """Compiles the file's current source on every load (no bytecode read or written)."""

    def get_code(self, fullname: str) -> types.CodeType:
        return self.source_to_code(self.get_data(self.path), self.path)


def load_module_file(dotted: str, path: Path) -> dict[str, Any]:
    """Execute a settings module from ``path`` and return its upper-case values.

    Raises:
        SettingsLoadError: the file has a syntax error or raised while it ran; the message
            names the file and the line.
    """
    name = f"_apistellar_settings_.{dotted}"
    spec = importlib.util.spec_from_file_location(
        name, path, loader=_SourceOnlyLoader(name, str(path))
    )
    if spec is None or spec.loader is None:  # pragma: no cover - a .py path always has a loader
        msg = f"Cannot load settings module {dotted!r} from {str(path)!r}."
        raise SettingsLoadError(msg, source=dotted, path=str(path), line=None)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        line = _error_line(error, path)
        where = f"{path}, line {line}" if line else str(path)
        kind = "has a syntax error" if isinstance(error, SyntaxError) else "raised an error"
        detail = error.msg if isinstance(error, SyntaxError) else f"{type(error).__name__}: {error}"
        msg = f"Settings module {dotted!r} ({where}) {kind}: {detail}"
        raise SettingsLoadError(msg, source=dotted, path=str(path), line=line) from error
    return _module_values(module)


def load_yaml_file(path: Path) -> dict[str, Any]:
    """Read a YAML settings file and return its upper-case top-level keys.

    Raises:
        SettingsLoadError: the file is missing, does not parse, or is not a mapping.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        msg = f"Cannot read YAML settings file {str(path)!r}: {error.strerror or error}."
        raise SettingsLoadError(msg, source=str(path), path=str(path), line=None) from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        where = f"{path}, line {line}" if line else str(path)
        msg = f"YAML settings file {where} does not parse: {problem}."
        raise SettingsLoadError(msg, source=str(path), path=str(path), line=line) from error
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        kind = type(data).__name__
        msg = f"YAML settings file {str(path)!r} must hold a mapping at the top, not {kind}."
        raise SettingsLoadError(msg, source=str(path), path=str(path), line=1)
    ignored = sorted(str(key) for key in data if not is_setting_name(key))
    if ignored:
        logger.warning("Ignoring keys that are not upper-case in %s: %s", path, ", ".join(ignored))
    return {key: value for key, value in data.items() if is_setting_name(key)}
