"""ModelFactory (F43): products bind handler parameters, injections are per request."""

import asyncio
import typing

import httpx
import pytest
from apistar import http

from apistellar_web import Controller, ModelFactory, Type, get, inject, route, validators


class Article(Type):
    title = validators.String()
    user_agent = inject << http.Header
    missing = inject(default="none") << http.QueryParam

    def describe(self) -> str:
        return f"{self.title} for {self.user_agent}"


class ArticleFactory(ModelFactory):
    model = Article

    async def product(self, title: http.QueryParam = "untitled") -> Article:
        await asyncio.sleep(0.001)
        made = Article({"title": title}).format()
        return made


class ArticleListFactory(ModelFactory):
    model = Article

    def product(self, count: http.QueryParam = "2") -> typing.List[Article]:  # noqa: UP006
        return [Article({"title": f"t{i}"}).format() for i in range(int(count))]


@route("/mf")
class FactoryController(Controller):
    @get("/one")
    async def one(self, article: Article) -> dict:
        await asyncio.sleep(0.001)
        return {"describe": article.describe(), "missing": article.missing}

    @get("/many")
    def many(self, articles: typing.List[Article]) -> list:  # noqa: UP006
        return [a.title for a in articles]


@pytest.fixture
def app(make_app):
    return make_app(FactoryController, components=[ArticleFactory(), ArticleListFactory()])


def test_factories_win_over_binding_and_fill_injections(app, client_for):
    client = client_for(app)
    response = client.get("/mf/one?title=hello", headers={"User-Agent": "agent-1"})
    assert response.json() == {"describe": "hello for agent-1", "missing": "none"}
    assert client.get("/mf/many?count=3").json() == ["t0", "t1", "t2"]


def test_injections_never_leak_between_concurrent_requests(app):
    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            responses = await asyncio.gather(
                *(
                    client.get(f"/mf/one?title=t{i}", headers={"User-Agent": f"agent-{i}"})
                    for i in range(100)
                )
            )
        return [r.json()["describe"] for r in responses]

    assert asyncio.run(scenario()) == [f"t{i} for agent-{i}" for i in range(100)]
    assert isinstance(Article.__dict__["user_agent"], type(Article.__dict__["missing"])), (
        "class left alone"
    )


def test_factory_definition_errors():
    with pytest.raises(AssertionError, match="Cannot overwrite resolve method!"):

        class WithResolve(ModelFactory):
            model = Article

            def resolve(self) -> Article:  # type: ignore[override]
                return Article({})

            def product(self) -> Article:
                return Article({})

    with pytest.raises(AssertionError, match="Need to implement product method!"):

        class WithoutProduct(ModelFactory):
            model = Article


def test_resolve_called_by_hand_takes_positions_and_defaults():
    class Driver:
        pass

    class Plain:
        shared = inject << Driver
        own = inject(default=11) << Driver

    class PlainFactory(ModelFactory):
        model = Plain

        async def product(self, shared: Driver = 19, extra: int = 0) -> Plain:
            made = Plain()
            made.seen = (shared, extra)
            return made

    factory = PlainFactory()
    made = asyncio.run(factory.resolve())
    assert (made.shared, made.own, made.seen) == (19, 11, (19, 0))  # product's default wins
    made = asyncio.run(factory.resolve(1, 2, 3))  # the model's injections first, then extra
    assert (made.shared, made.own, made.seen) == (1, 2, (1, 3))
    with pytest.raises(TypeError, match="at most 3"):
        asyncio.run(factory.resolve(1, 2, 3, 4))


def test_classmethods_called_by_a_product_read_the_request_injection():
    class Store:
        pass

    class Row:
        store = inject << Store

        @classmethod
        def which(cls):
            return cls.store

    class RowFactory(ModelFactory):
        model = Row

        async def product(self) -> Row:
            made = Row()
            made.seen = Row.which()
            return made

    made = asyncio.run(RowFactory().resolve("the store"))
    assert made.seen == "the store" and made.store == "the store"
    assert isinstance(Row.store, type(vars(Row)["store"])), "outside a request: the descriptor"
