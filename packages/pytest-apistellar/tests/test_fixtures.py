"""The fixtures ``app``, ``server``, ``client``, ``async_client`` and ``settings``, each run
in a real inner pytest session (a subprocess) over a small hand-written project.

The project uses the original layout (``shop/web_app.py``, ``shop/settings.py`` and the
package ``shop/shop/``), which the plugin finds at the rootdir as ``apistellar routes``
would; the inner sessions run with ``--strict-markers --strict-config`` and turn every
warning into an error.
"""

import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

INI = """
[pytest]
addopts = --import-mode=importlib
pythonpath = .
asyncio_mode = {mode}
asyncio_default_fixture_loop_scope = function
asyncio_default_test_loop_scope = {loop_scope}
filterwarnings =
    error
    # uvicorn releases before 0.31 import websockets' deprecated legacy API
    ignore:websockets:DeprecationWarning
"""

WEB_APP = """
import os

from apistellar_web import Application

app = Application("shop", current_dir=os.path.dirname(os.path.abspath(__file__)))
"""

SETTINGS = """
SECRET_KEY = "only-for-tests"
NAME = "from settings.py"
"""

GOODS = """
import os

from apistellar_web import Controller, Session, get, route
from apistellar_config import settings

from .stock import Stock


@route("/goods", name="goods")
class GoodsController(Controller):
    @get("/")
    async def index(self) -> dict:
        return {
            "name": settings.get("NAME"),
            "colour": settings.get("COLOUR", "none"),
            "env": os.environ.get("SHOP_ENV", "unset"),
            "count": Stock().count(),
        }

    @get("/visits")
    async def visits(self, session: Session) -> dict:
        session["visits"] = session.get("visits", 0) + 1
        return {"visits": session["visits"]}

    @get("/boom")
    async def boom(self) -> dict:
        raise ValueError("boom")

    @get("/sync")
    def sync_index(self) -> dict:  # run in a worker thread
        return {"name": settings.get("NAME")}
"""

STOCK = """
class Stock:
    def count(self) -> int:
        return 10
"""

RECORDER = """
import os

from apistellar_web import Hook


def record(line: str) -> None:
    with open(os.environ["LIFESPAN_LOG"], "a") as log:
        log.write(line + "\\n")


class Recorder(Hook):
    def on_startup(self) -> None:
        record("startup")

    async def on_shutdown(self) -> None:
        record("shutdown")
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def shop(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The ``shop`` project; the inner sessions run in its folder (the rootdir)."""
    root = pytester.path / "shop"
    write(
        root,
        {
            "pytest.ini": INI.format(mode="strict", loop_scope="function"),
            "web_app.py": WEB_APP,
            "settings.py": SETTINGS,
            "shop/__init__.py": "",
            "shop/goods.py": GOODS,
            "shop/stock.py": STOCK,
            "shop/recorder.py": RECORDER,
            "tests/__init__.py": "",
        },
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("LIFESPAN_LOG", str(pytester.path / "lifespan.log"))
    monkeypatch.delenv("SHOP_ENV", raising=False)
    monkeypatch.delenv("NAME", raising=False)
    return root


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        "--strict-markers", "--strict-config", "-p", "no:cacheprovider", "-q", *args
    )


def test_client_and_server_serve_the_project_and_keep_conftest_settings(
    shop: Path, pytester: pytest.Pytester
):
    """Without an ``app`` fixture the project at the rootdir is served; the settings a
    conftest loaded stay in force (the old ``server`` reloaded them from tests/)."""
    write(
        shop,
        {
            "tests/conftest.py": """
                from apistellar_config import init_settings

                init_settings("settings", overrides={"NAME": "from conftest"})
            """,
            "tests/test_api.py": """
                import httpx

                def test_client(client):
                    assert client.get("/goods/").json()["name"] == "from conftest"

                def test_server(server):
                    response = httpx.get(f"{server.url}/goods/")
                    assert response.json()["name"] == "from conftest"
                    assert server.port > 0 and server.url.endswith(str(server.port))

                def test_same_app_everywhere(app, server, client):
                    assert server.app is app
                    assert [r.url for r in app.routes][:1] == ["/goods/"]
            """,
        },
    )
    result = run(pytester)
    result.assert_outcomes(passed=3)


