"""Markers of pytest-apistellar, registered so ``--strict-markers`` accepts them.

* ``@pytest.mark.env(NAME="value", ..., prepend=None)`` sets environment variables for the
  test; with ``prepend=":"`` the value goes in front of the existing one, joined by ``:``.
* ``@pytest.mark.settings(NAME=value, ...)`` overrides apistellar settings for the test.

Both work on functions, classes and modules (``pytestmark``); markers closer to the test
win, and everything is restored after the test.
"""

import os
from collections.abc import Iterator

import pytest

from apistellar_config import override_settings

MARKERS = (
    "env(**variables, prepend=None): set environment variables for the test; with prepend=SEP "
    "the value is put in front of the current one, joined by SEP.",
    "settings(**values): override apistellar settings for the test (restored afterwards).",
)


def pytest_configure(config: pytest.Config) -> None:
    """Register the plugin's markers."""
    for line in MARKERS:
        config.addinivalue_line("markers", line)


@pytest.fixture(autouse=True)
def _apistellar_markers(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    # iter_markers yields the closest marker first; apply the farthest first so closer ones win.
    for marker in reversed(list(request.node.iter_markers("env"))):
        if marker.args:
            msg = "@pytest.mark.env takes keyword arguments only: @pytest.mark.env(NAME='value')."
            raise pytest.UsageError(msg)
        variables = dict(marker.kwargs)
        separator = variables.pop("prepend", None)
        for name, value in variables.items():
            text = str(value)
            current = os.environ.get(name)
            if separator is not None and current:
                text = f"{text}{separator}{current}"
            monkeypatch.setenv(name, text)
    values: dict[str, object] = {}
    for marker in reversed(list(request.node.iter_markers("settings"))):
        values.update(marker.kwargs)
    if values:
        with override_settings(values):
            yield
    else:
        yield
