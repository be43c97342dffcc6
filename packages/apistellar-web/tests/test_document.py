"""API documents from docstrings: the grammar, the tables, Markdown, and HTML by real Sphinx."""

import pytest

from apistellar_web.document import RstDocParser

CONTROLLER = '''
    import typing

    from apistar import http

    from apistellar_web import (
        Controller, FileStream, FormParam, Type, get, post, return_wrapped, route, validators,
    )


    def today():
        return "2026-01-01"


    class Article(Type):
        """An article.

        :param title: what it is called
        :ex title: `Hello`
        """

        title = validators.String()
        day = validators.String(default=today)
        note = validators.String(allow_null=True)


    class Draft(Type):
        """A draft (only ever sent in)."""

        text = validators.String()


    @route("/articles", name="articles")
    class ArticleController(Controller):
        """Articles | and pipes"""

        @get("/{article_id}")
        @return_wrapped(error_info={404: "no such article"})
        async def one(self, article_id: int, lang: str = "en", full: bool = False) -> Article:
            """Read one article.

            :param article_id: its number
            :param lang: the language
            :ex lang: `en`
            :ex lang: `zh`
            :return: the article
            :return: `{"title": "Hello"}`
            """
            return Article(title="x")

        @post("/")
        async def add(self, draft: Draft) -> typing.List[Article]:
            """
            Create from a draft.

            :param draft: the draft
            :ex draft:
            ```
            {"text": "words"}
            ```
            """
            return []

        @post("/upload")
        async def upload(self, stream: FileStream, caption: FormParam) -> dict:
            """Upload pictures."""
            return {}

        @get("/filter")
        async def filter(self, draft: Draft) -> dict:
            """Filter by a draft."""
            return {}

        @get("/search")
        async def search(self, params: http.QueryParams) -> dict:
            """Search.

            :ex params: `{"q": "ink", "limit": 3}`
            """
            return {}
'''


def test_the_docstring_grammar():
    doc = RstDocParser().parse(
        """One line title
        and more.

        :param a: first
            continued
        :type a: form
        :ex a: `1` and `2`
        :ex a:
        ```json
        {"x": 1}
        ```
        :return: words
        :return: `{"ok": true}`
        """
    )
    assert doc.comment == "One line title and more."
    assert doc.params == {"a": "first continued"}
    assert doc.types == {"a": "form"}
    assert doc.examples == {"a": ["1", "2", '{"x": 1}']}
    assert doc.returns == ["words"] and doc.return_examples == ['{"ok": true}']
    assert RstDocParser().parse('"""Title only').comment == '"""Title only'
    assert RstDocParser().parse(None).comment is None


@pytest.fixture(scope="module")
def run(command):
    return lambda *args, cwd: command("apistellar", "create", "document", *args, cwd=cwd)


@pytest.fixture(scope="module")
def src(tmp_path_factory, write_project):
    src = tmp_path_factory.mktemp("doc") / "src"
    write_project(src, "blog", "articles", CONTROLLER)
    return src


@pytest.fixture(scope="module")
def built(src, run):
    result = run("blog_api", "-m", "blog", "-l", "docs", cwd=src)
    assert result.returncode == 0, result.stderr
    return src / "docs" / "blog_api"


def test_markdown_pages(built):
    index = (built / "index.md").read_text()
    page = (built / "articles" / "Articles and pipes.md").read_text()
    assert "1. [Articles | and pipes](<articles/Articles and pipes.md>)" in index
    assert "### 1. Read one article." in page and "`/articles/{article_id}`" in page
    assert "lang|str|no|en|the language|`en`<br>`zh`" in page  # query table
    assert "full|bool|no|False||" in page
    assert "article_id|int|yes||its number|" in page  # path table
    assert '`{"code": 0, "data": ' in page and "404|no such article" in page
    assert "0|success" in page
    assert "title|String|yes|no||what it is called|`Hello`" in page  # model table
    assert "day|String|no|no|2026-01-01||" in page  # the factory is called
    assert "note|String|no|yes|||" in page
    assert "articles.controller.Draft\n" in page  # an input-only model is listed
    assert "articles.controller.Article]`" in page and "`typing.List[" in page
    assert '{"text": "words"}' in page
    assert "`file1`, `file2`, ...|file|yes" in page and "caption|str|yes" in page
    assert "q|str|no||" in page and "limit|int|no||" in page  # expanded from the example