def test_server_serves_imported_and_defined_controllers_per_module(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
):
    """No project: each module's server routes the controllers its namespace holds,
    imported (the original's "define or import") or defined, and nothing else."""
    write(
        pytester.path,
        {
            "pytest.ini": INI.format(mode="strict", loop_scope="function"),
            "catalog.py": """
                from apistellar_web import Controller, get, route

                @route("/catalog", name="catalog")
                class CatalogController(Controller):
                    @get("/")
                    async def index(self) -> dict:
                        return {"from": "catalog"}
            """,
            "tests/conftest.py": """
                from apistellar_config import init_settings

                init_settings(overrides={"NAME": "from conftest"})
            """,
            "tests/test_imported.py": """
                import httpx

                from catalog import CatalogController

                def test_imported_controller_is_served(server):
                    assert httpx.get(f"{server.url}/catalog/").json() == {"from": "catalog"}
                    assert httpx.get(f"{server.url}/local/").status_code == 404

                def test_settings_kept(server):
                    from apistellar_config import settings
                    assert settings.NAME == "from conftest"
            """,
            "tests/test_defined.py": """
                import httpx

                from apistellar_config import settings
                from apistellar_web import Controller, get, route

                @route("/local", name="local")
                class LocalController(Controller):
                    @get("/")
                    async def index(self) -> dict:
                        return {"from": "local", "name": settings.get("NAME")}

                def test_defined_controller_is_served(server):
                    body = httpx.get(f"{server.url}/local/").json()
                    assert body == {"from": "local", "name": "from conftest"}
                    assert httpx.get(f"{server.url}/catalog/").status_code == 404
            """,
        },
    )
    result = run(pytester)
    result.assert_outcomes(passed=3)


def test_app_fixture_of_a_conftest_is_what_server_and_clients_serve(
    shop: Path, pytester: pytest.Pytester
):
    """A conftest's ``app`` fixture replaces the project's app for every fixture."""
    write(
        shop,
        {
            "tests/conftest.py": """
                import pytest

                from apistellar_web import Application, Controller, get, route

                @route("/own", name="own")
                class OwnController(Controller):
                    @get("/")
                    async def index(self) -> dict:
                        return {"own": True}

                @pytest.fixture(scope="module")
                def app(tmp_path_factory):
                    folder = tmp_path_factory.mktemp("own")
                    return Application(
                        "own", current_dir=folder, controllers=[OwnController], discover=False
                    )
            """,
            "tests/test_own.py": """
                import httpx
                import pytest

                def test_client(client, app):
                    assert app.name == "own"
                    assert client.get("/own/").json() == {"own": True}
                    assert client.get("/goods/").status_code == 404

                def test_server(server):
                    assert httpx.get(f"{server.url}/own/").json() == {"own": True}

                @pytest.mark.asyncio
                async def test_async_client(async_client):
                    response = await async_client.get("/own/")
                    assert response.json() == {"own": True}
            """,
        },
    )
    result = run(pytester)
    result.assert_outcomes(passed=3)


