import pytest
from apistar import http
from apistar.exceptions import NoReverseMatch

from apistellar_config import SettingsMixin
from apistellar_web import (
    ConfigurationError,
    Controller,
    delete,
    get,
    head,
    options,
    patch,
    post,
    put,
    route,
)


@route("/user")
class UserController(Controller):
    @get("/")
    async def hello(self, name: http.QueryParam = "world") -> dict:
        return {"hello": name, "self": type(self).__name__}

    @get("/multi")
    @post("/multi")
    def multi(self, method: http.Method) -> dict:
        return {"method": method}

    @get()
    def default_url(self) -> str:
        return "default"

    @get("no-slash")
    def no_slash(self) -> str:
        return "added"

    @put("/item/{item_id}")
    def put_item(self, item_id: int) -> dict:
        return {"put": item_id}

    @delete("/item/{item_id}")
    def delete_item(self, item_id: int) -> dict:
        return {"deleted": item_id}

    @patch("/item/{item_id}")
    def patch_item(self, item_id: int) -> dict:
        return {"patched": item_id}

    @options("/item/{item_id}")
    def options_item(self, item_id: int) -> dict:
        return {"options": item_id}

    @head("/probe")
    def probe(self) -> str:
        return "not sent for HEAD"

    @get("/files/{+path}")
    def files(self, path: str) -> dict:
        return {"path": path}

    @get("/ratio/{value}")
    def ratio(self, value: float) -> dict:
        return {"value": value}


@route("/admin", name="adm")
class AdminController(UserController):
    @get()
    def panel(self) -> str:
        return "panel"


class Unrouted(AdminController):
    """Not decorated: contributes no prefix and no name segment."""

    @get("/deep")
    def deep(self) -> str:
        return "deep"


@route("/mixin", name="mixed")
class MixinController(Controller, SettingsMixin):
    @get("/me")
    def me(self) -> dict:
        return {"class": type(self).__name__, "has_settings": self.settings is not None}


@pytest.fixture
def client(make_app, client_for):
    return client_for(make_app(UserController, AdminController, Unrouted, MixinController))


def test_handler_gets_self_and_query(client):
    assert client.get("/user/?name=tom").json() == {"hello": "tom", "self": "UserController"}
    assert client.get("/user/").json()["hello"] == "world"


def test_self_works_with_mixins(client):
    """The original failed every request of a controller with a mixin (F18)."""
    assert client.get("/mixin/me").json() == {"class": "MixinController", "has_settings": True}


def test_several_decorators_give_several_routes(client, make_app):
    assert client.get("/user/multi").json() == {"method": "GET"}
    assert client.post("/user/multi").json() == {"method": "POST"}
    names = {r.name for r in make_app(UserController).routes}
    assert {"view:usercontroller:multi", "view:usercontroller:multi_get"} <= names


def test_default_url_and_missing_leading_slash(client):
    assert client.get("/user/default_url").text == "default"
    assert client.get("/user/no-slash").text == "added"


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("PUT", {"put": 3}),
        ("DELETE", {"deleted": 3}),
        ("PATCH", {"patched": 3}),
        ("OPTIONS", {"options": 3}),
    ],
)
def test_every_method_decorator(client, method, expected):
    assert client.request(method, "/user/item/3").json() == expected


def test_head_sends_headers_only(client):
    response = client.request("HEAD", "/user/probe")
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["content-length"]) == len("not sent for HEAD")
    assert client.request("HEAD", "/user/").status_code == 200


def test_path_converters(client):
    assert client.get("/user/files/a/b/c.txt").json() == {"path": "a/b/c.txt"}
    assert client.get("/user/ratio/1.5").json() == {"value": 1.5}
    assert (
        client.get(
            "/user/item/x",
        ).status_code
        == 405
        or client.get("/user/item/x").status_code == 404
    )
    response = client.request("PUT", "/user/item/notanint")
    assert response.status_code == 404


