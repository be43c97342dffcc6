"""controller的使用方法.md, test_bases/test_components.py, test_proxy.py, test_manager.py.

The controller page: ``@route`` gives a controller its URI (joined with its parent
controller's), ``@get``/``@post``... bind actions, the URL defaults to ``/<method name>``
and one action may carry several method decorators. The components test module posts
query, header, form and cookie values and models (from a form, the query or a default)
to a controller, and asks for a parameter nothing can provide.
"""

import sys

import pytest

from apistellar import Type, validators

CONTROLLERS = """
    import typing

    from apistar import http
    from apistellar import route, get, post, put, delete, Controller, FormParam, Cookie, \\
        validators, Type, FileStream


    class ModelTest(Type):
        a = validators.String()
        b = validators.Integer()
        c = validators.String(default="test")


    @route("/component")
    class ComponentsTestController(Controller):

        @post()
        def args_test(self, query_arg: http.QueryParam,
                      referer: http.Header,
                      form_arg: FormParam,
                      session: Cookie,
                      cookies: typing.Dict[str, Cookie]):
            return {"query_arg": query_arg,
                    "referer": referer,
                    "form_arg": form_arg,
                    "session": session,
                    "cookies": cookies}

        @post()
        def form_model(self, model: ModelTest):
            model.format(allow_coerce=True)
            return model

        @post()
        def form_model_default_none(self, model: ModelTest = None):
            return model

        @post()
        def form_model_default_dict(self, model: ModelTest = {"a": "14", "b": 2}):
            model.format()
            return model

        @get()
        def query_model(self, model: ModelTest):
            model.format(allow_coerce=True)
            return model

        @get()
        def query_model_default_none(self, model: ModelTest=None):
            return model

        @get()
        def query_model_default_dict(self, model: ModelTest={"a": "14", "b": 2}):
            model.format()
            return model

        @post()
        async def file_stream(self, stream: FileStream):
            buffer = b""
            async for file in stream:
                async for chunk in file:
                    buffer += chunk
            return {"data": buffer.decode()}


    @route("/user")
    class UserController(Controller):

        @get("/{user_id}")
        def show(self, user_id: int):
            return {"id": user_id}

        @get("/multi")
        @post("/multi")
        def multi(self, method: http.Method):
            return {"method": method}

        @put()
        def rename(self, name: http.QueryParam):
            return {"renamed": name}


    @route("/admin", name="adm")
    class AdminController(UserController):

        @get()
        def panel(self, app: http.Path):
            return {"panel": app}

        @delete("/item/{item_id}")
        def remove(item_id: int):
            return {"removed": item_id}
"""


@pytest.fixture(scope="module")
def project(migration, tmp_path_factory):
    return migration.write_project(
        tmp_path_factory.mktemp("controllers"),
        "ctrl",
        {"settings.py": "SECRET_KEY = 'ctrl'\n", "ctrl/component/controller.py": CONTROLLERS},
    )


@pytest.fixture(scope="module")
def served(migration, project):
    with migration.serve(project) as server:
        yield server


def test_args(served):
    """test_components.py ``test_args``: query, header, form field, one cookie, all cookies."""
    with served.client(
        cookies={"session": "111", "uid": "222"}, headers={"referer": "http://www.baidu.com/"}
    ) as client:
        response = client.post(
            "/component/args_test",
            params={"query_arg": "test_query"},
            data={"form_arg": "test_form"},
        )
    assert response.json() == {
        "query_arg": "test_query",
        "referer": "http://www.baidu.com/",
        "form_arg": "test_form",
        "session": "111",
        "cookies": {"session": "111", "uid": "222"},
    }


def test_validate_model_form(served):
    """test_components.py: a model from the form, formatted with coercion."""
    with served.client() as client:
        response = client.post("/component/form_model", data={"a": "11", "b": "2"})
    assert response.json() == {"a": "11", "b": 2, "c": "test"}


def test_validate_model_form_without_form(served):
    """test_components.py: no body and no query: ``model cannot be empty!`` (HTTP 400)."""
    with served.client() as client:
        response = client.post("/component/form_model")
    assert response.status_code == 400
    assert response.json()["message"] == "model cannot be empty!"


def test_validate_model_form_defaults(served):
    """test_components.py: the parameter's default is used when there is no data."""
    with served.client() as client:
        assert client.post("/component/form_model_default_none").json() is None
        assert client.post("/component/form_model_default_dict").json() == {
            "a": "14",
            "b": 2,
            "c": "test",
        }


def test_validate_model_query(served):
    """test_components.py: a model from the query string, and its empty/default cases."""
    with served.client() as client:
        assert client.get("/component/query_model", params={"a": "11", "b": "2"}).json() == {
            "a": "11",
            "b": 2,
            "c": "test",
        }
        assert client.get("/component/query_model").json()["message"] == "model cannot be empty!"
        assert client.get("/component/query_model_default_none").json() is None
        assert client.get("/component/query_model_default_dict").json() == {
            "a": "14",
            "b": 2,
            "c": "test",
        }