def test_lifespan_runs_before_the_first_test_and_after_the_module(
    shop: Path, pytester: pytest.Pytester
):
    """Start-up completes before a module's first test (server and in-process clients),
    shut-down runs after its last one; the order is recorded to a file."""
    test_module = """
        from shop.recorder import record
        {imports}

        def test_one({fixture}):
            record("{name} one")
            {request}

        def test_two({fixture}):
            record("{name} two")
            {request}
    """
    write(
        shop,
        {
            "tests/test_a_server.py": test_module.format(
                imports="import httpx",
                fixture="server",
                name="server",
                request='assert httpx.get(f"{server.url}/goods/").status_code == 200',
            ),
            "tests/test_b_client.py": test_module.format(
                imports="",
                fixture="client",
                name="client",
                request='assert client.get("/goods/").status_code == 200',
            ),
            "tests/test_c_async.py": """
                import pytest

                from shop.recorder import record

                @pytest.mark.asyncio
                async def test_one(async_client):
                    record("async one")
                    assert (await async_client.get("/goods/")).status_code == 200

                def test_not_using_it():
                    record("plain")

                @pytest.mark.asyncio
                async def test_two(async_client):
                    record("async two")
                    assert (await async_client.get("/goods/")).status_code == 200
            """,
        },
    )
    result = run(pytester)
    result.assert_outcomes(passed=7)
    log = (pytester.path / "lifespan.log").read_text().split("\n")[:-1]
    assert log == [
        *("startup", "server one", "server two", "shutdown"),
        *("startup", "client one", "client two", "shutdown"),
        *("startup", "async one", "plain", "async two", "shutdown"),
    ]


def test_client_keeps_cookies_and_markers_apply_to_requests(shop: Path, pytester: pytest.Pytester):
    """Cookies persist across a test's requests (the session works); ``settings``,
    ``env`` and ``prop`` markers at module, class and function level reach the app, for
    the in-process clients and the live server alike."""
    write(
        shop,
        {
            "tests/test_markers.py": """
                import httpx
                import pytest

                pytestmark = pytest.mark.settings(COLOUR="module")

                def test_session_cookie_persists(client):
                    assert client.get("/goods/visits").json() == {"visits": 1}
                    assert client.get("/goods/visits").json() == {"visits": 2}

                def test_a_new_client_per_test(client):
                    assert client.get("/goods/visits").json() == {"visits": 1}

                @pytest.mark.settings(NAME="marker")
                @pytest.mark.env(SHOP_ENV="marked")
                @pytest.mark.prop("shop.stock.Stock.count", ret_val=3)
                def test_client(client):
                    body = client.get("/goods/").json()
                    assert body == {"name": "marker", "colour": "module", "env": "marked",
                                    "count": 3}

                @pytest.mark.settings(NAME="marker")
                @pytest.mark.env(SHOP_ENV="marked")
                @pytest.mark.prop("shop.stock.Stock.count", ret_val=4)
                def test_server(server):
                    body = httpx.get(f"{server.url}/goods/").json()
                    assert body == {"name": "marker", "colour": "module", "env": "marked",
                                    "count": 4}

                @pytest.mark.settings(COLOUR="class")
                class TestGroup:
                    @pytest.mark.asyncio
                    @pytest.mark.prop("shop.stock.Stock.count", ret_val=5)
                    async def test_async_client(self, async_client):
                        body = (await async_client.get("/goods/")).json()
                        assert body["colour"] == "class" and body["count"] == 5

                def test_restored(client, server):
                    expected = {"name": "from settings.py", "colour": "module", "env": "unset",
                                "count": 10}
                    assert client.get("/goods/").json() == expected
                    assert httpx.get(f"{server.url}/goods/").json() == expected
            """,
        },
    )
    result = run(pytester)
    result.assert_outcomes(passed=6)


