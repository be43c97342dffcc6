"""Quick-Start.md and apistellar项目组成.md: a project in the original layout, served by uvicorn.

The Quick Start creates project ``erp`` with a ``user`` service module (controller,
service, model), adds a handler written **without** ``self`` (``def hello(name:
http.QueryParam)``), lists the routes with ``apistar-routes`` and serves the app; the
layout page says a request reaches a controller action whose parameters are resolved by
annotation. The original ran the app with ``python web_app.py`` or gunicorn from the
parent folder (``blog.web_app:app``); both shapes are here, plus a start from a folder
that is not on ``sys.path`` at all (issue 10, defect 3).
"""

import shutil
import subprocess
import sys
import textwrap

import httpx
import pytest

from apistellar_web.testing import free_port, wait_for_port

# The web_app.py the original's project template generated (logging at DEBUG included).
ORIGINAL_WEB_APP = """\
import os
import logging

from uvicorn import run
from apistellar import Application

app_name = "erp"

logging.basicConfig(level=logging.DEBUG)
app = Application(
    app_name, current_dir=os.path.dirname(os.path.abspath(__file__)))


if __name__ == "__main__":
    run(app)
"""

ERP_FILES = {
    "__init__.py": "",  # the original's project folder was a package too
    "erp/user/controller.py": """
        from apistar import http
        from apistellar import Controller, route, get, post

        from .user import User
        from .service import UserService


        @route("/user")
        class UserController(Controller):

            @get("/")
            def hello(name: http.QueryParam):
                return {"hello": name}

            @get("/new")
            def new(user: User):
                return {"is_user": isinstance(user, User), "fields": dict(user)}

            @post("/greet")
            async def greet(service: UserService, name: http.QueryParam):
                return {"greeting": service.greet(name)}
    """,
    "erp/user/service.py": """
        from apistellar import Service


        class UserService(Service):

            def greet(self, name):
                return "welcome " + name
    """,
    # what `apistar-create model -n user -p user id:integer name:string` generated
    "erp/user/user.py": """
        from apistellar import Type, validators, ModelFactory, inject


        class User(Type):
            id = validators.Integer()
            name = validators.String()


        class UserFactory(ModelFactory):

            model = User

            async def product(self) -> User:
                return User()
    """,
}


@pytest.fixture(scope="module")
def erp(migration, tmp_path_factory):
    return migration.write_project(
        tmp_path_factory.mktemp("quick"), "erp", ERP_FILES, web_app=ORIGINAL_WEB_APP
    )


@pytest.fixture(scope="module")
def served(migration, erp):
    with migration.serve(erp) as server:
        yield server


def test_handler_without_self_answers(served):
    """Quick-Start.md: ``def hello(name: http.QueryParam)`` in a Controller, no ``self``
    (issue 10, defect 2: the instance was passed as ``name`` and the request answered 999)."""
    with served.client() as client:
        assert client.get("/user/", params={"name": "tom"}).json() == {"hello": "tom"}


def test_missing_query_param_is_the_original_envelope(served):
    """Quick-Start.md's handler without ``name``: the original's strict QueryParam (F23)."""
    with served.client() as client:
        body = client.get("/user/").json()
    assert body["code"] == 999 and body["message"] == "Query Param: name not found!"


def test_model_factory_and_service_of_the_module(served):
    """apistellar项目组成.md: controller, service and model of one module work together;
    the generated model factory provides the ``User`` parameter (a factory wins over
    building the model from the request, F27/F43)."""
    with served.client() as client:
        made = client.get("/user/new", params={"id": "3"}).json()
        greeted = client.post("/user/greet", params={"name": "bob"})
    assert made == {"is_user": True, "fields": {}}
    assert greeted.json() == {"greeting": "welcome bob"}


def test_routes_are_logged_at_debug_on_start(served):
    """Quick-Start.md: ``python web_app.py`` logged each route at DEBUG on start."""
    assert "Route method: GET, url: /user/ to view:usercontroller:hello." in served.output()


def test_apistar_routes_lists_the_handler(migration, erp):
    """Quick-Start.md: ``apistar-routes`` in the project folder prints the route table."""
    result = migration.run_command("apistar-routes", cwd=erp)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["Name", "Method", "URI", "Pattern", "Controller#Action"]
    (hello,) = [row for row in rows if row.startswith("view:usercontroller:hello ")]
    assert hello.split()[1:3] == ["GET", "/user/"]
    assert hello.split()[3].endswith("user.controller:UserController#hello")


def test_show_routes_from_python(migration, erp, tmp_path):
    """test_show_routes.py / Quick-Start.md: ``from apistellar import show_routes;
    show_routes()`` run in the project folder prints the table (issue 10, defect 4); with
    nothing to route it prints ``Nothing to route.`` (the original's text had a typo,
    ``Noting to route. ``)."""
    script = "from apistellar import show_routes\nshow_routes()\n"
    result = migration.run_command("python", "-c", script, cwd=erp)
    assert result.returncode == 0, result.stderr
    assert "view:usercontroller:hello" in result.stdout
    assert "UserController#hello" in result.stdout
    empty = migration.run_command("python", "-c", script, cwd=tmp_path)
    assert empty.returncode == 0, empty.stderr
    assert empty.stdout.strip() == "Nothing to route."
    assert "No routes" in empty.stderr  # the discovery warning says where it looked


