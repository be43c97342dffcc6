"""Keeps articles in memory (a real project talks to a database here)."""

import itertools
import threading
from typing import Any

from apistar import http

from apistellar import Service, inject

from .article import Article

_articles: dict[int, dict[str, Any]] = {}
_ids = itertools.count(1)
_lock = threading.Lock()


class ArticleService(Service):
    method = inject << http.Method

    def create(self, article: Article, author: str | None) -> dict[str, Any]:
        with _lock:
            article_id = next(_ids)
            record = {"id": article_id, **dict(article), "author": author}
            _articles[article_id] = record
        return record

    def get(self, article_id: int) -> dict[str, Any]:
        record = _articles.get(article_id)
        assert record is not None, (404, f"Article {article_id} does not exist.")
        return record

    def all(self) -> list[dict[str, Any]]:
        return sorted(_articles.values(), key=lambda record: record["id"])
