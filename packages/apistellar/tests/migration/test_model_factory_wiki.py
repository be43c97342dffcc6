"""model-factory的使用方法.md: model factories build the models handlers ask for, from the
request, and give the model its ``inject << X`` collaborators -- served by uvicorn.

The page's factory annotates ``settings: FrozenSettings`` (a class of the third-party
``toolkity`` package); here the project reads ``from apistellar import settings``. Its
``eval(form.get("feature"))`` of request data is written as a comparison.
"""

import pytest

ARTICLE = """
    import sqlite3
    import typing

    from apistar.http import QueryParam, RequestData

    from apistellar import Component, ModelFactory, Type, inject, settings, validators


    class Sqlite:
        def __init__(self, path):
            self.path = path
            with sqlite3.connect(path) as connection:
                connection.execute(
                    "create table if not exists articles "
                    "(id text primary key, title text, author text, article text, "
                    "feature integer, description text, tags text)"
                )

        def connect(self):
            return sqlite3.connect(self.path)


    class SqliteComponent(Component):
        def resolve(self) -> Sqlite:
            return Sqlite(settings.DB_PATH)


    class Article(Type):
        sqlite = inject << Sqlite
        TABLE = "articles"

        id = validators.String()
        title = validators.String()
        author = validators.String()
        article = validators.String(allow_null=True)
        feature = validators.Boolean(default=False)
        description = validators.String(default="")
        tags = validators.String(default="")

        def save(self):
            with self.sqlite.connect() as connection:
                connection.execute(
                    f"insert or replace into {self.TABLE} values (?, ?, ?, ?, ?, ?, ?)",
                    (self.id, self.title, self.author, self.article, self.feature,
                     self.description, self.tags),
                )

        @classmethod
        async def load_list(cls, ids, _from, size):
            names = ["id", "title", "author", "article", "feature", "description", "tags"]
            query = f"select {', '.join(names)} from {cls.TABLE} order by id"
            with cls.sqlite.connect() as connection:
                rows = connection.execute(query).fetchall()
            found = [cls(dict(zip(names, row))) for row in rows]
            if ids:
                found = [article for article in found if article["id"] in ids]
            start = int(_from or 0)
            return found[start:start + int(size or 10)]


    class ArticleFactory(ModelFactory):
        model = Article

        async def product(self, form: RequestData, id: QueryParam) -> Article:
            params = {}
            if not form:
                form = {}
            file = form.get("article")
            if hasattr(file, "read"):
                params["article"] = file.read().decode()
            else:
                params["article"] = file
            params["id"] = form.get("id") or id
            params["author"] = form.get("author") or settings.AUTHOR
            params["title"] = form.get("title") or (
                file and file.filename.replace(".md", ""))
            params["feature"] = (form.get("feature") or "False") == "True"
            params["description"] = form.get("description") or ""
            params["tags"] = form.get("tags") or ""
            return Article(params)


    class ArticleListFactory(ModelFactory):
        model = Article

        async def product(self,
                          ids: QueryParam,
                          _from: QueryParam,
                          size: QueryParam) -> typing.List[Article]:
            if ids:
                ids = ids.split(",")
            else:
                ids = []
            return await Article.load_list(ids, _from, size)
"""

CONTROLLER = """
    import typing

    from apistellar import Controller, get, post, route

    from .article import Article


    @route("/article", name="article")
    class ArticleController(Controller):

        @post("/upload")
        def upload(self, article: Article):
            article.format()
            article.save()
            return article

        @get("/list")
        def list(self, articles: typing.List[Article]):
            return [article.title for article in articles]

        @get("/sqlite")
        def sqlite(self, article: Article):
            return {"injected": type(article.sqlite).__name__}
"""


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("factory"),
        "blog",
        {
            "settings.py": 'AUTHOR = "ann"\nDB_PATH = "blog.db"\n',
            "blog/article/article.py": ARTICLE,
            "blog/article/controller.py": CONTROLLER,
        },
    )
    with migration.serve(project) as server:
        yield server


def test_factory_builds_the_model_from_a_form(served):
    """model-factory的使用方法.md ArticleFactory: the handler's ``article: Article`` comes
    from the factory's product (form fields, a query parameter, a settings default), and
    the model's ``sqlite = inject << Sqlite`` is given so ``save()`` can use it."""
    with served.client() as client:
        response = client.post(
            "/article/upload",
            params={"id": "a1"},
            data={"title": "First", "feature": "True", "tags": "git,python"},
        )
        assert response.status_code == 200, served.output()
        assert response.json() == {
            "id": "a1",
            "title": "First",
            "author": "ann",
            "article": None,
            "feature": True,
            "description": "",
            "tags": "git,python",
        }


def test_factory_reads_an_uploaded_file(served):
    """model-factory的使用方法.md: a file part named ``article`` gives the text and, when no
    title is sent, the title from its file name."""
    with served.client() as client:
        response = client.post(
            "/article/upload",
            params={"id": "a2"},
            files={"article": ("Second.md", b"# body", "text/markdown")},
        )
        assert response.status_code == 200, served.output()
        body = response.json()
        assert (body["title"], body["article"], body["author"]) == ("Second", "# body", "ann")


def test_list_factory_returns_typing_list(served):
    """model-factory的使用方法.md ArticleListFactory: ``-> typing.List[Article]`` satisfies a
    ``typing.List[Article]`` parameter; its classmethod reads ``cls.sqlite``, which the
    factory resolved for the request. Its query parameters have no defaults, so (as in the
    original) a request without them is a 999 error naming the first one."""
    with served.client() as client:
        for ident in ("b1", "b2", "b3"):
            client.post("/article/upload", params={"id": ident}, data={"title": ident.upper()})

        def titles(ids="", start="", size=""):
            query = {"ids": ids, "_from": start, "size": size}
            return client.get("/article/list", params=query).json()

        assert {"B1", "B2", "B3"} <= set(titles())
        assert titles("b1,b3") == ["B1", "B3"]
        assert titles("b1,b2,b3", "1", "1") == ["B2"]
        missing = client.get("/article/list").json()
        assert (missing["code"], missing["message"]) == (999, "Query Param: ids not found!")


def test_injection_reaches_the_model(served):
    """model-factory的使用方法.md: the factory injects the model's declared collaborators."""
    with served.client() as client:
        response = client.get("/article/sqlite", params={"id": "x"})
        assert response.json() == {"injected": "Sqlite"}, served.output()
