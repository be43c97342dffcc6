"""Building a snapshot of settings from every source, lowest priority first.

Sources: framework defaults, then the Python settings module, then YAML files; the
environment and explicit overrides are consulted above those (see ``_settings``).
"""

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._errors import SettingsLoadError
from ._frozen import freeze
from ._merge import merge_into
from ._schema import SchemaLike
from ._sources import (
    YAML_NAMES,
    find_module_file,
    is_setting_name,
    load_module_file,
    load_yaml_file,
    logger,
)

#: Environment variable naming the settings module when none is given explicitly.
MODULE_ENV = "APISTELLAR_SETTINGS_MODULE"
#: Setting that configures the environment prefix when ``env_prefix`` is not given.
PREFIX_KEY = "SETTINGS_ENV_PREFIX"


@dataclass(frozen=True)
class Snapshot:
    """One completed load: merged values, explicit overrides and where they came from."""

    values: Mapping[str, Any] = field(default_factory=dict)
    origins: Mapping[str, str] = field(default_factory=dict)
    overrides: Mapping[str, Any] = field(default_factory=dict)
    env_prefix: str = ""
    sources: tuple[str, ...] = ("framework defaults",)
    schema: SchemaLike | None = None


def _check_names(values: Mapping[str, Any], what: str) -> None:
    bad = sorted(str(key) for key in values if not is_setting_name(key))
    if bad:
        msg = f"{what} must use upper-case setting names; got {', '.join(map(repr, bad))}."
        raise ValueError(msg)


def _module_source(
    module: str | os.PathLike[str] | None, search_path: Path | None
) -> tuple[str | None, Path | None, bool]:
    """Return ``(dotted name, file, must exist)`` for the module argument."""
    if module is None:
        from_env = os.environ.get(MODULE_ENV)
        if from_env:
            return from_env, None, True
        return "settings", None, False
    text = os.fspath(module)
    if text.endswith((".py", ".yaml", ".yml")) or os.sep in text or "/" in text:
        path = Path(text)
        if not path.is_absolute() and search_path is not None:
            path = search_path / path
        return path.stem, path, True
    return text, None, True


def build_snapshot(
    module: str | os.PathLike[str] | None = None,
    *,
    search_path: str | os.PathLike[str] | None = None,
    yaml_files: Iterable[str | os.PathLike[str]] | None = None,
    env_prefix: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    schema: SchemaLike | None = None,
) -> Snapshot:
    """Load every source and return a :class:`Snapshot` (see ``load_settings``)."""
    base = Path(search_path).resolve() if search_path is not None else None
    values: dict[str, Any] = {"PROJECT_PATH": str(base or Path.cwd().resolve())}
    origins: dict[str, str] = {"PROJECT_PATH": "framework defaults"}
    sources = ["framework defaults"]
    if defaults:
        _check_names(defaults, "Defaults")
        merge_into(values, defaults)
        origins.update(dict.fromkeys(defaults, "framework defaults"))

    dotted, path, must_exist = _module_source(module, base)
    module_dir: Path | None = None
    if path is not None and path.suffix in (".yaml", ".yml"):
        yaml_files = [path, *(yaml_files or [])]
    elif dotted is not None:
        found = path if path is not None and path.is_file() else None
        if path is None:
            # The default name is only looked for next to the app when an app directory
            # is given, so an unrelated ``settings`` module on sys.path is never picked up.
            found = find_module_file(dotted, base, use_sys_path=must_exist or base is None)
        if path is not None:
            where = str(path)
        elif base is not None:
            where = f"in {base} or on sys.path" if must_exist else f"in {base}"
        else:
            where = "on sys.path"
        if found is None:
            if must_exist:
                msg = f"Settings module {dotted!r} was not found (looked {where})."
                raise SettingsLoadError(
                    msg, source=dotted, path=str(path) if path else None, line=None
                )
            logger.warning(
                "Settings module %r was not found (looked %s); using defaults.", dotted, where
            )
            sources.append(f"settings module {dotted!r} (not found {where})")
        else:
            label = f"settings module {dotted!r} ({found})"
            loaded = load_module_file(dotted, found)
            merge_into(values, loaded)
            origins.update(dict.fromkeys(loaded, label))
            sources.append(label)
            module_dir = found.parent

    if yaml_files is None:
        folder = module_dir or base
        yaml_paths = [folder / name for name in YAML_NAMES if folder and (folder / name).is_file()]
    else:
        yaml_paths = [
            Path(p) if base is None or Path(p).is_absolute() else base / p for p in yaml_files
        ]
    for yaml_path in yaml_paths:
        label = f"YAML file {yaml_path}"
        loaded = load_yaml_file(yaml_path)
        merge_into(values, loaded)
        origins.update(dict.fromkeys(loaded, label))
        sources.append(label)

    if env_prefix is None:
        configured = values.get(PREFIX_KEY, "")
        env_prefix = configured if isinstance(configured, str) else ""
    sources.append(f"environment variables {env_prefix + '<NAME>'!r}")
    explicit = dict(overrides or {})
    if explicit:
        _check_names(explicit, "Overrides")
        sources.append("explicit overrides")
    return Snapshot(
        values={key: freeze(value) for key, value in values.items()},
        origins=origins,
        overrides={key: freeze(value) for key, value in explicit.items()},
        env_prefix=env_prefix,
        sources=tuple(sources),
        schema=schema,
    )
