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
    result = project.runpytest_subprocess("--strict-markers", "--strict-config")
    result.assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("key", "line", "message"),
    [
        ("prop", "helpers.fetch", "target->factory or target=value"),
        ("env", "NOEQUALS", "NAME=value"),
        ("item", "factories.data=1", "ini 'item' entries are target"),
        ("prop", "nowhere.missing=1", "does not start with an importable module"),
    ],
)
def test_bad_ini_entries_are_clear_errors(project: pytest.Pytester, key, line, message):
    project.makeini(
        f"[pytest]\nasyncio_default_fixture_loop_scope = function\n{key} =\n    {line}\n"
    )
    project.makepyfile(test_one="def test_one():\n    pass\n")
    result = project.runpytest_subprocess()
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
    result = project.runpytest_subprocess("--strict-markers")
    result.assert_outcomes(passed=6)


def test_prop_alias_builds_the_original_marker():
    from pytest_apistellar import prop_alias

    marker = prop_alias("pkg.mod.Repo")("mongodb", ret_factory="mongo_factory").mark
    assert marker.name == "prop"
    assert marker.args == ("pkg.mod.Repo.mongodb",)
    assert marker.kwargs == {"ret_factory": "factories.mongo_factory"}
    plain = prop_alias(mock_factory_prefix=None)("a.b", ret_factory="x.y").mark
    assert plain.args == ("a.b",) and plain.kwargs == {"ret_factory": "x.y"}
    # a factory keyword may be called like the alias's own parameter
    named = prop_alias("pkg.File")("load", ret_factory="mock_load", name="x").mark
    assert named.args == ("pkg.File.load",)
    assert named.kwargs == {"ret_factory": "factories.mock_load", "name": "x"}


def test_prop_cascade_creates_missing_attributes_for_the_scope(project: pytest.Pytester):
    """The original's cascade: a ``prop`` path whose middle attributes do not exist
    creates them for the test (or, from the ini file, the session), removes them after,
    and warns in case the name is a typo."""
    project.makeini(
        """
        [pytest]
        asyncio_default_fixture_loop_scope = function
        prop =
            helpers.Config.store.table="from ini"
        """
    )
    project.makepyfile(
        test_cascade="""
        import warnings

        import pytest

        import helpers
        from pytest_apistellar import PropCascadeWarning

        @pytest.mark.prop("helpers.Repo.backend.client.fetch", ret_val="deep")
        def test_created_for_the_test():
            assert helpers.Repo.backend.client.fetch == "deep"
            assert helpers.Config.store.table == "from ini"

        @pytest.mark.prop("helpers.Repo.backend.fetch", ret_val="called", callable=True)
        def test_created_callable():
            assert helpers.Repo.backend.fetch(1) == "called"

        def test_removed_after_the_test():
            assert not hasattr(helpers.Repo, "backend")
            assert helpers.Repo.mongodb == "real"
            assert helpers.Config.store.table == "from ini"

        @pytest.mark.prop("helpers.Repo.mongodb", ret_val="no warning")
        def test_existing_paths_do_not_warn(recwarn):
            assert helpers.Repo.mongodb == "no warning"
            assert not [w for w in recwarn if w.category is PropCascadeWarning]

        @pytest.mark.prop("nowhere_at_all.thing", ret_val=1)
        def test_no_importable_module():
            pass
        """
    )
    result = project.runpytest_subprocess("--strict-markers", "--strict-config")
    result.assert_outcomes(passed=4, errors=1)
    for line in (
        "*PropCascadeWarning: prop 'helpers.Repo.backend.client.fetch': created "
        "'helpers.Repo.backend', 'helpers.Repo.backend.client', "
        "'helpers.Repo.backend.client.fetch'*",
        "*PropCascadeWarning: prop 'helpers.Config.store.table': created 'helpers.Config'*",
        "*does not start with an importable module*",
    ):
        result.stdout.fnmatch_lines([line])


def test_fixture_inject_gives_a_kwargs_factory_every_fixture(project: pytest.Pytester):
    """With ``fixture_inject=True`` a factory taking ``**kwargs`` receives every fixture
    value of the requesting test (as the original did), named parameters theirs; a
    parametrised fixture drives the mock at every level."""
    project.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    project.makepyfile(
        test_inject="""
        import pytest

        import helpers

        @pytest.fixture(scope="session", params=[1, 2])
        def a(request):
            return request.param

        @pytest.fixture
        def b():
            return "b value"

        def everything(key, **fixtures):
            return key, fixtures

        pytestmark = pytest.mark.prop(
            "helpers.make", ret_factory=lambda *args, a, **kwargs: a * 3, fixture_inject=True
        )

        @pytest.mark.prop("helpers.fetch", ret_factory=everything, fixture_inject=True)
        def test_every_fixture_value(a, b, tmp_path):
            key, fixtures = helpers.fetch("k")
            assert key == "k"
            assert fixtures["a"] == a and fixtures["b"] == "b value"
            assert fixtures["tmp_path"] == tmp_path
            assert helpers.make() == a * 3

        @pytest.mark.prop("helpers.fetch", ret_factory=lambda key, b: (key, b), fixture_inject=True)
        def test_named_parameters_only(a, b):
            assert helpers.fetch("k") == ("k", "b value")

        class TestLevels:
            pytestmark = pytest.mark.prop(
                "helpers.Repo.load", ret_factory=lambda *args, a, **kw: a * 4, fixture_inject=True
            )

            def test_class_and_module_levels(self, a):
                assert helpers.Repo().load("k") == a * 4
                assert helpers.make() == a * 3
        """
    )
    result = project.runpytest_subprocess("--strict-markers", "--strict-config", "-W", "error")
    result.assert_outcomes(passed=6)
