"""``apistellar serve`` (issue 11; the original's Quick-Start.md ran ``python web_app.py``
or gunicorn with uvicorn workers): the project served over a real socket by uvicorn,
one process, ``--workers 2`` and ``--reload``, as subprocesses."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from apistellar_web.testing import free_port, wait_for_port

BIN = Path(sys.executable).parent

CONTROLLER = """
    import os

    from apistellar import Controller, route, get, websocket


    @route("/info")
    class InfoController(Controller):

        @get("/pid")
        def pid(self):
            return {"pid": os.getpid(), "version": 1}

        @websocket("/size")
        async def size(message):
            return str(len(message.get("text") or message.get("bytes") or ""))
"""


@contextmanager
def serving(project: Path, *args: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``apistellar serve --port P *args`` in ``project``: (process, base URL) once listening."""
    port = free_port()
    log = project.parent / f".serve-{port}.log"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(BIN / "apistellar"),
                "serve",
                "--port",
                str(port),
                "--log-level",
                "warning",
                *args,
            ],
            cwd=project,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    try:
        try:
            wait_for_port(port, process, timeout=60)
        except RuntimeError:
            pytest.fail(f"apistellar serve did not start:\n{log.read_text(errors='replace')}")
        yield process, f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the group this test started
            process.wait(10)


@pytest.fixture(scope="module")
def blog(migration, tmp_path_factory):
    """A project in the original layout with a large websocket message cap (32 MiB)."""
    return migration.write_project(
        tmp_path_factory.mktemp("serve"),
        "blog",
        {
            "settings.py": "WEBSOCKET_MAX_MESSAGE_SIZE = 32 * 1024 * 1024\n",
            "blog/info/controller.py": CONTROLLER,
        },
    )


def _pid(url: str) -> int:
    # A new connection per request, so the kernel may hand it to any worker.
    with httpx.Client(timeout=10) as client:
        value: int = client.get(f"{url}/info/pid").json()["pid"]
        return value


def test_serve_in_one_process(blog):
    """``apistellar serve`` in the project folder serves web_app's app in its own process."""
    with serving(blog) as (process, url):
        assert _pid(url) == process.pid


def test_two_workers_answer_from_two_processes(blog):
    """``--workers 2``: uvicorn's own multiprocess mode; two serving PIDs answer, neither
    the supervisor's (bounded retries: connections are spread by the kernel)."""
    with serving(blog, "--workers", "2") as (process, url):
        seen: set[int] = set()
        deadline = time.monotonic() + 60
        while len(seen) < 2 and time.monotonic() < deadline:
            for _ in range(20):
                try:
                    seen.add(_pid(url))
                except httpx.TransportError:  # a worker still starting
                    time.sleep(0.1)
            if len(seen) < 2:
                time.sleep(0.2)
        assert len(seen) == 2, seen
        assert process.pid not in seen


def test_websocket_messages_follow_the_apps_setting(blog):
    """Issue 14, item 9: uvicorn's ``ws_max_size`` comes from WEBSOCKET_MAX_MESSAGE_SIZE:
    a 17 MiB message passes (uvicorn's own default, 16 MiB, would close the socket)."""
    big = "x" * (17 * 1024 * 1024)
    with serving(blog) as (_, url):
        with connect(url.replace("http", "ws") + "/info/size", max_size=None) as socket:
            socket.send(big)
            assert socket.recv(timeout=60) == str(len(big))


def test_reload_serves_the_edited_code(blog, tmp_path):
    """``--reload``: uvicorn's reloader restarts on a change in the project folder."""
    with serving(blog, "--reload") as (_, url):
        assert httpx.get(f"{url}/info/pid", timeout=10).json()["version"] == 1
        controller = blog / "blog" / "info" / "controller.py"
        source = controller.read_text()
        try:
            controller.write_text(source.replace('"version": 1', '"version": 2'))
            deadline = time.monotonic() + 60  # a loaded machine restarts slowly
            version = 1
            while version != 2 and time.monotonic() < deadline:
                time.sleep(0.3)
                try:
                    version = httpx.get(f"{url}/info/pid", timeout=5).json()["version"]
                except httpx.TransportError:  # restarting
                    continue
            assert version == 2
        finally:
            controller.write_text(source)


def test_the_scaffolded_readme_command(migration, tmp_path):
    """The generated README: ``cd src/<name> && apistellar serve`` boots the new project."""
    assert migration.run_command("apistar-create", "project", "shop", cwd=tmp_path).returncode == 0
    readme = (tmp_path / "shop" / "README.md").read_text()
    assert "cd src/shop" in readme and "apistellar serve" in readme
    with serving(tmp_path / "shop" / "src" / "shop") as (_, url):
        answer = httpx.get(f"{url}/nothing-here", timeout=10)
        assert answer.json()["code"] == 404


def test_an_explicit_app(migration, tmp_path):
    """``--app module:attribute`` serves another module's app from the folder."""
    project = migration.write_project(tmp_path, "api", {"api/info/controller.py": CONTROLLER})
    (project / "web_app.py").rename(project / "web_app_impl.py")
    (project / "asgi.py").write_text("from web_app_impl import app as application\n")
    with serving(project, "--app", "asgi:application") as (process, url):
        assert _pid(url) == process.pid


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "No apistellar project in"),
        ({"web_app.py": "app = undefined_name\n"}, "NameError: name 'undefined_name'"),
        ({"web_app.py": "application = None\n"}, "'web_app' has no 'app'"),
    ],
)
def test_no_app_is_a_clear_error(migration, tmp_path, files, message):
    """No project, or a broken web_app.py: a one-line error, a non-zero status, no
    traceback, and no server."""
    migration.write_tree(tmp_path, files)
    result = migration.run_command("apistellar", "serve", "--port", str(free_port()), cwd=tmp_path)
    assert result.returncode != 0 and message in result.stderr
    assert "Traceback" not in result.stderr
