import math

import pytest
from apistar import App, http, types, validators

from apistellar_config import settings
from apistellar_web import Controller, get, route


class Point(types.Type):
    x = validators.Integer()
    y = validators.Integer()


@route("/r")
class RenderController(Controller):
    @get("/html")
    def html(self) -> str:
        return "<p>héllo</p>"

    @get("/json")
    def json(self) -> dict:
        return {"text": "héllo", "nested": [1, {"a": None}]}

    @get("/none")
    def none(self) -> None:
        return None

    @get("/model")
    def model(self) -> list:
        return [Point(x=1, y=2), Point(x=3, y=4)]

    @get("/settings")
    def settings_value(self) -> dict:
        return {"list": settings.LISTED, "dict": settings.NESTED}

    @get("/nan")
    def nan(self) -> dict:
        return {"bad": math.nan}

    @get("/response")
    def response(self) -> http.Response:
        return http.Response(
            b"raw", status_code=201, headers={"Content-Type": "text/plain", "X-A": "1"}
        )

    @get("/page")
    def page(self, app: App) -> str:
        return app.render_template("page.html", who="<script>")


SETTINGS = """
SECRET_KEY = 'k'
LISTED = [1, 2]
NESTED = {'a': {'b': 1}}
TEMPLATE_DIR = 'templates'
STATIC_DIR = 'static'
"""


@pytest.fixture
def app(project):
    from apistellar_web import Application

    root = project(
        settings=SETTINGS,
        name="rendering",
        files={
            "templates/page.html": (
                "<a href=\"{{ reverse_url('view:rendercontroller:json') }}\">{{ who }}</a>"
                "<link href=\"{{ static_url('css/site.css') }}\">"
            ),
            "static/css/site.css": "body{}",
            "secret.txt": "outside the static folder",
        },
    )
    return Application("r", current_dir=root, controllers=[RenderController], discover=False)


@pytest.fixture
def client(app, client_for):
    return client_for(app)


def test_str_is_html(client):
    response = client.get("/r/html")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == "<p>héllo</p>"
    assert int(response.headers["content-length"]) == len("<p>héllo</p>".encode())


def test_other_values_are_compact_utf8_json(client):
    response = client.get("/r/json")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.content == '{"text":"héllo","nested":[1,{"a":null}]}'.encode()
    assert client.get("/r/none").content == b"null"


def test_models_and_frozen_settings_serialise(client):
    assert client.get("/r/model").json() == [{"x": 1, "y": 2}, {"x": 3, "y": 4}]
    assert client.get("/r/settings").json() == {"list": [1, 2], "dict": {"a": {"b": 1}}}


def test_nan_is_refused_with_an_error_envelope(client):
    assert client.get("/r/nan").json()["code"] == 999


def test_response_passes_through(client):
    response = client.get("/r/response")
    assert response.status_code == 201 and response.text == "raw" and response.headers["x-a"] == "1"


def test_templates_autoescape_and_know_urls(client):
    assert client.get("/r/page").text == (
        '<a href="/r/json">&lt;script&gt;</a><link href="/static/css/site.css">'
    )


def test_static_files_and_no_traversal(client):
    css = client.get("/static/css/site.css")
    assert css.text == "body{}" and css.headers["content-type"].startswith("text/css")
    assert client.get("/static/../secret.txt").status_code == 404
    assert client.get("/static/%2e%2e/secret.txt").status_code == 404
    assert client.get("/static/css/missing.css").status_code == 404


def test_no_templates_configured_is_a_clear_error(make_app):
    from apistellar_web import ConfigurationError

    app = make_app(RenderController)
    with pytest.raises(ConfigurationError, match="TEMPLATE_DIR"):
        app.render_template("x.html")
