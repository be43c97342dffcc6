"""``/openapi.json`` and ``/docs`` over a real uvicorn: on by default, moved or switched
off by settings, and never in the way of an app's own routes."""

import httpx
import pytest
from openapi_spec_validator import validate

from apistellar_web import Controller, get, route
from apistellar_web.cli import show_routes
from apistellar_web.openapi import swagger_ui_dir
from apistellar_web.testing import LiveServer


@route("/notes", name="notes")
class NoteController(Controller):
    """Notes"""

    @get("/{note_id}")
    async def one(self, note_id: int) -> dict:
        """One note.

        :param note_id: its number
        """
        return {"id": note_id}


@route("", name="own")
class OwnDocs(Controller):
    @get("/docs")
    async def docs(self) -> str:
        return "<p>our own docs</p>"


@route("", name="spa")
class SinglePage(Controller):
    @get("/{+path}")
    async def page(self, path: str) -> str:
        return f"<p>app page {path}</p>"


@route("", name="slashed")
class SlashedDocs(Controller):
    @get("/docs/")
    async def docs(self) -> str:
        return "<p>slashed docs</p>"


def _serve(make_app, *controllers, settings="SECRET_KEY = 'k'\n"):
    return LiveServer(make_app(*controllers, settings=settings))


def test_document_page_and_assets(make_app):
    app = make_app(NoteController)
    with LiveServer(app) as server:
        document = httpx.get(f"{server.url}/openapi.json")
        page = httpx.get(f"{server.url}/docs")
        script = httpx.get(f"{server.url}/docs/assets/swagger-ui-bundle.js")
        css = httpx.get(f"{server.url}/docs/assets/swagger-ui.css")
        unknown = httpx.get(f"{server.url}/docs/assets/swagger-editor.js")
        outside = httpx.get(f"{server.url}/docs/assets/..%2F__init__.py")
    assert document.status_code == 200
    assert document.headers["content-type"].startswith("application/json")
    validate(document.json())
    assert document.json() == app.openapi()
    assert "/notes/{note_id}" in document.json()["paths"]
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'src="/docs/assets/swagger-ui-bundle.js"' in page.text
    assert 'url: "/openapi.json"' in page.text and "test - API" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from elsewhere
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert script.content == (swagger_ui_dir() / "swagger-ui-bundle.js").read_bytes()
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert unknown.status_code == 404 and outside.status_code == 404


def test_built_in_routes_stay_out_of_the_route_table(make_app):
    app = make_app(NoteController)
    assert [item.url for item in app.routes] == ["/notes/{note_id}"]
    assert app.reverse_url("apistellar:openapi") == "/openapi.json"
    assert app.reverse_url("apistellar:docs") == "/docs"
    assert "openapi" not in str(app.openapi()["paths"])  # not documented either


def test_urls_from_settings(make_app):
    settings = "SECRET_KEY = 'k'\nOPENAPI_URL = '/api/spec.json'\nDOCS_URL = 'reference'\n"
    with _serve(make_app, NoteController, settings=settings) as server:
        spec = httpx.get(f"{server.url}/api/spec.json")
        page = httpx.get(f"{server.url}/reference")
        asset = httpx.get(f"{server.url}/reference/assets/swagger-ui.css")
        old = httpx.get(f"{server.url}/docs")
    assert spec.status_code == 200 and spec.json()["openapi"] == "3.1.0"
    assert page.status_code == 200 and 'url: "/api/spec.json"' in page.text
    assert asset.status_code == 200 and old.status_code == 404


@pytest.mark.parametrize(
    ("settings", "document_status", "page_status"),
    [
        ("OPENAPI_URL = None\n", 404, 404),  # no document, so no page either
        ("DOCS_URL = None\n", 200, 404),
    ],
)
def test_switched_off(make_app, settings, document_status, page_status):
    with _serve(make_app, NoteController, settings="SECRET_KEY = 'k'\n" + settings) as server:
        document = httpx.get(f"{server.url}/openapi.json")
        page = httpx.get(f"{server.url}/docs")
    assert document.status_code == document_status
    assert page.status_code == page_status
    assert page.json()["type"] == "http"  # the usual 404 envelope


def test_an_apps_own_route_wins(make_app):
    with _serve(make_app, NoteController, OwnDocs) as server:
        page = httpx.get(f"{server.url}/docs")
        document = httpx.get(f"{server.url}/openapi.json")
    assert page.text == "<p>our own docs</p>"
    assert document.status_code == 200
    assert "/docs" in document.json()["paths"]  # the app's own page is documented


def test_a_catch_all_route_or_a_slashed_one_wins(make_app):
    with _serve(make_app, SinglePage) as server:
        page = httpx.get(f"{server.url}/docs")
        document = httpx.get(f"{server.url}/openapi.json")
        asset = httpx.get(f"{server.url}/docs/assets/swagger-ui.css")
    assert page.text == "<p>app page docs</p>"
    assert document.text == "<p>app page openapi.json</p>"
    assert asset.text == "<p>app page docs/assets/swagger-ui.css</p>"
    with _serve(make_app, SlashedDocs) as server:
        moved = httpx.get(f"{server.url}/docs")
        document = httpx.get(f"{server.url}/openapi.json")
    assert moved.status_code == 302 and moved.headers["location"] == "/docs/"
    assert document.status_code == 200


def test_the_routes_command_shows_only_the_apps_routes(project):
    root = project(
        settings="SECRET_KEY = 'k'\n",
        files={
            "proj/__init__.py": "",
            "proj/notes.py": """
                from apistellar_web import Controller, get, route

                @route("/n", name="n")
                class N(Controller):
                    @get("/")
                    async def index(self) -> dict:
                        return {}
            """,
        },
    )
    import sys

    sys.path.insert(0, str(root))
    try:
        table = show_routes(str(root))
    finally:
        sys.path.remove(str(root))
        sys.modules.pop("proj.notes", None)
        sys.modules.pop("proj", None)
    assert "/n/" in table and "openapi" not in table and "/docs" not in table
