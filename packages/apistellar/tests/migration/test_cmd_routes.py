"""Quick-Start.md (``apistar-routes``) and the original's ``app.show_routes`` (F84): the
route table printed by ``apistar-routes`` / ``apistellar routes`` in the project folder."""

import pytest

CONTROLLER = """
    from apistar import http
    from apistellar import Controller, route, get, post


    @route("/article")
    class ArticleController(Controller):

        @get("/")
        def list(self):
            return []

        @post("/{id}")
        def update(self, id: int, data: http.RequestData):
            return data
"""


@pytest.fixture(scope="module")
def blog(migration, tmp_path_factory):
    """A project in the original layout: ``blog/web_app.py`` and the package ``blog/blog/``."""
    return migration.write_project(
        tmp_path_factory.mktemp("routes"), "blog", {"blog/article/controller.py": CONTROLLER}
    )


def _rows(output):
    return [line.split() for line in output.strip().splitlines()]


def test_the_table_of_the_original(migration, blog):
    """F84: columns padded ``{:<40} {:<7} {:<40} {:<}``, default route names, and
    ``module:Class#action`` with the module the app imports."""
    result = migration.run_command("apistar-routes", cwd=blog)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    header = "{:<40} {:<7} {:<40} {:<}".format("Name", "Method", "URI Pattern", "Controller#Action")
    assert lines[0] == header
    row = "{:<40} {:<7} {:<40} {:<}".format(
        "view:articlecontroller:list",
        "GET",
        "/article/",
        "blog.article.controller:ArticleController#list",
    )
    assert row in lines
    assert [
        "view:articlecontroller:update",
        "POST",
        "/article/{id}",
        "blog.article.controller:ArticleController#update",
    ] in _rows(result.stdout)


def test_the_apistellar_command_prints_the_same(migration, blog):
    """``apistellar routes`` is ``apistar-routes``."""
    alias = migration.run_command("apistar-routes", cwd=blog)
    command = migration.run_command("apistellar", "routes", cwd=blog)
    assert command.returncode == 0 and command.stdout == alias.stdout


def test_src_layout_shows_the_module_the_app_imports(migration, tmp_path):
    """Defect 6 (fixed): in a scaffolded project's ``src/atlas/``, the module path is
    ``atlas.atlas.user.controller`` (the project's parent first on ``sys.path``, as the
    original), not ``atlas.user.controller``."""
    assert migration.run_command("apistar-create", "project", "atlas", cwd=tmp_path).returncode == 0
    app_dir = tmp_path / "atlas" / "src" / "atlas"
    assert (
        migration.run_command("apistar-create", "service", "user", cwd=app_dir / "atlas").returncode
        == 0
    )
    controller = app_dir / "atlas" / "user" / "controller.py"
    controller.write_text(
        controller.read_text().replace("    pass\n", "")
        + "\n    @get('/')\n    def hello(self):\n        return {}\n"
    )
    result = migration.run_command("apistar-routes", cwd=app_dir)
    assert result.returncode == 0, result.stderr
    assert [
        "view:usercontroller:hello",
        "GET",
        "/user/",
        "atlas.atlas.user.controller:UserController#hello",
    ] in _rows(result.stdout)


def test_routes_are_those_of_the_app_web_app_builds(migration, tmp_path):
    """``routes`` shows what ``uvicorn web_app:app`` serves: a controller passed to the
    app in ``web_app.py`` (``controllers=[...]``) is listed."""
    project = migration.write_project(
        tmp_path,
        "shop",
        {},
        web_app="""
            import os

            from apistellar import Application, Controller, get, route


            @route("/health")
            class HealthController(Controller):
                @get("/")
                def ping(self):
                    return "ok"


            app = Application(
                "shop",
                current_dir=os.path.dirname(os.path.abspath(__file__)),
                controllers=[HealthController],
            )
        """,
    )
    result = migration.run_command("apistellar", "routes", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "web_app:HealthController#ping" in result.stdout


def test_a_project_with_no_routes(migration, tmp_path):
    """F84: a project that routes nothing prints only that (the original: ``Noting to
    route.``, a typo); the command succeeds."""
    project = migration.write_project(tmp_path, "empty", {})
    result = migration.run_command("apistar-routes", cwd=project)
    assert result.returncode == 0 and result.stdout.strip() == "Nothing to route."


def test_no_project_here_says_so(migration, tmp_path):
    """Issue 17, item 2: run where there is no project, the command says what it looked
    for and fails (the original gave no hint that nothing was found)."""
    for command in (("apistar-routes",), ("apistellar", "routes")):
        result = migration.run_command(*command, cwd=tmp_path)
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert "No apistellar project in" in result.stderr and "web_app.py" in result.stderr
