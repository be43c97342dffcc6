"""tests/test_persistence.py of the original: driver mixins, ``PersistentType`` wrapping
every public method, ``conn_ignore``, call arguments for dynamic names, several mixins.

Its users wrote ``get_store`` with the standard library's ``contextmanager`` and built
proxies with ``proxy(self_or_cls, prop_name=..., prop=...)``."""

import os
from contextlib import contextmanager

import pytest

from apistellar.persistence import DriverMixin, conn_ignore, get_callargs, proxy
from apistellar.types import PersistentType


@pytest.fixture(autouse=True)
def stores_on(monkeypatch):
    """The original's pytest config set UNIT_TEST_MODE=false so stores are opened."""
    monkeypatch.setenv("UNIT_TEST_MODE", "false")


class MyDriver:
    def __init__(self):
        self.state = "init"

    def find_one(self):
        if os.getenv("TEST_FLAG") == "error":
            raise RuntimeError(self)
        return self

    def rollback(self):
        self.state = "rollback"

    def close(self):
        self.state = "close"


class MyDriverMixin(DriverMixin):
    store = None  # type: MyDriver

    @classmethod
    @contextmanager
    def get_store(cls, self_or_cls, **callargs):
        with super().get_store(self_or_cls, **callargs) as self_or_cls:
            driver = MyDriver()
            try:
                yield proxy(self_or_cls, prop_name="store", prop=driver)
            except Exception:
                driver.rollback()
                raise
            else:
                driver.close()


def custom_wrapper(func):
    """A decorator without functools.wraps: the call arguments are still found."""
    extra = 1

    def inner(*args, **kwargs):
        return func(*args, d=extra, **kwargs)

    return inner


class Model(PersistentType, MyDriverMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assert self.store is None  # dunder methods get no store

    def find_one(self):
        return self.store.find_one()

    def find(self):
        return self.find_one()

    def find_one_with_args(self, a, b, *args, c=3):
        return a, b, args, c

    def find_one_with_kwonly_args(self, a, b, *, c=3):
        return a, b, c

    async def find_one_async(self):
        return self.store.find_one()

    @classmethod
    def find_one_classmethod(cls):
        return cls.store.find_one()

    @conn_ignore
    def find_one_ignore_store(self):
        assert self.store is None
        return "ignored"

    @custom_wrapper
    def find_one_with_wrapper(self, a, b, c=3, d=4):
        self.store.find_one()
        return a, b, c, d


class DynamicTableNameDriver:
    def __init__(self, table, db):
        self.table = table
        self.db = db

    def find_one(self):
        return self.table, self.db


class DynamicTableNameMixin(DriverMixin):
    cur = None  # type: DynamicTableNameDriver
    DYNAMIC_TABLE = NotImplemented
    DYNAMIC_DB = NotImplemented

    @classmethod
    @contextmanager
    def get_store(cls, self_or_cls, **callargs):
        with super().get_store(self_or_cls, **callargs) as self_or_cls:
            driver = DynamicTableNameDriver(
                self_or_cls.DYNAMIC_TABLE.format(**callargs),
                self_or_cls.DYNAMIC_DB.format(**callargs),
            )
        yield proxy(self_or_cls, prop_name="cur", prop=driver)


class DynamicTableNameModel(PersistentType, DynamicTableNameMixin):
    DYNAMIC_TABLE = "test_table_{partition}"
    DYNAMIC_DB = "test_db_{partition}"

    def find_one(self, partition):
        return self.cur.find_one()

    def get_table(self, partition):
        return self.DYNAMIC_TABLE


class MultiDriverModel(PersistentType, DynamicTableNameMixin, MyDriverMixin):
    DYNAMIC_TABLE = "test_table_{partition}"
    DYNAMIC_DB = "test_db_{partition}"

    def find_one(self, partition):
        table, db = self.cur.find_one()
        return table, db, self.store.find_one()


class TestPersistence:
    def test_normal(self):
        """A method gets the store; it is closed after the call; the object keeps None."""
        model = Model()
        store = model.find_one()
        assert isinstance(store, MyDriver) and store.state == "close"
        assert model.store is None

    def test_call_method(self):
        """A method calling another wrapped method."""
        model = Model()
        store = model.find()
        assert isinstance(store, MyDriver) and store.state == "close"
        assert model.store is None

    @pytest.mark.asyncio
    async def test_async(self):
        """An async method gets the store the same way."""
        model = Model()
        store = await model.find_one_async()
        assert isinstance(store, MyDriver) and store.state == "close"
        assert model.store is None

    def test_classmethod(self):
        """A classmethod gets a proxy of the class."""
        store = Model().find_one_classmethod()
        assert isinstance(store, MyDriver) and store.state == "close"
        assert Model.store is None

    def test_find_one_ignore_store(self):
        """conn_ignore: the method runs on the object itself, without a store."""
        assert Model().find_one_ignore_store() == "ignored"

    def test_find_one_with_wrapper(self):
        """A decorator that closes over the method still gets the store."""
        assert Model().find_one_with_wrapper(1, 2, 5) == (1, 2, 5, 1)

    @pytest.mark.env(TEST_FLAG="error")
    def test_error(self):
        """An exception in the method reaches get_store, which rolls back."""
        with pytest.raises(RuntimeError) as info:
            Model().find_one()
        assert info.value.args[0].state == "rollback"

    def test_with_args(self):
        """Positional, *args and keyword-only arguments pass through."""
        assert Model().find_one_with_args(1, 5, 8, 7) == (1, 5, (8, 7), 3)

    def test_with_kwonly_args(self):
        """Keyword-only arguments keep their defaults."""
        assert Model().find_one_with_kwonly_args(1, 5) == (1, 5, 3)

    def test_with_dynamic_table_name(self):
        """get_store receives the call's arguments by name (a table per partition)."""
        assert DynamicTableNameModel().find_one(2) == ("test_table_2", "test_db_2")

    def test_get_prop(self):
        """Other attributes read through the proxy unchanged."""
        assert DynamicTableNameModel().get_table(2) == "test_table_{partition}"

    def test_get_callargs(self):
        """get_callargs flattens **kwargs into the names."""

        def fun(cls, query, **kwargs):
            pass

        query = {"primary_key": "7", "node_id": "2", "patient_sn": "3"}
        callargs = get_callargs(fun, "111", query, desease_id="test")
        assert callargs["desease_id"] == "test" and callargs["query"] == query

    def test_multi_driver(self):
        """Two mixins nest their proxies: the method sees both drivers."""
        table, db, driver = MultiDriverModel().find_one(2)
        assert (table, db) == ("test_table_2", "test_db_2")
        assert isinstance(driver, MyDriver)
