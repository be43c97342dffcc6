"""A scaffolded project, as a migrating user runs it: routes and uvicorn."""

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from apistellar_web.testing import free_port, wait_for_port

BIN = Path(sys.executable).parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / args[0]), *args[1:]]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    where = tmp_path_factory.mktemp("scaffold")
    assert run("apistellar", "create", "project", "demoapp", cwd=where).returncode == 0
    package = where / "demoapp" / "src" / "demoapp" / "demoapp"
    assert run("apistar-create", "service", "article", cwd=package).returncode == 0
    assert (
        run("apistellar", "create", "service", "group-admin", cwd=package / "article").returncode
        == 0
    )
    # The scaffold writes empty controllers, as the original's: the user adds handlers.
    handler = (
        '\n    @get("/")\n    def hello(self):\n        return {{"message": "hello from {}"}}\n'
    )
    for folder, greeting in (
        (package / "article", "article"),
        (package / "article/group_admin", "group"),
    ):
        controller = folder / "controller.py"
        source = controller.read_text().replace("    pass\n", "")
        controller.write_text(source + handler.format(greeting))
    return where / "demoapp"


def test_routes_and_its_alias(project):
    app_dir = project / "src" / "demoapp"
    for command in ("apistellar", "apistar-routes"):
        args = ("routes",) if command == "apistellar" else ()
        result = run(command, *args, cwd=app_dir)
        assert result.returncode == 0, result.stderr
        # The route names are the default ones (F13): no name= in the scaffolded @route.
        assert "view:articlecontroller:hello" in result.stdout
        assert "view:articlecontroller:groupadmincontroller:hello" in result.stdout
        assert "demoapp.demoapp.article.controller:ArticleController#hello" in result.stdout


def test_generated_project_serves_over_uvicorn(project):
    app_dir = project / "src" / "demoapp"
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "web_app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=app_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        response = httpx.get(f"http://127.0.0.1:{port}/article/")
        assert response.json() == {"message": "hello from article"}
        nested = httpx.get(f"http://127.0.0.1:{port}/article/group_admin/")
        assert nested.json() == {"message": "hello from group"}
    finally:
        server.terminate()
        server.wait(15)


def test_scaffolded_solo_runs_with_solo_app_and_the_apistellar_command(project):
    app_dir = project / "src" / "demoapp"
    created = run("apistellar", "create", "solo", "data-sync", cwd=app_dir)
    assert created.returncode == 0, created.stderr
    assert (app_dir / "demoapp" / "data_sync" / "solo.py").is_file()
    assert (app_dir / "solo_app.py").is_file()
    direct = subprocess.run(
        [sys.executable, "solo_app.py", "datasync"],
        cwd=app_dir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert direct.returncode == 0, direct.stderr
    assert "DataSync ran with" in direct.stderr and "Stopping [" in direct.stderr
    listed = subprocess.run(
        [sys.executable, "solo_app.py"], cwd=app_dir, capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 1 and "datasync" in listed.stdout
    via_command = run("apistellar", "solo", "datasync", cwd=app_dir)
    assert via_command.returncode == 0, via_command.stderr