def test_file_stream_component_with_wrong_content_type(served):
    """test_components.py: a url-encoded form cannot be read as a ``FileStream`` (415)."""
    with served.client() as client:
        response = client.post("/component/file_stream", data={"abc": "aa"})
    assert response.status_code == 415
    assert response.json()["message"] == "Unsupported Content-Type header in request"


def test_file_stream_component_without_boundary(served):
    """test_components.py: ``multipart/form-data`` without a boundary: ``Missing boundary``."""
    with served.client() as client:
        response = client.post(
            "/component/file_stream",
            content=b"--x\r\n\r\n",
            headers={"Content-Type": "multipart/form-data"},
        )
    assert response.status_code == 400
    assert response.json()["message"] == "Missing boundary"


def test_file_stream_reads_the_files(served):
    """test_components.py ``file_stream``: every file's chunks, in order."""
    with served.client() as client:
        response = client.post(
            "/component/file_stream", files={"one": ("a.txt", b"hello "), "two": ("b.txt", b"you")}
        )
    assert response.json() == {"data": "hello you"}


def test_routes_join_and_nest(served):
    """controller的使用方法.md: a controller subclass is nested under its parent's URI; the
    URL defaults to ``/<method name>``; one action may have several method decorators."""
    with served.client() as client:
        assert client.get("/user/7").json() == {"id": 7}
        assert client.get("/user/multi").json() == {"method": "GET"}
        assert client.post("/user/multi").json() == {"method": "POST"}
        assert client.put("/user/rename", params={"name": "n"}).json() == {"renamed": "n"}
        assert client.get("/user/admin/panel").json() == {"panel": "/user/admin/panel"}
        assert client.delete("/user/admin/item/3").json() == {"removed": 3}
        assert client.get("/user/x").status_code == 404  # an int path parameter


def test_route_names_in_the_table(migration, project):
    """controller的使用方法.md / F17: ``view:<controller>:...:<action>`` route names."""
    table = migration.run_command("apistar-routes", cwd=project).stdout
    names = ("view:usercontroller:multi", "view:usercontroller:multi_get")
    for name in (*names, "view:usercontroller:adm:panel"):
        assert name in table


def test_no_component_fails_at_start(migration, tmp_path):
    """test_components.py ``test_no_component``: a parameter nothing can provide. The
    original answered each request with a 999 envelope; here the app refuses to start
    with the same message (DESIGN.md §3: plans are made at start-up)."""
    broken = migration.write_project(
        tmp_path,
        "nocomp",
        {
            "nocomp/controller.py": """
                from apistellar import Controller, route, get


                @route("/component")
                class Broken(Controller):

                    @get()
                    def no_component(self, abc: object):
                        return abc
            """
        },
    )
    result = migration.run_command("python", "-c", "import web_app", cwd=broken)
    assert result.returncode != 0
    assert 'No component able to handle parameter "abc" on function' in result.stderr
    assert "no_component" in result.stderr


class Subject(Type):
    id = validators.String(allow_null=True)


class Student(Type):
    name = validators.String()
    subject = validators.Proxy(Subject, allow_null=True)


class Teacher(Type):
    name = validators.String()
    subject = validators.Proxy(Subject, default=dict)


def test_proxy_fields():
    """test_proxy.py: ``validators.Proxy`` fields, null and defaulted."""
    assert Student({"name": "tom", "subject": {"id": "10"}}).name == "tom"
    student = Student(name="tom")
    student.format()
    assert student.subject is None
    teacher = Teacher(name="john")
    teacher.format()
    assert isinstance(teacher.subject, Subject) and teacher.subject.id is None


def test_manager_leaves_sys_path_alone_and_models_come_last(migration, tmp_path):
    """test_bases/test_manager.py: the original's app set-up inserted the project folder and
    its parent into ``sys.path`` ([improve] §3.3 #34: no ``sys.path`` side effects here), and
    put the model component last, so a user's component for a model type wins (F27)."""
    project = migration.write_project(
        tmp_path,
        "managed",
        {
            "managed/parts.py": """
                from apistellar import Component, Controller, Type, validators, route, get


                class Thing(Type):
                    name = validators.String(default="from request")


                class ThingComponent(Component):
                    def resolve(self) -> Thing:
                        return Thing(name="from component")


                @route("/thing")
                class ThingController(Controller):
                    @get("/")
                    def show(self, thing: Thing):
                        return thing
            """
        },
    )
    script = (
        "import sys\n"
        "before = list(sys.path)\n"
        "import web_app\n"
        "assert sys.path == before, (before, sys.path)\n"
        "print('unchanged')\n"
    )
    result = migration.run_command("python", "-c", script, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "unchanged" in result.stdout
    with migration.serve(project) as server, server.client() as client:
        assert client.get("/thing/", params={"name": "q"}).json() == {"name": "from component"}
    assert "managed" not in sys.modules
