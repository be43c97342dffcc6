"""The original's top-level model tests (tests/test_model.py, test_format.py,
test_date_format.py, test_bool.py, test_union.py, test_array.py), written as its users
wrote models: ``from apistellar import Type, validators``."""

import datetime

import pytest
from apistar.exceptions import ValidationError
from apistar.validators import ValidationError as ValidatorsValidationError

from apistellar import Type, validators
from apistellar.types.formats import FORMATS, DateTimeFormat, install
from apistellar.types.validators import Proxy, String


def test_assignment_is_validated():
    """tests/test_model.py: assigning past a Number's maximum fails (caught, as there,
    through apistar.validators' ValidationError)."""

    class A(Type):
        title = validators.Number(maximum=1024)

    with pytest.raises(ValidatorsValidationError):
        A().title = 12345


@pytest.fixture
def custom_datetime():
    """tests/test_format.py: install() options and a custom format (undone afterwards)."""
    tokyo = datetime.timezone(datetime.timedelta(hours=9), "Asia/Tokyo")
    install(date_format="%Y/%m/%d %H:%M:%S", tz=tokyo)

    class CustomDatetimeFormat(DateTimeFormat):
        name = "custom_datetime"

        def __init__(self, tz=None, date_format="%Y-%m-%d %H:%M:%S", **kwargs):
            super().__init__(**kwargs)
            self.tz = tz
            self.date_format = date_format

        def validate(self, value):
            local = datetime.datetime.strptime(value, self.date_format)
            return datetime.datetime.fromtimestamp(local.timestamp(), self.tz)

        def to_string(self, value):
            if isinstance(value, datetime.datetime):
                return value.strftime(self.date_format)
            return value

    yield tokyo
    del FORMATS["custom_datetime"]
    install()


def test_custom_format_default_and_proxy_default(custom_datetime):
    """tests/test_format.py: a callable default giving a local time string is run through
    the custom format by format() (issue 10, defect 7: ours stored the raw string), and a
    Proxy whose default is the model class itself becomes an instance. The original
    asserted ``hour == now.hour + 1``, true only in UTC+8 ([bug] 31); here the value is
    compared with the current time in the format's zone."""

    def now():
        return datetime.datetime.now().strftime("%Y/%m/%d %H:%M:%S")

    class B(Type):
        a = String(allow_null=True)
        b = String(default="")

    class A(Type):
        created_at = String(default=now, format="custom_datetime")
        b = Proxy(B, default=B)

    a = A()
    a.format()
    assert a.created_at.tzinfo is custom_datetime
    drift = a.created_at - datetime.datetime.now(custom_datetime)
    assert abs(drift) < datetime.timedelta(seconds=5)
    assert isinstance(a.b, B) and a.b.to_dict() == {"a": None, "b": ""}


def test_format_datetime_assignment():
    """tests/test_date_format.py: a pattern without separators parses on assignment."""

    class A(Type):
        created_at = validators.FormatDateTime(
            format="%Y-%m-%d%H%M%S", default=datetime.datetime.now
        )

    a = A()
    a.format()
    a.created_at = "2018-01-02111111"
    assert a.created_at == datetime.datetime(2018, 1, 2, 11, 11, 11)


def test_coerced_booleans_in_a_bare_nested_model():
    """tests/test_bool.py: a model class used directly as a field, coerced from 1 and 0.
    [bug] 14: in the original a bare nested Type crashed class creation; it works here."""

    class A(Type):
        a = validators.Boolean()

    class B(Type):
        b = validators.Boolean()
        c = A

    b = B(b=1, c={"a": 0})
    b.format(allow_coerce=True)
    assert b.b is True and b.c.a is False and isinstance(b.c, A)


def test_union_allowing_null():
    """tests/test_union.py test_union1: an Array|String union made nullable with <<."""

    class Union(Type):
        field = (validators.Array(validators.String()) | validators.String()) << {
            "allow_null": True
        }

    a = Union()
    a.format()
    assert a.field is None
    a.field = ["aaa"]
    assert a.field == ["aaa"]
    a.field = "aaa"
    assert a.field == "aaa"
    with pytest.raises(ValidationError):
        a.field = 1


def test_union_with_factory_default():
    """tests/test_union.py test_union2: ``<< {"default": list}`` fills an empty list."""

    class Union(Type):
        field = (validators.Array(validators.String()) | validators.String()) << {"default": list}

    a = Union()
    a.format()
    assert a.field == []
    a.field = ["aaa"]
    assert a.field == ["aaa"]
    with pytest.raises(ValidationError):
        a.field = 1


def test_untyped_array():
    """tests/test_array.py: an Array without items takes any list, and formats."""

    class A(Type):
        field = validators.Array()

    a = A()
    a.field = [3]
    a.field = ["a"]
    a.format()
    assert a.field == ["a"] and a.to_dict() == {"field": ["a"]}


class TypeTestBase:
    """tests/factories.py: the class-based idiom -- setup_class builds ``Example`` from the
    class's ``_type``, ``args`` and ``kwargs``; teardown_class drops it."""

    _type = ""
    args: tuple = ()
    kwargs: dict = {}

    @classmethod
    def setup_class(cls):
        cls.Example = cls.gen_class(cls._type, *cls.args, **cls.kwargs)

    @classmethod
    def teardown_class(cls):
        del cls.Example

    @staticmethod
    def gen_class(field_type, *args, **kwargs):
        class Example(Type):
            field = getattr(validators, field_type)(*args, **kwargs)

        return Example


class NestedTypeTestBase(TypeTestBase):
    """tests/factories.py: the field wraps a nested model of ``nested_field_type``."""

    nested_field_type = ""

    @classmethod
    def nested(cls):
        return TypeTestBase.gen_class(cls.nested_field_type)

    @classmethod
    def setup_class(cls):
        cls.Example = cls.gen_class(cls._type, cls.nested(), *cls.args, **cls.kwargs)


class TestFactoriesIdiom(TypeTestBase):
    """tests/factories.py used by a test class, as tests/test_types/ did."""

    _type = "String"
    kwargs = {"max_length": 3}

    def test_example_is_built_for_the_class(self):
        """factories.TypeTestBase: ``self.Example`` has the class's String field."""
        example = self.Example()
        example.field = "abc"
        assert example.field == "abc"
        with pytest.raises(ValidationError) as info:
            example.field = "abcd"
        assert info.value.args[0]["field"].code == "max_length"


class TestNestedFactoriesIdiom(NestedTypeTestBase):
    """tests/factories.py NestedTypeTestBase: a Proxy of a generated String model."""

    _type = "Proxy"
    nested_field_type = "String"
    kwargs = {"allow_null": True}

    def test_nested_example(self):
        """factories.NestedTypeTestBase: the Proxy field validates into the nested model."""
        example = self.Example(field={"field": "x"})
        example.format()
        assert example.field.field == "x"
        example.field = None
        assert example.field is None
