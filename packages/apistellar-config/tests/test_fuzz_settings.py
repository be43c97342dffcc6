"""Property-based fuzzing of the settings loader: generated YAML, modules and environment values.

Example counts are small and fixed in the default run (derandomized: the same examples
every time); ``APISTELLAR_FUZZ_PROFILE=fuzz`` (the ``fuzz`` nox session) runs many more,
new ones each run, and ``APISTELLAR_FUZZ_EXAMPLES=N`` sets the count outright.
"""

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apistellar_config import SettingsError, SettingsValueError, load_settings

settings.register_profile(
    "apistellar-default",
    derandomize=True,  # the default run tries the same examples every time: no flaky CI
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "apistellar-fuzz", max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck)
)
FUZZ = settings(
    settings.get_profile(
        "apistellar-fuzz"
        if os.environ.get("APISTELLAR_FUZZ_PROFILE") == "fuzz"
        else "apistellar-default"
    ),
    **(
        {"max_examples": int(os.environ["APISTELLAR_FUZZ_EXAMPLES"])}
        if os.environ.get("APISTELLAR_FUZZ_EXAMPLES")
        else {}
    ),
)

PREFIX = "APISTELLAR_FUZZ_SETTING_"
names = st.from_regex(r"[A-Z][A-Z0-9_]{0,12}", fullmatch=True).filter(
    lambda name: name != "PROJECT_PATH" and not name.startswith("SETTINGS_")
)
lower_names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(st.characters(exclude_categories=["Cs"]), max_size=6), children, max_size=4
        )
    ),
    max_leaves=12,
)


@contextlib.contextmanager
def _folder() -> Iterator[Path]:
    # hypothesis runs many examples per test: each gets a fresh folder of its own.
    with tempfile.TemporaryDirectory(prefix="apistellar-fuzz-settings-") as folder:
        yield Path(folder)


@FUZZ
@given(st.dictionaries(names, values, max_size=6), st.dictionaries(lower_names, values, max_size=3))
def test_yaml_files_load_exactly_what_they_say(upper, lower):
    with _folder() as folder:
        (folder / "settings.yaml").write_text(yaml.safe_dump({**upper, **lower}), encoding="utf-8")
        loaded = load_settings(str(folder / "settings.yaml"), search_path=folder, env_prefix=PREFIX)
        plain = loaded.to_dict()
        for name, value in upper.items():
            assert plain[name] == value
            assert loaded.get(name) == value
        for name in lower:
            assert name not in plain  # only upper-case names are settings


@FUZZ
@given(st.dictionaries(names, values, min_size=1, max_size=6))
def test_settings_modules_load_their_literal_values(upper):
    with _folder() as folder:
        source = "".join(f"{name} = {value!r}\n" for name, value in upper.items())
        (folder / "fuzzed_settings.py").write_text(source, encoding="utf-8")
        loaded = load_settings("fuzzed_settings", search_path=folder, env_prefix=PREFIX)
        plain = loaded.to_dict()
        assert {name: plain[name] for name in upper} == upper


@FUZZ
@given(
    st.dictionaries(names, st.dictionaries(st.text(max_size=4), scalars, max_size=3), max_size=4),
    st.dictionaries(names, st.dictionaries(st.text(max_size=4), scalars, max_size=3), max_size=4),
)
def test_yaml_over_a_module_merges_dicts_key_by_key(module, overlay):
    with _folder() as folder:
        source = "".join(f"{name} = {value!r}\n" for name, value in module.items())
        (folder / "settings.py").write_text(source, encoding="utf-8")
        (folder / "settings.yaml").write_text(yaml.safe_dump(overlay), encoding="utf-8")
        plain = load_settings(search_path=folder, env_prefix=PREFIX).to_dict()
        for name in {*module, *overlay}:
            expected = {**module.get(name, {}), **overlay.get(name, {})}
            assert plain[name] == expected


