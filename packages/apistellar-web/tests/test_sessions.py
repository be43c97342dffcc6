import logging

import pytest
from apistar import http

from apistellar_session import SessionConfig, SignedCookieBackend
from apistellar_web import ConfigurationError, Controller, Session, get, route


@route("/s")
class SessionController(Controller):
    @get("/login")
    def login(self, user: str, session: Session) -> dict:
        session["user"] = user
        return {"ok": True}

    @get("/me")
    def me(self, session: Session) -> dict:
        return {"user": session.get("user")}

    @get("/logout")
    def logout(self, session: Session) -> dict:
        session.clear()
        return {}

    @get("/cookies")
    def cookies(self, session: Session) -> http.Response:
        session["x"] = 1
        response = http.JSONResponse({"ok": True})
        response.set_cookie("theme", "dark")
        response.set_cookie("lang", "en", httponly=True)
        return response


@route("/plain")
class PlainController(Controller):
    @get("/")
    def index(self) -> str:
        return "no session here"


def test_login_round_trip_with_flask_format(make_app, client_for):
    client = client_for(make_app(SessionController))
    login = client.get("/s/login?user=ann")
    cookie = login.headers["set-cookie"]
    assert cookie.endswith("; HttpOnly; Path=/; SameSite=Lax") and login.headers["vary"] == "Cookie"
    value = cookie.split(";")[0].split("=", 1)[1]
    backend = SignedCookieBackend(SessionConfig.from_options(secret_key="test-key"))
    assert backend.decode(value) == {"user": "ann"}
    assert client.get("/s/me").json() == {"user": "ann"}
    logout = client.get("/s/logout")
    assert logout.headers["set-cookie"].startswith(
        "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    )
    assert client.get("/s/me").json() == {"user": None}


def test_tampered_cookie_is_an_empty_session(make_app, client_for):
    client = client_for(make_app(SessionController))
    response = client.get("/s/me", headers={"Cookie": "session=eyJ1c2VyIjoiYWRtaW4ifQ.AAAA.BBBB"})
    assert response.status_code == 200 and response.json() == {"user": None}


def test_session_not_touched_means_no_cookie_and_no_vary(make_app, client_for):
    client = client_for(make_app(SessionController, PlainController))
    response = client.get("/plain/")
    assert "set-cookie" not in response.headers and "vary" not in response.headers
    assert client.get("/nope").status_code == 404


def test_several_set_cookie_headers(make_app, client_for):
    response = client_for(make_app(SessionController)).get("/s/cookies")
    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 3
    assert cookies[0].startswith("theme=dark") and cookies[1].startswith("lang=en")
    assert cookies[2].startswith("session=")


def test_missing_secret_key_is_a_startup_error_when_the_session_is_used(make_app):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        make_app(SessionController, settings="")


def test_missing_secret_key_is_fine_when_nothing_uses_the_session(make_app, client_for):
    client = client_for(make_app(PlainController, settings=""))
    assert client.get("/plain/").text == "no session here"


def test_debug_mode_uses_a_random_key_with_a_loud_warning(make_app, client_for, caplog):
    with caplog.at_level(logging.WARNING, logger="apistellar.session"):
        app = make_app(SessionController, settings="", debug=True)
    assert "SECRET_KEY is not set" in caplog.text
    client = client_for(app)
    client.get("/s/login?user=ann")
    assert client.get("/s/me").json() == {"user": "ann"}


def test_request_without_host_header_works(make_app):
    import asyncio

    app = make_app(SessionController, PlainController)
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/s/login",
        "query_string": b"user=x",
        "headers": [],
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 200
    assert any(k == b"set-cookie" and b"Domain" not in v for k, v in sent[0]["headers"])


def test_session_config_and_cookie_options_from_settings(make_app, client_for):
    settings = (
        "SECRET_KEY = 'k'\nSESSION_COOKIE_NAME = 'sid'\n"
        "SESSION_CONFIG = {'SESSION_COOKIE_SECURE': True, 'SESSION_COOKIE_SAMESITE': 'Lax'}\n"
    )
    client = client_for(make_app(SessionController, settings=settings))
    cookie = client.get("/s/login?user=a").headers["set-cookie"]
    assert cookie.startswith("sid=") and "; Secure;" in cookie and cookie.endswith("SameSite=Lax")


def test_server_side_store_from_settings(make_app, client_for):
    client = client_for(
        make_app(SessionController, settings="SECRET_KEY = 'k'\nSESSION_STORE = 'memory'\n")
    )
    cookie = client.get("/s/login?user=ann").headers["set-cookie"]
    assert "ann" not in cookie
    assert client.get("/s/me").json() == {"user": "ann"}


def test_bad_session_store_setting_is_a_startup_error(make_app):
    with pytest.raises(ConfigurationError, match="SESSION_STORE"):
        make_app(SessionController, settings="SECRET_KEY = 'k'\nSESSION_STORE = 'floppy'\n")
