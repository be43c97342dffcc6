import pytest
from apistar import http

from apistellar_web import Controller, Session, get, redirect, require, return_wrapped, route


@route("/h")
class HelperController(Controller):
    @get("/login")
    def login(self, session: Session) -> str:
        session["user"] = "tom"
        return "ok"

    @require(Session, error='He said "login" first!')
    @get("/quoted")
    async def quoted(self) -> dict:
        return {"ok": True}

    @get("/judge")
    @require(Session, judge=lambda s: s.get("user") == "admin", error="Admins only")
    def judged(self, *, flag: http.QueryParam = "off") -> dict:
        return {"flag": flag}

    @get("/wrapped")
    @return_wrapped(7, "payload", error_info={401: "login"})
    def wrapped(self) -> list:
        return [1, 2]

    @get("/wrapped-async")
    @return_wrapped()
    async def wrapped_async(self) -> dict:
        return {"a": 1}

    @get("/redir")
    def redir(self) -> http.Response:
        return redirect("/h/wrapped")

    @get("/redir-iri")
    def redir_iri(self) -> http.Response:
        return redirect("/ünïcode?q=<x>", code=301)


@pytest.fixture
def client(make_app, client_for):
    return client_for(make_app(HelperController))


def test_require_with_quotes_in_the_message(client):
    refused = client.get("/h/quoted")
    assert refused.json() == {
        "type": "normal",
        "code": 401,
        "errcode": 401,
        "message": 'He said "login" first!',
        "extra": None,
    }
    client.get("/h/login")
    assert client.get("/h/quoted").json() == {"ok": True}


def test_require_custom_judge_and_keyword_only_parameters_survive(client):
    client.get("/h/login")
    assert client.get("/h/judge").json()["message"] == "Admins only"


def test_return_wrapped(client):
    assert client.get("/h/wrapped").json() == {"code": 7, "payload": [1, 2]}
    assert client.get("/h/wrapped-async").json() == {"code": 0, "data": {"a": 1}}
    assert HelperController.wrapped.return_wrapped["error_info"] == {401: "login"}


def test_return_wrapped_checks_its_arguments():
    with pytest.raises(TypeError, match="success_key_name must be str"):
        return_wrapped(0, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="success_code must be int"):
        return_wrapped("0")  # type: ignore[arg-type]


def test_redirect(client):
    response = client.get("/h/redir", follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == "/h/wrapped"
    assert "Redirecting..." in response.text and response.headers["content-type"].startswith(
        "text/html"
    )
    iri = client.get("/h/redir-iri", follow_redirects=False)
    assert iri.status_code == 301
    assert iri.headers["location"] == "/%C3%BCn%C3%AFcode?q=%3Cx%3E"
    assert "<x>" not in iri.text


def test_proxy_adds_one_read_only_attribute_without_touching_the_object():
    from apistellar_web import proxy

    class Repo:
        driver = None

        def __init__(self) -> None:
            self.table = "articles"

        def where(self) -> str:
            return f"{self.table}"

    repo = Repo()
    wrapped = proxy(repo, "connection-1", "driver")
    assert wrapped.driver == "connection-1" and repo.driver is None
    assert wrapped.table == "articles" and wrapped.where() == "articles"
    assert isinstance(wrapped, Repo)
    wrapped.table = "posts"
    assert repo.table == "posts"
    with pytest.raises(RuntimeError, match="driver readonly!"):
        wrapped.driver = "other"
    wrapped.driver = None
    del wrapped.driver
    assert wrapped.driver == "connection-1"
    with pytest.raises(TypeError, match="prop_name must be string!"):
        proxy(repo, 1, 2)  # type: ignore[arg-type]
