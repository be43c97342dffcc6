"""The example project, as a user runs it: uvicorn and gunicorn, real sockets, real databases.

* its own key: the shipped demo ``SECRET_KEY`` is refused outside debug;
* its articles in SQLite (the default) or PostgreSQL (``DATABASE_URL``), its sessions in
  the signed cookie, so two worker processes serve the same logins and articles.
"""

import glob
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from apistellar_web.testing import LiveServer, free_port

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "blog"
BIN = Path(sys.executable).parent
# Settings of the example that the environment overrides; cleared before each server starts.
EXAMPLE_ENV = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "WORKER_PID_HEADER")


def _need_example() -> None:
    if not (EXAMPLE / "web_app.py").is_file():
        pytest.skip("the example project is not next to this checkout (installed package tests)")


@pytest.fixture(scope="module")
def example_server(tmp_path_factory):
    _need_example()
    saved = {name: os.environ.get(name) for name in EXAMPLE_ENV}
    for name in EXAMPLE_ENV:
        os.environ.pop(name, None)
    os.environ["SECRET_KEY"] = secrets.token_hex(32)
    database = tmp_path_factory.mktemp("example-db") / "blog.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    sys.path.insert(0, str(EXAMPLE))
    for name in [n for n in sys.modules if n == "blog" or n.startswith("blog.")]:
        del sys.modules[name]
    try:
        import web_app  # the example's own module, as uvicorn web_app:app would import it

        with LiveServer(web_app.app) as server:
            server.database = database
            yield server
    finally:
        sys.path.remove(str(EXAMPLE))
        sys.modules.pop("web_app", None)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


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
        assert "x-worker-pid" not in page.headers  # only when WORKER_PID_HEADER is on
        assert browser.get("/static/style.css").status_code == 200
        assert browser.get("/nope").json() == {
            "type": "http",
            "code": 404,
            "errcode": 404,
            "message": "Not found",
        }


def test_uploads_are_streamed_and_measured(example_server):
    import hashlib

    blob = bytes(range(256)) * 1000
    response = httpx.post(
        f"{example_server.url}/api/uploads/",
        files={"photo": ("a.bin", blob, "application/octet-stream")},
        data={"caption": "hi"},
    )
    parts = {part["name"]: part for part in response.json()["parts"]}
    assert parts["photo"] == {
        "name": "photo",
        "filename": "a.bin",
        "size": len(blob),
        "sha256": hashlib.sha256(blob).hexdigest(),
    }
    assert parts["caption"]["size"] == 2 and parts["caption"]["filename"] is None


def test_articles_live_in_the_sqlite_file_named_by_the_setting(example_server):
    import sqlite3

    with httpx.Client(base_url=example_server.url) as browser:
        browser.get("/account/login?user=bob")
        created = browser.post("/api/articles/", json={"title": "Stored", "body": "on disk"}).json()
        assert created["author"] == "bob"
        huge = browser.get("/api/articles/99999999999999999999999").json()
        assert huge["code"] == 404  # beyond a 64-bit id: not found, not a driver error
    connection = sqlite3.connect(example_server.database)
    try:
        row = connection.execute(
            "select title, body, tags, author from articles where id = ?", (created["id"],)
        ).fetchone()
    finally:
        connection.close()
    assert row == ("Stored", "on disk", "[]", "bob")


def test_session_cookie_is_samesite_lax(example_server):
    """SameSite=Lax: a cross-site fetch with credentials does not carry the session."""
    response = httpx.get(f"{example_server.url}/account/login?user=ann")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("session=") and cookie.endswith("; HttpOnly; Path=/; SameSite=Lax")


def test_json_bodies_need_a_json_content_type(example_server):
    """A cross-site text/plain or form post (no CORS preflight) cannot pass for JSON."""
    url = f"{example_server.url}/api/articles/"
    body = b'{"title": "Forged"}'
    assert httpx.post(url, content=body).status_code == 415
    plain = httpx.post(url, content=body, headers={"content-type": "text/plain"})
    assert plain.status_code == 415
    assert httpx.post(url, json={"title": "Fine"}).json()["title"] == "Fine"


