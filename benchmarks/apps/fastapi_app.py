"""FastAPI with pydantic models (its idiom)."""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Article(BaseModel):
    title: str
    body: str
    views: int
    score: float
    published: bool


@app.get("/hello")
async def hello():
    return {"hello": "world"}


@app.get("/items/{item_id}")
async def item(item_id: int, q: str | None = None, limit: int = 10):
    return {"item_id": item_id, "q": q, "limit": limit}


@app.post("/articles")
async def article(article: Article):
    return article
