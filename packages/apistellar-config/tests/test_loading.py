import logging
import os
import sys
from pathlib import Path

import pytest

from apistellar_config import (
    MissingSettingError,
    SettingsLoadError,
    SettingsSchemaError,
    SettingsValueError,
    Spec,
    load_settings,
)


def test_module_next_to_the_app_is_loaded_with_upper_case_names_only(tmp_path, write):
    write(
        "settings.py",
        """
        import os
        from datetime import timedelta
        DEBUG = True
        PORT = 8000
        LIFETIME = timedelta(days=2)
        NOTHING = None
        lower = "not a setting"
        _PRIVATE = 1
        def helper(): pass
        class Thing: pass
        """,
    )
    loaded = load_settings(search_path=tmp_path)
    assert loaded.DEBUG is True
    assert loaded["PORT"] == 8000
    assert loaded.LIFETIME.days == 2
    assert loaded.get("NOTHING") is None
    assert set(loaded) == {"PROJECT_PATH", "DEBUG", "PORT", "LIFETIME", "NOTHING"}
    assert loaded.PROJECT_PATH == str(tmp_path.resolve())
    assert "os" not in loaded and "helper" not in loaded and "Thing" not in loaded


def test_dotted_module_inside_a_package(tmp_path, write):
    write("proj/__init__.py", "")
    write("proj/settings.py", "NAME = 'proj'\n")
    loaded = load_settings("proj.settings", search_path=tmp_path)
    assert loaded.NAME == "proj"
    assert any("proj.settings" in source for source in loaded.sources)


def test_module_file_path_is_accepted(tmp_path, write):
    path = write("conf/local.py", "A = 1\n")
    assert load_settings(str(path)).A == 1


def test_default_module_may_be_missing_with_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="apistellar.config"):
        loaded = load_settings(search_path=tmp_path)
    assert set(loaded) == {"PROJECT_PATH"}
    assert "was not found" in caplog.text


def test_explicit_module_that_is_missing_is_an_error_naming_where_it_looked(tmp_path):
    with pytest.raises(SettingsLoadError) as info:
        load_settings("nowhere.settings", search_path=tmp_path)
    assert "'nowhere.settings'" in str(info.value)
    assert str(tmp_path.resolve()) in str(info.value)


def test_module_named_by_environment_variable(tmp_path, write, monkeypatch):
    write("other.py", "WHO = 'other'\n")
    monkeypatch.setenv("APISTELLAR_SETTINGS_MODULE", "other")
    assert load_settings(search_path=tmp_path).WHO == "other"


def test_syntax_error_names_file_and_line(tmp_path, write):
    path = write("settings.py", "A = 1\nB = (\nC = 3\n")
    with pytest.raises(SettingsLoadError) as info:
        load_settings(search_path=tmp_path)
    assert str(path) in str(info.value)
    assert info.value.line in (2, 3)
    assert f"line {info.value.line}" in str(info.value)
    assert "syntax error" in str(info.value)


def test_module_raising_at_import_names_file_and_line(tmp_path, write):
    path = write("settings.py", "A = 1\nB = 1 / 0\n")
    with pytest.raises(SettingsLoadError) as info:
        load_settings(search_path=tmp_path)
    assert info.value.line == 2
    assert str(path) in str(info.value) and "ZeroDivisionError" in str(info.value)


def test_module_is_re_read_on_every_load(tmp_path, write):
    write("settings.py", "A = 1\n")
    assert load_settings(search_path=tmp_path).A == 1
    write("settings.py", "A = 2\n")
    assert load_settings(search_path=tmp_path).A == 2


