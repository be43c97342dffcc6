"""BlackSheep with typed binders and a dataclass body (its idiom)."""

from dataclasses import asdict, dataclass

from blacksheep import Application, FromJSON, json

app = Application()
get = app.router.get
post = app.router.post


@dataclass
class Article:
    title: str
    body: str
    views: int
    score: float
    published: bool


@get("/hello")
async def hello():
    return json({"hello": "world"})


@get("/items/{item_id}")
async def item(item_id: int, q: str | None = None, limit: int = 10):
    return json({"item_id": item_id, "q": q, "limit": limit})


@post("/articles")
async def article(data: FromJSON[Article]):
    return json(asdict(data.value))
