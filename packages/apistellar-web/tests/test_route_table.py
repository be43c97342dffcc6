"""One route table for ``show_routes()`` and ``apistellar routes`` (cli/routes.py)."""

import sys

import pytest

import apistellar_web.app
import apistellar_web.cli
from apistellar_web.cli import launcher, routes

CONTROLLER = """
from apistellar_web import Controller, get, route


@route("/notes")
class NoteController(Controller):
    @get("/")
    def index(self) -> dict:
        return {}
"""


@pytest.fixture
def renamed(project, monkeypatch):
    """A copy of the project ``notes`` in a folder of another name; ``web_app.py`` names
    it and refuses to run."""
    root = project(
        name="notes-copy",
        settings="SECRET_KEY = 'k'\nCUSTOM = 1\n",
        files={
            "web_app.py": (
                "raise SystemExit('web_app.py must not run')\n"
                "app = Application('notes', current_dir='.')\n"
            ),
            "notes/__init__.py": "",
            "notes/controller.py": CONTROLLER,
        },
    )
    (root / "other_settings.py").write_text("SECRET_KEY = 'k'\n")
    monkeypatch.setattr(sys, "path", list(sys.path))  # the command puts the folder first
    yield root
    for name in [n for n in sys.modules if n.split(".")[0] == "notes"]:
        monkeypatch.delitem(sys.modules, name)


def test_the_old_import_paths_are_the_one_implementation():
    assert apistellar_web.app.show_routes is routes.show_routes
    assert apistellar_web.app.format_routes is routes.format_routes
    assert apistellar_web.app.project_arguments is launcher.project_arguments
    assert apistellar_web.cli.show_routes is routes.project_routes


def test_show_routes_and_the_command_with_settings_print_the_same_table(renamed, capsys):
    printed = routes.show_routes(renamed)
    assert capsys.readouterr().out == printed + "\n"
    assert "notes.controller:NoteController#index" in printed
    # the command with --settings builds the same app, named by web_app.py, never run
    assert routes.project_routes(renamed, "other_settings") == printed


def test_a_project_that_routes_nothing(project):
    root = project(name="bare")
    assert routes.route_table(routes.project_application(root)) == "Nothing to route."
