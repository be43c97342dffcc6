"""增强的EventHook.md: hooks found by subclassing ``Hook``, ordered by ``order``, and
``Return(...)`` called bare in ``on_request`` to answer at once.

The page's hook checks the session in ``on_request`` and calls ``Return({"error": ...})``
-- a bare call, because the original's ``Return`` was a function that raised. Issue 10,
defect 1: that call did nothing here, so the guarded handler ran; these tests prove the
handler's side effect does not happen.
"""

import pytest

HOOKS = """
    from apistar import http
    from apistellar import Session, Hook, Return, require


    class BanHook(Hook):
        order = 0

        @require(http.Headers, judge=lambda headers: headers.get("x-member") != "banned",
                 error="Banned")
        def on_request(self):
            pass


    class SessionHook(Hook):
        order = 10

        def on_request(self, session: Session, path: http.Path):
            if path.startswith("/account/"):
                return
            if not session.get("login"):
                Return({"error": "not logged in"})


    class Outer(Hook):
        order = 1

        def on_request(self, headers: http.Headers):
            if headers.get("x-html"):
                Return("<p>short cut</p>")
            if headers.get("x-response"):
                Return(http.Response(b"raw", status_code=202, headers={"X-Raw": "1"}))

        def on_response(self, resp: http.Response):
            resp.headers["X-Order"] = resp.headers.get("X-Order", "") + "outer"

        def on_error(self, error: Exception):
            print("outer saw", type(error).__name__, flush=True)


    class Inner(Hook):
        order = 5

        def on_response(self, resp: http.Response):
            resp.headers["X-Order"] = resp.headers.get("X-Order", "") + "inner,"
"""

CONTROLLERS = """
    from apistar import http
    from apistellar import Controller, Session, route, get, post, settings


    @route("/account")
    class AccountController(Controller):

        @post("/login")
        def login(self, session: Session):
            session["login"] = "tom"
            return {"login": True}


    @route("/admin")
    class AdminController(Controller):

        @post("/wipe")
        def wipe(self):
            with open(settings["EFFECTS"], "a") as effects:
                effects.write("wiped\\n")
            return {"wiped": True}

        @get("/fail")
        def fail(self):
            raise ValueError((700, "failed on purpose"))
"""


@pytest.fixture(scope="module")
def effects(tmp_path_factory):
    return tmp_path_factory.mktemp("effects") / "effects.log"


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory, effects):
    project = migration.write_project(
        tmp_path_factory.mktemp("hooks"),
        "hooked",
        {
            "settings.py": f"SECRET_KEY = 'hook-secret'\nEFFECTS = {str(effects)!r}\n",
            "hooked/hooks.py": HOOKS,
            "hooked/admin/controller.py": CONTROLLERS,
        },
    )
    with migration.serve(project) as server:
        yield server


def test_guard_hook_blocks_and_the_handler_never_runs(served, effects):
    """增强的EventHook.md: ``Return({...})`` called bare in ``on_request`` answers with
    that value, and the protected handler's side effect does not happen (defect 1)."""
    with served.client() as client:
        for _ in range(3):
            refused = client.post("/admin/wipe")
            assert refused.status_code == 200
            assert refused.json() == {"error": "not logged in"}
    assert not effects.exists()


def test_logged_in_requests_pass_the_guard(served, effects):
    """增强的EventHook.md: with the session's login set, the same request reaches the handler."""
    with served.client() as client:
        assert client.post("/account/login").json() == {"login": True}
        assert client.post("/admin/wipe").json() == {"wiped": True}
    assert effects.read_text() == "wiped\n"


def test_return_shapes_str_and_response(served):
    """F51: a ``str`` given to ``Return`` is HTML, an ``http.Response`` is sent as it is."""
    with served.client() as client:
        html = client.get("/admin/fail", headers={"X-Html": "1"})
        raw = client.get("/admin/fail", headers={"X-Response": "1"})
    assert html.text == "<p>short cut</p>"
    assert html.headers["content-type"].startswith("text/html")
    assert raw.status_code == 202 and raw.content == b"raw" and raw.headers["x-raw"] == "1"


def test_hook_order_and_on_response_on_every_path(served):
    """增强的EventHook.md: ``order`` sets the priority; ``on_response`` runs in reverse
    order. [bug] in the original (F5, §3.3 #16) ``on_response`` was skipped on the error
    and ``Return()`` paths; here it runs on every path, so the session is always saved."""
    with served.client() as client:
        client.post("/account/login")
        normal = client.get("/admin/fail")
        returned = client.get("/admin/fail", headers={"X-Html": "1"})
    assert normal.headers["x-order"] == "inner,outer"
    assert returned.headers["x-order"] == "inner,outer"


def test_on_error_hooks_see_the_error(served):
    """F6: an ``on_error`` hook gets the exception by annotation; the envelope follows."""
    with served.client() as client:
        client.post("/account/login")
        body = client.get("/admin/fail").json()
    assert body["code"] == 700 and body["message"] == "failed on purpose"
    assert "outer saw ValueError" in served.output()


def test_require_on_a_hook_method(served, effects):
    """使用require实现简单session认证.md: ``require`` also decorates a hook's ``on_``
    methods; its refusal is the 401 envelope and nothing after it runs."""
    with served.client() as client:
        client.post("/account/login")
        before = effects.read_text() if effects.exists() else ""
        refused = client.post("/admin/wipe", headers={"X-Member": "banned"}).json()
        assert (refused["code"], refused["message"]) == (401, "Banned")
        assert (effects.read_text() if effects.exists() else "") == before
