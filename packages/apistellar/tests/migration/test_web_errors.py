"""错误码处理.md, test_error_hook.py, test_bases/test_hooks.py and test_app.py: error codes.

Users raise errors on purpose with ``assert cond, (code, message)``, ``assert cond,
message`` or ``assert cond, code`` and register texts with ``ErrorHook.register``; the
built-in ``ErrorHook`` turns them into the error envelope (HTTP 200). The original test
suite also called ``ErrorHook().on_error(error, app)`` directly, and served handlers
written without ``self`` that divide by zero, with ``app.debug`` on and off.

[bug] The page says debug (tracebacks in ``detail``) is on by default; that sent
tracebacks to clients (§3.3 #1), so here it is off unless ``DEBUG`` is set.
"""

import json
import sys
from collections import namedtuple

import pytest
from apistar.http import Response

from apistellar.bases.hooks import ErrorHook

FILES = {
    "settings.py": "SECRET_KEY = 'errors'\n",
    "errs/files/controller.py": """
        import sys

        from apistar.http import QueryParam, Response
        from apistellar import Controller, ErrorHook, route, get

        ErrorHook.register({124: "Cannot find mongo item! "})


        @route("/files")
        class FileController(Controller):

            @get("/coded")
            def coded(self, name: QueryParam = ""):
                file_list = [name] if name else []
                assert file_list, (900, "Cannot find mongo item! ")
                return file_list

            @get("/message")
            def message(self):
                file_list = []
                assert file_list, "Cannot find mongo item! "

            @get("/unregistered")
            def unregistered(self):
                file_list = []
                assert file_list, 123

            @get("/registered")
            def registered(self):
                file_list = []
                assert file_list, 124

            @get("/extra")
            def extra(self):
                raise AssertionError([321, "with extra", {"id": 1111}])


        @route("/")
        class ExceptionController(Controller):

            @get("/exception")
            def exception():
                1/0

            @get("/exception/response")
            def exception_response():
                try:
                    1/0
                except ZeroDivisionError:
                    return Response("error", exc_info=sys.exc_info())
    """,
}


@pytest.fixture(scope="module")
def project(migration, tmp_path_factory):
    return migration.write_project(tmp_path_factory.mktemp("errors"), "errs", FILES)


@pytest.fixture(scope="module")
def served(migration, project):
    with migration.serve(project) as server:
        yield server


@pytest.fixture(scope="module")
def served_debug(migration, project):
    with migration.serve(project, env={"DEBUG": "1"}) as server:
        yield server


@pytest.mark.parametrize(
    ("path", "code", "message"),
    [
        ("/files/coded", 900, "Cannot find mongo item! "),
        ("/files/message", 999, "Cannot find mongo item! "),
        ("/files/unregistered", 123, "Not configured error"),
        ("/files/registered", 124, "Cannot find mongo item! "),
    ],
)
def test_assert_shapes_give_the_error_envelope(served, path, code, message):
    """错误码处理.md: each ``assert`` shape of the page and its envelope, HTTP 200. (The
    page's sample shows a ``value`` key; the original's code sent ``type`` and ``extra``,
    which is the wire format kept, F52.)"""
    with served.client() as client:
        response = client.get(path)
    assert response.status_code == 200
    assert response.json() == {
        "type": "normal",
        "code": code,
        "errcode": code,
        "message": message,
        "extra": None,
    }


def test_a_passing_assert_answers_normally(served):
    """错误码处理.md: the assert only fires when its condition is false."""
    with served.client() as client:
        assert client.get("/files/coded", params={"name": "a"}).json() == ["a"]


def test_code_message_and_extra(served):
    """test_error_hook.py: ``[code, message, extra]`` fills all three fields."""
    with served.client() as client:
        body = client.get("/files/extra").json()
    assert (body["code"], body["message"], body["extra"]) == (321, "with extra", {"id": 1111})