def test_gunicorn_style_from_the_parent_folder(migration, erp):
    """Quick-Start.md: ``gunicorn ... erp.web_app:app`` run from the folder above the
    project (here ``uvicorn --app-dir <parent> erp.web_app:app``)."""
    with migration.serve(erp, "erp.web_app:app", args=("--app-dir", str(erp.parent))) as server:
        with server.client() as client:
            assert client.get("/user/", params={"name": "x"}).json() == {"hello": "x"}
        assert (
            "erp.erp.user.controller"
            in migration.run_command(
                "python",
                "-c",
                "import erp.web_app; print(erp.web_app.app.routes[0].handler.__module__)",
                cwd=erp.parent,
            ).stdout
        )


LAUNCHER = """
import runpy
import sys

import uvicorn

namespace = runpy.run_path({web_app!r})
uvicorn.run(namespace["app"], host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def test_started_from_a_folder_not_on_sys_path(migration, erp, tmp_path):
    """Issue 10, defect 3: ``Application("erp", current_dir=X)`` finds ``X/erp/`` from
    ``current_dir`` alone, with neither X nor its parent on ``sys.path`` and another cwd
    (the original chdir'ed and patched ``sys.path``; we do neither)."""
    launcher = tmp_path / "launch.py"
    launcher.write_text(textwrap.dedent(LAUNCHER.format(web_app=str(erp / "web_app.py"))))
    port = free_port()
    log = tmp_path / "launch.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(launcher), str(port)],
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        try:
            wait_for_port(port, process, timeout=60)
        except RuntimeError:
            pytest.fail(f"the app did not start:\n{log.read_text(errors='replace')}")
        answer = httpx.get(f"http://127.0.0.1:{port}/user/", params={"name": "far"}, timeout=30)
        assert answer.json() == {"hello": "far"}
    finally:
        process.terminate()
        process.wait(20)


def test_a_real_name_clash_is_a_clear_error(migration, tmp_path):
    """Issue 10, defect 3: the only failure is a real clash -- here a project named
    ``json`` started after the standard library's ``json`` was imported."""
    project = migration.write_project(
        tmp_path,
        "json",
        {
            "json/api.py": """
                from apistellar import Controller, route, get


                @route("/api")
                class Api(Controller):
                    @get("/")
                    def index(self):
                        return "x"
            """
        },
    )
    script = f"import json, runpy\nrunpy.run_path({str(project / 'web_app.py')!r})\n"
    result = migration.run_command("python", "-c", script, cwd=tmp_path)
    assert result.returncode != 0
    assert "already imported from" in result.stderr and "package=" in result.stderr


def test_show_routes_lists_only_the_project(migration, erp):
    """test_show_routes.py ``test_show_routes_with_include``: the original listed a
    controller defined in the calling test module too, because it discovered every
    ``Controller`` subclass in the process ([improve] §3.3 #33); here only the project's
    package is routed, so the caller's controller is not in the table."""
    script = (
        "from apistellar import Controller, route, get, show_routes\n"
        "@route('/')\n"
        "class HaveRoutes(Controller):\n"
        "    @get('/')\n"
        "    def hello(self):\n"
        "        pass\n"
        "show_routes()\n"
    )
    result = migration.run_command("python", "-c", script, cwd=erp)
    assert result.returncode == 0, result.stderr
    assert "view:usercontroller:hello" in result.stdout
    assert "haveroutes" not in result.stdout


def test_app_with_no_route(migration, tmp_path):
    """test_app.py ``test_app_no_route``: ``Application("test")`` with nothing to route
    starts; issue 17 adds a WARNING saying where it looked and how to fix it."""
    script = "from apistellar import Application\napp = Application('test')\nprint(app.routes)\n"
    result = migration.run_command("python", "-c", script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert "No routes" in result.stderr and str(tmp_path / "test") in result.stderr
    assert "controllers=[...]" in result.stderr


def test_a_renamed_copy_keeps_working(migration, erp, tmp_path):
    """Issue 17: a copy of the project in a folder with another name. The original's rule
    (the package named after the folder) finds nothing there; the package named by the
    app name (``app_name = "erp"`` in the template's web_app.py) is used instead, for the
    server and for ``show_routes()``."""
    copy = tmp_path / "erp-copy"
    shutil.copytree(erp, copy, ignore=shutil.ignore_patterns("__pycache__"))
    script = "from apistellar import show_routes\nshow_routes()\n"
    listed = migration.run_command("python", "-c", script, cwd=copy)
    assert listed.returncode == 0, listed.stderr
    assert "view:usercontroller:hello" in listed.stdout
    with migration.serve(copy) as server, server.client() as client:
        assert client.get("/user/", params={"name": "copy"}).json() == {"hello": "copy"}
