"""A project made by ``apistar-create project`` has the safer defaults of new projects.

Quick-Start.md creates projects with ``apistar-create project NAME``; unlike migrated apps
(which keep the original's 200 envelope with the exception text), a new project answers
unexpected errors with a generic 500, and its log lines carry milliseconds once.
"""

import re
import textwrap

import pytest

SECRET = "password=hunter2"


@pytest.fixture(scope="module")
def scaffolded(migration, tmp_path_factory):
    where = tmp_path_factory.mktemp("scaffold")
    created = migration.run_command("apistar-create", "project", "guarded", cwd=where)
    assert created.returncode == 0, created.stderr
    app_dir = where / "guarded" / "src" / "guarded"
    (app_dir / "guarded" / "boom.py").write_text(
        textwrap.dedent(
            f"""
            from apistellar import Controller, get, route


            @route("/boom")
            class BoomController(Controller):
                @get("/")
                def boom(self) -> None:
                    raise RuntimeError("{SECRET}")
            """
        )
    )
    return app_dir


def test_a_new_project_answers_unexpected_errors_with_a_generic_500(migration, scaffolded):
    """Quick-Start.md's generated project: a bug answers 500 without its text; logged at ERROR."""
    settings = (scaffolded / "settings.py").read_text()
    assert "UNEXPECTED_ERRORS_AS_500 = True" in settings
    assert "JSON_REQUIRE_CONTENT_TYPE = True" in settings
    with migration.serve(scaffolded) as server, server.client() as client:
        response = client.get("/boom/")
        assert response.status_code == 500
        assert SECRET not in response.text and "RuntimeError" not in response.text
        assert response.json()["message"] == "Internal server error."
        request_id = response.json()["request_id"]
        # the server's log names the same request id, with the traceback
        output = server.output()
    assert request_id in output and "Traceback" in output and SECRET in output


def test_the_generated_log_format_prints_milliseconds_once(migration, scaffolded):
    """The generated web_app.py configures logging: one timestamp with milliseconds."""
    script = (
        "import logging, runpy; runpy.run_path('web_app.py');"
        "logging.getLogger('probe').info('hello')"
    )
    result = migration.run_command("python", "-c", script, cwd=scaffolded)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if "hello" in line]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO probe: hello", line), line