def test_no_traceback_by_default(served):
    """错误码处理.md [bug]: no ``detail`` unless debug is switched on (§3.3 #1)."""
    with served.client() as client:
        assert "detail" not in client.get("/files/coded").json()


def test_exception_debug_true(served_debug):
    """test_app.py ``test_exception_debug_true``: a self-less handler's ZeroDivisionError
    gives code 999 with the message and, in debug mode, the traceback."""
    with served_debug.client() as client:
        data = client.get("/exception").json()
    assert data["code"] == 999 and data["errcode"] == 999
    assert data["message"] == "division by zero"
    assert "ZeroDivisionError" in data["detail"]


def test_exception_debug_false(served):
    """test_app.py ``test_exception_debug_false``."""
    with served.client() as client:
        data = client.get("/exception").json()
    assert data["code"] == 999 and data["message"] == "division by zero"
    assert "detail" not in data


def test_not_found_debug_true_and_false(served, served_debug):
    """test_app.py ``test_not_found_debug_*``: the HTTP envelope, 404, detail in debug only."""
    with served_debug.client() as client:
        loud = client.get("/not/found")
    with served.client() as client:
        quiet = client.get("/not/found")
    for response in (loud, quiet):
        assert response.status_code == 404
        body = response.json()
        assert (body["code"], body["errcode"], body["message"]) == (404, 404, "Not found")
    assert "detail" in loud.json() and "detail" not in quiet.json()


def test_exception_response_debug_true(served_debug):
    """test_app.py: a Response carrying ``exc_info`` becomes the error's envelope in debug."""
    with served_debug.client() as client:
        data = client.get("/exception/response").json()
    assert data["code"] == 999 and data["message"] == "division by zero"
    assert "detail" in data


def test_exception_response_debug_false(served):
    """test_app.py: without debug the Response itself is sent."""
    with served.client() as client:
        assert client.get("/exception/response").content == b"error"


App = namedtuple("App", "debug")


def _on_error(error, debug):
    app = App(debug)
    return json.loads(ErrorHook().on_error(error, app).content)


def test_error_hook_called_directly_debug():
    """test_error_hook.py / test_bases/test_hooks.py: code, message and extra, with detail."""
    data = _on_error(AssertionError([123, "error", {"id": 1111}]), debug=True)
    assert (data["code"], data["message"], data["extra"]) == (123, "error", {"id": 1111})
    assert "detail" in data


@pytest.mark.parametrize(
    ("error", "code", "message", "extra"),
    [
        (AssertionError([123, "error", {"id": 1111}]), 123, "error", {"id": 1111}),
        (AssertionError(123), 123, "Not configured error", None),
        (AssertionError("test error"), 999, "test error", None),
        (AssertionError(["test error", {"id": 2}]), 999, "test error", {"id": 2}),
        (AssertionError(), 999, "Unknown error", None),
    ],
)
def test_error_hook_called_directly(error, code, message, extra):
    """test_error_hook.py / test_bases/test_hooks.py: the envelope of each error shape."""
    data = _on_error(error, debug=False)
    assert (data["code"], data["message"], data["extra"]) == (code, message, extra)
    assert "detail" not in data


def test_error_hook_with_a_response():
    """test_error_hook.py: an exception carrying a Response answers with that response."""
    assert ErrorHook().on_error(Exception(Response(content="abc")), App(False)).content == b"abc"


def test_error_hook_register():
    """test_error_hook.py ``test_error_hook8``: registered texts replace the default."""
    errors = {5123: "测试错误"}
    ErrorHook.register(errors)
    assert _on_error(AssertionError(5123), debug=False)["message"] == errors[5123]


def test_error_hook_register_pairs():
    """F52: ``register`` also takes ``(code, text)`` pairs."""
    ErrorHook.register([(5124, "pair text")])
    assert _on_error(AssertionError(5124), debug=False)["message"] == "pair text"
    assert sys.modules["apistellar.bases.hooks"].ErrorHook is ErrorHook
