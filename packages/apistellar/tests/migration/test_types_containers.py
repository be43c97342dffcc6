"""tests/test_types/ of the original (test_array, test_union, test_proxy, test_ref,
test_any, test_bool): container, union, nested and boolean fields."""

import pytest
from apistar.exceptions import ValidationError

from apistellar.types import Type, validators
from apistellar.types.validators import Boolean, Integer, String


@pytest.fixture
def gen_class():
    """tests/test_types/conftest.py: a model with one field of the named validator kind."""

    def gen(field_type, *args, **kwargs):
        class Example(Type):
            field = getattr(validators, field_type)(*args, **kwargs)

        return Example

    return gen


def error_of(example, value):
    with pytest.raises(ValidationError) as info:
        example.field = value
    return info.value.args[0]["field"]


# -- test_array.py ---------------------------------------------------------------------------
def test_array_item_counts(gen_class):
    """TestArrayMaxItems / TestArrayMinItems / TestArrayExactItems."""
    assert error_of(gen_class("Array", max_items=3)(), ["a", "b", "c", "d"]).code == "max_items"
    assert error_of(gen_class("Array", min_items=3)(), ["a", "b"]).code == "min_items"
    assert error_of(gen_class("Array", min_items=1)(), []).code == "empty"
    exact = gen_class("Array", min_items=3, max_items=3)()
    assert error_of(exact, ["a", "b"]).code == "exact_items"
    exact.field = ["a", "b", "c"]
    assert exact.field == ["a", "b", "c"]
    short = gen_class("Array", max_items=3)()
    short.field = ["aaa", "bbb"]
    assert short.field == ["aaa", "bbb"]


@pytest.mark.parametrize(
    "arguments",
    [{"max_items": "3"}, {"min_items": "3"}, {"additional_items": "1"}, {"unique_items": 3}],
)
def test_array_bad_arguments(gen_class, arguments):
    """test_argument_error: a TypeError at definition that is still an AssertionError."""
    with pytest.raises(AssertionError) as info:
        gen_class("Array", **arguments)
    assert isinstance(info.value, TypeError)


def test_array_null_and_defaults(gen_class):
    """TestArrayAllowNull / TestArrayDefault: value and factory defaults."""
    assert error_of(gen_class("Array")(), None).code == "null"
    nullable = gen_class("Array", allow_null=True)()
    nullable.field = None
    assert nullable.field is None
    for default in ([], list):
        model = gen_class("Array", default=default)
        example = model()
        assert "field" not in example
        with pytest.raises(AttributeError):
            example.field  # noqa: B018
        assert example["field"] == [] and example.field == []
        formatted = model()
        formatted.format()
        assert formatted.field == []


def test_array_item_types(gen_class):
    """TestArrayType: one validator for every item, or one per position; errors by index."""
    assert error_of(gen_class("Array")(), 3).code == "type"
    assert error_of(gen_class("Array", items=String())(), [1])[0].code == "type"
    one = gen_class("Array", items=String())()
    one.field = ["1"]
    assert one.field == ["1"]
    many = gen_class("Array", items=[String(), Integer()])()
    errors = error_of(many, [1, "1"])
    assert errors[0].code == "type" and errors[1].code == "type"
    many.field = ["1", 1]
    assert many.field == ["1", 1]
    with pytest.raises(ValidationError) as required:
        gen_class("Array")().format()
    assert required.value.args[0]["field"].code == "required"


def test_array_additional_and_unique_items(gen_class):
    """TestArrayAdditionalItems / TestArrayUniqueItems."""
    closed = gen_class("Array", items=[String(), Integer()], additional_items=False)()
    assert error_of(closed, ["1", 1, 1]).code == "additional_items"
    opened = gen_class("Array", items=[String(), Integer()])()
    opened.field = ["1", 1, None]
    assert opened.field == ["1", 1, None]
    typed = gen_class("Array", items=[String(), Integer()], additional_items=String())()
    assert error_of(typed, ["1", 1, 1])[2].code == "type"
    coerced = gen_class("Array", items=[String(), Integer()], additional_items=Boolean())(
        field=["1", 1, "1"]
    )
    coerced.format(allow_coerce=True)
    assert coerced.field == ["1", 1, True]
    assert error_of(gen_class("Array", unique_items=True)(), ["1", 1, 1])[2].code == "unique_items"


# -- test_union.py ---------------------------------------------------------------------------
class Unions(Type):
    field1 = validators.String() | validators.Integer()
    field2 = validators.Union([validators.String(), validators.Integer()]) | validators.Array()
    field3 = validators.Array() | validators.Union([validators.String(), validators.Integer()])