def test_a_rewrite_the_bytecode_cache_cannot_see_is_read_too(tmp_path, write, monkeypatch):
    """Same size, same mtime: a cached .pyc would look fresh; the source is what counts."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = write("settings.py", "A = 1\n")
    stat = path.stat()
    assert load_settings(search_path=tmp_path).A == 1
    write("settings.py", "A = 2\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert load_settings(search_path=tmp_path).A == 2
    assert not list(tmp_path.rglob("*.pyc"))  # nothing cached next to the user's settings


def test_yaml_next_to_the_module_merges_over_it(tmp_path, write):
    write(
        "settings.py",
        """
        DB = {"host": "localhost", "port": 5432, "opts": {"a": 1}}
        TAGS = {"x"}
        HOSTS = ["a", "b"]
        NAME = "module"
        """,
    )
    write(
        "settings.yaml",
        """
        DB:
          port: 6543
          opts: {b: 2}
        HOSTS: [b, c]
        NAME: yaml
        lower: ignored
        """,
    )
    loaded = load_settings(search_path=tmp_path)
    assert loaded.DB.normalize() == {"host": "localhost", "port": 6543, "opts": {"a": 1, "b": 2}}
    assert loaded.HOSTS == ["a", "b", "c"]
    assert loaded.NAME == "yaml"
    assert loaded.TAGS == frozenset({"x"})
    assert "lower" not in loaded
    assert loaded.origin("NAME").startswith("YAML file")


def test_defaults_are_the_lowest_source_and_merge(tmp_path, write):
    write("settings.py", "LOCAL_VARIABLE = {'session': 'x'}\nTAGS = {'b'}\n")
    loaded = load_settings(
        search_path=tmp_path,
        defaults={"LOCAL_VARIABLE": {"scope": "y"}, "TAGS": {"a"}, "ONLY_DEFAULT": 1},
    )
    assert loaded.LOCAL_VARIABLE.normalize() == {"scope": "y", "session": "x"}
    assert loaded.TAGS == {"a", "b"}
    assert loaded.ONLY_DEFAULT == 1
    assert loaded.origin("ONLY_DEFAULT") == "framework defaults"


def test_explicit_yaml_file_only(tmp_path, write):
    path = write("conf.yml", "A: 1\nB: [1, 2]\n")
    loaded = load_settings(str(path))
    assert loaded.A == 1 and loaded.B == [1, 2]


def test_yaml_that_does_not_parse_names_file_and_line(tmp_path, write):
    write("settings.yaml", "A: 1\nB: [1, 2\nC: 3\n")
    with pytest.raises(SettingsLoadError) as info:
        load_settings(search_path=tmp_path)
    assert "settings.yaml" in str(info.value)
    assert info.value.line is not None and f"line {info.value.line}" in str(info.value)


def test_yaml_that_is_not_a_mapping_is_an_error(tmp_path, write):
    write("settings.yaml", "- 1\n- 2\n")
    with pytest.raises(SettingsLoadError, match="mapping"):
        load_settings(search_path=tmp_path)


def test_missing_yaml_file_given_explicitly_is_an_error(tmp_path):
    with pytest.raises(SettingsLoadError, match="nope.yaml"):
        load_settings(search_path=tmp_path, yaml_files=["nope.yaml"])


def test_yaml_cannot_run_code(tmp_path, write):
    write("settings.yaml", "A: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(SettingsLoadError):
        load_settings(search_path=tmp_path)


def test_explicit_overrides_win_over_everything_including_environment(tmp_path, write, monkeypatch):
    write("settings.py", "A = 1\n")
    monkeypatch.setenv("A", "2")
    loaded = load_settings(search_path=tmp_path, overrides={"A": 3})
    assert loaded.A == 3
    with pytest.raises(ValueError, match="upper-case"):
        load_settings(search_path=tmp_path, overrides={"a": 1})


def test_missing_key_error_names_the_key_and_every_source(tmp_path, write):
    write("settings.py", "A = 1\n")
    loaded = load_settings(search_path=tmp_path)
    with pytest.raises(MissingSettingError) as info:
        loaded["NOPE"]
    message = str(info.value)
    assert "'NOPE'" in message and "settings.py" in message
    assert "environment variable 'NOPE'" in message
    with pytest.raises(KeyError):
        loaded["NOPE"]
    with pytest.raises(AttributeError):
        loaded.NOPE
    assert loaded.get("NOPE", 5) == 5


def test_schema_reports_every_violation_together(tmp_path, write, monkeypatch):
    write("settings.py", "PORT = '80'\nDEBUG = 1\nRATE = 2\n")
    with pytest.raises(SettingsSchemaError) as info:
        load_settings(
            search_path=tmp_path,
            schema={
                "PORT": int,
                "DEBUG": bool,
                "RATE": float,
                "SECRET_KEY": Spec(str, required=True),
                "OPTIONAL": Spec(int),
            },
        )
    problems = info.value.problems
    assert len(problems) == 3
    assert any(p.startswith("PORT must be int") for p in problems)
    assert any(p.startswith("DEBUG must be bool") for p in problems)
    assert any(p.startswith("SECRET_KEY is required") for p in problems)


def test_schema_checks_the_value_after_environment_casting(tmp_path, write, monkeypatch):
    write("settings.py", "PORT = 80\nHOSTS = ['a']\nOPTS = {}\n")
    monkeypatch.setenv("PORT", "8080")
    loaded = load_settings(search_path=tmp_path, schema={"PORT": int, "HOSTS": list, "OPTS": dict})
    assert loaded.PORT == 8080


def test_bad_environment_value_fails_the_load(tmp_path, write, monkeypatch):
    write("settings.py", "PORT = 80\n")
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(SettingsValueError) as info:
        load_settings(search_path=tmp_path)
    assert info.value.origin == "environment variable 'PORT'"
    assert "'eighty'" in str(info.value) and "integer" in str(info.value)


def test_several_bad_environment_values_are_reported_together(tmp_path, write, monkeypatch):
    write("settings.py", "PORT = 80\nDEBUG = False\n")
    monkeypatch.setenv("PORT", "eighty")
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(SettingsSchemaError) as info:
        load_settings(search_path=tmp_path)
    assert len(info.value.problems) == 2


def test_project_path_defaults_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Path(load_settings().PROJECT_PATH) == tmp_path.resolve()
