from apistar import types, validators

from apistellar import Controller, get, post, route


class Article(types.Type):
    title = validators.String()
    body = validators.String()
    views = validators.Integer()
    score = validators.Number()
    published = validators.Boolean()


@route("", name="bench")
class BenchController(Controller):
    @get("/hello")
    async def hello(self) -> dict:
        return {"hello": "world"}

    @get("/items/{item_id}")
    async def item(self, item_id: int, q: str = None, limit: int = 10) -> dict:
        return {"item_id": item_id, "q": q, "limit": limit}

    @post("/articles")
    async def article(self, article: Article) -> dict:
        return dict(article)