def test_the_shipped_demo_key_is_refused_outside_debug(example_runner, tmp_path):
    """The demo SECRET_KEY is public: with it anyone could forge {"user": "admin"}."""
    port = free_port()
    env = example_runner.env(DATABASE_URL=f"sqlite:///{tmp_path / 'blog.sqlite3'}")
    command = [str(BIN / "python"), "-m", "uvicorn", "--port", str(port), "web_app:app"]
    result = subprocess.run(
        command, cwd=EXAMPLE, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "ConfigurationError: SECRET_KEY is the demo key shipped in settings.py" in result.stderr
    assert "Set the SECRET_KEY environment variable" in result.stderr
    assert "DEBUG=1" in result.stderr


def test_the_demo_key_is_accepted_in_debug_with_a_warning(example_runner, tmp_path):
    port = free_port()
    env = example_runner.env(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'blog.sqlite3'}")
    command = [str(BIN / "python"), "-m", "uvicorn", "--port", str(port), "web_app:app"]
    log = tmp_path / "uvicorn.log"
    with example_runner.serve(command, env, log, port) as url:
        with httpx.Client(base_url=url) as browser:
            assert browser.get("/account/login?user=ann").json() == {"logged_in": "ann"}
            assert browser.get("/account/whoami").json() == {"user": "ann"}
    assert "Using the demo SECRET_KEY (DEBUG is on)" in log.read_text()


# -- two workers ----------------------------------------------------------------------------


def _pid(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.headers["x-worker-pid"])


def shared_state_across_workers(url: str) -> None:
    """Log in and write on one worker; read the session and the article on another."""
    with httpx.Client(base_url=url) as first:
        login = first.get("/account/login?user=ann")
        assert login.json() == {"logged_in": "ann"}
        created = first.post("/api/articles/", json={"title": "Scaled", "tags": ["w"]})
        writer = _pid(created)
        article = created.json()
        assert article["author"] == "ann"
        cookie = first.cookies["session"]
    seen: set[int] = {_pid(login), writer}
    for _attempt in range(300):  # fresh connections until another worker answers
        with httpx.Client(base_url=url, cookies={"session": cookie}) as other:
            whoami = other.get("/account/whoami")
            pid = _pid(whoami)
            seen.add(pid)
            if pid != writer:
                assert whoami.json() == {"user": "ann"}
                shown = other.get(f"/api/articles/{article['id']}")
                assert shown.json() == article
                listed = other.get("/api/articles/")
                assert article in listed.json()
                break
        time.sleep(0.02)
    else:
        pytest.fail(f"300 fresh connections were all served by one process ({sorted(seen)})")
    assert len(seen) >= 2


def test_two_gunicorn_workers_share_sessions_and_sqlite_articles(example_runner, tmp_path):
    gunicorn = BIN / "gunicorn"
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed")
    port = free_port()
    env = example_runner.env(
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=f"sqlite:///{tmp_path / 'blog.sqlite3'}",
        WORKER_PID_HEADER="true",
    )
    command = [
        str(gunicorn),
        "-w",
        "2",
        "-k",
        "uvicorn_worker.UvicornWorker",
        "-b",
        f"127.0.0.1:{port}",
        "web_app:app",
    ]
    with example_runner.serve(command, env, tmp_path / "gunicorn.log", port) as url:
        shared_state_across_workers(url)


def test_apistellar_serve_with_two_workers_shares_sessions_and_articles(example_runner, tmp_path):
    command_path = BIN / "apistellar"
    if not command_path.exists():
        pytest.skip("the apistellar command is not installed")
    port = free_port()
    env = example_runner.env(
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=f"sqlite:///{tmp_path / 'blog.sqlite3'}",
        WORKER_PID_HEADER="true",
    )
    command = [str(command_path), "serve", "--workers", "2", "--port", str(port)]
    with example_runner.serve(command, env, tmp_path / "serve.log", port) as url:
        shared_state_across_workers(url)


# -- PostgreSQL -----------------------------------------------------------------------------


def _postgres_binaries() -> Path | None:
    for found in (shutil.which("pg_ctl"), *sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))):
        if found and (Path(found).parent / "initdb").exists():
            return Path(found).resolve().parent
    return None


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL server on 127.0.0.1, started for this module."""
    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are absent: .ci/run installs them")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed")
    # Not under pytest's temporary root: pytest makes that private (0700) whenever a
    # session starts, which would lock the postgres user out of a running server's folder.
    folder = Path(tempfile.mkdtemp(prefix="apistellar-postgres-"))
    try:
        yield from _postgres_server(binaries, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _postgres_server(binaries: Path, folder: Path) -> Iterator[str]:
    prefix: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        prefix = [runuser, "-u", "postgres", "--"]
        try:
            shutil.chown(folder, "postgres")
        except (LookupError, OSError) as error:
            pytest.skip(f"no postgres user to run the server as ({error})")
    data = folder / "data"
    pg_ctl = [*prefix, str(binaries / "pg_ctl"), "-D", str(data)]
    initdb = [*prefix, str(binaries / "initdb"), "-A", "trust", "-U", "blog", "-D", str(data)]
    done = subprocess.run(initdb, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        pytest.fail(f"initdb failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    log = folder / "server.log"
    for _attempt in range(3):  # another process may take the free port first
        port = free_port()
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        started = subprocess.run(
            [*pg_ctl, "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if started.returncode == 0:
            break
    else:
        server_log = log.read_text() if log.exists() else ""
        pytest.fail(f"PostgreSQL did not start:\n{started.stdout}\n{started.stderr}\n{server_log}")
    try:
        yield f"postgresql://blog@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*pg_ctl, "-m", "fast", "-w", "stop"], check=False, capture_output=True, timeout=60
        )


def test_two_uvicorn_workers_share_sessions_and_postgresql_articles(
    example_runner, tmp_path, postgres_url
):
    import psycopg

    port = free_port()
    env = example_runner.env(
        SECRET_KEY=secrets.token_hex(32), DATABASE_URL=postgres_url, WORKER_PID_HEADER="true"
    )
    command = [
        str(BIN / "python"),
        "-m",
        "uvicorn",
        "--workers",
        "2",
        "--port",
        str(port),
        "web_app:app",
    ]
    with example_runner.serve(command, env, tmp_path / "uvicorn.log", port) as url:
        shared_state_across_workers(url)
    with psycopg.connect(postgres_url) as connection:
        rows = connection.execute("select title, author, tags from articles").fetchall()
    assert ("Scaled", "ann", '["w"]') in rows
