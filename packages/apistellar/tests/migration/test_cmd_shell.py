"""使用集成的IPython进行异步代码的调试.md (debugging async code in the integrated IPython)
and the original's ``console/``: the page's session typed into ``apistar-console`` and
``apistellar shell`` through a real pseudo-terminal (pexpect), IPython's full prompt."""

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

BIN = Path(sys.executable).parent
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")

ARTICLE = """
    from apistellar import Type, validators


    class Article(Type):
        id = validators.String(allow_null=True)
        title = validators.String(allow_null=True)

        async def load(self):
            # the page loads the rest of the article from its database
            self["title"] = f"article {self['id']} from the database"
            return self
"""


class Console:
    """One interactive session on a pty: type a line, get what it printed (ANSI removed)."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env["TERM"] = "xterm"
        env["PROMPT_TOOLKIT_NO_CPR"] = "1"  # no cursor-position round trip per prompt
        self.child = pexpect.spawn(
            command[0],
            command[1:],
            cwd=str(cwd),
            env=env,
            encoding="utf-8",
            timeout=90,
            dimensions=(50, 250),
        )
        self.count = 1
        self.banner = self._prompt()

    def _prompt(self) -> str:
        number = rf"In \[(?:\x1b\[[0-9;]*m)*{self.count}(?:\x1b\[[0-9;]*m)*\]: "
        self.child.expect(number)
        return ANSI.sub("", self.child.before)

    def run(self, line: str) -> str:
        """Type ``line`` at the prompt; what the cell printed."""
        self.child.sendline(line)
        self.count += 1
        return self._prompt()

    def close(self) -> None:
        self.child.sendline("exit")
        self.child.expect(pexpect.EOF)
        self.child.close()


@pytest.fixture(scope="module")
def blog(migration, tmp_path_factory):
    """The page's project: ``blog`` with ``blog/article/article.py``."""
    return migration.write_project(
        tmp_path_factory.mktemp("console"),
        "blog",
        {"settings.py": "SECRET_KEY = 'k'\n", "blog/article/article.py": ARTICLE},
    )


@pytest.fixture(
    scope="module", params=[["apistar-console"], ["apistellar", "shell"]], ids=["alias", "command"]
)
def console(request, blog) -> Iterator[Console]:
    """``apistar-console`` (the original's command) and ``apistellar shell``, in the
    project folder: one session each, shared by the tests (each starts with
    ``self.clear()``)."""
    session = Console([str(BIN / request.param[0]), *request.param[1:]], blog)
    try:
        yield session
    finally:
        session.close()


def test_the_banner_names_the_helpers(console):
    """The shell says what its namespace offers."""
    assert "Mocker" in console.banner and "inject(T)" in console.banner


def test_the_pages_session(console):
    """The page, line by line: a ``Mocker`` of ``http.RequestData``, ``mock(mocker)``,
    ``inject(Article)`` in a plain cell returning the article, ``self.clear()``, a new
    mock, then the article's async ``load()`` through ``_await`` (F75; the original's
    helper failed on Python 3.7 and later)."""
    console.run("self.clear()")
    console.run("from apistar import http")
    console.run("from blog.article.article import Article")
    console.run("mocker = Mocker()")
    console.run("mocker.add_mock(http.RequestData, {'title': '24424'})")
    console.run("mock(mocker)")
    console.run("article = inject(Article)")
    shown = console.run("article")
    assert "Out[" in shown and "<Article(" in shown and "title='24424'" in shown
    console.run("self.clear()")
    console.run("mocker = Mocker()")
    console.run("mocker.add_mock(http.RequestData, {'id': '20170710214424'})")
    console.run("mock(mocker)")
    console.run("article = inject(Article)")
    assert "id='20170710214424'" in console.run("article")
    loaded = console.run("_await(article.load())")
    assert "title='article 20170710214424 from the database'" in loaded
    printed = console.run("print(article.title)")
    assert "article 20170710214424 from the database" in printed


def test_inject_stays_awaitable_and_the_loop_persists(console):
    """``await inject(T)`` in a cell that awaits (``mock(T, value)`` also works); cells
    run on one loop, so the loop seen in one cell is the loop of the next."""
    console.run("self.clear()")
    console.run("from apistar import http")
    console.run("from blog.article.article import Article")
    console.run("mock(http.RequestData, {'id': '1'})")  # the one-type form, kept
    assert "<Article(id='1'" in console.run("await inject(Article)")
    console.run("import asyncio")
    console.run("await asyncio.sleep(0); one = asyncio.get_running_loop()")
    console.run("await asyncio.sleep(0); same = asyncio.get_running_loop() is one")
    assert "True" in console.run("same")


def test_unmockable_types_are_refused(console):
    """F75: a type no component can provide is refused: ``Type: ... cannot be mocked!``."""
    console.run("self.clear()")
    console.run("bad = Mocker()")
    console.run("bad.add_mock(complex, 1j)")
    refused = console.run("mock(bad)")
    assert "RuntimeError" in refused and "cannot be mocked" in refused
    assert "complex" in refused
