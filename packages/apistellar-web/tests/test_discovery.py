import os
import sys

import pytest

from apistellar_web import Application, ConfigurationError

CONTROLLER = """
from apistar import http
from apistellar_web import Controller, route, get
from .service import {name}Service


@route("/{lower}")
class {name}Controller(Controller):
    @get("/")
    def index(self, service: {name}Service) -> dict:
        return {{"app": "{lower}", "service": service.hello()}}
"""
SERVICE = """
from apistellar_web import Service


class {name}Service(Service):
    def hello(self) -> str:
        return "{lower} service"
"""
HOOK = """
from apistar import http
from apistellar_web import Hook


class {name}Hook(Hook):
    def on_response(self, response: http.Response) -> None:
        response.headers["X-App"] = "{lower}"
"""


def original_tree(project, name):
    """The tree the original ``apistar-create project`` + ``service`` generated."""
    lower = name.lower()
    return project(
        name=lower,
        settings="SECRET_KEY = 'k'\nGREETING = 'hi'\n",
        files={
            "web_app.py": f"from apistellar_web import Application\napp = Application('{lower}')\n",
            "__init__.py": "",
            f"{lower}/__init__.py": "",
            f"{lower}/controller.py": CONTROLLER.format(name=name, lower=lower),
            f"{lower}/service.py": SERVICE.format(name=name, lower=lower),
            f"{lower}/hooks.py": HOOK.format(name=name, lower=lower),
            f"{lower}/_private.py": "raise RuntimeError('modules starting with _ are skipped')\n",
        },
    )


@pytest.fixture
def importable(monkeypatch):
    """Put a folder on sys.path for one test (as running the app from it would)."""

    def forget():
        for name in [n for n in sys.modules if n.split(".")[0] in ("blog", "shop")]:
            del sys.modules[name]

    def add(folder):
        monkeypatch.syspath_prepend(str(folder))
        forget()

    yield add
    forget()


def test_original_tree_boots_without_chdir_or_sys_path_changes(project, importable, client_for):
    root = original_tree(project, "Blog")
    importable(root)
    cwd, path = os.getcwd(), list(sys.path)
    app = Application("blog", current_dir=root)
    assert os.getcwd() == cwd and sys.path == path
    assert app.routes[0].controller.__module__ == "blog.controller"
    client = client_for(app)
    response = client.get("/blog/")
    assert response.json() == {"app": "blog", "service": "blog service"}
    assert response.headers["x-app"] == "blog"
    assert app.settings.GREETING == "hi"


def test_two_apps_in_one_process_do_not_leak(project, importable, client_for):
    blog, shop = original_tree(project, "Blog"), original_tree(project, "Shop")
    importable(blog)
    importable(shop)
    blog_app = Application("blog", current_dir=blog)
    shop_app = Application("shop", current_dir=shop)
    assert [r.url for r in blog_app.routes] == ["/blog/"]
    assert [r.url for r in shop_app.routes] == ["/shop/"]
    assert client_for(shop_app).get("/shop/").headers["x-app"] == "shop"
    assert client_for(shop_app).get("/blog/").status_code == 404


def test_package_found_from_the_parent_folder(project, importable, client_for):
    root = original_tree(project, "Blog")
    importable(root.parent)  # e.g. gunicorn blog.web_app:app run from the parent
    app = Application("blog", current_dir=root)
    assert app.routes[0].controller.__module__ == "blog.blog.controller"


def test_unimportable_package_is_a_clear_error(project):
    root = original_tree(project, "Blog")
    with pytest.raises(ConfigurationError, match="not importable"):
        Application("blog", current_dir=root)


def test_explicit_registration_without_discovery(project, client_for):
    from apistellar_web import Controller, get, route

    @route("/x")
    class X(Controller):
        @get("/")
        def index(self) -> str:
            return "explicit"

    root = project(settings="", name="empty")
    app = Application("x", current_dir=root, controllers=[X])
    assert client_for(app).get("/x/").text == "explicit"


def test_explicit_settings_module_must_exist(project):
    root = project(settings="", name="nosettings")
    with pytest.raises(Exception, match="custom_settings"):
        Application("x", current_dir=root, settings_path="custom_settings")
