import asyncio

import pytest

from apistellar_web import Controller, Session, coroutinelocal, get, route
from apistellar_web.locals import Local


def test_item_attribute_and_get_access():
    local = Local()
    local["a"] = 1
    local.b = 2
    local.set("c", 3)
    assert (local["a"], local.b, local.get("c"), local.get("zz", 9)) == (1, 2, 3, 9)
    with pytest.raises(KeyError, match="zz not found!"):
        local["zz"]
    with pytest.raises(AttributeError):
        local.zz
    local.clear()
    assert "a" not in local
    # the original's clear() left known names as None: they read so, unknown ones fail
    assert (local["a"], local.b) == (None, None)
    with pytest.raises(KeyError):
        local["never"]


def test_values_flow_to_children_but_not_back():
    local = Local()

    async def child() -> tuple:
        seen = local.get("who")
        local["who"] = "child"
        return seen, local["who"]

    async def parent() -> tuple:
        local["who"] = "parent"
        result = await asyncio.create_task(child())
        return result, local["who"]

    assert asyncio.run(parent()) == (("parent", "child"), "parent")


def test_concurrent_requests_see_their_own_values():
    local = Local()

    async def request(name: str) -> list:
        local["user"] = name
        seen = []
        for _ in range(3):
            await asyncio.sleep(0)
            seen.append(local["user"])
        return seen

    async def main() -> list:
        return await asyncio.gather(*(request(f"u{i}") for i in range(5)))

    assert asyncio.run(main()) == [[f"u{i}"] * 3 for i in range(5)]


@route("/l")
class LocalController(Controller):
    @get("/")
    async def index(self, session: Session) -> dict:
        session["n"] = 1
        return {
            "scope_type": coroutinelocal["scope"]["type"],
            "session": dict(coroutinelocal.session),
        }


def test_local_variable_is_filled_per_request_and_cleared(make_app, client_for):
    settings = "SECRET_KEY = 'k'\nLOCAL_VARIABLE = {'session': 'apistellar_session.Session'}\n"
    client = client_for(make_app(LocalController, settings=settings))
    assert client.get("/l/").json() == {"scope_type": "http", "session": {"n": 1}}
    assert "scope" not in coroutinelocal


def test_bad_local_variable_is_a_startup_error(make_app):
    from apistellar_web import ConfigurationError

    with pytest.raises(ConfigurationError, match="LOCAL_VARIABLE"):
        make_app(
            LocalController, settings="SECRET_KEY = 'k'\nLOCAL_VARIABLE = {'x': 'no.such.Type'}\n"
        )
