"""The pytest-apistellar plugin: markers and fixtures for apistellar apps.

Markers (registered, so ``--strict-markers`` accepts them; they apply to functions,
classes and modules, the closest winning, and are undone after the test):

* ``env(NAME="value", ..., prepend=None)`` -- environment variables;
* ``settings(NAME=value, ...)`` -- apistellar settings overrides;
* ``prop("pkg.mod.Obj.attr", ret_val=None, ret_factory=None)`` -- replace an attribute: a
  callable (sync or async) becomes one returning ``ret_val`` or ``ret_factory(*args,
  **kwargs)``; anything else becomes ``ret_val`` (or ``ret_factory()``);
* ``item("pkg.mod.MAPPING", key=value, ...)`` -- set keys of a dict-like object;
* ``path(folder)`` -- the working directory; ``syspath(folder)`` -- prepend to ``sys.path``.

Fixtures: ``server`` (module scope) serves an app on a real uvicorn socket, listening
before the first test runs, with lifespan; ``join_root_dir`` joins paths to the rootdir;
``mock`` exists for projects whose ini says ``usefixtures = mock`` (markers apply anyway).
"""

import functools
import importlib
import inspect
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from apistellar_config import override_settings

MARKERS = (
    "env(**variables, prepend=None): set environment variables for the test; with prepend=SEP "
    "the value is put in front of the current one, joined by SEP.",
    "settings(**values): override apistellar settings for the test (restored afterwards).",
    "prop(target, ret_val=None, ret_factory=None): replace the attribute at the dotted path "
    "target for the test.",
    "item(target, **keys): set keys of the dict-like object at the dotted path target.",
    "path(folder): run the test in folder.",
    "syspath(folder): put folder at the front of sys.path for the test.",
)


def pytest_configure(config: pytest.Config) -> None:
    """Register the plugin's markers."""
    for line in MARKERS:
        config.addinivalue_line("markers", line)


def resolve(dotted: str) -> tuple[Any, str]:
    """The object holding the last attribute of ``dotted``, and that attribute's name.

    Raises:
        pytest.UsageError: the path does not lead to an existing object.
    """
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for part in parts[split:-1]:
                owner = getattr(owner, part)
        except AttributeError:
            break
        if not hasattr(owner, parts[-1]):
            break
        return owner, parts[-1]
    msg = f"{dotted!r} does not name an existing attribute."
    raise pytest.UsageError(msg)


def _stand_in(original: Any, ret_val: Any, ret_factory: Callable[..., Any] | None) -> Any:
    def produce(*args: Any, **kwargs: Any) -> Any:
        return ret_factory(*args, **kwargs) if ret_factory is not None else ret_val

    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def async_stand_in(*args: Any, **kwargs: Any) -> Any:
            return produce(*args, **kwargs)

        return async_stand_in

    @functools.wraps(original)
    def stand_in(*args: Any, **kwargs: Any) -> Any:
        return produce(*args, **kwargs)

    return stand_in


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
        owner, name = resolve(marker.args[0])
        options = dict(marker.kwargs)
        ret_val = options.pop("ret_val", None)
        ret_factory = options.pop("ret_factory", None)
        if isinstance(ret_factory, str):
            ret_factory = getattr(*resolve(ret_factory))
        original = inspect.getattr_static(owner, name)
        target = original.__func__ if isinstance(original, classmethod | staticmethod) else original
        if callable(target) and not inspect.isclass(target):
            replacement = _stand_in(target, ret_val, ret_factory)
            if isinstance(original, classmethod | staticmethod):
                replacement = staticmethod(replacement)
            monkeypatch.setattr(owner, name, replacement)
        else:
            monkeypatch.setattr(owner, name, ret_factory() if ret_factory is not None else ret_val)
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


@pytest.fixture
def mock(_apistellar_markers: None) -> None:
    """Kept for ``usefixtures = mock`` in older projects: the markers apply without it."""


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
