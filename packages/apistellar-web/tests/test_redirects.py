"""Trailing-slash redirects over a real socket: 302 for GET/HEAD as the original, 307 for
the other methods so a client following it repeats the method with the body."""

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from apistar import http

from apistellar_web import Application, Controller, delete, get, post, put, route
from apistellar_web.exceptions import Found, TemporaryRedirect
from apistellar_web.testing import LiveServer


@route("/items")
class ItemController(Controller):
    @get("/")
    def listing(self) -> dict:
        return {"method": "GET"}

    @post("/")
    def create(self, body: http.RequestData, query: http.QueryParams) -> dict:
        return {"method": "POST", "body": body, "query": dict(query)}

    @put("/")
    def replace(self, body: http.RequestData) -> dict:
        return {"method": "PUT", "body": body}

    @delete("/")
    def remove(self) -> dict:
        return {"method": "DELETE"}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root: Path = tmp_path_factory.mktemp("redirects")
    (root / "settings.py").write_text("SECRET_KEY = 'k'\n")
    app = Application("redirects", current_dir=root, controllers=[ItemController], discover=False)
    with LiveServer(app) as server:
        yield server


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_get_and_head_keep_the_originals_302(live, method):
    response = httpx.request(method, f"{live.url}/items?page=2", timeout=10)
    assert response.status_code == 302
    assert response.headers["location"] == "/items/?page=2"
    if method == "GET":
        assert response.json() == {"type": "http", "code": 302, "errcode": 302, "message": "Found"}


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_other_methods_get_a_307(live, method):
    response = httpx.request(method, f"{live.url}/items?page=2", json={"a": 1}, timeout=10)
    assert response.status_code == 307
    assert response.headers["location"] == "/items/?page=2"
    assert response.json() == {
        "type": "http",
        "code": 307,
        "errcode": 307,
        "message": "Temporary Redirect",
    }


def test_a_followed_json_post_reaches_the_handler_with_its_body(live):
    with httpx.Client(base_url=live.url, follow_redirects=True, timeout=10) as client:
        response = client.post("/items?tag=x", json={"title": "hello", "n": [1, 2]})
    assert [r.status_code for r in response.history] == [307]
    assert response.status_code == 200
    assert response.json() == {
        "method": "POST",
        "body": {"title": "hello", "n": [1, 2]},
        "query": {"tag": "x"},
    }


def test_a_followed_put_keeps_its_method_and_body(live):
    with httpx.Client(base_url=live.url, follow_redirects=True, timeout=10) as client:
        response = client.put("/items", json={"v": 2})
    assert response.json() == {"method": "PUT", "body": {"v": 2}}


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_following_redirects_posts_its_data_to_the_handler(live):
    """``curl -L --data`` turns a followed 302 into a GET; a 307 keeps the POST."""
    result = subprocess.run(
        [
            "curl",
            "-sS",
            "-L",
            "-H",
            "Content-Type: application/json",
            "--data",
            '{"from": "curl"}',
            f"{live.url}/items",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"method": "POST", "body": {"from": "curl"}, "query": {}}


def test_the_307_is_a_found_for_existing_except_clauses():
    redirect = TemporaryRedirect("/x/")
    assert isinstance(redirect, Found)
    assert redirect.status_code == 307 and redirect.get_headers() == {"Location": "/x/"}
