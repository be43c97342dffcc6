import asyncio

import pytest
from apistar import http, types, validators

from apistellar_web import Controller, Type, get, post, route
from apistellar_web import validators as v


class Post(Type):
    title = v.String(max_length=10)
    views = v.Integer(minimum=0, default=0)
    published = v.DateTime(allow_null=True)


class Article(types.Type):
    title = validators.String(max_length=10)
    views = validators.Integer(minimum=0, default=0)


@route("/b")
class BodyController(Controller):
    @post("/data")
    def data(self, data: http.RequestData) -> dict:
        return {"data": data if not hasattr(data, "to_dict") else data.to_dict(flat=False)}

    @post("/article")
    def article(self, article: Article) -> dict:
        return {"article": dict(article)}

    @get("/search")
    def search(self, article: Article = None) -> dict:
        return {"article": dict(article) if article is not None else None}

    @post("/post")
    def post_model(self, item: Post) -> Post:
        return item

    @get("/posts")
    def post_list(self) -> list:
        return [Post(title="a", views=1).format(), Post(title="b").format()]

    @post("/raw")
    def raw(self, body: http.Body) -> dict:
        return {"size": len(body)}


@pytest.fixture
def client(make_app, client_for):
    return client_for(make_app(BodyController, settings="SECRET_KEY = 'k'\nMAX_BODY_SIZE = 1024\n"))


def test_json_and_forms_decode(client):
    assert client.post("/b/data", json={"a": [1, 2]}).json() == {"data": {"a": [1, 2]}}
    assert client.post("/b/data", data={"a": ["1", "2"]}).json() == {"data": {"a": ["1", "2"]}}
    assert client.post("/b/data").json() == {"data": None}


def test_malformed_json_is_400_with_where(client):
    response = client.post(
        "/b/data", content=b'{"a": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith(
        "Malformed JSON: Expecting value at line 1 column 7"
    )


def test_unsupported_content_type_is_415(client):
    response = client.post("/b/data", content=b"<x/>", headers={"content-type": "application/xml"})
    assert response.status_code == 415
    assert response.json() == {
        "type": "http",
        "code": 415,
        "errcode": 415,
        "message": "Unsupported Content-Type header in request",
    }


def test_body_over_the_limit_is_413(client):
    response = client.post("/b/raw", content=b"x" * 2048)
    assert response.status_code == 413 and response.json()["type"] == "http"
    assert client.post("/b/raw", content=b"x" * 1024).json() == {"size": 1024}


