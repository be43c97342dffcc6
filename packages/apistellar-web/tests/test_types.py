"""The model layer: Type, validators, formats, TypeEncoder (F35-F42)."""

import datetime
import enum
import json
import uuid

import pytest
from apistar.exceptions import ConfigurationError, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from apistellar_web.types import AsyncType, BaseFormat, Type, TypeEncoder, use_messages, validators


class Author(Type):
    name = validators.String(max_length=10)
    email = validators.String(pattern=r"@", allow_null=True)


class Article(Type):
    title = validators.String(max_length=20, title="Title")
    views = validators.Integer(minimum=0, default=0)
    published = validators.DateTime(allow_null=True)
    author = Author
    tags = validators.Array(items=validators.String(), default=list, unique_items=True)


def test_fields_follow_definition_order_and_inheritance():
    class Extended(Article):
        title = validators.String(max_length=50)
        score = validators.Number(default=1.0)

    assert list(Article.fields) == ["title", "views", "published", "author", "tags"]
    assert list(Extended.fields) == ["title", "views", "published", "author", "tags", "score"]
    assert Extended.fields["title"].max_length == 50
    assert Article.validator.required == ["title", "author"]
    assert Article.validator.def_name == "Article" and Article.validator.model is Article


@pytest.mark.parametrize(
    "name", ["keys", "items", "values", "get", "clear", "validator", "setdefault", "pop", "popitem"]
)
def test_reserved_names_are_rejected(name):
    with pytest.raises(ConfigurationError, match=f'reserved name "{name}"'):
        type("Bad", (Type,), {name: validators.String()})
    with pytest.raises(ConfigurationError):
        type("BadMethod", (Type,), {name: lambda self: None})


def test_construction_keeps_raw_data_and_format_validates_once():
    article = Article({"title": "Hi", "author": {"name": "ann"}, "unknown": 1})
    assert dict(article._dict) == {"title": "Hi", "author": {"name": "ann"}, "unknown": 1}
    assert not article.formatted
    article.format()
    assert article.formatted and "unknown" not in article
    assert article.views == 0 and article.tags == [] and isinstance(article.author, Author)
    assert article.format() is article


def test_construction_forms():
    class Source:
        title = "from object"
        author = {"name": "bob"}

    assert Article(Source()).title == "from object"
    assert Article(title="kw", author={"name": "x"}).title == "kw"
    forced = Article({"title": "x", "author": {"name": "y"}}, force_format=True)
    assert forced.formatted
    kw_forced = Article(title="x", author={"name": "y"}, force_format=True)
    assert kw_forced.formatted and "force_format" not in kw_forced
    for bad in (None, "s", b"b", True, 1, 1.5, [1]):
        with pytest.raises(ValidationError, match="Must be an object"):
            Article(bad)


def test_validation_errors_name_fields_by_title_and_carry_codes():
    with pytest.raises(ValidationError) as info:
        Article({"title": "x" * 30, "views": -1, "author": {"name": "n" * 20}}).format()
    detail = info.value.detail
    assert (
        detail["Title"] == "Must have no more than 20 characters"
        and detail["Title"].code == "max_length"
    )
    assert detail["views"].code == "minimum"
    assert detail["author"] == {"name": "Must have no more than 10 characters"}
    with pytest.raises(ValidationError) as missing:
        Article({}).format()
    assert missing.value.detail["author"] == 'The "author" field is required.'


def test_attribute_and_item_access_rules():
    article = Article({"title": "Hi", "author": {"name": "ann"}})
    with pytest.raises(AttributeError, match='Invalid attribute "views"'):
        article.views  # a default is not visible through attributes before it is set
    assert article["views"] == 0 and article.views == 0
    article.published = "2024-01-02T03:04:05Z"
    assert article.published == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    assert article["published"] == "2024-01-02T03:04:05Z"
    with pytest.raises(AttributeError, match='Invalid attribute "nope"'):
        article.nope = 1
    with pytest.raises(KeyError, match='Invalid key "nope"'):
        article["nope"] = 1
    with pytest.raises(ValidationError) as wrapped:
        article.views = -5
    assert wrapped.value.detail == {"views": "Must be greater than or equal to 0."}
    with pytest.raises(ValidationError) as bare:
        article["views"] = -5
    assert bare.value.detail == "Must be greater than or equal to 0."
    with pytest.raises(KeyError):
        article["title_missing"]
    del article.published
    assert "published" not in article
    article.format()
    del article["views"]
    assert article["views"] == 0
    assert "Article(" in repr(article) and bool(article) and len(article) == 5


