"""Session管理.md, 使用require实现简单session认证.md and 全局对象.md: sessions, ``require``
and ``coroutinelocal``, in the blog project the pages quote.

Session管理.md's ``ArticleController(Controller, SettingsMixin)`` builds its service in
``__init__`` and injects ``app: App`` and ``session: Session`` into ``_import``, which
renders ``login.html`` until the session holds ``login``; controller的使用方法.md's
``check`` logs in with ``FormParam``s compared to ``self.settings``. The require page
guards actions with ``require(Session, judge)``; 全局对象.md puts the session into
``coroutinelocal`` through ``LOCAL_VARIABLE``.
"""

import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from itsdangerous import URLSafeTimedSerializer

SETTINGS = """
SECRET_KEY = "session-secret"
SESSION_COOKIE_NAME = "blog_session"
TEMPLATE_DIR = "templates"
USERNAME = "test"
PASSWORD = "12345"
LOCAL_VARIABLE = {
    "session": "apistellar.Session"
}
"""

CONTROLLER = """
    import asyncio

    from apistar import http, App
    from apistellar.helper import redirect
    from apistellar import Controller, route, get, post, \\
        Session, FormParam, SettingsMixin, require, coroutinelocal

    from .article import Article
    from .service import ArticleService


    @route("", name="article")
    class ArticleController(Controller, SettingsMixin):

        def __init__(self):
            # built once here: no injection, as the page explains
            self.service = ArticleService()

        @get("/import")
        async def _import(self, app: App, session: Session):
            if not session.get("login"):
                return app.render_template("login.html", ref="import")
            else:
                return app.render_template("import.html", success="")

        @post("/check")
        async def check(self,
                        app: App,
                        article: Article,
                        username: FormParam,
                        password: FormParam,
                        ref: FormParam,
                        session: Session) -> str:
            if username == self.settings["USERNAME"] and \\
                    password == self.settings["PASSWORD"]:
                session["login"] = f'{username}:{password}'
                if ref:
                    return app.render_template(
                        f"{ref}.html", success="", **article.to_dict())
                else:
                    return redirect(app.reverse_url("view:welcome:index"))
            else:
                return app.render_template("login.html", **article.to_dict())

        @get("/who")
        def who(self):
            return self.service.current_login()

        @get("/slow-who")
        async def slow_who(self, session: Session, wait: http.QueryParam):
            first = coroutinelocal.session.get("user")
            await asyncio.sleep(float(wait))
            return {"before": first, "after": coroutinelocal.session.get("user"),
                    "injected": session.get("user")}

        @get("/logout")
        def logout(self, session: Session):
            session.clear()
            return {"logout": True}

        @get("/private")
        @require(Session, judge=lambda session: session.get("login"))
        def private(self):
            return {"private": "content"}

        @get("/mine")
        @require(Session, error="Please log in first")
        async def mine(self):
            return {"mine": True}

        @post("/become")
        def become(self, session: Session, user: FormParam):
            session["user"] = user
            return {"user": user}


    @route("/", name="welcome")
    class WelcomeController(Controller):

        @get("/")
        def index(self):
            return "welcome"
"""

SERVICE = """
    from apistellar import coroutinelocal


    class ArticleService(object):

        def current_login(self):
            session = coroutinelocal.session
            return {"login": session.get("login"), "path": coroutinelocal.scope["path"]}
"""

ARTICLE = """
    from apistellar import Type, validators


    class Article(Type):
        title = validators.String(default="")
"""


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("sessions"),
        "blog",
        {
            "settings.py": SETTINGS,
            "templates/login.html": "login page ref={{ ref }} title={{ title }}",
            "templates/import.html": "import page title={{ title }}",
            "blog/article/controller.py": CONTROLLER,
            "blog/article/service.py": SERVICE,
            "blog/article/article.py": ARTICLE,
        },
    )
    with migration.serve(project) as server:
        yield server


