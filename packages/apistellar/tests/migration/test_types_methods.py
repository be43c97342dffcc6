"""tests/test_types/test_type_method.py and test_validators.py of the original: the
``Type`` interface (construction, access, format, reformat, to_dict, repr) and the
validators' message tables, localised through ``ERROR_DESC``."""

from datetime import datetime

import pytest
from apistar.exceptions import ConfigurationError, ValidationError

from apistellar import Type, validators


def test_reserved_method_names_are_refused():
    """test_method_define: a method named like the mapping interface is refused."""
    with pytest.raises(ConfigurationError):

        class Example(Type):
            def get(self):
                pass


def test_to_dict_before_and_after_format():
    """test_to_dict: before format() only stored keys appear; the default comes with it."""

    class Example(Type):
        field = validators.String(default="aaa")

    example = Example()
    assert example.to_dict() == {}
    example.format()
    assert example.to_dict() == {"field": "aaa"}


def test_raw_values_before_format_are_shown_as_stored():
    """F35 (issue 10, defect 7): to_dict(), [] and repr of a model not yet formatted give
    the raw values -- ours crashed in the date format's to_string on a raw string."""

    class Example(Type):
        when = validators.DateTime()
        day = validators.FormatDateTime(format="%Y%m%d")

    example = Example(when="2018-10-10 10:10:10", day=20181010)
    assert example.to_dict() == {"when": "2018-10-10 10:10:10", "day": 20181010}
    assert example["when"] == "2018-10-10 10:10:10" and example["day"] == 20181010
    assert repr(example) == "<Example(when='2018-10-10 10:10:10', day=20181010)>"


def test_del_before_and_after_format():
    """test_del_before_format / test_del_after_format: a deleted field is filled by
    format(); deleted after format() it falls back to its default at once."""

    class Example(Type):
        field = validators.FormatDateTime(default=datetime.now, format="%Y%m%d")

    before = Example()
    before.field = "20181010"
    del before.field
    before.format()
    assert "field" in before and len(before) == 1
    after = Example()
    after.format()
    del after.field
    assert "field" in after and len(after) == 1 and isinstance(after.field, datetime)


def test_init_sets_class_attributes():
    """test_init: Type.init(**kw) sets class attributes, readable on instances."""

    class Example(Type):
        pass

    Example.init(aaaa=1)
    assert Example().aaaa == 1


def test_update_keeps_unknown_keys_readable():
    """test_update: update() validates fields and keeps unknown keys, which attribute
    access returns (ours raised AttributeError for them: issue 10, defect 7)."""

    class Example(Type):
        field = validators.String()

    example = Example()
    example.update(field="1111")
    assert example.field == "1111"
    example.update(field_not_exist="222")
    assert example.field_not_exist == "222"
    assert Example({"given": 1}).given == 1
    with pytest.raises(AttributeError):
        example.never_stored  # noqa: B018


def test_unknown_names_cannot_be_set():
    """test_set: attribute and item assignment of an unknown name fail."""

    class Example(Type):
        pass

    example = Example()
    with pytest.raises(AttributeError):
        example.field = 3
    with pytest.raises(KeyError):
        example["field"] = 4


def test_get_rules():
    """test_get: [] of an unknown key or of a field without default is a KeyError; a
    default shows through attributes only once stored; format fields read as strings."""

    class Example(Type):
        field1 = validators.String(default="10")
        field2 = validators.FormatDateTime(default=datetime(2018, 10, 20, 11, 11, 11))
        field3 = validators.String()

    example = Example()
    with pytest.raises(KeyError):
        example["field"]
    with pytest.raises(KeyError):
        example["field3"]
    with pytest.raises(AttributeError):
        example.field1  # noqa: B018
    assert example["field1"] == "10"
    with pytest.raises(AttributeError):
        example.field  # noqa: B018
    with pytest.raises(AttributeError):
        example.field3  # noqa: B018
    assert example.field1 == "10"
    assert example["field2"] == "2018-10-20 11:11:11"


def test_repr():
    """test_repr: empty before format(), every default after."""

    class Example(Type):
        field = validators.String(default="10")
        field1 = validators.String(default="20")

    example = Example()
    assert repr(example) == "<Example()>"
    example.format()
    assert repr(example) == "<Example(field='10', field1='20')>"


def test_construction_forms():
    """test___init__: from a mapping, keywords or any object; a non-object fails; with
    force_format the data is validated at once."""

    class Example(Type):
        field = validators.String()
        field1 = validators.String(default="1")

    assert str(Example({"field": "1"})) == "<Example(field='1')>"
    assert str(Example(field="1")) == "<Example(field='1')>"

    class Source:
        field = "1"

    assert str(Example(Source())) == "<Example(field='1')>"
    with pytest.raises(ValidationError):
        Example("1")
    with pytest.raises(ValidationError) as info:
        Example({"field": 1}, force_format=True)
    assert info.value.args[0]["field"].code == "type"