def test_lying_content_length_is_refused(make_app):
    import asyncio

    app = make_app(BodyController, settings="SECRET_KEY = 'k'\nMAX_BODY_SIZE = 1024\n")
    sent: list[dict] = []
    chunks = [{"type": "http.request", "body": b"x" * 600, "more_body": True}] * 3

    async def receive() -> dict:
        return chunks.pop() if chunks else {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    for length in (b"10", b"-5"):
        chunks[:] = [{"type": "http.request", "body": b"x" * 600, "more_body": True}] * 3
        scope = {
            "type": "http",
            "method": "POST",
            "path": "/b/raw",
            "query_string": b"",
            "headers": [(b"content-length", length)],
        }
        sent.clear()
        asyncio.run(app(scope, receive, send))
        assert sent[0]["status"] in (400, 413)


def test_model_binding_validates_and_reports_fields(client):
    assert client.post("/b/article", json={"title": "hi"}).json() == {
        "article": {"title": "hi", "views": 0}
    }
    bad = client.post("/b/article", json={"title": "much too long a title", "views": -1})
    assert bad.status_code == 400
    assert bad.json()["message"] == {
        "title": "Must have no more than 10 characters.",
        "views": "Must be greater than or equal to 0.",
    }
    empty = client.post("/b/article")
    assert empty.status_code == 400 and empty.json()["message"] == "article cannot be empty!"
    form = client.post("/b/article", data={"title": "form", "views": "3"})
    assert form.json() == {"article": {"title": "form", "views": 3}}


def test_model_from_query_string_and_default(client):
    assert client.get("/b/search?title=q").json() == {"article": {"title": "q", "views": 0}}
    assert client.get("/b/search").json() == {"article": None}


def test_apistellar_models_bind_validate_and_serialise(client):
    ok = client.post(
        "/b/post", json={"title": "hi", "published": "2024-01-02T03:04:05Z", "extra": 1}
    )
    assert ok.json() == {"title": "hi", "views": 0, "published": "2024-01-02T03:04:05Z"}
    bad = client.post("/b/post", json={"title": "far too long title", "views": "x"})
    assert bad.status_code == 400
    assert bad.json()["message"] == {
        "title": "Must have no more than 10 characters",
        "views": "Must be a number.",
    }
    form = client.post("/b/post", data={"title": "f", "views": "7"})
    assert form.json()["views"] == 7
    assert client.get("/b/posts").json() == [
        {"title": "a", "views": 1, "published": None},
        {"title": "b", "views": 0, "published": None},
    ]


def test_error_messages_are_localised_per_app(make_app, client_for):
    localised = make_app(
        BodyController,
        settings=(
            "SECRET_KEY = 'k'\n"
            "ERROR_DESC = {'String': {'max_length': '最多 {max_length} 个字符'}}\n"
        ),
    )
    response = client_for(localised).post("/b/post", json={"title": "far too long title"})
    assert response.json()["message"] == {"title": "最多 10 个字符"}
    plain = make_app(BodyController)
    assert client_for(plain).post("/b/post", json={"title": "far too long title"}).json()[
        "message"
    ] == {"title": "Must have no more than 10 characters"}


def test_bad_error_desc_is_a_startup_error(make_app):
    from apistellar_web import ConfigurationError

    with pytest.raises(ConfigurationError, match="ERROR_DESC"):
        make_app(BodyController, settings="SECRET_KEY = 'k'\nERROR_DESC = 'no.such.table'\n")


# -- settling an unread body before the response (BodyProgress) ----------------------------------


def _progress(chunks: list[bytes]):
    from apistellar_web._body import BodyProgress

    pieces = list(chunks)
    asked: list[int] = []

    async def receive():
        asked.append(1)
        if pieces:
            data = pieces.pop(0)
            return {"type": "http.request", "body": data, "more_body": bool(pieces)}
        return {"type": "http.disconnect"}

    return BodyProgress(receive), asked


def _scope(*headers: tuple[bytes, bytes]) -> dict:
    return {"type": "http", "headers": list(headers)}


def test_a_held_back_body_is_never_asked_for_and_the_connection_closes():
    progress, asked = _progress([b"x" * 10])
    scope = _scope((b"content-length", b"10"), (b"expect", b"100-continue"))
    headers = asyncio.run(progress.settle(scope, 401, [(b"content-type", b"x")]))
    assert asked == [] and (b"connection", b"close") in headers


def test_a_body_refused_by_its_declared_length_is_not_read():
    from apistellar_web._body import REFUSED_UNREAD

    progress, asked = _progress([b"x" * 10])
    scope = {**_scope((b"content-length", b"10")), REFUSED_UNREAD: True}
    assert asyncio.run(progress.settle(scope, 413, [])) == [] and asked == []


def test_a_half_read_body_is_drained_up_to_a_mebibyte_before_an_error():
    progress, asked = _progress([b"x" * (512 * 1024)] * 4)

    async def scenario():
        await progress.receive()  # the handler read one piece, then failed
        return await progress.settle(_scope((b"content-length", b"2097152")), 400, [])

    assert asyncio.run(scenario()) == []
    assert len(asked) == 3, "one read by the handler, then 1 MiB drained"


def test_a_fully_read_body_or_a_success_needs_nothing():
    progress, asked = _progress([b"{}"])

    async def scenario():
        await progress.receive()
        return await progress.settle(_scope((b"content-length", b"2")), 400, [])

    assert asyncio.run(scenario()) == [] and len(asked) == 1
    unread, asked = _progress([b"x"])
    assert asyncio.run(unread.settle(_scope((b"content-length", b"1")), 200, [])) == []
    assert asked == []
