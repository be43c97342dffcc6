"""The fixtures over a project made by ``apistellar create project`` (a subprocess), run in
inner pytest sessions (subprocesses) with the generated pytest configuration.

A generated project imports the meta package ``apistellar``, which this distribution
does not depend on: without it installed (this distribution tested alone) the module is
skipped; the meta package's own tests scaffold and test a project too.
"""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

pytest.importorskip("apistellar", reason="generated projects import the meta package")

CONTROLLER = """
from apistellar import Controller, get, route, settings

from .service import GoodsService


@route("/goods", name="goods")
class GoodsController(Controller):
    @get("/")
    async def index(self, service: GoodsService) -> dict:
        return {"name": settings.get("NAME"), "count": service.count()}
"""

SERVICE = """
from apistellar import Service


class GoodsService(Service):
    def count(self) -> int:
        return 10
"""

TESTS = """
import httpx
import pytest

from apistellar import settings as process_settings
from shop.shop.goods.controller import GoodsController

pytestmark = pytest.mark.settings(COLOUR="module")


def test_imported_controller_on_the_server(server):
    assert httpx.get(f"{server.url}/goods/").json() == {"name": "from conftest", "count": 10}
    assert httpx.get(f"{server.url}/ping/").status_code == 404
    assert process_settings.NAME == "from conftest"


@pytest.mark.prop("shop.shop.goods.service.GoodsService.count", ret_val=3)
@pytest.mark.settings(NAME="marker")
def test_markers_on_client_requests(client):
    assert client.get("/goods/").json() == {"name": "marker", "count": 3}


@pytest.mark.asyncio
async def test_settings_fixture_and_async_client(settings, async_client):
    settings.NAME = "fixture"
    assert (await async_client.get("/goods/")).json()["name"] == "fixture"


def test_app_fixture(app, client):
    assert "/goods/" in [route.url for route in app.routes]
    assert client.get("/goods/").json()["name"] == "from conftest"
"""


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``apistellar create project shop``, with a goods service added in the package."""
    where = tmp_path_factory.mktemp("scaffold")
    created = subprocess.run(
        [str(Path(sys.executable).parent / "apistellar"), "create", "project", "shop"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    goods = where / "shop" / "src" / "shop" / "shop" / "goods"
    goods.mkdir()
    (goods / "__init__.py").write_text("")
    (goods / "controller.py").write_text(textwrap.dedent(CONTROLLER))
    (goods / "service.py").write_text(textwrap.dedent(SERVICE))
    return where / "shop"


@pytest.fixture
def project(scaffold: Path, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the scaffolded project; the inner sessions run in it."""
    root = pytester.path / "shop"
    shutil.copytree(scaffold, root)
    monkeypatch.chdir(root)
    monkeypatch.delenv("NAME", raising=False)
    return root


def test_generated_tests_pass_as_generated(project: Path, pytester: pytest.Pytester):
    """The generated tests (``client``, ``async_client``, ``server``, a marker) pass with
    the generated configuration, warnings as errors."""
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=5)


@pytest.mark.parametrize("mode", ["auto", "strict"])
def test_fixtures_over_the_scaffolded_project(project: Path, pytester: pytest.Pytester, mode: str):
    """Imported controllers served, the conftest's settings kept, markers and the
    ``settings`` fixture seen by the app, in both pytest-asyncio modes."""
    conftest = project / "tests" / "conftest.py"
    conftest.write_text(
        conftest.read_text().replace(
            'init_settings("shop.settings")',
            'init_settings("shop.settings", overrides={"NAME": "from conftest"})',
        )
    )
    (project / "tests" / "test_goods.py").write_text(textwrap.dedent(TESTS))
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-W", "error", "-o", f"asyncio_mode={mode}", "tests/test_goods.py"
    )
    result.assert_outcomes(passed=4)
