"""``ALLOWED_HOSTS``: a request naming a host the app does not own is refused before any code runs.

Threat: with ``Host`` trusted verbatim, a client-chosen name flows into absolute URLs,
reset links and cache keys (host-header injection, cache poisoning). Each refusal is
checked over a real socket, since the ``Host`` header is what the client sends.
"""

import asyncio
import socket

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from apistellar_web import Controller, Hook, get, route, websocket
from apistellar_web.exceptions import ConfigurationError
from apistellar_web.testing import LiveServer
from apistellar_web.trusted_hosts import AllowedHosts, allowed_hosts, request_host

seen: list[str] = []


@route("/hosts")
class HostsController(Controller):
    @get("/ping")
    def ping(self) -> str:
        seen.append("handler")
        return "pong"

    @websocket("/echo")
    async def echo(self, message: dict) -> str:
        return str(message.get("text"))


class CountingHook(Hook):
    def on_request(self) -> None:
        seen.append("hook")


@pytest.fixture
def guarded(make_app):
    app = make_app(
        HostsController,
        hooks=[CountingHook],
        settings="ALLOWED_HOSTS = ['127.0.0.1', 'App.Example', '.good.example', '::1']\n",
    )
    seen.clear()
    with LiveServer(app) as live:
        yield live


def _get(live: LiveServer, host: str | None) -> httpx.Response:
    headers = {"host": host} if host is not None else {}
    return httpx.get(f"{live.url}/hosts/ping", headers=headers, timeout=10)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "app.example",
        "APP.EXAMPLE:8443",
        "good.example",
        "api.good.example",
        "[::1]:80",
    ],
)
def test_listed_hosts_are_answered(guarded, host):
    response = _get(guarded, host)
    assert (response.status_code, response.text) == (200, "pong")
    assert seen == ["hook", "handler"]


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "app.example.evil",
        "notgood.example",
        "good.example.evil:80",
        "app.example:x",
    ],
)
def test_other_hosts_get_400_before_hooks_and_handlers(guarded, host):
    response = _get(guarded, host)
    assert response.status_code == 400
    assert response.json() == {
        "type": "http",
        "code": 400,
        "errcode": 400,
        "message": "Invalid host header.",
    }
    assert seen == []  # neither the on_request hook nor the handler ran


def test_a_request_without_host_is_refused(guarded):
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as sock:
        sock.sendall(b"GET /hosts/ping HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"Invalid host header." in answer
    assert seen == []


def test_websocket_handshakes_naming_another_host_are_refused(guarded):
    async def talk(host: str) -> str:
        # the URL names the host (the handshake's Host header); the socket goes to loopback
        url = f"ws://{host}:{guarded.port}/hosts/echo"
        async with connect(url, host="127.0.0.1", port=guarded.port) as ws:
            await ws.send("hi")
            return str(await ws.recv())

    assert asyncio.run(talk("app.example")) == "hi"
    with pytest.raises(InvalidStatus) as info:
        asyncio.run(talk("evil.example"))
    assert info.value.response.status_code == 403


def test_unset_every_host_is_answered_as_the_original_did(make_app):
    app = make_app(HostsController)
    with LiveServer(app) as live:
        response = _get(live, "anything.example")
    assert (response.status_code, response.text) == (200, "pong")


@pytest.mark.parametrize("value", [None, "", [], ["*"], "a.example, *"])
def test_unset_empty_or_star_turns_the_check_off(value):
    assert allowed_hosts(value) is None


@pytest.mark.parametrize("value", [3, [1, "a"], {"a": 1}])
def test_malformed_settings_fail_at_start_up(make_app, value):
    with pytest.raises(ConfigurationError, match="ALLOWED_HOSTS"):
        make_app(HostsController, settings=f"ALLOWED_HOSTS = {value!r}\n")


def test_a_comma_separated_string_is_a_list_as_env_overrides_write_it():
    hosts = allowed_hosts(" a.example , *.b.example ")
    assert isinstance(hosts, AllowedHosts)
    assert hosts.allows("a.example") and hosts.allows("b.example") and hosts.allows("x.b.example")
    assert not hosts.allows("xa.example") and not hosts.allows("b.example.c")
    assert not hosts.allows(None) and not hosts.allows("")


@pytest.mark.parametrize(
    ("header", "host"),
    [
        (b"Example.COM", "example.com"),
        (b"example.com:8000", "example.com"),
        (b"example.com.", "example.com"),
        (b"[::1]:8000", "::1"),
        (b"[::1]", "::1"),
        (b"[::1", None),
        (b"[::1]x", None),
        (b"example.com:http", None),
        (b"", None),
    ],
)
def test_request_host_reads_the_header_without_port(header, host):
    assert request_host({"headers": [(b"host", header)]}) == host


def test_request_host_is_none_without_a_header():
    assert request_host({"headers": [(b"accept", b"*/*")]}) is None
