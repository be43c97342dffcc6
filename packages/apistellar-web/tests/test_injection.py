import asyncio
import inspect
import typing

import pytest
from apistar import App, http
from apistar.server.asgi import ASGIScope

from apistellar_config import Settings
from apistellar_web import (
    Component,
    ConfigurationError,
    Controller,
    Cookie,
    FormParam,
    MultiPartForm,
    Service,
    UrlEncodeForm,
    get,
    inject,
    post,
    route,
)
from apistellar_web.exceptions import Readonly


class Greeting(str):
    pass


class GreetingComponent(Component):
    def resolve(self, name: http.QueryParam = "anon") -> Greeting:
        return Greeting(f"hi {name}")


class User:
    def __init__(self, name: str) -> None:
        self.name = name


class AsyncUserComponent(Component):
    async def resolve(self, authorization: http.Header = None) -> User:
        await asyncio.sleep(0)
        return User(authorization or "nobody")


class A:
    pass


class B:
    pass


class EitherComponent(Component):
    def resolve(self, parameter: inspect.Parameter) -> typing.Union[A, B]:
        return parameter.annotation()


class Repository(Service):
    method = inject << http.Method
    user = inject << User
    limit = inject(default=10) << int

    def describe(self) -> dict:
        return {"method": self.method, "user": self.user.name, "limit": self.limit}


class ArticleService(Service):
    repo = inject << Repository

    def describe(self) -> dict:
        return {"repo": self.repo.describe()}


@route("/i")
class Injected(Controller):
    @get("/request")
    def request_parts(
        self,
        method: http.Method,
        url: http.URL,
        scheme: http.Scheme,
        host: http.Host,
        port: http.Port,
        path: http.Path,
        query_string: http.QueryString,
        query_params: http.QueryParams,
        headers: http.Headers,
        path_params: http.PathParams,
        app: App,
        scope: ASGIScope,
        settings: Settings,
    ) -> dict:
        return {
            "method": method,
            "url": url,
            "scheme": scheme,
            "host": host,
            "port": port,
            "path": path,
            "query_string": query_string,
            "query_params": dict(query_params),
            "x": headers.get("x-test"),
            "path_params": path_params,
            "app": app.name,
            "scope_type": scope["type"],
            "settings_key": settings.SECRET_KEY,
        }

    @post("/body")
    def body(self, body: http.Body, request: http.Request) -> dict:
        return {"body": body.decode(), "same": request.body == body, "method": request.method}

    @get("/query")
    def query(self, name: http.QueryParam, page: http.QueryParam = None) -> dict:
        return {"name": name, "page": page}

    @get("/header")
    def header(self, x_token: http.Header, x_other: http.Header = "none") -> dict:
        return {"x_token": x_token, "x_other": x_other}

    @get("/cookie")
    def cookie(self, sid: Cookie, all_cookies: typing.Dict[str, Cookie]) -> dict:  # noqa: UP006
        return {"sid": sid, "all": all_cookies}

    @post("/form")
    def form(self, title: FormParam, tag: FormParam = "none") -> dict:
        return {"title": title, "tag": tag}

    @post("/forms")
    def forms(self, url_form: UrlEncodeForm, multi: MultiPartForm, data: http.RequestData) -> dict:
        return {"same": url_form is multi is data, "keys": sorted(data.keys()) if data else None}

    @get("/primitives/{item}")
    def primitives(
        self, item: int, q: str, n: float, flag: bool, opt: int = 5, maybe: str = None
    ) -> dict:
        return {"item": item, "q": q, "n": n, "flag": flag, "opt": opt, "maybe": maybe}

    @get("/custom")
    async def custom(self, greeting: Greeting, user: User, a: A, b: B) -> dict:
        return {
            "greeting": greeting,
            "user": user.name,
            "a": type(a).__name__,
            "b": type(b).__name__,
        }

    @get("/service")
    async def service(self, service: ArticleService) -> dict:
        return service.describe()


@pytest.fixture
def app(make_app):
    return make_app(
        Injected, components=[GreetingComponent(), AsyncUserComponent(), EitherComponent]
    )


@pytest.fixture
def client(app, client_for):
    return client_for(app)


def test_request_parts(client):
    data = client.get("/i/request?a=1&a=2&b=", headers={"X-Test": "yes"}).json()
    assert data["method"] == "GET" and data["path"] == "/i/request"
    assert data["url"] == "http://testserver/i/request?a=1&a=2&b="
    assert data["query_string"] == "a=1&a=2&b=" and data["query_params"] == {"a": "1", "b": ""}
    assert data["x"] == "yes" and data["scheme"] == "http" and data["path_params"] == {}
    assert (
        data["app"] == "test"
        and data["scope_type"] == "http"
        and data["settings_key"] == "test-key"
    )


def test_body_and_request(client):
    assert client.post("/i/body", content=b"raw bytes").json() == {
        "body": "raw bytes",
        "same": True,
        "method": "POST",
    }


def test_strict_query_param(client):
    assert client.get("/i/query?name=tom&page=2").json() == {"name": "tom", "page": "2"}
    assert client.get("/i/query?name=tom").json() == {"name": "tom", "page": None}
    missing = client.get("/i/query")
    assert missing.status_code == 200
    assert missing.json() == {
        "type": "normal",
        "code": 999,
        "errcode": 999,
        "message": "Query Param: name not found!",
        "extra": None,
    }


