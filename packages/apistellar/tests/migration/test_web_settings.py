"""配置信息管理.md and test_settings_mixin.py: ``settings.py`` next to ``web_app.py``.

The page: the project's ``settings.py`` is loaded when the service starts and read
anywhere through ``from apistellar import settings`` (``settings.X``, ``settings["X"]``,
``settings.get``, ``get_int`` that also reads the environment); values are frozen,
containers come back frozen and ``normalize()`` gives plain copies; ``init_settings``
loads another settings module by its dotted name (unit tests). The mixin test reads a
value through ``SettingsMixin`` and overrides it with an environment variable.
"""

import pytest

SETTINGS = """
# -*- coding:utf-8 -*-
STATIC_FOLDER = "static"

STATIC_URL_PATH = "/static"

TEMPLATE_FOLDER = "templates"

USERNAME = "test"

PASSWORD = "12345"

TIME_ZONE = 'Asia/Shanghai'

AUTHOR = "夏洛之枫"

PAGE_SIZE = 40

CODE_EXPIRE_INTERVAL = 30*24*3600

PHANTOMJS_PATH = "phantomjs"

NEED_CODE = False

A = 1

NESTED = {"d": [3, 4, 5, 6], "e": {"a", 4, 5, 6}}


def helper():
    return "not a setting"
"""

CONTROLLER = """
    from apistellar import Controller, SettingsMixin, route, get, settings


    class A(SettingsMixin):
        pass


    @route("/settings")
    class SettingsController(Controller):

        @get("/values")
        def values(self):
            return {
                "attribute": settings.USERNAME,
                "item": settings["PASSWORD"],
                "get": settings.get("AUTHOR"),
                "page_size": settings.get_int("PAGE_SIZE", 10),
                "interval": settings.CODE_EXPIRE_INTERVAL,
                "need_code": settings.get_bool("NEED_CODE"),
                "from_env": settings.get_int("b", 11),
                "helper_is_setting": "helper" in settings,
            }

        @get("/nested")
        def nested(self):
            nested = settings.NESTED
            return {
                "d": list(nested.d),
                "d_type": type(nested.d).__name__,
                "e": sorted(map(str, nested.e)),
                "plain": type(nested.normalize()).__name__,
            }

        @get("/frozen")
        def frozen(self):
            try:
                settings.NESTED.d.append(7)
            except NotImplementedError as error:
                return {"frozen": type(error).__name__}
            return {"frozen": False}

        @get("/mixin")
        def mixin(self):
            a = A()
            return {"get": a.settings.get("A"), "get_int": a.settings.get_int("A")}
"""


@pytest.fixture(scope="module")
def project(migration, tmp_path_factory):
    return migration.write_project(
        tmp_path_factory.mktemp("settings"),
        "conf",
        {
            "settings.py": SETTINGS,
            "conf/settings_page/controller.py": CONTROLLER,
            "uploader/__init__.py": "",
            "uploader/settings.py": "UPLOAD_DIR = '/data/uploads'\nPAGE_SIZE = 5\n",
        },
    )


@pytest.fixture(scope="module")
def served(migration, project):
    with migration.serve(project, env={"b": "3"}) as server:
        yield server


def test_settings_read_every_way(served):
    """配置信息管理.md: attribute, item, ``get``, ``get_int`` (an environment variable
    ``b=3`` read by ``get_int("b", 11)``), numbers and booleans as written."""
    with served.client() as client:
        values = client.get("/settings/values").json()
    assert values == {
        "attribute": "test",
        "item": "12345",
        "get": "夏洛之枫",
        "page_size": 40,
        "interval": 30 * 24 * 3600,
        "need_code": False,
        "from_env": 3,
        "helper_is_setting": False,
    }


def test_containers_are_frozen_and_normalize(served):
    """配置信息管理.md: a dict setting allows ``.`` access, its containers are frozen
    (writes raise ``NotImplementedError`` as toolkit's Frozen did), ``normalize()`` gives
    plain values."""
    with served.client() as client:
        nested = client.get("/settings/nested").json()
        frozen = client.get("/settings/frozen").json()
    assert nested["d"] == [3, 4, 5, 6] and nested["plain"] == "dict"
    assert nested["e"] == sorted(["a", "4", "5", "6"])
    assert frozen["frozen"] not in (False, None)


def test_settings_mixin(served):
    """test_settings_mixin.py ``test_settings_get``: ``A().settings.get("A") == 1``."""
    with served.client() as client:
        assert client.get("/settings/mixin").json() == {"get": 1, "get_int": 1}


def test_settings_mixin_env_overwrite(migration, project):
    """test_settings_mixin.py ``test_settings_overwrite``: with ``A=2`` in the environment
    ``get_int("A") == 2`` (the original's environment override by bare name)."""
    with migration.serve(project, env={"A": "2"}) as server, server.client() as client:
        assert client.get("/settings/mixin").json()["get_int"] == 2


def test_settings_environment_override_of_a_number(migration, project):
    """配置信息管理.md: an environment value overrides the file's (typed like it, DESIGN §2)."""
    with migration.serve(project, env={"PAGE_SIZE": "50"}) as server, server.client() as client:
        assert client.get("/settings/values").json()["page_size"] == 50


def test_init_settings_by_dotted_name(migration, project):
    """配置信息管理.md: ``init_settings("uploader.settings")`` loads that module, e.g. in a
    unit test where the project's settings are not found by themselves."""
    script = (
        "from apistellar import init_settings, settings\n"
        "init_settings('uploader.settings')\n"
        "print(settings.UPLOAD_DIR, settings.get_int('PAGE_SIZE'))\n"
    )
    result = migration.run_command("python", "-c", script, cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/data/uploads", "5"]
