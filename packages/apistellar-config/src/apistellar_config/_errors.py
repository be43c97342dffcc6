"""Exceptions raised by apistellar-config.

Every error derives from :class:`SettingsError`. Each subclass also derives from the
built-in exception the original apistellar raised in the same situation, so existing
``except KeyError`` / ``except ValueError`` / ``except NotImplementedError`` clauses keep
working.

* :class:`SettingsLoadError` -- a settings module or YAML file could not be loaded.
* :class:`MissingSettingError` -- a key that is not defined was looked up.
* :class:`SettingsValueError` -- a value cannot be cast to the type asked for.
* :class:`SettingsSchemaError` -- the loaded values break the declared schema.
* :class:`FrozenError` -- something tried to change a frozen value.
"""

from collections.abc import Sequence


class SettingsError(Exception):
    """Base class of every error raised by apistellar-config."""


class SettingsLoadError(SettingsError, ImportError):
    """A settings source (module or YAML file) exists but cannot be loaded.

    Attributes:
        source: the module name or file path that failed.
        path: the file that failed, when known.
        line: the 1-based line of the problem, when known.
    """

    def __init__(self, message: str, *, source: str, path: str | None, line: int | None) -> None:
        super().__init__(message)
        self.msg = message
        self.source = source
        self.path = path
        self.line = line

    def __str__(self) -> str:
        return self.msg


class MissingSettingError(SettingsError, KeyError, AttributeError):
    """A setting that is not defined anywhere was looked up.

    Attributes:
        key: the name that was looked up.
        searched: the sources that were searched, lowest priority first.
    """

    def __init__(self, key: str, searched: Sequence[str]) -> None:
        self.key = key
        self.searched = tuple(searched)
        message = f"Setting {key!r} is not defined; looked in: " + "; ".join(self.searched) + "."
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


class SettingsValueError(SettingsError, ValueError):
    """A value could not be cast to the type that was asked for.

    Attributes:
        key: the setting name.
        value: the offending value.
        expected: a description of the expected type.
        origin: where the value came from (for example ``environment variable 'PORT'``).
    """

    def __init__(self, key: str, value: object, expected: str, origin: str) -> None:
        self.key = key
        self.value = value
        self.expected = expected
        self.origin = origin
        super().__init__(f"Setting {key!r} from {origin} has value {value!r}, expected {expected}.")


class SettingsSchemaError(SettingsError, ValueError):
    """The loaded settings break the declared schema; every violation is listed.

    Attributes:
        problems: one sentence per violation.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            f"Settings do not match the declared schema ({len(self.problems)}):\n{lines}"
        )


class FrozenError(SettingsError, NotImplementedError):
    """A frozen settings value was written to; use ``override_settings`` in tests."""
