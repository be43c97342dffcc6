"""SessionMiddleware around real ASGI apps, over real sockets where a user would use one."""

import asyncio
import json

import flask
import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from apistellar_session import MemoryStore, SessionConfigError, SessionMiddleware, get_session

SECRET = "shared-secret"


async def raw_app(scope, receive, send):
    """A bare ASGI callable that counts visits and sets a cookie of its own."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    session = get_session(scope)
    if scope["path"] == "/logout":
        session.clear()
    elif scope["path"] == "/count":
        session["visits"] = session.get("visits", 0) + 1
    body = json.dumps(dict(session.items())).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"set-cookie", b"theme=dark; Path=/"),
                (b"set-cookie", b"lang=en; Path=/"),
                (b"vary", b"Accept-Encoding"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def test_raw_asgi_app_over_uvicorn(serve_asgi):
    with (
        serve_asgi(SessionMiddleware(raw_app, secret_key=SECRET)) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        first = client.get("/count")
        assert first.json() == {"visits": 1}
        assert first.headers.get_list("set-cookie")[:2] == ["theme=dark; Path=/", "lang=en; Path=/"]
        assert len(first.headers.get_list("set-cookie")) == 3
        assert first.headers["vary"] == "Accept-Encoding, Cookie"
        assert client.get("/count").json() == {"visits": 2}
        assert client.get("/").json() == {"visits": 2}
        out = client.get("/logout")
        assert out.json() == {}
        assert any(
            c.startswith("session=; Expires=Thu, 01 Jan 1970")
            for c in out.headers.get_list("set-cookie")
        )
        assert client.get("/").json() == {}


def test_session_cookie_is_samesite_lax_by_default_over_a_real_socket(serve_asgi):
    """A cross-site fetch with credentials must not carry the session."""
    with (
        serve_asgi(SessionMiddleware(raw_app, secret_key=SECRET)) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        response = client.get("/count")
        (cookie,) = [c for c in response.headers.get_list("set-cookie") if c.startswith("session=")]
        attributes = [part.strip() for part in cookie.split(";")[1:]]
        assert attributes == ["HttpOnly", "Path=/", "SameSite=Lax"]
        assert client.cookies.get("session")  # a real client stored it and sends it back
        assert client.get("/count").json() == {"visits": 2}
        deleted = [c for c in client.get("/logout").headers.get_list("set-cookie")]
        assert any(c.startswith("session=;") and c.endswith("SameSite=Lax") for c in deleted)


def test_samesite_strict_or_none_from_configuration_over_a_real_socket(serve_asgi):
    app = SessionMiddleware(
        raw_app, secret_key=SECRET, session_cookie_samesite="Strict", session_cookie_secure=True
    )
    with serve_asgi(app) as server:
        response = httpx.get(f"{server.url}/count")
        (cookie,) = [c for c in response.headers.get_list("set-cookie") if c.startswith("session=")]
        assert cookie.endswith("; Secure; HttpOnly; Path=/; SameSite=Strict")
    with serve_asgi(
        SessionMiddleware(raw_app, secret_key=SECRET, session_cookie_samesite=False)
    ) as server:
        response = httpx.get(f"{server.url}/count")
        (cookie,) = [c for c in response.headers.get_list("set-cookie") if c.startswith("session=")]
        assert "samesite" not in cookie.lower()


@pytest.mark.parametrize(
    "stored",
    [
        pytest.param(b'{"c": 1, "d": "[1]"}', id="data-not-a-mapping"),
        pytest.param(b'{"c": "inf", "d": "{}"}', id="created-not-finite"),
        pytest.param(b"\xff not json", id="not-json"),
    ],
)
def test_a_corrupted_stored_session_is_an_empty_session_over_http(serve_asgi, stored):
    """Found by fuzzing: a stored record whose data was not a mapping escaped as a 500."""

    class RecordingStore(MemoryStore):
        def __init__(self) -> None:
            super().__init__()
            self.ids: list[str] = []

        async def set(self, sid: str, value: bytes, ttl: int) -> None:
            self.ids.append(sid)
            await super().set(sid, value, ttl)

    store = RecordingStore()
    app = SessionMiddleware(raw_app, secret_key=SECRET, store=store)
    with serve_asgi(app) as server, httpx.Client(base_url=server.url) as client:
        assert client.get("/count").json() == {"visits": 1}
        (sid,) = store.ids
        asyncio.run(store.set(sid, stored, 60))
        response = client.get("/")
        assert response.status_code == 200 and response.json() == {}
        assert asyncio.run(store.get(sid)) is None  # the bad record is deleted


def test_tampered_cookie_over_http_is_an_empty_session_not_a_500(serve_asgi):
    with serve_asgi(SessionMiddleware(raw_app, secret_key=SECRET)) as server:
        response = httpx.get(
            f"{server.url}/", headers={"Cookie": "session=eyJ1c2VyIjoiYWRtaW4ifQ.AAAA.BBBB"}
        )
        assert response.status_code == 200 and response.json() == {}


def starlette_app():
    async def login(request):
        request.scope["session"]["user"] = request.query_params["user"]
        return PlainTextResponse("ok")

    async def whoami(request):
        return JSONResponse({"user": request.scope["session"].get("user")})

    return SessionMiddleware(
        Starlette(routes=[Route("/login", login), Route("/whoami", whoami)]), secret_key=SECRET
    )


def flask_app():
    app = flask.Flask(__name__)
    app.config["SECRET_KEY"] = SECRET

    @app.get("/login")
    def login():
        flask.session["user"] = flask.request.args["user"]
        return "ok"

    @app.get("/whoami")
    def whoami():
        return {"user": flask.session.get("user")}

    return app


def test_starlette_and_flask_share_a_login_over_real_http(serve_asgi, serve_wsgi):
    with serve_asgi(starlette_app()) as star, serve_wsgi(flask_app()) as fl:
        with httpx.Client() as browser:
            assert browser.get(f"{star.url}/login", params={"user": "ann"}).text == "ok"
            assert browser.get(f"{fl.url}/whoami").json() == {"user": "ann"}
        with httpx.Client() as browser:
            assert browser.get(f"{fl.url}/login", params={"user": "bob"}).text == "ok"
            assert browser.get(f"{star.url}/whoami").json() == {"user": "bob"}


def test_missing_secret_key_fails_when_the_middleware_is_built():
    with pytest.raises(SessionConfigError, match="SECRET_KEY"):
        SessionMiddleware(raw_app)


async def call(app, scope, messages):
    sent = []
    queue = list(messages)

    async def receive():
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent


def test_lifespan_passes_through_untouched():
    seen = {}

    async def app(scope, receive, send):
        seen["scope"] = scope
        message = await receive()
        assert message["type"] == "lifespan.startup"
        await send({"type": "lifespan.startup.complete"})

    scope = {"type": "lifespan", "asgi": {"version": "3.0"}}
    sent = asyncio.run(
        call(SessionMiddleware(app, secret_key="k"), scope, [{"type": "lifespan.startup"}])
    )
    assert seen["scope"] is scope and "session" not in scope
    assert sent == [{"type": "lifespan.startup.complete"}]


def test_websocket_can_read_the_session_and_changes_ride_on_the_accept():
    middleware = SessionMiddleware(raw_app, secret_key="k")
    cookie = middleware.backend.encode({"user": "ann"})
    seen = {}

    async def ws_app(scope, receive, send):
        seen["user"] = scope["session"]["user"]
        scope["session"]["room"] = "lobby"
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "hi"})
        await send({"type": "websocket.close", "code": 1000})

    scope = {
        "type": "websocket",
        "path": "/ws",
        "headers": [(b"cookie", f"session={cookie}".encode())],
    }
    sent = asyncio.run(
        call(SessionMiddleware(ws_app, secret_key="k"), scope, [{"type": "websocket.connect"}])
    )
    assert seen["user"] == "ann"
    accept = sent[0]
    assert accept["type"] == "websocket.accept"
    (value,) = [v for k, v in accept["headers"] if k == b"set-cookie"]
    new_cookie = value.decode().split(";")[0].split("=", 1)[1]
    assert middleware.backend.decode(new_cookie) == {"user": "ann", "room": "lobby"}
    assert [m["type"] for m in sent[1:]] == ["websocket.send", "websocket.close"]


def test_get_session_without_middleware_is_a_clear_error():
    with pytest.raises(LookupError, match="SessionMiddleware"):
        get_session({"type": "http"})