def test_settings_fixture_is_seen_by_the_app_and_restored(shop: Path, pytester: pytest.Pytester):
    """``settings.X = v`` and ``settings["X"] = v`` in a test are seen by the test, the
    clients and the server, ``DEBUG`` included (the app reads it at start-up), and are
    gone in the next test."""
    write(
        shop,
        {
            "tests/test_settings.py": """
                import httpx
                import pytest

                from apistellar_config import settings as process_settings

                def test_attribute_and_item(settings, client, server):
                    settings.NAME = "by attribute"
                    settings["COLOUR"] = "by item"
                    assert process_settings.NAME == "by attribute"
                    assert settings.COLOUR == "by item" and settings.changed == {
                        "NAME": "by attribute", "COLOUR": "by item"}
                    body = client.get("/goods/").json()
                    assert (body["name"], body["colour"]) == ("by attribute", "by item")
                    body = httpx.get(f"{server.url}/goods/").json()
                    assert (body["name"], body["colour"]) == ("by attribute", "by item")
                    assert client.get("/goods/sync").json() == {"name": "by attribute"}
                    assert httpx.get(f"{server.url}/goods/sync").json()["name"] == "by attribute"

                @pytest.mark.asyncio
                async def test_in_an_async_test(settings, async_client):
                    settings.NAME = "async"
                    assert (await async_client.get("/goods/")).json()["name"] == "async"

                def test_debug_reaches_the_app(settings, client, server):
                    assert "detail" not in client.get("/goods/boom").json()
                    settings.DEBUG = True
                    settings.APP_ERROR_STATUS = 500
                    response = client.get("/goods/boom")
                    assert response.status_code == 500
                    assert "ValueError" in response.json()["detail"]
                    response = httpx.get(f"{server.url}/goods/boom")
                    assert response.status_code == 500 and "detail" in response.json()

                def test_restored(client, server, app):
                    assert process_settings.NAME == "from settings.py"
                    assert "COLOUR" not in process_settings
                    assert app.debug is False
                    response = client.get("/goods/boom")
                    assert response.status_code == 200 and "detail" not in response.json()
                    assert httpx.get(f"{server.url}/goods/").json()["name"] == "from settings.py"

                @pytest.mark.settings(NAME="marker")
                def test_fixture_wins_over_the_marker(settings, client):
                    assert client.get("/goods/").json()["name"] == "marker"
                    settings.NAME = "fixture"
                    assert client.get("/goods/").json()["name"] == "fixture"

                def test_deleting_is_refused(settings):
                    with pytest.raises(AttributeError, match="cannot be deleted"):
                        del settings.NAME
            """,
        },
    )
    result = run(pytester)
    result.assert_outcomes(passed=6)


@pytest.mark.parametrize(
    ("mode", "loop_scope", "mark"),
    [
        ("strict", "function", "@pytest.mark.asyncio"),
        ("auto", "function", ""),
        ("strict", "module", '@pytest.mark.asyncio(loop_scope="module")'),
        ("auto", "session", ""),
    ],
)
def test_async_tests_under_pytest_asyncio_modes(
    shop: Path, pytester: pytest.Pytester, mode: str, loop_scope: str, mark: str
):
    """``async_client`` and ``client`` work in async tests in strict and auto modes,
    whatever the loop scope; the app keeps one loop of its own for its lifespan."""
    write(
        shop,
        {
            "pytest.ini": INI.format(mode=mode, loop_scope=loop_scope),
            "tests/test_async.py": f"""
                import asyncio

                import httpx
                import pytest

                {mark}
                async def test_async_client(async_client, settings):
                    settings.COLOUR = "async"
                    responses = await asyncio.gather(
                        async_client.get("/goods/"), async_client.get("/goods/visits")
                    )
                    assert responses[0].json()["colour"] == "async"
                    assert responses[1].json() == {{"visits": 1}}

                {mark}
                async def test_sync_client_inside_async_test(client):
                    assert client.get("/goods/").json()["count"] == 10

                {mark}
                async def test_again(async_client):
                    assert (await async_client.get("/goods/")).json()["colour"] == "none"

                {mark}
                async def test_server_from_an_async_test(server, settings):
                    # the original's idiom: an async test sending requests to server.port
                    settings.COLOUR = "served"
                    async with httpx.AsyncClient() as http:
                        response = await http.get(f"http://127.0.0.1:{{server.port}}/goods/")
                    assert response.json()["colour"] == "served"
            """,
        },
    )
    result = run(pytester)
    result.assert_outcomes(passed=4)


