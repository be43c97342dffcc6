"""The settings object, the process-wide ``settings``, ``init_settings`` and test overrides.

Lookup order for a key, highest priority first:

1. values set with :meth:`Settings.override` in the current context (task or thread);
2. explicit overrides given to the load;
3. the environment variable ``<prefix><KEY>`` (bare ``KEY`` unless a prefix is configured),
   read on every lookup and cast to the type of the value it overrides;
4. YAML files, then the settings module, then framework defaults (merged at load time).
"""

import contextvars
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar, NoReturn, TypeVar

from ._cast import CastError, cast_like, to_bool, to_dict, to_float, to_int, to_list
from ._errors import FrozenError, MissingSettingError, SettingsSchemaError, SettingsValueError
from ._frozen import freeze, thaw
from ._loader import Snapshot, build_snapshot
from ._schema import SchemaLike, check
from ._sources import is_setting_name

T = TypeVar("T")
_MISSING: Any = object()


class Settings(Mapping[str, Any]):
    """A read-only view of loaded settings.

    ``settings.KEY`` and ``settings["KEY"]`` read a value; containers come back frozen
    (with dot access for dict keys) and :meth:`normalize` gives plain copies. Every write
    raises :class:`~apistellar_config.FrozenError`.
    """

    __slots__ = ("_layers", "_lock", "_snapshot")
    _layers: contextvars.ContextVar[tuple[Mapping[str, Any], ...]]
    _lock: threading.Lock
    _snapshot: Snapshot | None

    def __init__(self, snapshot: Snapshot | None = None) -> None:
        object.__setattr__(self, "_snapshot", snapshot)
        object.__setattr__(self, "_lock", threading.Lock())
        object.__setattr__(
            self, "_layers", contextvars.ContextVar(f"settings-overrides-{id(self)}", default=())
        )

    # -- loading -----------------------------------------------------------------------
    def _current(self) -> Snapshot:
        snapshot: Snapshot | None = self._snapshot
        if snapshot is None:
            with self._lock:
                snapshot = self._snapshot
                if snapshot is None:
                    snapshot = build_snapshot()
                    object.__setattr__(self, "_snapshot", snapshot)
        return snapshot

    def _install(self, snapshot: Snapshot) -> None:
        _validate(snapshot)
        with self._lock:
            object.__setattr__(self, "_snapshot", snapshot)

    # -- lookup ------------------------------------------------------------------------
    def _find(self, key: str, like: Any = _MISSING) -> tuple[bool, Any, str]:
        """Return ``(found, value, origin)`` for ``key`` following the lookup order."""
        for layer in reversed(self._layers.get()):
            if key in layer:
                return True, layer[key], "override_settings()"
        snapshot = self._current()
        if key in snapshot.overrides:
            return True, snapshot.overrides[key], "explicit overrides"
        name = snapshot.env_prefix + key
        text = os.environ.get(name)
        base = snapshot.values.get(key, _MISSING)
        if text is not None:
            current = base if base is not _MISSING else (None if like is _MISSING else like)
            origin = f"environment variable {name!r}"
            try:
                return True, freeze(cast_like(text, current)), origin
            except CastError as error:
                raise SettingsValueError(key, text, error.expected, origin) from None
        if base is not _MISSING:
            return True, base, snapshot.origins.get(key, "framework defaults")
        return False, None, ""

    def _missing(self, key: str) -> MissingSettingError:
        sources = list(self._current().sources)
        prefix = self._current().env_prefix
        sources = [
            s if not s.startswith("environment") else f"environment variable {prefix + key!r}"
            for s in sources
        ]
        return MissingSettingError(key, sources)

    def __getitem__(self, key: str) -> Any:
        found, value, _ = self._find(key)
        if not found:
            raise self._missing(key)
        return value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        found, value, _ = self._find(name)
        if not found:
            raise self._missing(name)
        if value is None:
            msg = f"Setting {name!r} is None; use settings.get({name!r}) to read None values."
            raise AttributeError(msg)
        return value

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if any(key in layer for layer in self._layers.get()):
            return True
        snapshot = self._current()
        return (
            key in snapshot.overrides
            or key in snapshot.values
            or (snapshot.env_prefix + key) in os.environ
        )

    def __iter__(self) -> Iterator[str]:
        snapshot = self._current()
        seen = dict.fromkeys(snapshot.values)
        seen.update(dict.fromkeys(snapshot.overrides))
        for layer in self._layers.get():
            seen.update(dict.fromkeys(layer))
        return iter(seen)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"<Settings {sorted(self)!r}>"

    # -- writes are refused ------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> NoReturn:
        msg = f"Settings are read-only: cannot set {name!r}. Use override_settings(...) in tests."
        raise FrozenError(msg)

    def __delattr__(self, name: str) -> NoReturn:
        msg = f"Settings are read-only: cannot delete {name!r}."
        raise FrozenError(msg)

    def __setitem__(self, key: str, value: Any) -> NoReturn:
        msg = f"Settings are read-only: cannot set {key!r}. Use override_settings(...) in tests."
        raise FrozenError(msg)

    def __delitem__(self, key: str) -> NoReturn:
        msg = f"Settings are read-only: cannot delete {key!r}."
        raise FrozenError(msg)

    # -- typed getters -----------------------------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        """Return the value of ``key``, or ``default`` when it is not defined.

        An environment override of a key that no file defines is cast to the type of
        ``default`` (``settings.get("DEBUG", False)`` with ``DEBUG=on`` gives ``True``).
        """
        found, value, _ = self._find(key, like=default)
        return value if found else default

    def _typed(self, key: str, default: Any, cast: Any, like: Any) -> Any:
        found, value, origin = self._find(key, like=like)
        if not found or value is None:
            return default
        try:
            return cast(value)
        except CastError as error:
            raise SettingsValueError(key, value, error.expected, origin) from None

    def get_int(self, key: str, default: int | None = None) -> int | None:
        """Return ``key`` as an ``int`` (decimal strings accepted), or ``default`` when unset.

        Raises:
            SettingsValueError: the value is not an integer.
        """
        return self._typed(key, default, to_int, 0)  # type: ignore[no-any-return]

    def get_float(self, key: str, default: float | None = None) -> float | None:
        """Return ``key`` as a ``float`` (numeric strings accepted), or ``default`` when unset."""
        return self._typed(key, default, to_float, 0.0)  # type: ignore[no-any-return]

    def get_bool(self, key: str, default: bool = False) -> bool:
        """Return ``key`` as a ``bool``: true/false/1/0/yes/no/on/off, nothing else."""
        return self._typed(key, default, to_bool, False)  # type: ignore[no-any-return]

    def get_list(self, key: str, default: list[Any] | None = None) -> list[Any] | None:
        """Return ``key`` as a plain ``list`` copy (JSON arrays and comma lists accepted)."""
        return self._typed(key, default, lambda v: thaw(to_list(v)), [])  # type: ignore[no-any-return]

    def get_dict(self, key: str, default: dict[Any, Any] | None = None) -> dict[Any, Any] | None:
        """Return ``key`` as a plain ``dict`` copy (JSON objects accepted)."""
        return self._typed(key, default, lambda v: thaw(to_dict(v)), {})  # type: ignore[no-any-return]

    # -- whole-object views ------------------------------------------------------------
    def normalize(self) -> dict[str, Any]:
        """Return every setting as a plain, mutable deep copy."""
        return {key: thaw(self[key]) for key in self}

    to_dict = normalize

    @property
    def data(self) -> dict[str, Any]:
        """A plain copy of every setting (the original's ``settings.data``)."""
        return self.normalize()

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources of the current load, lowest priority first."""
        return self._current().sources

    @property
    def env_prefix(self) -> str:
        """The prefix environment overrides use (``""`` means bare names)."""
        return self._current().env_prefix

    def origin(self, key: str) -> str:
        """Say where the current value of ``key`` comes from (for diagnostics)."""
        found, _, origin = self._find(key)
        if not found:
            raise self._missing(key)
        return origin

    @contextmanager
    def override(
        self, values: Mapping[str, Any] | None = None, /, **more: Any
    ) -> Iterator["Settings"]:
        """Override settings inside a ``with`` block; the previous values return on exit.

        The override lives in a context variable: it is seen by the current task or thread
        and by tasks started inside the block, never by other concurrent tasks or threads.
        """
        layer = {**(values or {}), **more}
        bad = sorted(key for key in layer if not is_setting_name(key))
        if bad:
            msg = (
                f"Only upper-case names are settings; cannot override {', '.join(map(repr, bad))}."
            )
            raise ValueError(msg)
        frozen = {key: freeze(value) for key, value in layer.items()}
        token = self._layers.set((*self._layers.get(), frozen))
        try:
            yield self
        finally:
            self._layers.reset(token)


def _validate(snapshot: Snapshot) -> None:
    """Check environment overrides and the schema once, reporting every problem together."""
    probe = Settings(snapshot)
    problems: list[str] = []
    cast_errors: list[SettingsValueError] = []
    lookup: dict[str, tuple[bool, Any, str]] = {}
    keys = set(snapshot.values) | set(snapshot.overrides) | set(snapshot.schema or {})
    for key in sorted(keys):
        try:
            lookup[key] = probe._find(key)
        except SettingsValueError as error:
            cast_errors.append(error)
            problems.append(str(error))
    if snapshot.schema:
        problems += check(snapshot.schema, lookup, snapshot.sources)
    if len(problems) == 1 and cast_errors:
        raise cast_errors[0]
    if problems:
        raise SettingsSchemaError(problems)


def load_settings(
    module: str | os.PathLike[str] | None = None,
    *,
    search_path: str | os.PathLike[str] | None = None,
    yaml_files: Iterable[str | os.PathLike[str]] | None = None,
    env_prefix: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    schema: SchemaLike | None = None,
) -> Settings:
    """Load settings into a new, independent :class:`Settings` object.

    Args:
        module: dotted name of the settings module, or a path to a ``.py`` or YAML file.
            ``None`` uses ``$APISTELLAR_SETTINGS_MODULE`` or else ``"settings"``, and only
            the default ``"settings"`` may be missing (with a warning).
        search_path: the app's directory; the module is looked for there first, YAML files
            and relative paths are resolved against it, and it is ``PROJECT_PATH``.
        yaml_files: YAML files to merge over the module; ``None`` picks up
            ``settings.yaml``/``settings.yml`` next to the settings module.
        env_prefix: prefix of overriding environment variables; ``None`` uses the
            ``SETTINGS_ENV_PREFIX`` setting, else bare names as the original did.
        overrides: values that win over every other source.
        defaults: framework defaults, the lowest source.
        schema: ``{"NAME": type | (types) | Spec(...)}``, checked at load time.

    Raises:
        SettingsLoadError: a source exists but is broken, or an explicit module is missing.
        SettingsValueError: an environment override cannot be cast.
        SettingsSchemaError: several problems, or schema violations, all listed.
    """
    snapshot = build_snapshot(
        module,
        search_path=search_path,
        yaml_files=yaml_files,
        env_prefix=env_prefix,
        overrides=overrides,
        defaults=defaults,
        schema=schema,
    )
    loaded = Settings()
    loaded._install(snapshot)
    return loaded


#: The process-wide settings: always reflects the latest :func:`init_settings` (loads
#: the default ``settings`` module lazily on first use when nothing was loaded).
settings = Settings()


def init_settings(
    module: str | os.PathLike[str] | None = None,
    *,
    search_path: str | os.PathLike[str] | None = None,
    yaml_files: Iterable[str | os.PathLike[str]] | None = None,
    env_prefix: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    schema: SchemaLike | None = None,
) -> Settings:
    """(Re)load the process-wide :data:`settings` from the given sources and return it.

    Every call really re-reads the files; the arguments are those of :func:`load_settings`.
    When loading fails the previous values stay in place.
    """
    snapshot = build_snapshot(
        module,
        search_path=search_path,
        yaml_files=yaml_files,
        env_prefix=env_prefix,
        overrides=overrides,
        defaults=defaults,
        schema=schema,
    )
    settings._install(snapshot)
    return settings


def override_settings(values: Mapping[str, Any] | None = None, /, **more: Any) -> Any:
    """Override the process-wide settings in a ``with`` block (see :meth:`Settings.override`)."""
    return settings.override(values, **more)


class SettingsMixin:
    """Give a class a ``settings`` attribute: the process-wide, always current settings."""

    settings: ClassVar[Settings] = settings
