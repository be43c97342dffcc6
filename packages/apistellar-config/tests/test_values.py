import copy
import json
import pickle

import pytest

from apistellar_config import FrozenDict, FrozenError, FrozenList, SettingsValueError, load_settings


@pytest.fixture
def loaded(tmp_path, write):
    write(
        "settings.py",
        """
        DB = {"default": {"HOST": "h", "PORTS": [1, 2]}, "tags": {"a"}}
        HOSTS = ["a", {"b": 1}]
        FLAG = "off"
        COUNT = "12"
        RATIO = "1.5"
        BAD = "twelve"
        REAL_BOOL = True
        NOTHING = None
        """,
    )
    return load_settings(search_path=tmp_path)


def test_nested_values_are_frozen_with_dot_access(loaded):
    assert isinstance(loaded.DB, FrozenDict)
    assert loaded.DB.default.HOST == "h"
    assert loaded["DB"]["default"]["PORTS"] == [1, 2]
    assert isinstance(loaded.DB.default.PORTS, FrozenList)
    assert loaded.HOSTS[1].b == 1
    assert loaded.DB.tags == frozenset({"a"})


@pytest.mark.parametrize(
    "write_attempt",
    [
        pytest.param(lambda s: setattr(s, "DB", 1), id="settings-attr"),
        pytest.param(lambda s: s.__setitem__("DB", 1), id="settings-item"),
        pytest.param(lambda s: delattr(s, "DB"), id="settings-delattr"),
        pytest.param(lambda s: s.__delitem__("DB"), id="settings-delitem"),
        pytest.param(lambda s: setattr(s.DB, "x", 1), id="dict-attr"),
        pytest.param(lambda s: s.DB.__setitem__("x", 1), id="dict-item"),
        pytest.param(lambda s: s.DB.__delitem__("tags"), id="dict-delitem"),
        pytest.param(lambda s: s.HOSTS.append(1), id="list-append"),
        pytest.param(lambda s: s.HOSTS.__setitem__(0, 1), id="list-item"),
        pytest.param(lambda s: s.HOSTS[1].__setitem__("b", 2), id="nested-dict-in-list"),
    ],
)
def test_every_write_is_refused(loaded, write_attempt):
    with pytest.raises(FrozenError, match="read-only"):
        write_attempt(loaded)
    with pytest.raises(NotImplementedError):
        write_attempt(loaded)
    assert loaded.DB.normalize()["default"]["HOST"] == "h"


def test_normalize_gives_plain_mutable_copies(loaded):
    plain = loaded.DB.normalize()
    assert type(plain) is dict and type(plain["default"]["PORTS"]) is list
    plain["default"]["HOST"] = "changed"
    assert loaded.DB.default.HOST == "h"
    whole = loaded.to_dict()
    assert whole["HOSTS"] == ["a", {"b": 1}] and type(whole["HOSTS"][1]) is dict
    assert json.dumps(whole["DB"]["default"]) == '{"HOST": "h", "PORTS": [1, 2]}'
    assert loaded.HOSTS.normalize() == ["a", {"b": 1}]
    assert loaded.data == whole


def test_frozen_values_copy_and_pickle(loaded):
    assert copy.deepcopy(loaded.DB) == loaded.DB
    assert pickle.loads(pickle.dumps(loaded.HOSTS)) == loaded.HOSTS


def test_none_value_is_an_attribute_error_as_in_the_original(loaded):
    assert loaded.get("NOTHING") is None
    assert loaded["NOTHING"] is None
    with pytest.raises(AttributeError, match="None"):
        loaded.NOTHING


def test_typed_getters(loaded):
    assert loaded.get_bool("FLAG") is False
    assert loaded.get_bool("REAL_BOOL") is True
    assert loaded.get_bool("MISSING") is False
    assert loaded.get_bool("MISSING", True) is True
    assert loaded.get_int("COUNT") == 12
    assert loaded.get_int("MISSING", 7) == 7
    assert loaded.get_int("NOTHING", 3) == 3
    assert loaded.get_float("RATIO") == 1.5
    assert loaded.get_list("HOSTS") == ["a", {"b": 1}]
    assert type(loaded.get_list("HOSTS")) is list
    assert loaded.get_dict("DB")["default"]["PORTS"] == [1, 2]
    assert loaded.get_dict("MISSING") is None


@pytest.mark.parametrize(
    ("getter", "key", "expected"),
    [
        pytest.param("get_int", "BAD", "integer", id="int"),
        pytest.param("get_float", "BAD", "number", id="float"),
        pytest.param("get_bool", "BAD", "boolean", id="bool"),
        pytest.param("get_dict", "HOSTS", "mapping", id="dict"),
        pytest.param("get_int", "REAL_BOOL", "integer", id="bool-is-not-int"),
    ],
)
def test_typed_getter_error_names_key_value_and_type(loaded, getter, key, expected):
    with pytest.raises(SettingsValueError) as info:
        getattr(loaded, getter)(key)
    assert info.value.key == key and expected in str(info.value)
    assert "settings.py" in info.value.origin


def test_get_bool_never_evaluates_code(loaded, monkeypatch, tmp_path):
    marker = tmp_path / "evaluated"
    monkeypatch.setenv("FLAG", f"open({str(marker)!r}, 'w')")
    with pytest.raises(SettingsValueError):
        loaded.get_bool("FLAG")
    assert not marker.exists()


def test_mapping_protocol(loaded):
    assert "DB" in loaded and "NOPE" not in loaded and 1 not in loaded
    assert len(loaded) == len(list(loaded.keys()))
    assert dict(loaded.items())["COUNT"] == "12"
