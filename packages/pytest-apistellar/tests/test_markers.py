import pytest

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _ini(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")


def test_markers_are_registered_for_strict_markers(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.env(A="1")
        @pytest.mark.settings(B=2)
        def test_ok():
            pass
        """
    )
    result = pytester.runpytest_subprocess("--strict-markers")
    result.assert_outcomes(passed=1)


def test_env_marker_sets_and_restores_with_closest_marker_winning(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PATHLIKE", "/old")
    pytester.makepyfile(
        """
        import os
        import pytest

        pytestmark = pytest.mark.env(WHO="module", KEEP="m")

        @pytest.mark.env(WHO="function")
        def test_function_wins():
            assert os.environ["WHO"] == "function"
            assert os.environ["KEEP"] == "m"

        @pytest.mark.env(PATHLIKE="/first", prepend=":")
        def test_prepend():
            assert os.environ["PATHLIKE"] == "/first:/old"

        def test_restored_afterwards():
            assert os.environ["WHO"] == "module"
            assert os.environ["PATHLIKE"] == "/old"
        """
    )
    result = pytester.runpytest_subprocess("--strict-markers")
    result.assert_outcomes(passed=3)


def test_settings_marker_overrides_settings(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        import pytest
        from apistellar_config import settings

        @pytest.mark.settings(DEBUG=True, NAME="x")
        class TestGroup:
            @pytest.mark.settings(NAME="y")
            def test_inside(self):
                assert settings.DEBUG is True
                assert settings.NAME == "y"

        def test_outside():
            assert "NAME" not in settings
        """
    )
    result = pytester.runpytest_subprocess("--strict-markers")
    result.assert_outcomes(passed=2)


def test_env_marker_rejects_positional_arguments(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.env("A")
        def test_bad():
            pass
        """
    )
    result = pytester.runpytest_subprocess()
    result.stdout.fnmatch_lines(["*keyword arguments only*"])
    assert result.ret != 0


def test_prop_item_path_and_syspath_markers(pytester: pytest.Pytester, tmp_path):
    pytester.makepyfile(
        helpers="""
        import asyncio

        TABLE = {"a": 1}
        LIMIT = 10

        def fetch(key):
            return "real"

        async def afetch(key):
            return "real"

        class Repo:
            name = "real"

            def load(self, key):
                return "real"

            @classmethod
            def build(cls):
                return "real"

        def make(*args, **kwargs):
            return ("made", args, kwargs)
        """
    )
    pytester.syspathinsert()
    (tmp_path / "marker-folder").mkdir()
    pytester.makepyfile(
        test_it=f"""
        import asyncio
        import os
        import sys

        import pytest

        import helpers

        @pytest.mark.prop("helpers.fetch", ret_val="fake")
        @pytest.mark.prop("helpers.afetch", ret_val="async fake")
        @pytest.mark.prop("helpers.LIMIT", ret_val=3)
        @pytest.mark.prop("helpers.Repo.load", ret_factory="helpers.make")
        @pytest.mark.prop("helpers.Repo.build", ret_val="built")
        def test_props():
            assert helpers.fetch("k") == "fake"
            assert asyncio.run(helpers.afetch("k")) == "async fake"
            assert helpers.LIMIT == 3
            # called without self, as the original's stand-in was
            assert helpers.Repo().load("k") == ("made", ("k",), {{}})
            assert helpers.Repo.build() == "built"

        def test_restored():
            assert helpers.fetch("k") == "real" and helpers.LIMIT == 10

        @pytest.mark.item("helpers.TABLE", b=2)
        @pytest.mark.path({str(tmp_path / "marker-folder")!r})
        @pytest.mark.syspath({str(tmp_path)!r})
        def test_item_path_syspath():
            assert helpers.TABLE == {{"a": 1, "b": 2}}
            assert os.getcwd().endswith("marker-folder")
            assert sys.path[0] == {str(tmp_path)!r}

        @pytest.mark.item("helpers.NO_SUCH_TABLE", b=2)
        def test_wrong_target():
            pass

        @pytest.mark.usefixtures("mock")
        @pytest.mark.env(X="1")
        def test_mock_fixture():
            assert os.environ["X"] == "1"
        """
    )
    result = pytester.runpytest_subprocess("--strict-markers")
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(["*does not name an existing attribute*"])


def test_server_fixture_serves_the_module_controllers(pytester: pytest.Pytester):
    pytester.makepyfile(
        test_served="""
        import json
        import urllib.request

        from apistellar_web import Controller, get, route

        @route("/hello")
        class HelloController(Controller):
            @get("/")
            async def index(self) -> dict:
                return {"hello": "world"}

        def test_first_request_is_served(server):
            with urllib.request.urlopen(f"{server.url}/hello/") as response:
                assert json.loads(response.read()) == {"hello": "world"}
            assert server.port > 0 and server.app.routes

        def test_same_server_for_the_module(server, join_root_dir):
            assert join_root_dir("x").endswith("x")
        """
    )
    result = pytester.runpytest_subprocess("--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
