"""Articles in the database (see ``blog/database.py``): shared by every worker process."""

from typing import Any

from apistar import http

from apistellar import Service, conn_manager, inject

from ..database import DatabaseMixin, dump_tags, load_tags
from .article import Article

_COLUMNS = "id, title, body, tags, author"
_LARGEST_ID = 2**63 - 1  # both engines keep ids in a signed 64-bit integer


def _record(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "id": int(row["id"]), "tags": load_tags(row["tags"])}


class ArticleService(Service, DatabaseMixin):
    method = inject << http.Method

    @conn_manager
    def create(self, article: Article, author: str | None) -> dict[str, Any]:
        values = dict(article)
        article_id = self.db.insert(
            "insert into articles (title, body, tags, author) values (?, ?, ?, ?)",
            (values["title"], values["body"], dump_tags(values["tags"]), author),
        )
        return {"id": article_id, **values, "author": author}

    @conn_manager
    def get(self, article_id: int) -> dict[str, Any]:
        row = None
        if 0 < article_id <= _LARGEST_ID:
            row = self.db.fetchone(f"select {_COLUMNS} from articles where id = ?", (article_id,))
        assert row is not None, (404, f"Article {article_id} does not exist.")
        return _record(row)

    @conn_manager
    def all(self) -> list[dict[str, Any]]:
        rows = self.db.fetchall(f"select {_COLUMNS} from articles order by id")
        return [_record(row) for row in rows]
