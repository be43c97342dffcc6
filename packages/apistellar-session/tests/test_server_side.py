"""Server-side sessions: the cookie carries a signed id; data and expiry live in the store."""

import asyncio

import httpx
import pytest
from redis.asyncio import Redis

from apistellar_session import (
    MemoryStore,
    ServerSideBackend,
    SessionConfig,
    SessionMiddleware,
    SessionStoreError,
    get_session,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "redis"])
def store_kind(request):
    return request.param


@pytest.fixture
def loop():
    """One event loop per test, so Redis connections live and close on the same loop."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def env(store_kind, request, loop):
    from apistellar_session import RedisStore

    clock = Clock()
    if store_kind == "memory":
        store = MemoryStore(clock=clock)
    else:
        store = RedisStore(
            Redis.from_url(request.getfixturevalue("redis_url")), prefix=f"t{id(clock)}:"
        )
    config = SessionConfig.from_options(secret_key="k", SECRET_KEY_FALLBACKS=["old"])
    backend = ServerSideBackend(config, store, idle_timeout=60, absolute_timeout=600, clock=clock)
    yield backend, store, loop.run_until_complete
    if store_kind == "redis":
        loop.run_until_complete(store.close())


def cookie_of(result):
    (header,) = result.set_cookie
    return header.split(";")[0]


def test_data_stays_server_side_and_round_trips(env):
    backend, store, run = env

    async def scenario():
        session = await backend.load(None)
        assert session.new
        session["user"] = "ann"
        session["blob"] = b"\x00" * 10_000  # far beyond what a cookie could carry
        cookie = cookie_of(await backend.save(session))
        assert len(cookie) < 200 and "ann" not in cookie
        again = await backend.load(cookie)
        assert not again.new and again["user"] == "ann" and again.sid == session.sid
        return cookie

    run(scenario())


def test_forged_or_unknown_ids_give_empty_sessions(env):
    backend, _, run = env

    async def scenario():
        assert (await backend.load("session=made-up-id")).new
        signed = backend._signer.sign("never-stored").decode()
        assert (await backend.load(f"session={signed}")).new

    run(scenario())


def test_logout_revokes_the_session_in_the_store(env):
    backend, store, run = env

    async def scenario():
        session = await backend.load(None)
        session["user"] = "ann"
        cookie = cookie_of(await backend.save(session))
        sid = session.sid
        loaded = await backend.load(cookie)
        loaded.clear()
        result = await backend.save(loaded)
        assert result.set_cookie[0].startswith("session=; Expires=Thu, 01 Jan 1970")
        assert await store.get(sid) is None
        assert (await backend.load(cookie)).new  # a stolen copy of the cookie is dead too

    run(scenario())


def test_regenerate_moves_data_to_a_new_id_and_kills_the_old(env):
    backend, store, run = env

    async def scenario():
        session = await backend.load(None)
        session["cart"] = [1]
        old_cookie = cookie_of(await backend.save(session))
        old_sid = session.sid
        loaded = await backend.load(old_cookie)
        loaded["user"] = "ann"
        loaded.regenerate()
        new_cookie = cookie_of(await backend.save(loaded))
        assert loaded.sid != old_sid and new_cookie != old_cookie
        assert await store.get(old_sid) is None
        assert (await backend.load(old_cookie)).new
        assert dict((await backend.load(new_cookie)).items()) == {"cart": [1], "user": "ann"}

    run(scenario())


def test_idle_and_absolute_expiry():
    clock = Clock()
    store = MemoryStore(clock=clock)
    config = SessionConfig.from_options(secret_key="k")
    backend = ServerSideBackend(config, store, idle_timeout=60, absolute_timeout=300, clock=clock)

    async def scenario():
        session = await backend.load(None)
        session["u"] = 1
        cookie = cookie_of(await backend.save(session))
        for _ in range(4):  # used every 50 s: idle never reached
            clock.now += 50
            used = await backend.load(cookie)
            assert not used.new
            await backend.save(used)
        clock.now += 61  # idle
        assert (await backend.load(cookie)).new
        session = await backend.load(None)
        session["u"] = 2
        cookie = cookie_of(await backend.save(session))
        for _ in range(6):
            clock.now += 55
            used = await backend.load(cookie)
            if used.new:
                break
            await backend.save(used)
        assert clock.now - 1_000_000.0 > 300 and used.new  # absolute limit reached despite use

    asyncio.run(scenario())


def test_redis_entries_carry_the_idle_ttl(redis_url):
    from apistellar_session import RedisStore

    async def scenario():
        client = Redis.from_url(redis_url)
        store = RedisStore(client, prefix="ttl:")
        backend = ServerSideBackend(
            SessionConfig.from_options(secret_key="k"), store, idle_timeout=120
        )
        session = await backend.load(None)
        session["u"] = 1
        await backend.save(session)
        ttl = await client.ttl(f"ttl:{session.sid}")
        await store.close()
        return ttl

    assert 100 < asyncio.run(scenario()) <= 120


def test_redis_down_is_a_clear_store_error():
    from apistellar_session import RedisStore

    async def scenario():
        store = RedisStore("redis://127.0.0.1:1/0")
        with pytest.raises(SessionStoreError, match="GET"):
            await store.get("x")
        await store.close()

    asyncio.run(scenario())


def test_memory_store_is_bounded():
    async def scenario():
        store = MemoryStore(max_entries=3)
        for index in range(10):
            await store.set(str(index), b"x", 60)
        return len(store)

    assert asyncio.run(scenario()) <= 3


def test_server_side_middleware_over_uvicorn(serve_asgi, redis_url):
    from apistellar_session import RedisStore

    store = RedisStore(redis_url, prefix="mw:")

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await store.close()  # the client belongs to the server's event loop
            await send({"type": "lifespan.shutdown.complete"})
            return
        session = get_session(scope)
        if scope["path"] == "/login":
            session["user"] = "ann"
            session.regenerate()
        elif scope["path"] == "/logout":
            session.clear()
        body = str(session.get("user")).encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    with (
        serve_asgi(SessionMiddleware(app, secret_key="k", store=store)) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        assert client.get("/").text == "None"
        assert client.get("/login").text == "ann"
        assert client.get("/").text == "ann"
        stolen = client.cookies["session"]
        assert client.get("/logout").text == "None"
        assert httpx.get(f"{server.url}/", cookies={"session": stolen}).text == "None"
