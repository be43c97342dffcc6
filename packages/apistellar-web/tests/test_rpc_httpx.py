"""Typed httpx clients: ``apistellar create rpc --httpx`` writes them from the project's
OpenAPI document; the sync and the async client round-trip against a real uvicorn, and
``mypy --strict`` accepts the generated module and code that uses it."""

import asyncio
import importlib
import subprocess
import sys

import pytest

from apistellar_web import Application
from apistellar_web.rpc import BackendInternalError, BackendServiceError
from apistellar_web.testing import LiveServer, free_port

CONTROLLER = '''
    from apistar import http

    from apistellar_web import (
        Controller, Cookie, FileStream, FormParam, Session, Type, get, post, return_wrapped,
        route, validators,
    )


    class Owner(Type):
        name = validators.String(max_length=20)


    class Item(Type):
        """Something for sale."""

        name = validators.String(max_length=20)
        price = validators.Number(minimum=0)
        kind = validators.String(enum=["new", "used"], default="new")
        owner = validators.Proxy(Owner, allow_null=True)
        tags = validators.Array(items=validators.String(), default=[])


    @route("/items", name="items")
    class ItemController(Controller):
        """Items"""

        @get("/{item_id}")
        async def one(self, item_id: int, detail: bool = False, lang: str = "en") -> dict:
            """One item."""
            return {"id": item_id, "detail": detail, "lang": lang}

        @get("/by/{+path}")
        async def by_path(self, path: str) -> dict:
            return {"path": path}

        @post("/")
        async def add(self, item: Item) -> Item:
            """Add an item.

            :param item: the item
            """
            return item

        @post("/owner")
        async def owner_form(self, owner: Owner, note: FormParam = "none") -> dict:
            """:type owner: form"""
            return {"owner": owner.name, "note": note}

        @post("/upload")
        async def upload(self, stream: FileStream) -> dict:
            sizes = {}
            async for part in stream:
                sizes[part.name] = [part.filename, len(await part.read(1 << 20))]
            return sizes

        @get("/page")
        async def page(self) -> str:
            return "<p>page</p>"

        @get("/wrapped")
        @return_wrapped(success_code=0, success_key_name="data", error_info={7: "refused"})
        async def wrapped(self, fail: bool = False) -> list[Item]:
            assert not fail, (7, "refused")
            return [Item(name="pen", price=1)]

        @get("/failing")
        async def failing(self) -> dict:
            assert False, (42, "not today")

        @get("/who")
        async def who(self, token: http.Header, flavour: Cookie = "plain") -> dict:
            return {"token": token, "flavour": flavour}

        @get("/login")
        async def login(self, user: str, session: Session) -> dict:
            session["user"] = user
            return {"logged_in": user}

        @get("/whoami")
        async def whoami(self, session: Session) -> dict:
            return {"user": session.get("user")}
'''

