"""The pytest-apistellar plugin: markers and fixtures for apistellar apps.

Markers (registered, so ``--strict-markers`` accepts them; they apply to functions,
classes and modules, the closest winning, and are undone after the test):

* ``env(NAME="value", ..., prepend=None)`` -- environment variables;
* ``settings(NAME=value, ...)`` -- apistellar settings overrides;
* ``prop("pkg.mod.Obj.attr", *factory_args, ret_val=None, ret_factory=None,
  asyncable=None, callable=None, fixture_inject=False, **factory_kwargs)`` -- replace an
  attribute (see :func:`pytest_apistellar.mocks.apply_prop`; ``prop_alias`` shortens it);
* ``item("pkg.mod.MAPPING", key=value, ...)`` -- set keys of a dict-like object;
* ``path(folder)`` -- the working directory; ``syspath(folder)`` -- prepend to ``sys.path``.

Session-wide mocks come from the ini file (see :mod:`pytest_apistellar.ini`).

Fixtures: ``server`` (module scope) serves an app on a real uvicorn socket, listening
before the first test runs, with lifespan; ``join_root_dir`` joins paths to the rootdir;
``mock`` exists for projects whose ini says ``usefixtures = mock`` (markers apply anyway).
"""

import functools
import inspect
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from apistellar_config import override_settings

from .ini import INI_KEYS, apply_ini
from .mocks import apply_prop, resolve

MARKERS = (
    "env(**variables, prepend=None): set environment variables for the test; with prepend=SEP "
    "the value is put in front of the current one, joined by SEP.",
    "settings(**values): override apistellar settings for the test (restored afterwards).",
    "prop(target, *factory_args, ret_val=None, ret_factory=None, asyncable=None, "
    "callable=None, fixture_inject=False, **factory_kwargs): replace the attribute at the "
    "dotted path target for the test.",
    "item(target, **keys): set keys of the dict-like object at the dotted path target.",
    "path(folder): run the test in folder.",
    "syspath(folder): put folder at the front of sys.path for the test.",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ini keys of session-wide mocks (see :mod:`pytest_apistellar.ini`)."""
    for name, text in INI_KEYS.items():
        parser.addini(name, text, type="linelist", default=[])


def pytest_configure(config: pytest.Config) -> None:
    """Register the plugin's markers."""
    for line in MARKERS:
        config.addinivalue_line("markers", line)


def _apply(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    node = request.node
    for marker in reversed(list(node.iter_markers("path"))):
        monkeypatch.chdir(Path(str(marker.args[0])))
    for marker in reversed(list(node.iter_markers("syspath"))):
        monkeypatch.syspath_prepend(os.path.abspath(str(marker.args[0])))
    for marker in reversed(list(node.iter_markers("env"))):
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
    for marker in reversed(list(node.iter_markers("item"))):
        target = marker.args[0]
        mapping = target if not isinstance(target, str) else getattr(*resolve(target))
        for key, value in marker.kwargs.items():
            monkeypatch.setitem(mapping, key, value)
    for marker in reversed(list(node.iter_markers("prop"))):
        options = dict(marker.kwargs)
        apply_prop(
            monkeypatch,
            marker.args[0],
            marker.args[1:],
            ret_val=options.pop("ret_val", None),
            ret_factory=options.pop("ret_factory", None),
            asyncable=options.pop("asyncable", None),
            callable_=options.pop("callable", None),
            fixture_inject=options.pop("fixture_inject", False),
            request=request,
            factory_kwargs=options,
        )
    values: dict[str, object] = {}
    for marker in reversed(list(node.iter_markers("settings"))):
        values.update(marker.kwargs)
    return values


@pytest.fixture(autouse=True)
def _apistellar_markers(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    values = _apply(request, monkeypatch)
    if values:
        with override_settings(values):
            yield
    else:
        yield


@pytest.fixture(scope="session", autouse=True)
def session_mock(pytestconfig: pytest.Config) -> Iterator[None]:
    """The ini file's ``prop``/``env``/``item``/``path``/``syspath`` mocks, for the session."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        apply_ini(pytestconfig, monkeypatch)
        yield


@pytest.fixture
def mock(session_mock: None, _apistellar_markers: None) -> None:
    """Kept for ``usefixtures = mock`` in older projects: the mocks apply without it."""


@pytest.fixture(scope="session")
def join_root_dir(pytestconfig: pytest.Config) -> Callable[..., str]:
    """``join_root_dir("a", "b")`` is ``<rootdir>/a/b``."""
    return functools.partial(os.path.join, str(pytestconfig.rootpath))


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Serve an app on 127.0.0.1 for the test module; it is listening when this returns.

    The app is the module's ``app`` attribute when it has one; otherwise an
    ``Application`` for the module's folder with the ``Controller`` subclasses the module
    defines. The fixture has ``port``, ``url`` and ``app``.
    """
    from apistellar_web import Application, Controller
    from apistellar_web.testing import LiveServer

    module = request.module
    app = getattr(module, "app", None)
    if app is None:
        folder = Path(module.__file__).parent
        controllers = [
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, Controller)
            and value.__module__ == module.__name__
        ]
        app = Application("test", current_dir=folder, controllers=controllers, discover=False)
    with LiveServer(app) as live:
        live.app = app  # type: ignore[attr-defined]
        yield live