def test_nested_controllers_join_prefixes_and_names(client, make_app):
    assert client.get("/user/admin/panel").text == "panel"
    assert client.get("/user/admin/deep").text == "deep"
    app = make_app(UserController, AdminController, Unrouted)
    assert app.reverse_url("view:usercontroller:adm:panel") == "/user/admin/panel"
    assert app.reverse_url("view:usercontroller:adm:deep") == "/user/admin/deep"
    assert app.reverse_url("view:usercontroller:put_item", item_id=7) == "/user/item/7"


def test_inherited_handlers_are_not_registered_again(make_app):
    app = make_app(UserController, AdminController)
    urls = [r.url for r in app.routes]
    assert "/user/admin/" not in urls and urls.count("/user/") == 1


def test_reverse_url_unknown_name(make_app):
    with pytest.raises(NoReverseMatch):
        make_app(UserController).reverse_url("view:usercontroller:nope")


def test_unknown_path_and_method_answer_http_envelopes(client):
    missing = client.get("/nope")
    assert missing.status_code == 404
    assert missing.json() == {"type": "http", "code": 404, "errcode": 404, "message": "Not found"}
    wrong = client.post("/user/")
    assert wrong.status_code == 405
    assert wrong.json() == {
        "type": "http",
        "code": 405,
        "errcode": 405,
        "message": "Method not allowed",
    }
    # RFC 9110: a 405 says which methods the resource has (the original sent no Allow)
    assert wrong.headers["allow"] == "GET, HEAD"


def test_missing_trailing_slash_redirects(client):
    response = client.get("/user", follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == "/user/"
    assert response.json()["type"] == "http"
    query = client.get("/user?name=x", follow_redirects=False)
    assert query.headers["location"] == "/user/?name=x"


def test_duplicate_method_and_url_is_a_startup_error(make_app):
    @route("/dup")
    class Dup(Controller):
        @get("/x")
        def one(self) -> str:
            return "1"

        @get("/x", name="two")
        def two(self) -> str:
            return "2"

    with pytest.raises(ConfigurationError, match="Duplicate route GET /dup/x"):
        make_app(Dup)


def test_one_controller_instance_per_class(make_app, client_for):
    created = []

    @route("/count")
    class Counting(Controller):
        def __init__(self) -> None:
            created.append(self)

        @get("/a")
        def a(self) -> int:
            return id(self)

        @get("/b")
        def b(self) -> int:
            return id(self)

    client = client_for(make_app(Counting))
    assert client.get("/count/a").json() == client.get("/count/b").json()
    assert len(created) == 1


def test_module_level_functions_are_not_routes(make_app):
    @get("/loose")
    def loose() -> str:
        return "x"

    assert make_app().routes == []


def test_handlers_without_self_are_called_as_plain_functions(make_app, client_for):
    """F18: a handler written without ``self`` gets no controller instance as first argument."""

    @route("/plain")
    class Plain(Controller):
        @get("/path")
        async def where(path: http.Path) -> dict:  # noqa: N805 - the original allowed it
            return {"path": path}

        @get("/echo/{word}")
        def echo(word: str, times: int = 1) -> str:  # noqa: N805
            return word * times

        @get("/mine")
        def mine(self) -> str:
            return type(self).__name__

        @staticmethod
        @get("/static")
        def still_static(method: http.Method) -> str:
            return method

    client = client_for(make_app(Plain))
    assert client.get("/plain/path").json() == {"path": "/plain/path"}
    assert client.get("/plain/echo/ab", params={"times": 2}).text == "abab"
    assert client.get("/plain/mine").text == "Plain"
    assert client.get("/plain/static").text == "GET"


def test_the_self_rule():
    from apistellar_web._handler_params import bind_handler, own_parameters, takes_self

    class Holder:
        def with_self(self, message: str) -> None: ...

        def without(message: str, other: int) -> None: ...  # noqa: N805

        def named_otherwise(this, message: str) -> None: ...  # noqa: N805

    assert takes_self(Holder.with_self) and not takes_self(Holder.without)
    assert not takes_self(Holder.named_otherwise)
    assert [p.name for p in own_parameters(Holder.with_self)] == ["message"]
    assert [p.name for p in own_parameters(Holder.without)] == ["message", "other"]
    holder = Holder()
    assert bind_handler(holder, "without") is Holder.without
    assert bind_handler(holder, "with_self").__self__ is holder
