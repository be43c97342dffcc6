"""The routing decorators keep a handler's type: ``tests/type_check`` passes ``mypy --strict``.

The same module is also imported and routed, so what is type-checked is a working app.
"""

import asyncio
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from apistellar_web import routing

TYPE_CHECK = Path(__file__).parent / "type_check"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"type_check_{name}", TYPE_CHECK / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_users_decorated_app_passes_mypy_strict(tmp_path):
    pytest.importorskip("mypy", reason="mypy is not installed in this environment")
    # Strict, and for the oldest supported Python; no project config, as a user runs it.
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nstrict = True\npython_version = 3.10\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            str(TYPE_CHECK),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_the_type_checked_app_routes_and_its_handlers_run(make_app):
    module = _load("decorated_app")
    app = make_app(*module.CONTROLLERS)
    routes = {(r.method, r.url, r.name) for r in app.routes}
    assert ("GET", "/items/", "view:items:list_items") in routes
    assert ("GET", "/items/{item_id}", "view:items:one") in routes
    assert ("POST", "/items/", "view:items:save_post") in routes
    assert ("PUT", "/items/", "view:items:save") in routes
    assert ("HEAD", "/items/probe", "view:items:probe_head") in routes
    assert ("OPTIONS", "/items/probe", "view:items:probe") in routes
    assert ("GET", "/items/plain", "view:items:plain") in routes
    assert ("GET", "/items/chat/echo", "view:items:chat:echo") in routes
    assert ("GET", "/items/chat/room", "view:items:chat:Room") in routes
    asyncio.run(module.use_handlers())  # the decorated handlers are the functions written


def test_decorators_give_the_same_object_back():
    def handler() -> str:
        return "x"

    assert routing.get("/x")(handler) is handler
    assert routing.websocket("/ws")(handler) is handler
    assert [spec.method for spec in handler.__apistellar_routes__] == ["GET", "GET"]
    assert handler.__apistellar_routes__[1].websocket is True

    class Plain(routing.Controller):
        pass

    assert routing.route("/p")(Plain) is Plain and Plain.prefix == "/p"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "decorator", ["get", "post", "put", "delete", "patch", "head", "options", "websocket"]
)
def test_each_method_decorator_is_named_and_documented(decorator):
    made = getattr(routing, decorator)
    assert made.__name__ == decorator
    assert made.__doc__ and "handler" in made.__doc__
