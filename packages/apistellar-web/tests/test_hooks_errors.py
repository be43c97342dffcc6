import logging

import pytest
from apistar import http
from apistar.exceptions import BadRequest

from apistellar_web import Controller, ErrorHook, Hook, Return, Session, get, route

calls: list[str] = []


class First(Hook):
    order = 1

    def on_request(self, path: http.Path) -> None:
        calls.append(f"first.request {path}")

    def on_response(self, response: http.Response) -> None:
        calls.append("first.response")
        response.headers["X-Hook"] = "1"

    def on_error(self, error: Exception) -> None:
        calls.append(f"first.error {type(error).__name__}")


class Second(Hook):
    order = 2

    def on_request(self, query: http.QueryParams) -> None:
        calls.append("second.request")
        if query.get("block"):
            raise Return({"blocked": True})

    def on_response(self, response: http.Response) -> None:
        calls.append("second.response")


@route("/h")
class HookedController(Controller):
    @get("/ok")
    def ok(self) -> dict:
        calls.append("handler")
        return {"ok": True}

    @get("/assert/{shape}")
    def failing(self, shape: str) -> None:
        shapes = {
            "tuple": (123, "msg", {"e": 1}),
            "int": 456,
            "registered": 777,
            "str": "plain message",
            "message-extra": ("msg", {"x": 1}),
            "list": [321, "from list"],
            "dict": {"field": "bad"},
        }
        # what ``assert False, shapes[shape]`` raises outside pytest's assertion rewriting
        raise AssertionError(shapes[shape])

    @get("/bare")
    def bare(self) -> None:
        raise RuntimeError

    @get("/http")
    def http_error(self) -> None:
        raise BadRequest({"field": "wrong"})

    @get("/return")
    def returning(self, session: Session) -> None:
        session["seen"] = "return"
        raise Return("<b>short</b>")

    @get("/session-then-fail")
    def session_then_fail(self, session: Session) -> None:
        session["saved"] = "despite error"
        raise AssertionError((500, "boom"))


@pytest.fixture(autouse=True)
def _clear_calls():
    calls.clear()
    yield


@pytest.fixture
def client(make_app, client_for):
    return client_for(make_app(HookedController, hooks=[Second, First]))


def test_hook_order_on_the_normal_path(client):
    response = client.get("/h/ok")
    assert response.json() == {"ok": True} and response.headers["x-hook"] == "1"
    assert calls == [
        "first.request /h/ok",
        "second.request",
        "handler",
        "second.response",
        "first.response",
    ]


def test_return_from_on_request_short_circuits_and_response_hooks_still_run(client):
    response = client.get("/h/ok?block=1")
    assert response.status_code == 200 and response.json() == {"blocked": True}
    assert "handler" not in calls
    assert response.headers["x-hook"] == "1"
    assert "first.error Return" in calls


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ("tuple", {"code": 123, "errcode": 123, "message": "msg", "extra": {"e": 1}}),
        ("int", {"code": 456, "errcode": 456, "message": "Not configured error", "extra": None}),
        ("registered", {"code": 777, "errcode": 777, "message": "Registered text", "extra": None}),
        ("str", {"code": 999, "errcode": 999, "message": "plain message", "extra": None}),
        ("message-extra", {"code": 999, "errcode": 999, "message": "msg", "extra": {"x": 1}}),
        ("list", {"code": 321, "errcode": 321, "message": "from list", "extra": None}),
        ("dict", {"code": 999, "errcode": 999, "message": {"field": "bad"}, "extra": None}),
    ],
)
def test_error_envelope_for_every_assert_shape(client, shape, expected):
    ErrorHook.register({777: "Registered text"})
    response = client.get(f"/h/assert/{shape}")
    assert response.status_code == 200
    assert response.json() == {"type": "normal", **expected}
    assert response.headers["x-hook"] == "1", "on_response hooks run on the error path"
    assert "first.error AssertionError" in calls


def test_bare_exception_is_unknown_error(client):
    assert client.get("/h/bare").json() == {
        "type": "normal",
        "code": 999,
        "errcode": 999,
        "message": "Unknown error",
        "extra": None,
    }


def test_http_exceptions_keep_their_status_and_skip_on_error(client):
    response = client.get("/h/http")
    assert response.status_code == 400
    assert response.json() == {
        "type": "http",
        "code": 400,
        "errcode": 400,
        "message": {"field": "wrong"},
    }
    assert not any(c.startswith("first.error") for c in calls)
    assert response.headers["x-hook"] == "1"


def test_no_traceback_unless_debug(make_app, client_for):
    quiet = client_for(make_app(HookedController)).get("/h/bare").json()
    assert "detail" not in quiet
    loud_app = make_app(HookedController, debug=True)
    loud = client_for(loud_app).get("/h/bare").json()
    assert "Traceback" in loud["detail"] and "RuntimeError" in loud["detail"]
    assert "detail" in client_for(loud_app).get("/nope").json()
    loud_app.debug = False
    assert "detail" not in client_for(loud_app).get("/h/bare").json()


