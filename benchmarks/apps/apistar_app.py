"""Bare API Star 0.5.42 (ASyncApp), typed parameters and a Type (its idiom)."""

from apistar import ASyncApp, Route, types, validators

import apistellar_web  # noqa: F401  (API Star on current dependencies)


class Article(types.Type):
    title = validators.String()
    body = validators.String()
    views = validators.Integer()
    score = validators.Number()
    published = validators.Boolean()


async def hello() -> dict:
    return {"hello": "world"}


async def item(item_id: int, q: str = None, limit: int = 10) -> dict:
    return {"item_id": item_id, "q": q, "limit": limit}


async def article(article: Article) -> dict:
    return dict(article)


app = ASyncApp(
    routes=[
        Route("/hello", "GET", hello),
        Route("/items/{item_id}", "GET", item),
        Route("/articles", "POST", article),
    ],
    schema_url=None,
    docs_url=None,
    static_dir=None,
)