def test_project_named_in_the_ini_and_a_module_app_attribute(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
):
    """``apistellar_project`` (accepted by ``--strict-config``) names a project the search
    would not find; a test module's ``app`` attribute is served instead of the project."""
    write(
        pytester.path,
        {
            "pytest.ini": INI.format(mode="strict", loop_scope="function").replace(
                "pythonpath = .", "pythonpath = services/shop\napistellar_project = services/shop"
            ),
            "services/shop/web_app.py": WEB_APP,
            "services/shop/settings.py": SETTINGS,
            "services/shop/shop/__init__.py": "",
            "services/shop/shop/goods.py": GOODS,
            "services/shop/shop/stock.py": STOCK,
            "tests/test_found.py": """
                def test_project_served(client, apistellar_project):
                    assert apistellar_project.name == "shop"
                    assert client.get("/goods/").json()["name"] == "from settings.py"
            """,
            "tests/test_attribute.py": """
                from apistellar_web import Application

                app = Application("attribute", current_dir=".", discover=False)

                def test_attribute_served(client, server):
                    assert server.app is app
                    assert client.get("/goods/").status_code == 404
            """,
        },
    )
    monkeypatch.setenv("LIFESPAN_LOG", str(pytester.path / "lifespan.log"))
    result = run(pytester)
    result.assert_outcomes(passed=2)
    ini = (pytester.path / "pytest.ini").read_text()
    (pytester.path / "pytest.ini").write_text(
        ini.replace("apistellar_project = services/shop", "apistellar_project = nowhere")
    )
    result = run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*apistellar_project = nowhere*has no web_app.py*"])


def test_unconfigured_async_tests_just_run(pytester: pytest.Pytester):
    """Without any pytest-asyncio configuration (strict mode), an unmarked ``async def``
    test runs instead of failing with "async def functions are not natively supported";
    tests marked for anyio stay anyio's; the ini key turns the marking off."""
    pytester.makepyfile(
        test_plain="""
            import asyncio

            import pytest

            from apistellar_web import Controller, get, route

            @route("/ping", name="ping")
            class PingController(Controller):
                @get("/")
                async def ping(self) -> dict:
                    return {"pong": True}

            async def test_unmarked(async_client):
                await asyncio.sleep(0)
                assert (await async_client.get("/ping/")).json() == {"pong": True}

            class TestGrouped:
                async def test_method(self):
                    await asyncio.sleep(0)

            @pytest.mark.anyio
            async def test_for_anyio(anyio_backend):
                assert anyio_backend == "asyncio"

            @pytest.fixture
            def anyio_backend():
                return "asyncio"
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=3)
    pytester.makeini("[pytest]\napistellar_mark_async_tests = false\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-config")
    outcomes = result.parseoutcomes()
    # pytest before 8.4 skips such tests, later ones fail them
    assert outcomes.get("passed") == 1
    assert outcomes.get("failed", 0) + outcomes.get("skipped", 0) == 2
    result.stdout.fnmatch_lines(["*async def functions are not natively supported*"])


SLOW = """
import io
import time

from apistellar_web import Controller, FileResponse, get, route


class SlowToClose(io.BytesIO):
    def close(self) -> None:
        time.sleep(0.5)  # released after the response was sent, as a real file may be
        super().close()


@route("/slow", name="slow")
class SlowController(Controller):
    @get("/")
    def download(self) -> FileResponse:
        return FileResponse(
            SlowToClose(b"data"), filename="data.txt", headers={"Content-Length": "4"}
        )
"""


def test_a_request_still_finishing_never_leaks_settings_into_the_next_test(
    shop: Path, pytester: pytest.Pytester
):
    """The server's request is still closing its file when the test that made it ends:
    the next test must find the app with its own start-up values, not the previous
    test's ``DEBUG``."""
    write(
        shop,
        {
            "shop/slow.py": SLOW,
            "tests/test_settle.py": """
                import httpx

                def test_debug_while_downloading(settings, server):
                    settings.DEBUG = True
                    assert httpx.get(f"{server.url}/slow/").text == "data"

                def test_the_next_test_sees_the_app_as_built(app, server):
                    assert app.debug is False
                    assert "detail" not in httpx.get(f"{server.url}/goods/boom").json()
            """,
        },
    )
    result = run(pytester)
    result.assert_outcomes(passed=2)