def test_union_members():
    """TestUnion: ``|`` builds (flat) unions; the first member that validates wins."""
    example = Unions()
    example.field1 = "1"
    assert example.field1 == "1"
    example.field1 = 1
    assert example.field1 == 1
    example.field2 = []
    assert example.field2 == []
    example.field3 = "3"
    assert example.field3 == "3"
    assert [str(item) for item in Unions.fields["field2"].items] == ["String", "Integer", "Array"]
    with pytest.raises(ValidationError) as null:
        example.field1 = None
    assert null.value.args[0]["field1"].code == "null"
    with pytest.raises(ValidationError) as mismatch:
        example.field1 = []
    assert mismatch.value.args[0]["field1"].code == "union"


def test_union_options_with_lshift():
    """TestUnion: ``<< {"allow_null": True}`` and ``<< {"default": "11"}``."""

    class Nullable(Type):
        field = (validators.String() | validators.Integer()) << {"allow_null": True}

    nullable = Nullable()
    nullable.field = None
    assert nullable.field is None

    class Defaulted(Type):
        field = (validators.String() | validators.Integer()) << {"default": "11"}

    defaulted = Defaulted()
    defaulted.format()
    assert defaulted.field == "11"


# -- test_proxy.py ---------------------------------------------------------------------------
@pytest.fixture
def nested(gen_class):
    """factories.NestedTypeTestBase: the proxied model has one String field."""
    return gen_class("String")


def test_proxy_null(gen_class, nested):
    """TestProxyAllowNull."""
    assert error_of(gen_class("Proxy", nested)(), None).code == "null"
    nullable = gen_class("Proxy", nested, allow_null=True)()
    nullable.field = None
    assert nullable.field is None


@pytest.mark.parametrize(
    "default", [{"field": "111"}, lambda: {"field": "111"}], ids=["value", "factory"]
)
def test_proxy_default_becomes_a_model(gen_class, nested, default):
    """TestProxyDefault: a mapping (or factory) default is validated into the nested model."""
    model = gen_class("Proxy", nested, default=default)
    example = model()
    assert "field" not in example
    with pytest.raises(AttributeError):
        example.field  # noqa: B018
    assert example["field"]["field"] == "111"
    assert example.field.field == "111"
    formatted = model()
    formatted.format()
    assert isinstance(formatted.field, nested) and formatted.field.field == "111"


# -- test_ref.py / test_any.py -----------------------------------------------------------------
def test_ref_to_the_model_itself(gen_class):
    """TestRef: a nullable Ref("Example") inside Example nests as deep as the data does."""
    example = gen_class("Ref", "Example", allow_null=True)(field={"field": {}})
    example.format()
    assert example.field.field.field is None


def test_any_keeps_every_value(gen_class):
    """TestAny: any value, unchanged."""
    example = gen_class("Any")()
    example.field = complex(1, 2)
    assert example.field == complex(1, 2)


# -- test_bool.py ----------------------------------------------------------------------------
def test_boolean_null_and_coerced_null_words(gen_class):
    """TestBooleanAllowNull: with allow_null and coercion "", "none" and "null" are None;
    another word fails with ``type``."""
    assert error_of(gen_class("Boolean")(), None).code == "null"
    for word in ("", "none", "null"):
        example = gen_class("Boolean", allow_null=True)(field=word)
        example.format(allow_coerce=True)
        assert example.field is None
    with pytest.raises(ValidationError) as info:
        gen_class("Boolean", allow_null=True)(field="nul").format(allow_coerce=True)
    assert info.value.args[0]["field"].code == "type"


@pytest.mark.parametrize(("default", "expected"), [(True, True), (lambda: False, False)])
def test_boolean_defaults(gen_class, default, expected):
    """TestBooleanDefault."""
    model = gen_class("Boolean", default=default)
    example = model()
    assert "field" not in example
    with pytest.raises(AttributeError):
        example.field  # noqa: B018
    assert example["field"] is expected and example.field is expected
    formatted = model()
    formatted.format()
    assert formatted.field is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(1, True), (0, False), ("", False), ("1", True), ("0", False), ("true", True)]
    + [("false", False), ("on", True), ("off", False)],
)
def test_boolean_coercion(gen_class, raw, expected):
    """TestBooleanType: the coerced words and numbers."""
    example = gen_class("Boolean")(field=raw)
    example.format(allow_coerce=True)
    assert example.field is expected


def test_boolean_type_and_required(gen_class):
    """TestBooleanType / TestBooleanRequired: 11 is no boolean; a field without default is
    required, False satisfies it."""
    assert error_of(gen_class("Boolean")(), 11).code == "type"
    with pytest.raises(ValidationError) as info:
        gen_class("Boolean")().format()
    assert info.value.args[0]["field"].code == "required"
    example = gen_class("Boolean")()
    example.field = False
    example.format()
    assert example.field is False