def test_reformat_update_init_and_to_dict():
    article = Article({"title": "Hi", "author": {"name": "ann"}, "views": "3"})
    assert article.reformat("views", allow_coerce=True) == 3
    with pytest.raises(ValidationError) as info:
        article.reformat("views", -1)
    assert info.value.detail == {"views": "Must be greater than or equal to 0."}
    article.update(title="New", extra="raw")
    assert article.title == "New" and article._dict["extra"] == "raw"
    article.format()
    assert article.to_dict() == {
        "title": "New",
        "views": 3,
        "published": None,
        "author": {"name": "ann", "email": None},
        "tags": [],
    }
    Article.init(shared="value")
    assert Article.shared == "value"


def test_strict_models_reject_unknown_fields():
    class Strict(Type):
        strict = True
        name = validators.String()

    with pytest.raises(ValidationError) as info:
        Strict({"name": "x", "other": 1}).format()
    assert info.value.detail == {"other": "Invalid property name."}


def test_nested_self_reference_and_depth_limit():
    class Node(Type):
        value = validators.Integer()
        children = validators.Array(items=validators.Ref("Node"), default=list)

    tree = Node.validate({"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]})
    assert tree.children[0].children[0].value == 3
    deep: dict = {"value": 0}
    cursor = deep
    for index in range(200):
        cursor["children"] = [{"value": index}]
        cursor = cursor["children"][0]
    with pytest.raises(ValidationError) as info:
        Node.validate(deep)
    assert "deeper than 64" in json.dumps(info.value.detail)
    looping: dict = {"value": 1}
    looping["children"] = [looping]
    with pytest.raises(ValidationError):
        Node.validate(looping)


@pytest.mark.parametrize(
    ("validator", "value", "code"),
    [
        (validators.String(), 1, "type"),
        (validators.String(enum=["a"]), "b", "exact"),
        (validators.String(enum=["a", "b"]), "c", "enum"),
        (validators.String(min_length=1), "", "blank"),
        (validators.String(min_length=3), "ab", "min_length"),
        (validators.String(pattern="^x"), "y", "pattern"),
        (validators.Date(), "2024-13-01", "format"),
        (validators.Time(), "25:00", "format"),
        (validators.Integer(), 1.5, "integer"),
        (validators.Integer(), "1", "type"),
        (validators.Number(), float("inf"), "finite"),
        (validators.Integer(maximum=3), 4, "maximum"),
        (validators.Integer(minimum=3, exclusive_minimum=True), 3, "exclusive_minimum"),
        (validators.Integer(maximum=3, exclusive_maximum=True), 3, "exclusive_maximum"),
        (validators.Integer(multiple_of=3), 4, "multiple_of"),
        (validators.Number(multiple_of=0.1), 0.25, "multiple_of"),
        (validators.Boolean(), "true", "type"),
        (validators.Array(min_items=1), [], "empty"),
        (validators.Array(min_items=2, max_items=2), [1], "exact_items"),
        (validators.Array(max_items=1), [1, 2], "max_items"),
        (
            validators.Array(items=[validators.Integer()], additional_items=False),
            [1, 2],
            "additional_items",
        ),
        (validators.Object(min_properties=1), {}, "empty"),
        (validators.Object(), {1: 2}, "invalid_key"),
        (validators.Union([validators.Integer(), validators.Boolean()]), "x", "union"),
        (validators.String(), None, "null"),
    ],
)
def test_every_error_code(validator, value, code):
    with pytest.raises(ValidationError) as info:
        validator.validate(value)
    assert info.value.detail.code == code


def test_coercion_rules():
    assert validators.Integer().validate("42", allow_coerce=True) == 42
    assert validators.Integer().validate(3.0) == 3
    assert validators.Integer().validate(True) is True or validators.Integer().validate(True) == 1
    assert validators.Number().validate("1.5", allow_coerce=True) == 1.5
    boolean = validators.Boolean()
    assert [boolean.validate(v, allow_coerce=True) for v in ("true", "On", "1", 1)] == [True] * 4
    assert [boolean.validate(v, allow_coerce=True) for v in ("false", "OFF", "0", "", 0)] == [
        False
    ] * 5
    nullable = validators.Boolean(allow_null=True)
    assert [nullable.validate(v, allow_coerce=True) for v in ("", "null", "None")] == [None] * 3


def test_unique_items_keep_true_distinct_from_one():
    unique = validators.Array(unique_items=True)
    assert unique.validate([1, True, 0, False]) == [1, True, 0, False]
    with pytest.raises(ValidationError) as info:
        unique.validate([1, 2, 1])
    assert info.value.detail == {2: "This item is not unique."}


def test_defaults_null_and_union_operator():
    assert validators.String(allow_null=True).get_default() is None
    calls = []
    counted = validators.Array(default=lambda: calls.append(1) or [])
    assert counted.validate(None) == [] and counted.validate(None) == [] and len(calls) == 2
    union = validators.Integer() | validators.String() | validators.Boolean()
    assert [str(v) for v in union.items] == ["Integer", "String", "Boolean"]
    assert union.validate("x") == "x"
    assert (union << {"allow_null": True}).validate(None) is None
    with pytest.raises(AssertionError) as info:
        union << ["not a mapping"]  # type: ignore[operator]
    assert info.value.args[0] == (777, "<< operator need Mapping object.")
    assert validators.Integer().is_valid(1) and not validators.Integer().is_valid("x")
    assert validators.Any().validate(None) is None


def test_format_datetime_fields_do_not_share_patterns():
    class Both(Type):
        day = validators.FormatDateTime(format="%Y/%m/%d")
        stamp = validators.FormatDateTime(format="%d.%m.%Y %H:%M")

    both = Both.validate({"day": "2024/01/02", "stamp": "03.04.2024 05:06"})
    assert both["day"] == "2024/01/02" and both["stamp"] == "03.04.2024 05:06"
    assert both.day == datetime.datetime(2024, 1, 2)


def test_exchange_uuid_and_custom_formats():
    class Color(enum.Enum):
        red = "red"

    class Tags(BaseFormat):
        name = "tags"
        type = list

        def validate(self, value: str) -> list:
            return [part for part in value.split(",") if part]

        def to_string(self, value: list) -> str:
            return ",".join(value)

    class Thing(Type):
        color = validators.Exchange(Color)
        id = validators.UUID()
        tags = validators.String(format="tags")

    thing = Thing.validate({"color": "red", "id": uuid.UUID(int=1), "tags": "a,b"})
    assert thing.color is Color.red and thing.tags == ["a", "b"]
    assert thing["tags"] == "a,b" and thing["id"] == str(uuid.UUID(int=1))


def test_localised_messages_do_not_change_the_defaults():
    with use_messages({"String": {"max_length": "最多 {max_length} 个字符"}}):
        with pytest.raises(ValidationError) as localised:
            validators.String(max_length=2).validate("abc")
    assert localised.value.detail == "最多 2 个字符"
    with pytest.raises(ValidationError) as default:
        validators.String(max_length=2).validate("abc")
    assert default.value.detail == "Must have no more than 2 characters"


def test_type_encoder_registration():
    class Money:
        def __init__(self, cents: int) -> None:
            self.cents = cents

    with pytest.raises(TypeError):
        json.dumps({"m": Money(5)}, cls=TypeEncoder)
    TypeEncoder.register({Money: lambda money: money.cents / 100})
    assert json.dumps({"m": Money(150)}, cls=TypeEncoder) == '{"m": 1.5}'


def test_async_type_loads_missing_fields():
    import asyncio

    class Lazy(AsyncType):
        name = validators.String()
        bio = validators.String(allow_null=True)

        async def load(self):
            return {"bio": "loaded"}

    lazy = Lazy({"name": "x"})
    assert asyncio.run(lazy.load_field("bio")) == "loaded"

    async def by_attribute() -> tuple:
        fresh = Lazy({"name": "x"})
        return await fresh.name, await fresh.bio, fresh._dict

    assert asyncio.run(by_attribute()) == ("x", "loaded", {"name": "x", "bio": "loaded"})
    assert hasattr(Lazy({}), "bio") and not hasattr(Lazy({}), "nope")
    with pytest.raises(AttributeError, match='Invalid attribute "nope"'):
        Lazy({}).nope


fields = st.fixed_dictionaries(
    {
        "title": st.text(max_size=20),
        "views": st.integers(min_value=0),
        "author": st.fixed_dictionaries({"name": st.text(max_size=10)}),
    },
    optional={
        "tags": st.lists(st.text(max_size=5), unique=True, max_size=4),
        "published": st.none(),
    },
)


@settings(max_examples=200, deadline=None)
@given(fields)
def test_round_trip_revalidates_to_itself(data):
    once = Article(data).format().to_dict()
    assert Article(once).format().to_dict() == once


def test_object_pattern_and_additional_properties_and_counts():
    by_pattern = validators.Object(
        pattern_properties={"^x-": validators.Integer()}, additional_properties=False
    )
    assert by_pattern.validate({"x-a": 1}) == {"x-a": 1}
    with pytest.raises(ValidationError) as info:
        by_pattern.validate({"x-a": "no", "other": 1})
    assert (
        info.value.detail["x-a"].code == "type"
        and info.value.detail["other"].code == "invalid_property"
    )
    typed_extra = validators.Object(additional_properties=validators.Integer())
    assert typed_extra.validate({"a": 1}) == {"a": 1}
    with pytest.raises(ValidationError):
        typed_extra.validate({"a": "x"})
    with pytest.raises(ValidationError) as too_many:
        validators.Object(max_properties=1).validate({"a": 1, "b": 2})
    assert too_many.value.detail.code == "max_properties"


def test_tuple_style_arrays_and_model_items():
    pair = validators.Array(
        items=[validators.Integer(), validators.String()], additional_items=validators.Boolean()
    )
    assert pair.validate([1, "a", True, False]) == [1, "a", True, False]
    with pytest.raises(ValidationError) as info:
        pair.validate([1, 2])
    assert info.value.detail == {1: "Must be a string."}
    authors = validators.Array(items=Author)
    result = authors.validate([{"name": "a"}, {"name": "b"}])
    assert [type(a) for a in result] == [Author, Author] and result[1].name == "b"


def test_proxy_defaults_become_models():
    class Holder(Type):
        author = validators.Proxy(Author, default={"name": "anon"})
        maybe = validators.Proxy(Author, allow_null=True)

    holder = Holder.validate({})
    assert (
        isinstance(holder.author, Author) and holder.author.name == "anon" and holder.maybe is None
    )
    factory = validators.Proxy(Author, default=lambda: {"name": "made"})
    assert factory.validate(None).name == "made"


def test_date_time_and_zones():
    assert validators.Date().validate("2024-2-3") == datetime.date(2024, 2, 3)
    assert validators.Time().validate("1:02:03.5") == datetime.time(1, 2, 3, 500000)
    moment = validators.DateTime().validate("2024-01-02 03:04:05+05:30")
    assert moment.utcoffset() == datetime.timedelta(hours=5, minutes=30)
    assert validators.DateTime().validate("2024-01-02T03:04").tzinfo is None
    with pytest.raises(ValidationError):
        validators.Date().validate("2024-02-30")


def test_exchange_serialises_with_dunder_serialize():
    class Level(enum.Enum):
        low = "low"

        def __serialize__(self) -> str:
            return self.value

    class Setting(Type):
        level = validators.Exchange(Level)

    setting = Setting.validate({"level": "low"})
    assert setting.level is Level.low and setting["level"] == "low"
    with pytest.raises(ValidationError) as info:
        Setting.validate({"level": "high"})
    assert info.value.detail["level"].code == "format"


def test_huge_arrays_fail_with_their_index():
    numbers = validators.Array(items=validators.Integer(), max_items=100_000)
    data = list(range(99_999)) + ["x"]
    with pytest.raises(ValidationError) as info:
        numbers.validate(data)
    assert info.value.detail == {99_999: "Must be a number."}
    with pytest.raises(ValidationError) as too_long:
        numbers.validate(list(range(100_001)))
    assert too_long.value.detail.code == "max_items"


def test_format_validates_missing_defaults():
    class Defaults(Type):
        price = validators.Number(default=int)
        day = validators.FormatDateTime(format="%Y-%m-%d", default="2018-03-04")
        bad = validators.FormatDateTime(format="%Y-%m-%d", default="2018", allow_null=False)

    with pytest.raises(ValidationError) as info:
        Defaults().format()
    assert info.value.detail == {"bad": "time data '2018' does not match format '%Y-%m-%d'"}
    assert info.value.detail["bad"].code == "format"

    class Good(Type):
        price = validators.Number(default=int)
        day = validators.FormatDateTime(format="%Y-%m-%d", default="2018-03-04")

    good = Good().format()
    assert good.price == 0.0 and isinstance(good.price, float)
    assert good.day == datetime.datetime(2018, 3, 4)


def test_attribute_access_reads_any_stored_key():
    article = Article({"title": "x", "extra": 1, "_id": "i"})
    assert article.extra == 1 and article._id == "i"
    article.update(more=2)
    assert article.more == 2
    with pytest.raises(AttributeError, match='Invalid attribute "absent"'):
        article.absent


def test_errors_are_keyed_by_title_for_assignment_and_reformat():
    with pytest.raises(ValidationError) as assigned:
        Article({}).title = 1
    with pytest.raises(ValidationError) as reformatted:
        Article({"title": 1}).reformat("title")
    assert assigned.value.detail == reformatted.value.detail == {"Title": "Must be a string."}


def test_raw_values_are_shown_before_format():
    class Raw(Type):
        when = validators.DateTime()
        day = validators.Date()

    raw = Raw({"when": "not yet", "day": 5})
    assert raw["when"] == "not yet" and raw["day"] == 5
    assert raw.to_dict() == {"when": "not yet", "day": 5}
    assert repr(raw) == "<Raw(when='not yet', day=5)>"


@pytest.mark.parametrize(
    ("factory", "error"),
    [
        (lambda: validators.String(enum="ab"), TypeError),
        (lambda: validators.String(enum=[1]), TypeError),
        (lambda: validators.String(format=3), TypeError),
        (lambda: validators.String(max_length=True), TypeError),
        (lambda: validators.String(min_length=-1), ValueError),
        (lambda: validators.String(min_length=3, max_length=2), ValueError),
        (lambda: validators.String(pattern="("), ValueError),
        (lambda: validators.Integer(minimum="1"), TypeError),
        (lambda: validators.Integer(maximum=True), TypeError),
        (lambda: validators.Number(exclusive_maximum="yes"), TypeError),
        (lambda: validators.Number(multiple_of=-1), ValueError),
        (lambda: validators.Number(enum=[1, "2"]), TypeError),
        (lambda: validators.Integer(minimum=3, maximum=1), ValueError),
        (lambda: validators.Array(items="String"), TypeError),
        (lambda: validators.Array(unique_items=1), TypeError),
        (lambda: validators.Union(validators.String()), TypeError),
        (lambda: validators.Exchange("not callable"), TypeError),
        (lambda: validators.Object(additional_properties="x"), TypeError),
    ],
)
def test_bad_validator_arguments_fail_at_definition(factory, error):
    with pytest.raises(error) as info:
        factory()
    assert isinstance(info.value, AssertionError)  # what the original's asserts raised


def test_format_install_options_registry_instances_and_late_formats():
    from apistellar_web.types import formats

    seen = []

    class Upper(BaseFormat):
        name = "upper_late"
        type = str

        def __init__(self, suffix: str = "", **kwargs: object) -> None:
            super().__init__(**kwargs)
            seen.append(suffix)
            self.suffix = suffix

        def is_native_type(self, value: object) -> bool:
            return False

        def validate(self, value: str) -> str:
            return value.upper() + self.suffix

    field = validators.String(format="later_defined")
    try:
        formats.install(suffix="!")
        assert validators.String(format="upper_late").validate("a") == "A!"
        formats.FORMATS["later_defined"] = Upper  # a format named after the field exists
        assert field.validate("b") == "B!"
        formats.FORMATS.install(suffix="?")  # fields rebuild their format objects
        assert field.validate("c") == "C?"
        shared = Upper(suffix="#")
        formats.FORMATS["later_defined"] = shared  # an instance is used as it is
        assert field.validate("d") == "D#" and field.formatter is shared
    finally:
        formats.install()
        del formats.FORMATS["upper_late"], formats.FORMATS["later_defined"]
    assert (
        formats.DATE_REGEX.match("2024-1-2")
        and formats.FormatDatetime is formats.FormatDateTimeFormat
    )


def test_type_encoder_instance_as_cls_and_message_tables(monkeypatch, tmp_path):
    article = Article({"title": "t", "author": {"name": "a"}}).format()
    assert json.loads(json.dumps(article, cls=TypeEncoder())) == article.to_dict()
    assert (
        validators.String().errors["max_length"] == "Must have no more than {max_length} characters"
    )
    assert validators.Integer.errors["integer"] == "Must be an integer."
    (tmp_path / "local_messages.py").write_text("TABLE = {'NumericType': {'integer': '整数'}}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("ERROR_DESC", "local_messages.TABLE")
    assert validators.Integer().errors["integer"] == "整数"
    with pytest.raises(ValidationError) as info:
        validators.Integer().validate(1.5)
    assert info.value.detail == "整数"
    with use_messages(None):  # an app without ERROR_DESC: the defaults, whatever the env
        assert validators.Integer().errors["integer"] == "Must be an integer."
    monkeypatch.setenv("ERROR_DESC", "no_such_module.TABLE")
    with pytest.raises(ConfigurationError, match="ERROR_DESC"):
        validators.Integer().validate(1.5)


def test_bare_nested_model_with_allow_null_classmethod():
    class Maybe(Type):
        name = validators.String()

        @classmethod
        def allow_null(cls) -> bool:
            return True

    class Holder(Type):
        maybe = Maybe
        strict_one = Author

    holder = Holder.validate({"maybe": None, "strict_one": {"name": "x"}})
    assert holder.maybe is None
    with pytest.raises(ValidationError) as info:
        Holder.validate({"maybe": None, "strict_one": None})
    assert info.value.detail == {"strict_one": "May not be null."}


def test_async_type_missing_after_load():
    import asyncio

    class Lazy(AsyncType):
        name = validators.String()
        score = validators.Integer(default=5)

        async def load(self):
            return {}

    async def scenario():
        lazy = Lazy({})
        with pytest.raises(AttributeError, match="did not provide"):
            await lazy.name
        return await lazy.score, repr(lazy.name)

    assert asyncio.run(scenario()) == (5, "<FieldValue Lazy.name>")


def test_instances_may_set_declared_class_attributes_only():
    class Table(Type):
        TABLE = "articles"
        name = validators.String()

    table = Table()
    table.TABLE = "other"
    assert table.TABLE == "other" and Table.TABLE == "articles"
    for interface in ("keys", "items", "validator", "format", "fields"):
        with pytest.raises(AttributeError, match="Invalid attribute"):
            setattr(table, interface, 1)
    del table.TABLE
    assert table.TABLE == "articles"
    table.update(name="n", extra=1)
    table.format()
    table.update(extra=1)
    del table.extra  # unknown stored keys go without re-validation
    assert "extra" not in table
    with pytest.raises(AttributeError, match='Invalid attribute "nope"'):
        del table.nope