def test_session_gate_renders_login_then_import(served):
    """Session管理.md: ``_import`` renders the login page until the session holds
    ``login``; ``check`` with the settings' credentials logs in (the Flask-style cookie)."""
    with served.client() as client:
        assert client.get("/import").text == "login page ref=import title="
        wrong = client.post("/check", data={"username": "test", "password": "no", "ref": ""})
        assert wrong.text.startswith("login page")
        assert "blog_session" not in client.cookies
        right = client.post(
            "/check",
            data={"username": "test", "password": "12345", "ref": "import", "title": "T"},
        )
        assert right.text == "import page title=T"
        assert "blog_session" in client.cookies
        assert client.get("/import").text == "import page title="


def test_check_without_ref_redirects_to_the_welcome_route(served):
    """controller的使用方法.md: ``redirect(app.reverse_url("view:welcome:index"))``."""
    with served.client() as client:
        answer = client.post("/check", data={"username": "test", "password": "12345", "ref": ""})
    assert answer.status_code == 302 and answer.headers["location"] == "/"


def test_session_in_coroutinelocal(served):
    """全局对象.md: with ``LOCAL_VARIABLE = {"session": "apistellar.Session"}`` a service
    reads ``coroutinelocal.session`` (and the default ``coroutinelocal.scope``)."""
    with served.client() as client:
        assert client.get("/who").json() == {"login": None, "path": "/who"}
        client.post("/check", data={"username": "test", "password": "12345", "ref": "import"})
        assert client.get("/who").json() == {"login": "test:12345", "path": "/who"}


def test_clearing_the_session_deletes_the_cookie(served):
    """Session管理.md: the session is used like Flask's; clearing it logs out."""
    with served.client() as client:
        client.post("/check", data={"username": "test", "password": "12345", "ref": "import"})
        assert client.get("/logout").json() == {"logout": True}
        assert client.get("/who").json()["login"] is None


def test_require_with_a_judge(served):
    """使用require实现简单session认证.md: ``require(Session, judge)`` refuses with the 401
    envelope and the error text until the judge passes."""
    with served.client() as client:
        refused = client.get("/private").json()
        assert refused["code"] == 401 and refused["errcode"] == 401
        assert refused["message"] == "Login required!"
        client.post("/check", data={"username": "test", "password": "12345", "ref": "import"})
        assert client.get("/private").json() == {"private": "content"}


def test_require_default_judge_reads_the_user(served):
    """使用require实现简单session认证.md: the default judge checks the session's ``user``.
    [quirk] The original read it as an attribute, which a session never has (F56), so the
    default always refused with a 999 envelope; here it reads ``session["user"]``."""
    with served.client() as client:
        refused = client.get("/mine").json()
        assert refused["code"] == 401 and refused["message"] == "Please log in first"
        client.post("/become", data={"user": "tom"})
        assert client.get("/mine").json() == {"mine": True}


def test_session_cookie_is_flask_s(served):
    """Session管理.md: the session is Flask's, configured in settings.py (here
    ``SESSION_COOKIE_NAME``); the cookie is Flask 1.0's signed format (F60), so a Flask
    app with the same ``SECRET_KEY`` reads it."""
    with served.client() as client:
        client.post("/check", data={"username": "test", "password": "12345", "ref": "import"})
        cookie = client.cookies["blog_session"]
    flask_reader = URLSafeTimedSerializer(
        "session-secret",
        salt="cookie-session",
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )
    assert flask_reader.loads(cookie) == {"login": "test:12345"}


def test_coroutinelocal_is_per_request_under_concurrency(served):
    """全局对象.md: ``coroutinelocal`` holds the *current* request's values, like a
    thread-local per coroutine: overlapping requests of two users each see their own."""

    def as_user(name, wait):
        with served.client() as client:
            client.post("/become", data={"user": name})
            return client.get("/slow-who", params={"wait": wait}).json()

    with ThreadPoolExecutor(4) as pool:
        results = list(
            pool.map(as_user, ["ann", "bob", "cid", "dan"], ["0.4", "0.1", "0.3", "0.2"])
        )
    for name, result in zip(["ann", "bob", "cid", "dan"], results, strict=True):
        assert result == {"before": name, "after": name, "injected": name}