def test_application_error_status_is_a_setting(make_app, client_for):
    app = make_app(HookedController, settings="SECRET_KEY = 'k'\nAPP_ERROR_STATUS = 500\n")
    response = client_for(app).get("/h/assert/tuple")
    assert response.status_code == 500 and response.json()["code"] == 123


def test_session_is_saved_on_error_and_return_paths(client):
    failed = client.get("/h/session-then-fail")
    assert failed.json()["message"] == "boom"
    assert "session=" in failed.headers["set-cookie"]
    returned = client.get("/h/return")
    assert returned.text == "<b>short</b>" and returned.headers["content-type"].startswith(
        "text/html"
    )
    assert "session=" in returned.headers["set-cookie"]


def test_hook_that_raises_gives_the_error_envelope(make_app, client_for):
    class Broken(Hook):
        def on_response(self, response: http.Response) -> None:
            raise ValueError((418, "teapot hook"))

    response = client_for(make_app(HookedController, hooks=[Broken])).get("/h/ok")
    assert response.json()["code"] == 418


def test_on_error_hook_can_replace_the_response(make_app, client_for):
    class Custom(Hook):
        def on_error(self, error: Exception) -> http.Response:
            return http.JSONResponse({"custom": str(error)}, status_code=503)

    response = client_for(make_app(HookedController, hooks=[Custom])).get("/h/bare")
    assert response.status_code == 503 and response.json() == {"custom": ""}


def test_errors_are_logged_once_without_handler_pile_up(make_app, client_for, caplog):
    before = list(logging.getLogger("apistellar.errors").handlers)
    make_app(HookedController)
    make_app(HookedController)
    assert logging.getLogger("apistellar.errors").handlers == before
    with caplog.at_level(logging.INFO, logger="apistellar.errors"):
        client_for(make_app(HookedController)).get("/h/assert/tuple")
    records = [r for r in caplog.records if r.name == "apistellar.errors"]
    assert len(records) == 1 and "msg" in records[0].getMessage()


def test_bare_return_call_stops_a_guard_hook_and_the_handler_never_runs(make_app, client_for):
    """The original's ``Return`` was a function that raised: ``Return(v)`` alone must stop."""
    effects: list[str] = []

    class Guard(Hook):
        def on_request(self, query: http.QueryParams) -> None:
            if not query.get("token"):
                Return({"code": 401, "message": "login first"})
                effects.append("guard went on")

    @route("/guarded")
    class Guarded(Controller):
        @get("/delete")
        def delete_everything(self) -> str:
            effects.append("deleted")
            return "deleted"

    client = client_for(make_app(Guarded, hooks=[Guard]))
    refused = client.get("/guarded/delete")
    assert refused.json() == {"code": 401, "message": "login first"}
    assert effects == []
    assert client.get("/guarded/delete", params={"token": "t"}).text == "deleted"
    assert effects == ["deleted"]


def test_return_is_still_an_exception_class():
    with pytest.raises(Return) as caught:
        Return("value")
    assert caught.value.value == "value" and isinstance(caught.value, Exception)
    try:
        raise Return([1, 2])
    except Return as short_cut:
        assert short_cut.response.content == b"[1,2]"
        import copy
        import pickle

        for rebuilt in (copy.copy(short_cut), pickle.loads(pickle.dumps(short_cut))):
            assert type(rebuilt) is Return and rebuilt.value == [1, 2]


def test_bare_return_in_a_handler_a_component_and_on_response(make_app, client_for):
    from apistellar_web import Component

    effects: list[str] = []

    class Token(str):
        pass

    class TokenComponent(Component):
        def resolve(self, query: http.QueryParams) -> Token:
            if query.get("deny"):
                Return("denied by component")
            return Token(query.get("token", "none"))

    class Rewrite(Hook):
        def on_response(self, query: http.QueryParams) -> None:
            if query.get("rewrite"):
                Return({"rewritten": True})

        def on_error(self, error: Exception) -> None:
            if isinstance(error, ZeroDivisionError):
                Return("handled in on_error")

    @route("/r")
    class Returns(Controller):
        @get("/handler")
        def handler(self) -> str:
            Return("early")
            effects.append("after Return")
            return "late"

        @get("/divide")
        def divide(self) -> float:
            return 1 / 0

        @get("/token")
        def token(self, token: Token) -> str:
            effects.append("token handler")
            return str(token)

    client = client_for(make_app(Returns, hooks=[Rewrite], components=[TokenComponent]))
    assert client.get("/r/handler").text == "early"
    assert client.get("/r/token", params={"deny": "1"}).text == "denied by component"
    assert effects == []
    assert client.get("/r/token", params={"token": "abc"}).text == "abc"
    assert client.get("/r/handler", params={"rewrite": "1"}).json() == {"rewritten": True}
    assert client.get("/r/divide").text == "handled in on_error"
