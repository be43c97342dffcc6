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


def test_package_loads_from_its_location_without_sys_path(project, importable, client_for):
    """current_dir alone is enough: neither it nor its parent needs to be on sys.path."""
    root = original_tree(project, "Blog")
    importable(root.parent / "elsewhere")  # only to forget earlier imports of blog
    cwd, path = os.getcwd(), list(sys.path)
    app = Application("blog", current_dir=root)
    assert os.getcwd() == cwd and sys.path == path
    assert app.package == "blog" and app.routes[0].controller.__module__ == "blog.controller"
    assert client_for(app).get("/blog/").json()["service"] == "blog service"
    again = Application("blog", current_dir=root)  # a second app reuses the loaded package
    assert again.routes[0].controller.__module__ == "blog.controller"


def test_a_name_already_imported_from_elsewhere_is_a_clear_error(project, importable, monkeypatch):
    root = original_tree(project, "Blog")
    importable(root.parent / "elsewhere")
    other = project(name="other", files={"blog/__init__.py": ""})
    monkeypatch.syspath_prepend(str(other))
    import blog  # noqa: F401 - another package named blog, imported first

    with pytest.raises(ConfigurationError, match="already imported from"):
        Application("blog", current_dir=root)


def test_renamed_copy_falls_back_to_the_app_name(project, importable, client_for):
    """Issue: a copy of a project in a folder with another name answered 404 everywhere."""
    importable(project(name="elsewhere"))
    root = project(
        name="blog-copy",
        settings="SECRET_KEY = 'k'\n",
        files={
            "blog/__init__.py": "",
            "blog/controller.py": CONTROLLER.format(name="Blog", lower="blog"),
            "blog/service.py": SERVICE.format(name="Blog", lower="blog"),
        },
    )
    app = Application("blog", current_dir=root)
    assert app.package == "blog"
    assert client_for(app).get("/blog/").json()["app"] == "blog"


def test_explicit_package_argument(project, importable, client_for):
    importable(project(name="elsewhere"))
    root = project(
        name="site",
        settings="SECRET_KEY = 'k'\n",
        files={
            "shop/__init__.py": "",
            "shop/controller.py": CONTROLLER.format(name="Shop", lower="shop"),
            "shop/service.py": SERVICE.format(name="Shop", lower="shop"),
        },
    )
    app = Application("anything", current_dir=root, package="shop")
    assert client_for(app).get("/shop/").json()["service"] == "shop service"
    with pytest.raises(ConfigurationError, match="no importable package"):
        Application("anything", current_dir=root, package="missing_pkg_xyz")


def test_no_routes_is_a_warning_that_says_where_it_looked(project, caplog):
    root = project(name="lonely", settings="")
    with caplog.at_level("WARNING", logger="lonely_app"):
        Application("lonely_app", current_dir=root)
    (record,) = [r for r in caplog.records if r.name == "lonely_app"]
    text = record.getMessage()
    assert record.levelname == "WARNING"
    assert str(root / "lonely") in text and str(root / "lonely_app") in text
    assert "controllers=[...]" in text and "package=" in text


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


def test_show_routes_prints_and_returns_the_table(project, importable, capsys):
    from apistellar_web import show_routes

    root = original_tree(project, "Blog")
    importable(root.parent / "elsewhere")
    table = show_routes(root)
    printed = capsys.readouterr().out
    assert printed == table + "\n"
    assert "view:blogcontroller:index" in table and "blog.controller:BlogController#index" in table
    assert show_routes(project(name="bare", settings="")) == "Nothing to route."
    assert "Nothing to route." in capsys.readouterr().out


def test_a_same_named_library_is_not_imported_as_a_side_effect(
    project, importable, monkeypatch, client_for, tmp_path
):
    """A project folder named like an installed package: that package is never imported."""
    marker = tmp_path / "imported"
    libs = project(
        name="libs",
        files={"shop/__init__.py": f"open({str(marker)!r}, 'w').close()\n"},
    )
    importable(libs)
    root = original_tree(project, "Shop")
    app = Application("shop", current_dir=root)
    assert app.package == "shop" and not marker.exists()
    assert client_for(app).get("/shop/").json()["app"] == "shop"


def test_show_routes_reads_the_app_name_of_web_app_without_running_it(project, importable, capsys):
    from apistellar_web import show_routes

    importable(project(name="elsewhere"))
    root = project(
        name="blog-copy",
        settings="SECRET_KEY = 'k'\n",
        files={
            "web_app.py": (
                "raise SystemExit('web_app.py must not run')\n"
                "app_name = 'blog'\n"
                "app = Application(app_name, current_dir='.')\n"
            ),
            "blog/__init__.py": "",
            "blog/controller.py": CONTROLLER.format(name="Blog", lower="blog"),
            "blog/service.py": SERVICE.format(name="Blog", lower="blog"),
        },
    )
    assert "view:blogcontroller:index" in show_routes(root)
    capsys.readouterr()
