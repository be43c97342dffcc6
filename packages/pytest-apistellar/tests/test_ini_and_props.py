"""Ini-file mocks, prop options (factory arguments, asyncable, callable, fixture_inject),
and prop_alias, run in a real pytest session through pytester."""

import pytest

pytest_plugins = ["pytester"]

HELPERS = """
TABLE = {"a": 1}
NAME = "real"

def fetch(key):
    return "real"

async def afetch(key):
    return "real"

class Repo:
    mongodb = "real"

    def load(self, key) -> dict:
        return {"real": key}

def make(*args, **kwargs):
    return ("made", args, kwargs)

def make_client(tmp_path):
    return ("client", tmp_path.name)
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(helpers=HELPERS)
    (pytester.path / "factories.py").write_text(
        "data = {'x': 0}\n\ndef mongo_factory(*args, **kwargs):\n    return 'mongo mock'\n"
    )
    (pytester.path / "elsewhere").mkdir()
    (pytester.path / "libs").mkdir()
    (pytester.path / "libs" / "extra_lib.py").write_text("VALUE = 'from libs'\n")
    return pytester


def test_ini_mocks_apply_to_the_whole_session(project: pytest.Pytester, monkeypatch):
    monkeypatch.delenv("APP_NAME", raising=False)
    project.makeini(
        """
        [pytest]
        asyncio_default_fixture_loop_scope = function
        prop =
            helpers.fetch->helpers.make
            helpers.NAME="from ini"
            helpers.Repo.mongodb=factories.mongo_factory
        env =
            APP_NAME=123
        item =
            factories.data["a"]=11
            factories.data[2]=[1, 2]
        path =
            elsewhere
        syspath =
            libs
        """
    )
    project.makepyfile(
        test_session="""
        import os

        import factories
        import helpers

        def test_everything_from_the_ini():
            assert helpers.fetch("k") == ("made", ("k",), {})
            assert helpers.NAME == "from ini"
            assert helpers.Repo.mongodb is factories.mongo_factory
            assert os.environ["APP_NAME"] == "123"
            assert factories.data == {"x": 0, "a": 11, 2: [1, 2]}
            assert os.getcwd().endswith("elsewhere")
            import extra_lib
            assert extra_lib.VALUE == "from libs"

        def test_still_there_in_the_next_test():
            assert helpers.NAME == "from ini"
        """
    )
    result = project.runpytest("--strict-markers", "--strict-config")
    result.assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("key", "line", "message"),
    [
        ("prop", "helpers.fetch", "target->factory or target=value"),
        ("env", "NOEQUALS", "NAME=value"),
        ("item", "factories.data=1", "ini 'item' entries are target"),
        ("prop", "helpers.missing=1", "does not name an existing attribute"),
    ],
)
def test_bad_ini_entries_are_clear_errors(project: pytest.Pytester, key, line, message):
    project.makeini(
        f"[pytest]\nasyncio_default_fixture_loop_scope = function\n{key} =\n    {line}\n"
    )
    project.makepyfile(test_one="def test_one():\n    pass\n")
    result = project.runpytest()
    assert result.ret != 0
    result.stdout.fnmatch_lines([f"*{message}*"])


def test_prop_options_and_alias(project: pytest.Pytester):
    project.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    project.makepyfile(
        test_props="""
        import asyncio
        import inspect

        import pytest

        import helpers
        from pytest_apistellar import prop_alias

        repo = prop_alias("helpers.Repo")

        @pytest.mark.prop("helpers.fetch", 1, 2, ret_factory="helpers.make", flag=True)
        def test_factory_arguments():
            assert helpers.fetch("k") == ("made", ("k", 1, 2), {"flag": True})

        @pytest.mark.prop("helpers.fetch", ret_val="now async", asyncable=True)
        @pytest.mark.prop("helpers.afetch", ret_val="now sync", asyncable=False)
        def test_asyncable():
            assert asyncio.run(helpers.fetch("k")) == "now async"
            assert helpers.afetch("k") == "now sync"

        @pytest.mark.prop("helpers.NAME", ret_val="called", callable=True)
        @pytest.mark.prop("helpers.fetch", ret_val="plain", callable=False)
        def test_callable_switch():
            assert helpers.NAME() == "called"
            assert helpers.fetch == "plain"

        @pytest.mark.prop("helpers.Repo.load", ret_val={"fake": 1})
        def test_signature_is_kept_for_the_injector():
            assert helpers.Repo().load("k") == {"fake": 1}
            assert inspect.signature(helpers.Repo.load).return_annotation is dict

        @pytest.mark.prop("helpers.fetch", ret_factory="helpers.make_client", fixture_inject=True)
        def test_fixture_inject(tmp_path):
            assert helpers.fetch() == ("client", tmp_path.name)

        @repo("mongodb", ret_factory="mongo_factory")
        def test_alias():
            import factories
            assert helpers.Repo.mongodb == "mongo mock"
        """
    )
    result = project.runpytest("--strict-markers")
    result.assert_outcomes(passed=6)


def test_prop_alias_builds_the_original_marker():
    from pytest_apistellar import prop_alias

    marker = prop_alias("pkg.mod.Repo")("mongodb", ret_factory="mongo_factory").mark
    assert marker.name == "prop"
    assert marker.args == ("pkg.mod.Repo.mongodb",)
    assert marker.kwargs == {"ret_factory": "factories.mongo_factory"}
    plain = prop_alias(mock_factory_prefix=None)("a.b", ret_factory="x.y").mark
    assert plain.args == ("a.b",) and plain.kwargs == {"ret_factory": "x.y"}