USE = """
from shop_typed import AsyncClient, Client, Item


def total(items: list[Item]) -> float:
    return sum(item["price"] for item in items)


def call(api: Client) -> float:
    added: Item = api.items_add(body={"name": "pen", "price": 2.0})
    one: dict[str, object] = api.items_one(3, detail=True)
    page: str = api.items_page()
    assert one and page
    return total([added, *api.items_wrapped()])


async def call_async(api: AsyncClient) -> float:
    return total(await api.items_wrapped(fail=False))
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory, write_project, command):
    root = tmp_path_factory.mktemp("rpc-httpx")
    project = write_project(root / "src", "shop", "items", CONTROLLER)
    out = root / "clients"
    result = command(
        "apistellar", "create", "rpc", "shop_typed", "-m", "shop", "-l", str(out), "--httpx",
        cwd=root / "src",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return project, out


@pytest.fixture(scope="module")
def live(generated):
    project, _ = generated
    sys.path.insert(0, str(project.parent))
    try:
        with LiveServer(Application("shop", current_dir=project)) as server:
            yield server
    finally:
        sys.path.remove(str(project.parent))
        for name in [name for name in sys.modules if name.split(".")[0] == "shop"]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def api_module(generated):
    _, out = generated
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("shop_typed")
    finally:
        sys.path.remove(str(out))
        sys.modules.pop("shop_typed", None)


def test_the_generated_module(generated):
    _, out = generated
    source = (out / "shop_typed" / "__init__.py").read_text()
    assert (out / "shop_typed" / "py.typed").is_file()
    assert "class Item(_ItemRequired, total=False):" in source
    assert "kind: typing.Literal['new', 'used']" in source
    assert "def items_one(self, item_id: int, *, detail: bool | None = None" in source
    assert "async def items_one(self, item_id: int, *," in source
    assert "def items_add(self, *, body: Item) -> Item:" in source
    assert "def items_wrapped(self, *, fail: bool | None = None) -> list[Item]:" in source
    assert "def items_upload(self, *, form: typing.Mapping[str, typing.Any] | None = None" in source
    assert "files: typing.Mapping[str, FileContent] | None = None" in source
    assert "def items_who(self, *, token: str, flavour: str | None = None)" in source
    assert "aiohttp" not in source


def test_the_sync_client_round_trips(live, api_module):
    with api_module.Client(live.url) as api:
        assert api.items_one(7, detail=True) == {"id": 7, "detail": True, "lang": "en"}
        assert api.items_one(7, lang="zh")["lang"] == "zh"
        assert api.items_by_path("a/b c.txt") == {"path": "a/b c.txt"}
        added = api.items_add(body={"name": "pen", "price": 1.5, "owner": {"name": "ann"}})
        assert added == {
            "name": "pen",
            "price": 1.5,
            "kind": "new",
            "owner": {"name": "ann"},
            "tags": [],
        }
        assert api.items_owner_form(form={"name": "bo", "note": "hi"}) == {
            "owner": "bo",
            "note": "hi",
        }
        sizes = api.items_upload(
            form={"caption": "two files"},
            files={"doc": ("a.txt", b"12345"), "pic": ("p.png", b"\x89PNG" * 10, "image/png")},
        )
        assert sizes == {"caption": [None, 9], "doc": ["a.txt", 5], "pic": ["p.png", 40]}
        assert api.items_page() == "<p>page</p>"
        assert api.items_wrapped() == [{"name": "pen", "price": 1}]
        assert api.items_who(token="t0k", flavour="mint") == {"token": "t0k", "flavour": "mint"}
        assert api.items_whoami() == {"user": None}
        assert api.items_login(user="ann") == {"logged_in": "ann"}
        assert api.items_whoami() == {"user": "ann"}  # the session cookie is kept
        # a cookie parameter goes along with the session's cookie
        assert api.items_who(token="x", flavour="mint")["flavour"] == "mint"
        assert api.items_whoami() == {"user": "ann"}


def test_errors(live, api_module):
    with api_module.Client(live.url) as api:
        with pytest.raises(BackendServiceError) as wrapped:
            api.items_wrapped(fail=True)
        assert wrapped.value.args[0]["code"] == 7 and wrapped.value.args[0]["message"] == "refused"
        with pytest.raises(BackendServiceError) as application:
            api.items_failing()
        assert application.value.args[0]["code"] == 42
        with pytest.raises(BackendServiceError) as invalid:
            api.items_add(body={"name": "x" * 50, "price": 1})
        assert invalid.value.args[0]["type"] == "http" and invalid.value.args[0]["code"] == 400
        with pytest.raises(BackendServiceError) as not_found:
            api.items_one("nope")  # a wrong type still reaches the service: 404
        assert not_found.value.args[0]["code"] == 404
    with api_module.Client(f"http://127.0.0.1:{free_port()}") as nobody:
        with pytest.raises(BackendInternalError) as failed:
            nobody.items_page()
    assert failed.value.__cause__ is not None


def test_the_async_client_round_trips(live, api_module):
    async def scenario():
        async with api_module.AsyncClient(live.url) as api:
            one = await api.items_one(1, detail=False)
            added = await api.items_add(body={"name": "ink", "price": 3})
            upload = await api.items_upload(files={"doc": ("d.bin", b"\0" * 100)})
            await api.items_login(user="cy")
            whoami = await api.items_whoami()
            with pytest.raises(BackendServiceError) as refused:
                await api.items_wrapped(fail=True)
            return one, added, upload, whoami, refused.value.args[0]

    one, added, upload, whoami, refused = asyncio.run(scenario())
    assert one == {"id": 1, "detail": False, "lang": "en"}
    assert added["name"] == "ink" and added["price"] == 3
    assert upload == {"doc": ["d.bin", 100]}
    assert whoami == {"user": "cy"}
    assert refused["code"] == 7


def test_mypy_strict_accepts_the_client_and_its_use(generated, tmp_path):
    pytest.importorskip("mypy")
    _, out = generated
    (tmp_path / "use_client.py").write_text(USE)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            str(out / "shop_typed"),
            str(tmp_path / "use_client.py"),
        ],
        cwd=tmp_path,
        env={"MYPYPATH": str(out), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (tmp_path / "misuse.py").write_text(
        "from shop_typed import Client\n\n\ndef f(api: Client) -> str:\n"
        "    return api.items_one('x')\n"
    )
    wrong = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "misuse.py"],
        cwd=tmp_path,
        env={"MYPYPATH": str(out), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert wrong.returncode == 1
    assert 'Argument 1 to "items_one" of "Client" has incompatible type "str"' in wrong.stdout
    assert "Incompatible return value type" in wrong.stdout


def test_bad_arguments(generated, command):
    project, _ = generated
    bad = command(
        "apistellar", "create", "rpc", "not-a-name", "-m", "shop", "--httpx", cwd=project.parent
    )
    assert bad.returncode == 2 and "must be a Python identifier" in bad.stderr


def test_models_naming_later_or_themselves_import_without_postponed_annotations(tmp_path):
    """The generated module evaluates its annotations on import (none are postponed):
    a model naming one defined after it, or itself, quotes that annotation."""
    import typing

    from apistellar_web.cli.rpc_httpx import render_client

    ref = "#/components/schemas/"
    document = {
        "info": {"title": "tree"},
        "paths": {
            "/nodes": {
                "post": {
                    "operationId": "add",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": ref + "Node"}}},
                    },
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": ref + "Leaf"}}}}
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "required": ["leaf"],
                    "properties": {
                        "leaf": {"$ref": ref + "Leaf"},
                        "children": {"type": "array", "items": {"$ref": ref + "Node"}},
                        "odd-name": {"type": "string"},
                    },
                },
                "Leaf": {
                    "type": "object",
                    "properties": {"parent": {"anyOf": [{"$ref": ref + "Node"}, {"type": "null"}]}},
                },
            }
        },
    }
    source = render_client(document)
    assert "import annotations" not in source
    (tmp_path / "tree_client.py").write_text(source)
    sys.path.insert(0, str(tmp_path))
    try:
        module = importlib.import_module("tree_client")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("tree_client", None)
    hints = typing.get_type_hints(module.Leaf)
    assert hints["parent"] == module.Node | None
    assert typing.get_type_hints(module.Client.add)["body"] is module.Node
