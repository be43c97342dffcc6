"""A project tested the way the original plugin's README and the wiki page
使用apistellar测试插件pytest-apistellar进行单元测试 taught, moved over unchanged: the
original layout, ``setup.cfg`` with ``--rootdir=<project>/tests`` and the ini mocks,
``usefixtures("mock")``, ``prop_alias``, module and class ``pytestmark``, classmethod
mocks fed by factories with keyword arguments, and async tests against ``server.port``.
Run in an inner pytest session (a subprocess)."""

import textwrap

import pytest

pytest_plugins = ["pytester"]

FILES = {
    "web_app.py": """
        import os

        from apistellar import Application

        app = Application("uploader", current_dir=os.path.dirname(os.path.abspath(__file__)))
    """,
    "settings.py": """
        BUCKET = "production"
    """,
    "uploader/__init__.py": "",
    "uploader/mimetype/__init__.py": "",
    "uploader/mimetype/repository.py": """
        class MimetypeRepository:
            TABLE = "mimetypes"
            mongodb = "real mongo"

            def get_mimetypes(self) -> list:
                return ["text/plain"]

            @classmethod
            async def load(cls, name: str = "") -> dict:
                return {"name": "from the database"}
    """,
    "uploader/mimetype/controller.py": """
        import os

        from apistellar import Controller, get, route, settings

        from .repository import MimetypeRepository


        @route("/mimetype", name="mimetype")
        class MimetypeController(Controller):
            @get("/")
            async def index(self) -> dict:
                repository = MimetypeRepository()
                return {
                    "types": repository.get_mimetypes(),
                    "table": MimetypeRepository.TABLE,
                    "mongodb": MimetypeRepository.mongodb,
                    "loaded": await MimetypeRepository.load(),
                    "app_name": os.environ.get("APP_NAME"),
                    "bucket": settings.get("BUCKET"),
                }
    """,
    "tests/factories.py": """
        def mongo_factory(*args, **kwargs):
            return "mocked mongo"

        def mock_load(name="from a factory"):
            return {"name": name}
    """,
    "tests/test_mimetype.py": """
        import os

        import httpx
        import pytest

        from pytest_apistellar import prop_alias
        from uploader.mimetype.controller import MimetypeController

        repo = prop_alias("uploader.mimetype.repository.MimetypeRepository")

        pytestmark = [repo("mongodb", ret_factory="mongo_factory")]


        async def fetch(port):
            url = f"http://localhost:{port}/mimetype/"
            async with httpx.AsyncClient(timeout=10) as session:
                resp = await session.get(url)
                return resp.json()


        @pytest.mark.asyncio
        async def test_mimetype(server):
            data = await fetch(server.port)
            assert data == {
                "types": ["text/plain"],
                "table": "test_file",
                "mongodb": "mocked mongo",
                "loaded": {"name": "from the database"},
                "app_name": "123",
                "bucket": "production",
            }


        class TestMimetype:
            pytestmark = [pytest.mark.env(APP_NAME="class")]

            @repo("get_mimetypes", ret_val=["zip/application"])
            @repo("load", ret_factory="mock_load", name="a keyword for the factory")
            @pytest.mark.usefixtures("mock")
            @pytest.mark.asyncio
            async def test_mocked(self, server):
                data = await fetch(server.port)
                assert data["types"] == ["zip/application"]
                assert data["loaded"] == {"name": "a keyword for the factory"}
                assert data["app_name"] == "class"


        @pytest.mark.env(APP_NAME="TEST")
        @pytest.mark.usefixtures("mock")
        def test_appname():
            assert os.getenv("APP_NAME") == "TEST"


        def test_the_project_is_found(apistellar_project):
            assert apistellar_project.name == "uploader"
    """,
}


def test_a_project_tested_as_the_original_taught(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
):
    pytest.importorskip("apistellar", reason="the original's projects import the meta package")
    root = pytester.path / "uploader"
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    (root / "setup.cfg").write_text(
        textwrap.dedent(
            f"""
            [tool:pytest]
            addopts = --rootdir={root}/tests -vv --disable-warnings
            usefixtures = mock
            asyncio_default_fixture_loop_scope = function
            prop =
                uploader.mimetype.repository.MimetypeRepository.TABLE="test_file"
            env =
                APP_NAME=123
            """
        )
    )
    monkeypatch.chdir(root)
    monkeypatch.delenv("APP_NAME", raising=False)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    # --rootdir on the command line is effective: the project is then the rootdir's parent
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--rootdir={root}/tests")
    result.stdout.fnmatch_lines([f"rootdir: {root}/tests"])
    result.assert_outcomes(passed=4)
