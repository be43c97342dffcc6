"""Persistence mixins with real SQLite stores (sqlite3 and aiosqlite), F44-F49."""

import asyncio
import sqlite3
import threading

import aiosqlite
import httpx
import pytest

from apistellar_web import (
    Controller,
    DriverMixin,
    PersistentType,
    conn_ignore,
    conn_manager,
    contextmanager,
    get,
    route,
    validators,
)
from apistellar_web.persistence import (
    conn_asyncable,
    conn_asyncgen,
    conn_proxy_driver_names,
    enter_store,
)

opened: list = []


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "store.db"
    connection = sqlite3.connect(path)  # "with" would commit but not close it
    try:
        connection.execute("create table articles (id integer primary key, title text)")
        connection.commit()
    finally:
        connection.close()
    return str(path)


def sqlite_mixin(path):
    class SqliteMixin(DriverMixin):
        conn = None

        @classmethod
        @contextmanager
        def get_store(cls, self_or_cls, **callargs):
            with super().get_store(self_or_cls, **callargs) as self_or_cls:
                connection = sqlite3.connect(path)
                opened.append(connection)
                try:
                    yield proxy_if_needed(self_or_cls, connection, "conn")
                    connection.commit()
                except Exception:
                    connection.rollback()
                    raise
                finally:
                    connection.close()

    return SqliteMixin


def proxy_if_needed(target, driver, name):
    from apistellar_web import proxy

    return proxy(target, driver, name) if target._need_proxy(name) else target


def async_mixin(path):
    class AsyncSqliteMixin(DriverMixin):
        aconn = None

        @classmethod
        @contextmanager
        async def get_store(cls, self_or_cls, **callargs):
            async with enter_store(super().get_store(self_or_cls, **callargs)) as self_or_cls:
                async with aiosqlite.connect(path) as connection:
                    opened.append(connection)
                    try:
                        yield proxy_if_needed(self_or_cls, connection, "aconn")
                        await connection.commit()
                    except Exception:
                        await connection.rollback()
                        raise

    return AsyncSqliteMixin


@pytest.fixture
def models(database, monkeypatch):
    monkeypatch.delenv("UNIT_TEST_MODE", raising=False)
    opened.clear()

    class Article(PersistentType, async_mixin(database), sqlite_mixin(database)):
        title = validators.String()

        async def save(self):
            self.conn.execute("insert into articles (title) values (?)", (self.title,))
            return id(self.conn)

        async def fail_after_insert(self):
            self.conn.execute("insert into articles (title) values (?)", ("doomed",))
            raise RuntimeError("boom")

        @classmethod
        async def count(cls):
            return cls.conn.execute("select count(*) from articles").fetchone()[0]

        @classmethod
        async def acount(cls, table: str = "articles"):
            async with cls.aconn.execute(f"select count(*) from {table}") as cursor:  # noqa: S608
                return (await cursor.fetchone())[0]

        async def ahold(self, delay: float):
            connection = self.aconn
            await asyncio.sleep(delay)
            assert self.aconn is connection
            return id(connection)

        @conn_asyncgen
        async def titles(self):
            async with self.aconn.execute("select title from articles order by id") as cursor:
                async for row in cursor:
                    yield row[0]

        @conn_ignore
        def offline(self):
            return self.conn

        def sync_method(self):
            return self.conn is not None and self.aconn is not None

        def sync_count(self):
            return self.conn.execute("select count(*) from articles").fetchone()[0]

        def __private_helper(self):
            return self.conn

        def call_private(self):
            return self.__private_helper()

        @conn_proxy_driver_names(["conn"])
        async def only_sync_driver(self):
            return self.conn is not None, self.aconn is None

        @staticmethod
        def helper():
            return "static"

        def __repr__(self):
            return "<Article>"

    return Article


def test_stores_commit_and_chain_mixins(models):
    Article = models
    assert asyncio.run(Article({"title": "a"}).save())
    assert asyncio.run(Article.count()) == 1
    assert Article.conn is None and Article.aconn is None, "the class is never modified"
    assert len(opened) == 4  # each call opened both chained stores


def test_sync_method_of_a_class_with_async_stores_works_without_a_loop(models):
    Article = models
    asyncio.run(Article({"title": "a"}).save())
    assert Article({"title": "x"}).sync_method() is True  # both stores, on a private loop
    assert Article({"title": "x"}).sync_count() == 1
    assert Article.conn is None and Article.aconn is None


def test_sync_method_of_a_class_with_async_stores_works_inside_a_running_loop(models):
    Article = models

    async def scenario():
        await Article({"title": "a"}).save()
        return Article({"title": "x"}).sync_method(), Article({"title": "x"}).sync_count()

    assert asyncio.run(scenario()) == (True, 1)


