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
    result = pytester.runpytest("--strict-markers")
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
    result = pytester.runpytest("--strict-markers")
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
    result = pytester.runpytest("--strict-markers")
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
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["*keyword arguments only*"])
    assert result.ret != 0
