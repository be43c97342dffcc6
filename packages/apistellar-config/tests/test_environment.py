from datetime import timedelta

import pytest

from apistellar_config import SettingsValueError, load_settings


@pytest.fixture
def loaded(tmp_path, write):
    write(
        "settings.py",
        """
        from datetime import timedelta
        DEBUG = False
        PORT = 8000
        RATIO = 0.5
        NAME = "app"
        HOSTS = ["a"]
        TAGS = {"a"}
        PAIR = (1, 2)
        DB = {"host": "x"}
        LIFETIME = timedelta(days=31)
        NOTHING = None
        """,
    )
    return load_settings(search_path=tmp_path)


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        pytest.param("DEBUG", "on", True, id="bool-on"),
        pytest.param("DEBUG", "No", False, id="bool-no"),
        pytest.param("DEBUG", "1", True, id="bool-1"),
        pytest.param("PORT", "9000", 9000, id="int"),
        pytest.param("RATIO", "0.25", 0.25, id="float"),
        pytest.param("NAME", "other", "other", id="str"),
        pytest.param("HOSTS", "b, c", ["b", "c"], id="list-comma"),
        pytest.param("HOSTS", '["b", 1]', ["b", 1], id="list-json"),
        pytest.param("TAGS", "x,y", frozenset({"x", "y"}), id="set"),
        pytest.param("PAIR", "3,4", ["3", "4"], id="tuple"),
        pytest.param("DB", '{"host": "y", "port": 1}', {"host": "y", "port": 1}, id="dict-json"),
        pytest.param("LIFETIME", "60", timedelta(seconds=60), id="timedelta"),
        pytest.param("NOTHING", "text", "text", id="none"),
    ],
)
def test_environment_override_is_cast_to_the_type_it_overrides(
    loaded, monkeypatch, key, text, expected
):
    monkeypatch.setenv(key, text)
    value = loaded[key]
    assert value == expected
    assert type(value) is not str or isinstance(expected, str)


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        pytest.param("DEBUG", "maybe", "boolean", id="bool"),
        pytest.param("DEBUG", "2", "boolean", id="bool-2"),
        pytest.param("PORT", "80a", "integer", id="int"),
        pytest.param("RATIO", "half", "number", id="float"),
        pytest.param("DB", "[1]", "mapping", id="dict"),
        pytest.param("HOSTS", "[1,", "list", id="list"),
        pytest.param("LIFETIME", "a month", "seconds", id="timedelta"),
    ],
)
def test_environment_value_that_cannot_be_cast_names_variable_value_and_type(
    loaded, monkeypatch, key, text, expected
):
    monkeypatch.setenv(key, text)
    with pytest.raises(SettingsValueError) as info:
        loaded[key]
    message = str(info.value)
    assert f"environment variable {key!r}" in message
    assert repr(text) in message
    assert expected in message


def test_environment_is_read_on_every_lookup(loaded, monkeypatch):
    assert loaded.PORT == 8000
    monkeypatch.setenv("PORT", "2")
    assert loaded.get_int("PORT") == 2
    monkeypatch.delenv("PORT")
    assert loaded.PORT == 8000


def test_environment_lookup_of_undefined_key_works_like_the_original(loaded, monkeypatch):
    monkeypatch.setenv("ONLY_IN_ENV", "yes")
    assert loaded["ONLY_IN_ENV"] == "yes"
    assert "ONLY_IN_ENV" in loaded
    assert loaded.get("ONLY_IN_ENV", False) is True
    assert loaded.get_bool("ONLY_IN_ENV") is True
    assert "ONLY_IN_ENV" not in list(loaded)


def test_prefix_from_argument(tmp_path, write, monkeypatch):
    write("settings.py", "PORT = 1\n")
    monkeypatch.setenv("PORT", "2")
    monkeypatch.setenv("MYAPP_PORT", "3")
    assert load_settings(search_path=tmp_path, env_prefix="MYAPP_").PORT == 3


def test_prefix_from_settings_module(tmp_path, write, monkeypatch):
    write("settings.py", "SETTINGS_ENV_PREFIX = 'MYAPP_'\nPORT = 1\n")
    monkeypatch.setenv("PORT", "2")
    loaded = load_settings(search_path=tmp_path)
    assert loaded.env_prefix == "MYAPP_"
    assert loaded.PORT == 1
    monkeypatch.setenv("MYAPP_PORT", "4")
    assert loaded.PORT == 4
