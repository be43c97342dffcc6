"""Typed clients of the example project: ``apistellar openapi`` exports its document and
``apistellar create rpc blog_api -m blog --httpx`` writes a client that, sync and async,
talks to the example served by uvicorn (articles, the session's login, errors)."""

import asyncio
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from apistellar_web.rpc import BackendServiceError

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "blog"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def example(
    example_runner, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, str]]]:
    with example_runner.uvicorn(tmp_path_factory.mktemp("example-clients")) as served:
        yield served


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "apistellar"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def blog_api(
    example: tuple[str, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ModuleType]:
    _, env = example
    out = tmp_path_factory.mktemp("blog-clients")
    result = _run(
        ["create", "rpc", "blog_api", "-m", "blog", "-l", str(out), "--httpx"], EXAMPLE.parent, env
    )
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("blog_api")
    finally:
        sys.path.remove(str(out))
        sys.modules.pop("blog_api", None)


def test_apistellar_openapi_exports_the_example(example: tuple[str, dict[str, str]]) -> None:
    """The exported document is the one the example serves."""
    import httpx
    from openapi_spec_validator import validate

    url, env = example
    result = _run(["openapi"], EXAMPLE, env)
    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)
    validate(exported)
    assert exported == httpx.get(f"{url}/openapi.json", timeout=30).json()


def test_the_sync_client(example: tuple[str, dict[str, str]], blog_api: ModuleType) -> None:
    """Create, read and list articles; log in and be known; a missing article is an error."""
    url, _ = example
    with blog_api.Client(url) as api:
        created = api.article_create(body={"title": "Typed", "tags": ["client"]})
        assert created["title"] == "Typed" and created["author"] is None
        assert api.article_show(created["id"])["tags"] == ["client"]
        assert created["id"] in [article["id"] for article in api.article_list()]
        assert api.account_login(user="ann") == {"logged_in": "ann"}
        assert api.account_whoami() == {"user": "ann"}
        by_ann = api.article_create(body={"title": "Signed"})
        assert by_ann["author"] == "ann"  # the session travels with the client
        assert "<html" in api.site_index().lower()
        with pytest.raises(BackendServiceError) as missing:
            api.article_show(999999)
    assert missing.value.args[0]["code"] == 404


def test_the_async_client(example: tuple[str, dict[str, str]], blog_api: ModuleType) -> None:
    """The same through AsyncClient."""
    url, _ = example

    async def scenario() -> tuple[dict[str, object], dict[str, object]]:
        async with blog_api.AsyncClient(url) as api:
            created = await api.article_create(body={"title": "Async"})
            await api.account_login(user="bo")
            return await api.article_show(created["id"]), await api.account_whoami()

    shown, whoami = asyncio.run(scenario())
    assert shown["title"] == "Async" and whoami == {"user": "bo"}
