"""The example project, as a migrating user runs it: uvicorn and gunicorn, real sockets."""

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from apistellar_web.testing import LiveServer, free_port, wait_for_port

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "blog"


@pytest.fixture(scope="module")
def example_server():
    if not (EXAMPLE / "web_app.py").is_file():
        pytest.skip("the example project is not next to this checkout (installed package tests)")
    sys.path.insert(0, str(EXAMPLE))
    for name in [n for n in sys.modules if n == "blog" or n.startswith("blog.")]:
        del sys.modules[name]
    try:
        import web_app  # the example's own module, as uvicorn web_app:app would import it

        with LiveServer(web_app.app) as server:
            yield server
    finally:
        sys.path.remove(str(EXAMPLE))
        sys.modules.pop("web_app", None)


def test_example_project_over_uvicorn(example_server):
    base = example_server.url
    with httpx.Client(base_url=base) as browser:
        assert browser.get("/").status_code == 200
        created = browser.post("/api/articles/", json={"title": "Hello", "tags": ["a"]}).json()
        assert created["title"] == "Hello" and created["author"] is None
        assert browser.get(f"/api/articles/{created['id']}").json() == created
        assert browser.post("/api/articles/", json={"title": 5}).status_code == 400
        assert browser.get("/api/articles/9999").json()["code"] == 404
        assert browser.get("/account/whoami").json()["code"] == 401
        assert browser.get("/account/login?user=ann").json() == {"logged_in": "ann"}
        assert browser.get("/account/whoami").json() == {"user": "ann"}
        page = browser.get("/")
        assert "Hello" in page.text and "/static/style.css" in page.text
        assert "x-elapsed-ms" in page.headers
        assert browser.get("/static/style.css").status_code == 200
        assert browser.get("/nope").json() == {
            "type": "http",
            "code": 404,
            "errcode": 404,
            "message": "Not found",
        }


def test_served_by_gunicorn_with_uvicorn_workers(tmp_path):
    if shutil.which("gunicorn") is None and not Path(sys.executable).with_name("gunicorn").exists():
        pytest.skip("gunicorn is not installed")
    if not (EXAMPLE / "web_app.py").is_file():
        pytest.skip("the example project is not next to this checkout")
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                gunicorn,
                "-w",
                "1",
                "-k",
                "uvicorn_worker.UvicornWorker",
                "-b",
                f"127.0.0.1:{port}",
                "web_app:app",
            ],
            cwd=EXAMPLE,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        try:
            wait_for_port(port, process)
        except RuntimeError as error:
            pytest.fail(f"gunicorn did not serve the example ({error}):\n{log.read_text()}")
        response = httpx.get(f"http://127.0.0.1:{port}/api/articles/")
        assert response.status_code == 200 and response.json() == []
    finally:
        process.terminate()
        process.wait(15)
