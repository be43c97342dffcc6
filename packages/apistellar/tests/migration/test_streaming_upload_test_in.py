"""tests/upload_test_in.py of the original (a model check that sat beside the upload
tests): ``in`` on a model instance tells whether a field holds a value."""

from apistellar import Type, validators


class A(Type):
    a = validators.String()


def test_in():
    """upload_test_in.py::test_in: a declared field is not ``in`` a fresh instance, and is
    once assigned."""
    a = A()
    assert "a" not in a
    a.a = "a"
    assert "a" in a
