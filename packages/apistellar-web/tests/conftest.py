import asyncio
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from apistellar_config import init_settings
from apistellar_web import Application
from apistellar_web.locals import coroutinelocal


class Client:
    """A synchronous facade over httpx's in-process ASGI transport (one loop per client)."""

    def __init__(self, app: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    @property
    def cookies(self) -> httpx.Cookies:
        return self.client.cookies

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """Write a project folder: ``project(settings="...", files={"pkg/mod.py": "..."})``."""

    def make(settings: str = "", files: dict[str, str] | None = None, name: str = "proj") -> Path:
        root = tmp_path / name
        root.mkdir(exist_ok=True)
        (root / "settings.py").write_text(textwrap.dedent(settings))
        for relative, text in (files or {}).items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return root

    return make


@pytest.fixture
def make_app(project: Callable[..., Path]) -> Callable[..., Application]:
    """Build an app from controllers/components/hooks given explicitly (no discovery)."""

    def make(
        *controllers: type, settings: str = "SECRET_KEY = 'test-key'\n", **options: Any
    ) -> Application:
        root = project(settings=settings, name="explicit")
        options.setdefault("discover", False)
        return Application("test", current_dir=root, controllers=controllers, **options)

    return make


@pytest.fixture
def client_for() -> Iterator[Callable[[Any], Client]]:
    clients: list[Client] = []

    def make(app: Any) -> Client:
        client = Client(app)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture(autouse=True)
def _reset_global_state(tmp_path: Path) -> Iterator[None]:
    yield
    coroutinelocal.clear()
    init_settings(search_path=tmp_path / "no-settings-here")


@pytest.fixture(scope="session")
def command() -> Callable[..., Any]:
    """Run an installed console script: ``command("apistellar", "routes", cwd=folder)``."""
    import subprocess
    import sys

    def run(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(Path(sys.executable).parent / args[0]), *args[1:]],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    return run


@pytest.fixture(scope="session")
def write_project() -> Callable[[Path, str, str, str], Path]:
    """``write_project(src, "shop", "items", source)``: the scaffold's layout with one
    controller module, ``src/shop/shop/items/controller.py``; returns ``src/shop``."""

    def write(src: Path, name: str, group: str, controller: str) -> Path:
        project = src / name
        (project / name / group).mkdir(parents=True)
        (project / "__init__.py").write_text("")
        (project / "settings.py").write_text("SECRET_KEY = 'k' * 64\n")
        (project / name / "__init__.py").write_text("")
        (project / name / group / "__init__.py").write_text("")
        (project / name / group / "controller.py").write_text(textwrap.dedent(controller))
        return project

    return write