def _with_env(name: str, text: str, current: object) -> object:
    """Load a module holding ``current`` under ``name``, with ``text`` in the environment."""
    with _folder() as folder:
        (folder / "settings.py").write_text(
            f"import datetime\n{name} = {current!r}\n", encoding="utf-8"
        )
        os.environ[PREFIX + name] = text
        try:
            return load_settings(search_path=folder, env_prefix=PREFIX).get(name)
        finally:
            del os.environ[PREFIX + name]


def _text_without_nul(**options: int) -> st.SearchStrategy[str]:
    # The environment cannot hold NUL characters (or lone surrogates).
    return st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), **options)


@FUZZ
@given(names, st.integers())
def test_integers_from_the_environment(name, number):
    assert _with_env(name, f" {number} ", 1) == number


@FUZZ
@given(names, st.floats(allow_nan=False))
def test_floats_from_the_environment(name, number):
    assert _with_env(name, repr(number), 0.5) == number


@FUZZ
@given(
    names,
    st.booleans(),
    st.sampled_from([("true", "false"), ("1", "0"), ("yes", "no"), ("on", "off")]),
    st.data(),
)
def test_booleans_from_the_environment_in_any_case(name, flag, words, data):
    word = words[0] if flag else words[1]
    text = "".join(data.draw(st.sampled_from([c.lower(), c.upper()])) for c in word)
    assert _with_env(name, text, not flag) is flag


items = _text_without_nul(min_size=1, max_size=8).filter(
    lambda item: "," not in item and item == item.strip() and not item.startswith("[")
)


@FUZZ
@given(names, st.lists(items, max_size=5))
def test_lists_from_the_environment_comma_separated_or_json(name, listed):
    assert _with_env(name, ",".join(listed), ["x"]) == listed
    assert _with_env(name, json.dumps(listed), ["x"]) == listed


@FUZZ
@given(names, st.dictionaries(_text_without_nul(max_size=5), scalars, max_size=4))
def test_dicts_from_the_environment_as_json(name, mapping):
    assert _with_env(name, json.dumps(mapping), {"k": 1}).normalize() == mapping


@FUZZ
@given(names, st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_durations_from_the_environment_in_seconds(name, seconds):
    assert _with_env(name, repr(seconds), timedelta(days=1)) == timedelta(seconds=seconds)


@FUZZ
@given(
    names,
    _text_without_nul(max_size=40),
    st.sampled_from(
        [True, 3, 0.5, ["a"], ("a",), {"a"}, {"k": 1}, timedelta(seconds=1), None, "s"]
    ),
)
@example("DEEP", "[" * 50_000, ["a"])
@example("DEEP", '{"a":' * 50_000, {"k": 1})
@example("BIG", "9" * 5000, 3)
@example("NAN", "nan", 0.5)
@example("FOREVER", "inf", timedelta(seconds=1))
@example("UNDEFINED", "nan", timedelta(seconds=1))
@example("EONS", "1e20", timedelta(seconds=1))
@example("WS", " \t", True)
def test_any_environment_text_is_a_typed_value_or_a_settings_error(name, text, current):
    try:
        value = _with_env(name, text, current)
    except SettingsError as error:
        assert isinstance(error, ValueError) and PREFIX + name in str(error)
        return
    if current is None or isinstance(current, str):
        assert value == text
    elif isinstance(current, bool):
        assert isinstance(value, bool)
    elif isinstance(current, int):
        assert isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(current, float):
        assert isinstance(value, float)
    elif isinstance(current, timedelta):
        assert isinstance(value, timedelta)
    elif isinstance(current, dict):
        assert isinstance(value.normalize(), dict)
    elif isinstance(current, set):
        assert isinstance(value, frozenset)
    else:
        assert all(True for _ in value)  # a list or a tuple


def test_float_environment_values_keep_infinities():
    assert _with_env("RATE", "inf", 0.5) == math.inf
    try:
        _with_env("PORT", "eight", 1)
    except SettingsValueError as error:
        assert "PORT" in str(error)
    else:
        raise AssertionError("a non-number must not override an int setting")