def test_format_once_and_del_of_a_required_field():
    """test_format: after format() deleting a required field fails; format() again is a
    no-op."""

    class Example(Type):
        field = validators.String()

    example = Example()
    example.field = "a"
    example.format()
    with pytest.raises(ValidationError):
        del example.field
    example.format()


def test_reformat():
    """test_reformat: re-validates one field, its default when unset."""

    class Example(Type):
        field = validators.FormatDateTime(default=datetime.now)

    example = Example()
    example.reformat("field")
    assert isinstance(example.field, datetime)
    raw = Example(field="2018-12-12 12:12:12")
    assert isinstance(raw.field, str)
    raw.reformat("field")
    assert raw.field == datetime(2018, 12, 12, 12, 12, 12)


def test_errors_are_keyed_by_title_everywhere():
    """F35: format() keys errors by a field's title; so do attribute assignment and
    reformat() now (ours used the attribute name there: issue 10, defect 7)."""

    class Example(Type):
        count = validators.Integer(title="Count", maximum=3)

    with pytest.raises(ValidationError) as by_format:
        Example(count=5).format()
    with pytest.raises(ValidationError) as by_attribute:
        Example().count = 5
    with pytest.raises(ValidationError) as by_reformat:
        Example(count=5).reformat("count")
    assert by_format.value.detail == by_attribute.value.detail == by_reformat.value.detail
    assert list(by_format.value.detail) == ["Count"]


def test_is_valid():
    """test_is_valid."""

    class Example(Type):
        field = validators.String()

    assert Example.validator.properties["field"].is_valid(1) is False
    assert Example.validator.properties["field"].is_valid("a") is True


@pytest.mark.parametrize(
    ("field", "at_least"),
    [
        (validators.String(), 9),
        (validators.Integer(), 11),
        (validators.Number(), 11),
        (validators.Boolean(), 2),
        (validators.Proxy(validators.Boolean()), 1),
        (validators.Array(validators.String), 8),
        (validators.Union([validators.String()]), 2),
    ],
)
def test_message_tables(field, at_least):
    """test_validators.py TestValidator: every validator has its table of messages."""
    assert len(field.errors) >= at_least


def test_object_message_table():
    """test_validators.py TestValidator.test_object."""

    class Example(Type):
        a = validators.String()

    assert len(Example.validator.errors) >= 8


LOCALISED = """
errors = {
    "Validator": {},
    "Proxy": {"null": "不可以为空"},
    "String": {"exact": "只可以是{exact}"},
    "NumericType": {"exact": "只可以等于{exact}"},
    "Boolean": {"null": "布尔值不可以为空"},
    "Object": {"type": "需要一个对象"},
    "Array": {"type": "需要一个数组"},
    "Union": {"union": "需要是{items}中的一种"},
}
"""


@pytest.fixture
def localised(tmp_path, monkeypatch):
    """test_validators.py TestValidatorWithCustomErrorSettings: ERROR_DESC names a dict of
    messages (``test_data.err_desc.errors`` in the original) through the environment."""
    package = tmp_path / "model_messages"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "err_desc.py").write_text(LOCALISED, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("ERROR_DESC", "model_messages.err_desc.errors")


@pytest.mark.usefixtures("localised")
def test_localised_message_tables():
    """TestValidatorWithCustomErrorSettings: each class reads its own entry, subclasses
    their base's (Integer and Number use NumericType's)."""
    assert validators.String().errors["exact"] == "只可以是{exact}"
    assert validators.Integer().errors["exact"] == "只可以等于{exact}"
    assert validators.Number().errors["exact"] == "只可以等于{exact}"
    assert validators.Boolean().errors["null"] == "布尔值不可以为空"
    assert validators.Proxy(validators.Boolean()).errors["null"] == "不可以为空"
    assert validators.Array(validators.String).errors["type"] == "需要一个数组"
    assert validators.Union([validators.String()]).errors["union"] == "需要是{items}中的一种"

    class Example(Type):
        a = validators.String()

    assert Example.validator.errors["type"] == "需要一个对象"


@pytest.mark.usefixtures("localised")
def test_localised_union_message_names_its_members():
    """TestValidatorWithCustomErrorSettings.test_union_type_failed: {items} renders as the
    member class names."""

    class Example(Type):
        field = validators.Union([validators.String(), validators.Integer()])

    with pytest.raises(ValidationError) as info:
        Example().field = 1.2
    assert info.value.args[0]["field"] == "需要是[String, Integer]中的一种"


def test_defaults_are_untouched_by_localisation():
    """F39 [bug]: the original merged ERROR_DESC into its module-level defaults in place;
    without the variable, the English messages are back."""
    assert validators.String().errors["exact"] == "Must be {exact}."