def test_private_methods_are_not_wrapped(models):
    Article = models
    assert "_Article__private_helper" in vars(Article)
    assert not hasattr(vars(Article)["_Article__private_helper"], "__wrapped__")
    # unwrapped, the helper opens no store of its own: it reads the placeholder
    assert Article({"title": "x"}).call_private() is None


def test_sync_only_model(database, monkeypatch):
    monkeypatch.delenv("UNIT_TEST_MODE", raising=False)

    class Note(PersistentType, sqlite_mixin(database)):
        title = validators.String()

        def save(self):
            self.conn.execute("insert into articles (title) values (?)", (self.title,))

        @classmethod
        def count(cls):
            return cls.conn.execute("select count(*) from articles").fetchone()[0]

    Note({"title": "n"}).save()
    assert Note.count() == 1


def test_errors_roll_back(models):
    Article = models
    with pytest.raises(RuntimeError):
        asyncio.run(Article({"title": "x"}).fail_after_insert())
    assert asyncio.run(Article.count()) == 0


def test_async_store_and_async_generator(models):
    Article = models
    asyncio.run(Article({"title": "one"}).save())
    asyncio.run(Article({"title": "two"}).save())

    async def scenario():
        return await Article.acount(), [title async for title in Article({"title": "x"}).titles()]

    assert asyncio.run(scenario()) == (2, ["one", "two"])


def test_proxy_driver_names_and_ignore(models):
    Article = models
    assert asyncio.run(Article({"title": "x"}).only_sync_driver()) == (True, True)
    assert Article({"title": "x"}).offline() is None
    assert Article.helper() == "static"


def test_unit_test_mode_skips_stores(models, monkeypatch):
    monkeypatch.setenv("UNIT_TEST_MODE", "true")
    Article = models
    with pytest.raises(AttributeError):
        asyncio.run(Article({"title": "x"}).save())  # self.conn is the None placeholder
    assert opened == []


def test_concurrent_calls_never_share_a_store(models):
    Article = models

    async def scenario():
        return await asyncio.gather(*(Article({"title": str(i)}).ahold(0.01) for i in range(200)))

    ids = asyncio.run(scenario())
    assert len(set(ids)) == 200


def test_bare_and_configured_conn_manager(database, monkeypatch):
    monkeypatch.delenv("UNIT_TEST_MODE", raising=False)

    class Repo(sqlite_mixin(database)):
        conn = None

        @conn_manager
        def bare(self):
            return self.conn is not None

        @conn_manager(debug_callback=lambda: True)
        def debug(self):
            return self.conn

    assert Repo().bare() is True and Repo().debug() is None
    with pytest.raises(AssertionError, match="proxy_driver_names TypeError"):
        conn_manager(proxy_driver_names="conn")


def test_two_hundred_concurrent_requests_each_see_their_own_connection(models, make_app):
    Article = models
    seen: list[tuple[int, int]] = []

    @route("/p")
    class Store(Controller):
        @get("/hold/{n}")
        async def hold(self, n: int) -> dict:
            connection = await Article({"title": str(n)}).ahold(0.005)
            seen.append((n, connection))
            return {"n": n, "connection": connection, "thread": threading.current_thread().name}

    app = make_app(Store)

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            responses = await asyncio.gather(*(client.get(f"/p/hold/{i}") for i in range(200)))
        return [r.json() for r in responses]

    results = asyncio.run(scenario())
    assert [r["n"] for r in results] == list(range(200))
    assert len({r["connection"] for r in results}) == 200


def test_conn_asyncable_and_conn_debug(database, monkeypatch):
    monkeypatch.delenv("UNIT_TEST_MODE", raising=False)
    from apistellar_web.persistence import conn_debug

    class Repo(PersistentType, sqlite_mixin(database)):
        @conn_asyncable
        def later(self):
            async def result():
                return self.conn is not None

            return result()

        @conn_debug(lambda: True)
        def debug(self):
            return self.conn

    assert asyncio.run(Repo({}).later()) is True
    assert Repo({}).debug() is None


def test_a_sync_get_store_may_chain_into_an_async_one(database, monkeypatch):
    monkeypatch.delenv("UNIT_TEST_MODE", raising=False)
    inner = async_mixin(database)

    class Outer(inner):
        conn = None

        @classmethod
        @contextmanager
        def get_store(cls, self_or_cls, **callargs):
            with super().get_store(self_or_cls, **callargs) as chained:  # async, by "with"
                connection = sqlite3.connect(database)
                try:
                    yield proxy_if_needed(chained, connection, "conn")
                finally:
                    connection.close()

    class Both(PersistentType, Outer):
        def drivers(self):
            return self.conn is not None, self.aconn is not None

        async def adrivers(self):
            return self.conn is not None, self.aconn is not None

    assert Both({}).drivers() == (True, True)
    assert asyncio.run(Both({}).adrivers()) == (True, True)