def test_strict_header(client):
    assert client.get("/i/header", headers={"X-Token": "t"}).json() == {
        "x_token": "t",
        "x_other": "none",
    }
    assert client.get("/i/header").json()["message"] == "Header: x-token not found!"


def test_cookies(client):
    response = client.get("/i/cookie", headers={"Cookie": 'sid=abc; theme="dark"; other=1=2'})
    assert response.json() == {"sid": "abc", "all": {"sid": "abc", "theme": "dark", "other": "1=2"}}
    assert client.get("/i/cookie").json()["message"] == "Cookie: sid not found!"


def test_form_params_from_every_body_kind(client):
    assert client.post("/i/form", data={"title": "t", "tag": ["a", "b"]}).json() == {
        "title": "t",
        "tag": "a",
    }
    assert client.post("/i/form", json={"title": "j"}).json() == {"title": "j", "tag": "none"}
    multipart = client.post("/i/form", data={"title": "m"}, files={"upload": ("a.txt", b"x")})
    assert multipart.json() == {"title": "m", "tag": "none"}
    assert (
        client.post("/i/form", data={"x": "1"}).json()["message"] == "Form Param: title not found!"
    )


def test_whole_form_injectables(client):
    assert client.post("/i/forms", data={"b": "1", "a": "2"}).json() == {
        "same": True,
        "keys": ["a", "b"],
    }
    assert client.post("/i/forms").json() == {"same": True, "keys": None}


def test_primitives_are_coerced_with_api_star_messages(client):
    ok = client.get("/i/primitives/3?q=x&n=1.5&flag=on").json()
    assert ok == {"item": 3, "q": "x", "n": 1.5, "flag": True, "opt": 5, "maybe": None}
    assert client.get("/i/primitives/3?q=x&n=2&flag=false&opt=9&maybe=m").json()["opt"] == 9
    bad = client.get("/i/primitives/3?q=x&n=abc&flag=1")
    assert bad.status_code == 400
    assert bad.json() == {
        "type": "http",
        "code": 400,
        "errcode": 400,
        "message": {"n": "Must be a number."},
    }
    assert client.get("/i/primitives/3?q=x&n=1&flag=maybe").json()["message"] == {
        "flag": "Must be a valid boolean."
    }
    assert client.get("/i/primitives/3?q=&n=1&flag=1").json()["q"] == ""
    missing = client.get("/i/primitives/3?n=1&flag=1")
    assert missing.status_code == 404
    assert missing.json()["message"] == {"q": 'The "q" field is required.'}
    assert client.get("/i/primitives/3?q=x&n=1.0&flag=1&opt=2.0").status_code == 400  # as API Star


def test_custom_components_sync_async_parameter_and_union(client):
    data = client.get("/i/custom?name=ann", headers={"Authorization": "bob"}).json()
    assert data == {"greeting": "hi ann", "user": "bob", "a": "A", "b": "B"}


def test_services_get_request_scoped_values_per_injection(app, client):
    data = client.get("/i/service", headers={"Authorization": "carol"}).json()
    assert data == {"repo": {"method": "GET", "user": "carol", "limit": 10}}
    assert "method" not in vars(Repository) or isinstance(vars(Repository)["method"], object)


def test_services_do_not_race_between_concurrent_requests(app):
    import httpx

    async def main() -> list[dict]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            responses = await asyncio.gather(
                *(
                    client.get("/i/service", headers={"Authorization": f"user{i}"})
                    for i in range(50)
                )
            )
        return [r.json() for r in responses]

    results = asyncio.run(main())
    assert [r["repo"]["user"] for r in results] == [f"user{i}" for i in range(50)]


def test_injected_attributes_are_read_only_and_clear_when_missing():
    repo = Repository()
    with pytest.raises(AttributeError, match="not injected"):
        repo.method
    assert repo.limit == 10
    with pytest.raises(Readonly):
        repo.method = "x"
    assert Repository.resolve.__annotations__["return"] is Repository
    # the original's order: attributes without a default first, the last defined leading
    assert list(inspect.signature(Repository().resolve).parameters) == ["user", "method", "limit"]


def test_unresolvable_parameter_is_a_startup_error_naming_it(make_app):
    class Unknown:
        pass

    @route("/bad")
    class Bad(Controller):
        @get("/x")
        def x(self, thing: Unknown) -> None:
            return None

    with pytest.raises(ConfigurationError, match=r"parameter \"thing\" on function \".*Bad\.x\""):
        make_app(Bad)


def test_component_without_return_annotation_is_a_clear_error(make_app):
    class Sloppy(Component):
        def resolve(self):  # type: ignore[no-untyped-def]
            return 1

    @route("/s")
    class S(Controller):
        @get("/x")
        def x(self, value: A) -> None:
            return None

    with pytest.raises(ConfigurationError, match="Sloppy"):
        make_app(S, components=[Sloppy()])


def test_sync_handlers_run_off_the_event_loop(make_app, client_for):
    import threading

    @route("/t")
    class T(Controller):
        @get("/sync")
        def sync(self) -> dict:
            return {"thread": threading.current_thread().name}

        @get("/async")
        async def async_(self) -> dict:
            return {"thread": threading.current_thread().name}

    client = client_for(make_app(T))
    assert client.get("/t/sync").json()["thread"] != client.get("/t/async").json()["thread"]