def test_html_is_built_by_sphinx(built):
    index = built / "html" / "index.html"
    assert index.is_file()
    page = next((built / "html" / "articles").glob("*.html")).read_text()
    assert "Read one article." in page and "<table" in page


def test_chinese_labels_and_no_html(src, run):
    result = run("zh_api", "-m", "blog", "-l", "docs", "--lang", "zh", "--no-html", cwd=src)
    assert result.returncode == 0, result.stderr
    page = next((src / "docs" / "zh_api" / "articles").glob("*.md")).read_text()
    assert "## 模型定义" in page and "#### 查询参数" in page and "0|返回成功" in page
    assert not (src / "docs" / "zh_api" / "html").exists()


def test_bad_document_arguments(src, run):
    wrong_lang = run("x", "-m", "blog", "--lang", "fr", "--no-html", cwd=src)
    assert wrong_lang.returncode == 2 and "fr" in wrong_lang.stderr
    wrong_parser = run("x", "-m", "blog", "-p", "os.path", "--no-html", cwd=src)
    assert wrong_parser.returncode == 2 and "not an RstDocParser" in wrong_parser.stderr
    unsafe = run("../x", "-m", "blog", cwd=src)
    assert unsafe.returncode == 2 and "plain folder name" in unsafe.stderr
    missing = run("x", "-m", "nowhere_at_all", cwd=src)
    assert missing.returncode == 2 and "nowhere_at_all" in missing.stderr


class ShoutingParser(RstDocParser):
    """A parser of another grammar: titles in capitals."""

    def parse(self, docstring):
        doc = super().parse(docstring)
        if doc.comment:
            doc.comment = doc.text = doc.comment.upper()
        return doc


def test_markdown_and_openapi_read_one_extractor(src):
    """The pages and the OpenAPI document come from one description of each route."""
    import sys

    from apistellar_web import Application
    from apistellar_web.document.extract import interface_of
    from apistellar_web.document.operations import describe
    from apistellar_web.openapi import build_openapi

    sys.path.insert(0, str(src))
    try:
        app = Application("blog", current_dir=src / "blog")
    finally:
        sys.path.remove(str(src))
    route = next(r for r in app.routes if r.url == "/articles/{article_id}")
    parser = ShoutingParser()
    operation = describe(route, parser)
    assert operation.title == "READ ONE ARTICLE."
    assert [(p.name, p.location) for p in operation.parameters] == [
        ("article_id", "path"),
        ("lang", "query"),
        ("full", "query"),
    ]
    page = interface_of(route, parser)
    get = build_openapi(app, parser=parser)["paths"]["/articles/{article_id}"]["get"]
    assert page.comment == get["summary"] == operation.title
    lang = next(p for p in get["parameters"] if p["name"] == "lang")
    row = next(r for r in page.query if r.name == "lang")
    assert row.desc == lang["description"] == "the language"
    assert row.examples == [e["value"] for e in lang["examples"].values()] == ["en", "zh"]
    # a model on GET: the query string in OpenAPI, the JSON body on the page (the original)
    route = next(r for r in app.routes if r.url == "/articles/filter")
    assert describe(route).parameters[0].by_method
    assert interface_of(route, parser).json_model.endswith("articles.controller.Draft")
    filtering = build_openapi(app)["paths"]["/articles/filter"]["get"]
    assert [(p["name"], p["in"]) for p in filtering["parameters"]] == [("text", "query")]
    upload = next(r for r in app.routes if r.url == "/articles/upload")
    form = build_openapi(app)["paths"]["/articles/upload"]["post"]["requestBody"]["content"]
    assert describe(upload).body.files and list(form) == ["multipart/form-data"]


def test_sphinx_rtype_and_raises_are_fields_of_their_own():
    doc = RstDocParser().parse(
        """Title.

        Second paragraph.

        :return: the count
        :rtype: int
        :raises LookupError: no such
            shelf
        """
    )
    assert doc.returns == ["the count"] and doc.rtype == "int"
    assert doc.raises == {"LookupError": "no such shelf"}
    assert doc.comment == "Title. Second paragraph."
    assert doc.text == "Title.\n\nSecond paragraph."
