"""Session-wide mocks declared in the ini file (``prop``, ``env``, ``item``, ``path``,
``syspath``), as the original plugin read them, without ``eval``.

One entry per line::

    [pytest]
    prop =
        pkg.mod.Class.method->factories.make_thing
        pkg.mod.Class.TABLE="test_file"
    env =
        APP_NAME=123
    item =
        factories.data["a"]=11
    path =
        ../
    syspath =
        ../

``target->factory`` replaces ``target`` with a stand-in whose result comes from the
factory at that dotted path; ``target=value`` uses ``value``. Values (``prop``, ``item``
values and keys) are read by :func:`guess`: a Python literal (``ast.literal_eval``), else an
object at an importable dotted path, else the text itself. Environment values stay text.
Folders are relative to the ini file's folder.
"""

import ast
import os
import re
from typing import Any

import pytest

from .mocks import apply_prop, resolve

__all__ = ["INI_KEYS", "apply_ini", "guess"]

INI_KEYS = {
    "prop": "session-wide attribute mocks: target->factory or target=value, one per line",
    "env": "session-wide environment variables: NAME=value, one per line",
    "item": 'session-wide mapping keys: target["key"]=value, one per line',
    "path": "run the session in this folder (relative to the ini file)",
    "syspath": "folders put at the front of sys.path for the session (relative to the ini file)",
}
_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
_ITEM = re.compile(r"(?P<target>[A-Za-z_][\w.]*)\[(?P<key>[^\]]+)\]\s*=(?P<value>.*)")


def guess(text: str) -> Any:
    """A literal, or the object at an importable dotted path, or the text itself."""
    text = text.strip()
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        pass
    if _DOTTED.fullmatch(text):
        try:
            return getattr(*resolve(text))
        except pytest.UsageError:
            pass
    return text


def _lines(config: pytest.Config, key: str) -> list[str]:
    value = config.getini(key)
    lines = value if isinstance(value, list) else str(value).splitlines()
    return [line.strip() for line in lines if line.strip()]


def apply_ini(config: pytest.Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """Apply the ini file's mocks in the original's order: path, syspath, env, item, prop."""
    base = config.inipath.parent if config.inipath else config.rootpath
    for line in _lines(config, "path"):
        monkeypatch.chdir(base / line)
    for line in _lines(config, "syspath"):
        monkeypatch.syspath_prepend(os.path.abspath(base / line))
    for line in _lines(config, "env"):
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise pytest.UsageError(f"ini 'env' entries are NAME=value, not {line!r}.")
        monkeypatch.setenv(name.strip(), value.strip())
    for line in _lines(config, "item"):
        match = _ITEM.fullmatch(line)
        if match is None:
            raise pytest.UsageError(f"ini 'item' entries are target[\"key\"]=value, not {line!r}.")
        mapping = getattr(*resolve(match["target"]))
        monkeypatch.setitem(mapping, guess(match["key"]), guess(match["value"]))
    for line in _lines(config, "prop"):
        target, arrow, factory = line.partition("->")
        if arrow:
            apply_prop(monkeypatch, target.strip(), ret_factory=factory.strip())
            continue
        target, sep, value = line.partition("=")
        if not sep:
            raise pytest.UsageError(
                f"ini 'prop' entries are target->factory or target=value, not {line!r}."
            )
        apply_prop(monkeypatch, target.strip(), ret_val=guess(value))
