"""Litestar with msgspec structs (its idiom)."""

from litestar import Litestar, get, post
from msgspec import Struct


class Article(Struct):
    title: str
    body: str
    views: int
    score: float
    published: bool


@get("/hello")
async def hello() -> dict:
    return {"hello": "world"}


@get("/items/{item_id:int}")
async def item(item_id: int, q: str | None = None, limit: int = 10) -> dict:
    return {"item_id": item_id, "q": q, "limit": limit}


@post("/articles", status_code=200)
async def article(data: Article) -> Article:
    return data


app = Litestar([hello, item, article])
