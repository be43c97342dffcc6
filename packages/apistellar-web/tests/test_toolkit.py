"""The original's small helpers: subclass registries, call arguments, descriptors, dates."""

import functools

import pytest

from apistellar_web.toolkit import (
    ChildrenFactory,
    NotImplementedProp,
    classproperty,
    find_children,
    get_callargs,
    parse_date,
)


class Format:
    def __init__(self, pattern: str = "default") -> None:
        self.pattern = pattern


class Date(Format):
    pass


class Time(Format):
    name = "clock"


class LongDate(Date):
    pass


def test_find_children_walks_every_level():
    assert find_children(Format, initialize=False) == [Date, LongDate, Time]
    built = find_children(Format, kwargs={"pattern": "x"})
    assert [type(b) for b in built] == [Date, LongDate, Time]
    assert {b.pattern for b in built} == {"x"}


def test_children_factory_builds_once_by_name():
    factory = ChildrenFactory(Format, {"pattern": "p"})
    assert "date" in factory and "clock" in factory and "time" not in factory
    first = factory["date"]
    assert factory["date"] is first and first.pattern == "p"
    assert factory.get("missing", 0) == 0
    factory.install(pattern="q")
    assert factory["date"] is not first and factory["date"].pattern == "q"
    factory["custom"] = "set by hand"
    assert "custom" in factory and factory["custom"] == "set by hand"
    with pytest.raises(KeyError):
        factory["missing"]


def plain_decorator(func):
    def wrapper(*args, **kwargs):  # no functools.wraps, as the original's generated code
        return func(*args, **kwargs)

    return wrapper


def test_get_callargs_sees_through_decorators():
    def target(self, a, b=2, *rest, c=3, **extra):
        return a

    wrapped = plain_decorator(functools.wraps(target)(plain_decorator(target)))
    assert get_callargs(wrapped, "me", 1, d=4) == {
        "self": "me",
        "a": 1,
        "b": 2,
        "rest": (),
        "c": 3,
        "d": 4,
    }
    with pytest.raises(TypeError):
        get_callargs(wrapped)


def test_descriptors():
    class Model:
        TABLE = NotImplementedProp()

        @classproperty
        def label(cls):
            return cls.__name__.lower()

    class Child(Model):
        pass

    assert Model.TABLE is NotImplemented and Model().TABLE is NotImplemented
    assert Model.label == "model" and Child.label == "child" and Child().label == "child"


@pytest.mark.parametrize(
    "value",
    [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ],
)
def test_parse_date_reads_the_three_http_formats(value):
    assert parse_date(value) == 784111777.0


@pytest.mark.parametrize("value", [None, "", "not a date", "Sun, 99 Nov 1994 99:99:99 GMT"])
def test_parse_date_refuses_anything_else(value):
    assert parse_date(value) is None
