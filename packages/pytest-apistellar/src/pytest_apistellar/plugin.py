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

Fixtures (see the README): ``app`` (module scope; define your own to serve another app),
``client`` and ``async_client`` (in-process httpx clients on the app, lifespan run once per
module), ``server`` (module scope; the app on a real uvicorn socket, listening before the
first test, with lifespan), ``settings`` (change settings for one test),
``join_root_dir``, ``session_mock`` and ``mock`` (kept for ``usefixtures = mock``).
"""

import functools
import inspect
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from apistellar_config import override_settings

from .asgi import AppRunner, AsyncRunnerTransport, RunnerTransport, TestApp
from .ini import INI_KEYS, apply_ini
from .mocks import apply_prop, resolve
from .overrides import SettingsFixture, publish
from .project import INI_PROJECT, find_project, module_app

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


#: Markers of async test runners: a test carrying one is left to its runner.
ASYNC_RUNNER_MARKS = frozenset({"asyncio", "anyio", "trio"})
INI_MARK_ASYNC = "apistellar_mark_async_tests"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ini keys: session-wide mocks (see :mod:`pytest_apistellar.ini`), the
    project folder and the marking of async tests."""
    for name, text in INI_KEYS.items():
        parser.addini(name, text, type="linelist", default=[])
    parser.addini(
        INI_MARK_ASYNC,
        "mark unmarked async def tests asyncio under pytest-asyncio's strict mode (default on)",
        type="bool",
        default=True,
    )
    parser.addini(
        INI_PROJECT,
        "the project folder (holding web_app.py) the app fixture builds, relative to the ini "
        "file; found under the rootdir when unset",
        default="",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the plugin's markers; check an ``apistellar_project`` ini value."""
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    if str(config.getini(INI_PROJECT) or "").strip():
        find_project(config)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(
    collector: pytest.Module | pytest.Class, name: str, obj: object
) -> None:
    """Mark unmarked ``async def`` tests ``asyncio`` under pytest-asyncio's strict mode.

    pytest-asyncio's default (strict) mode leaves such a test unrun ("async def functions
    are not natively supported"); the plugin hands it to pytest-asyncio instead, unless it
    carries an ``anyio`` or ``trio`` marker or uses ``anyio_backend``. The ini key
    ``apistellar_mark_async_tests = false`` turns this off.
    """
    config = collector.config
    if not (inspect.iscoroutinefunction(obj) and collector.funcnamefilter(name)):
        return
    if not config.pluginmanager.hasplugin("asyncio") or not config.getini(INI_MARK_ASYNC):
        return
    mode = config.getoption("asyncio_mode", None) or config.getini("asyncio_mode")
    if mode != "strict":
        return
    own = {mark.name for mark in getattr(obj, "pytestmark", [])}
    around = {mark.name for mark in collector.iter_markers()}
    if (own | around) & ASYNC_RUNNER_MARKS:
        return
    if "anyio_backend" in inspect.signature(obj).parameters:
        return
    pytest.mark.asyncio(obj)


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
    if not values:
        yield
        return
    publish("markers", values)
    try:
        with override_settings(values):
            yield
    finally:
        publish("markers", None)


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


@pytest.fixture(scope="session")
def apistellar_project(pytestconfig: pytest.Config) -> Path | None:
    """The project folder the default ``app`` is built from (``None``: no project found)."""
    return find_project(pytestconfig)


@pytest.fixture(scope="module")
def app(request: pytest.FixtureRequest, apistellar_project: Path | None) -> Any:
    """The app the ``server`` and the clients serve, one per test module.

    The test module's ``app`` attribute when it has one; otherwise an ``Application`` of
    the project (found as ``apistellar routes`` finds it) that also routes every
    ``Controller`` the test module defines or imports. Settings loaded by a conftest
    (``init_settings(...)``) stay in force. Override this fixture (in a conftest or the
    module, module or session scope for ``server``) to serve another app.
    """
    return module_app(getattr(request, "module", None), apistellar_project)


@pytest.fixture(scope="module")
def server(app: Any) -> Iterator[Any]:
    """Serve ``app`` on 127.0.0.1 for the test module; it is listening when this returns.

    Lifespan start-up has completed before the first test; shut-down runs after the
    module. The fixture has ``port``, ``url``, ``ws_url`` and ``app``. Markers and the
    ``settings`` fixture apply to the requests it serves.
    """
    from apistellar_web.testing import LiveServer

    # lifespan "auto", as the in-process clients: an app without lifespan is served too;
    # the asyncio loop, as the original: uvicorn before 0.36 set uvloop's policy for the
    # whole process, which left pytest-asyncio's main thread without a loop
    with LiveServer(TestApp(app, apply_overrides=True), lifespan="auto", loop="asyncio") as live:
        live.app = app  # type: ignore[attr-defined]
        yield live


_runners: dict[int, tuple[Any, AppRunner]] = {}


def _runner(app: Any) -> AppRunner:
    entry = _runners.get(id(app))
    if entry is None or entry[0] is not app:
        runner = AppRunner(TestApp(app, apply_overrides=False)).start()
        _runners[id(app)] = (app, runner)
        return runner
    return entry[1]


@pytest.fixture(scope="module", autouse=True)
def _apistellar_runners() -> Iterator[None]:
    """Stop the in-process apps (lifespan shut-down) at the end of each module."""
    yield
    while _runners:
        _, (_, runner) = _runners.popitem()
        runner.stop()


@pytest.fixture
def client(app: Any) -> Iterator[httpx.Client]:
    """An in-process ``httpx.Client`` on ``app`` (no socket), base URL ``http://testserver``.

    The app's lifespan start-up runs before the first test that uses a client, shut-down
    after the module. Cookies persist across the test's requests; markers, the
    ``settings`` fixture and ``override_settings`` blocks apply to what the app sees.
    """
    runner = _runner(app)
    with httpx.Client(
        transport=RunnerTransport(runner, runner.app), base_url="http://testserver"
    ) as session:
        yield session


@pytest.fixture
def async_client(app: Any) -> httpx.AsyncClient:
    """The async twin of ``client``: ``await async_client.get(...)`` from any event loop."""
    runner = _runner(app)
    return httpx.AsyncClient(
        transport=AsyncRunnerTransport(runner, runner.app), base_url="http://testserver"
    )


@pytest.fixture
def settings() -> Iterator[SettingsFixture]:
    """Change settings for one test: ``settings.DEBUG = True``, ``settings["X"] = v``.

    The app sees the change through ``client``, ``async_client`` and ``server``
    (including ``DEBUG``, ``APP_ERROR_STATUS``, ``MAX_BODY_SIZE`` and
    ``WEBSOCKET_MAX_MESSAGE_SIZE``, which an app reads at start-up); everything is
    restored after the test.
    """
    fixture = SettingsFixture()
    try:
        yield fixture
    finally:
        fixture.close()
