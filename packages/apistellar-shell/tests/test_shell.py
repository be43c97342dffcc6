import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

from apistellar_shell import build_namespace
from apistellar_web import Application

CODE = """
from apistellar_web import Controller, Service, get, post, route
from apistar import http


class Greeter(Service):
    method = None

    def hello(self) -> str:
        return "hello from the project"


class Clock:
    pass


@route("/hi")
class HiController(Controller):
    @get("/")
    async def index(self, greeter: Greeter) -> dict:
        return {"message": greeter.hello()}

    @post("/echo")
    async def echo(self, data: http.RequestData) -> dict:
        return {"got": data}
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    (root / "proj").mkdir(parents=True)
    (root / "settings.py").write_text("SECRET_KEY = 'k'\nGREETING = 'hi'\n")
    (root / "proj" / "__init__.py").write_text("")
    (root / "proj" / "things.py").write_text(textwrap.dedent(CODE))
    monkeypatch.syspath_prepend(str(root))
    for name in [n for n in sys.modules if n == "proj" or n.startswith("proj.")]:
        monkeypatch.delitem(sys.modules, name)
    return root


@pytest.fixture
def ipython(project):
    app = Application("proj", current_dir=project)
    shell = InteractiveShell.instance(user_ns=build_namespace(app))
    shell.autoawait = True
    yield shell
    InteractiveShell.clear_instance()


def run(shell, code):
    result = shell.run_cell(code)
    assert result.success, result.error_in_exec or result.error_before_exec
    return result.result


def test_top_level_await_injection_and_project_classes(ipython):
    assert run(ipython, "(await inject(Greeter)).hello()") == "hello from the project"
    assert run(ipython, "settings.GREETING") == "hi"
    assert run(ipython, "HiController.__name__") == "HiController"


def test_in_process_client_and_a_persistent_loop(ipython):
    run(ipython, "response = await client.get('/hi/')")
    assert run(ipython, "response.status_code, response.json()") == (
        200,
        {"message": "hello from the project"},
    )
    run(ipython, "import asyncio\nawait asyncio.sleep(0)\nloop_one = asyncio.get_running_loop()")
    run(ipython, "await asyncio.sleep(0)\nsame = asyncio.get_running_loop() is loop_one")
    assert ipython.user_ns["same"] is True


def test_the_client_takes_json_as_httpx_does(ipython):
    run(ipython, "r = await client.post('/hi/echo', json={'a': 1})")
    assert run(ipython, "r.status_code, r.json()") == (200, {"got": {"a": 1}})
    run(ipython, "r = await client.post('/hi/echo', json_body=[2])")
    assert run(ipython, "r.json()") == {"got": [2]}


def test_coroutinelocal_is_filled_like_a_request(ipython):
    assert run(ipython, "coroutinelocal['scope']['type']") == "shell"


def test_mocks_feed_inject(ipython):
    run(ipython, "fake = Greeter()\nmock(Greeter, fake)")
    assert run(ipython, "(await inject(Greeter)) is fake") is True
    run(ipython, "clear_mocks()")
    assert run(ipython, "(await inject(Greeter)) is fake") is False


def test_plain_cells_get_values_and_awaiting_cells_awaitables(ipython):
    assert run(ipython, "inject(Greeter).hello()") == "hello from the project"
    assert run(ipython, "x = await inject(Greeter)\nx.hello()") == "hello from the project"
    run(ipython, "import asyncio\nasync def loop_of():\n    return asyncio.get_running_loop()")
    run(ipython, "first = _await(loop_of())")
    assert run(ipython, "(await loop_of()) is first") is True


def test_the_original_mocker_and_self_clear(ipython):
    run(
        ipython, "fake = Greeter()\nmocker = Mocker()\nmocker.add_mock(Greeter, fake)\nmock(mocker)"
    )
    assert run(ipython, "inject(Greeter) is fake") is True
    run(ipython, "self.clear()")
    assert run(ipython, "inject(Greeter) is fake") is False


def test_types_no_component_provides_cannot_be_mocked(ipython):
    result = ipython.run_cell("mock(Clock, Clock())")
    assert isinstance(result.error_in_exec, RuntimeError)
    assert "cannot be mocked" in str(result.error_in_exec)
    assert not ipython.run_cell("inject(Clock)").success


def test_apistellar_shell_command_runs_real_ipython(project):
    apistellar = Path(sys.executable).with_name("apistellar")
    commands = "x = await inject(Greeter)\nprint('RESULT', x.hello())\nexit()\n"
    env = {**os.environ, "IPY_TEST_SIMPLE_PROMPT": "1"}
    result = subprocess.run(
        [str(apistellar), "shell"],
        cwd=project,
        input=commands,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert "RESULT hello from the project" in result.stdout, result.stdout + result.stderr
    alias = subprocess.run(
        [str(Path(sys.executable).with_name("apistar-console"))],
        cwd=project,
        input="print('ALIAS', settings.GREETING)\nexit()\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert "ALIAS hi" in alias.stdout, alias.stdout + alias.stderr


def test_a_real_terminal_session(project):
    """``apistellar shell`` on a pseudo-terminal, IPython's full prompt: a plain cell's
    ``inject`` returns the value, a Mocker mocks, an unmockable type is refused."""
    import re

    import pexpect

    env = {**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
    env.pop("PYTHONPATH", None)
    child = pexpect.spawn(
        str(Path(sys.executable).with_name("apistellar")),
        ["shell"],
        cwd=str(project),
        env=env,
        encoding="utf-8",
        timeout=90,
        dimensions=(50, 200),
    )
    ansi = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")
    count = 1

    def cell(line: str | None) -> str:
        nonlocal count
        if line is not None:
            child.sendline(line)
            count += 1
        child.expect(rf"In \[(?:\x1b\[[0-9;]*m)*{count}(?:\x1b\[[0-9;]*m)*\]: ")
        return ansi.sub("", child.before)

    try:
        cell(None)
        assert "hello from the project" in cell("inject(Greeter).hello()")
        cell("fake = Greeter(); m = Mocker(); m.add_mock(Greeter, fake); mock(m)")
        assert "True" in cell("inject(Greeter) is fake")
        assert "cannot be mocked" in cell("mock(Clock, Clock())")
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


OUTSIDE = """
from apistellar_web import Service, inject


class Mailer(Service):
    def send(self) -> str:
        return "sent by the library"


class Outbox(Service):
    mailer = inject << Mailer

    def flush(self) -> str:
        return self.mailer.send()
"""

USES_OUTSIDE = """
from apistellar_web import Controller, get, route
from mailer_lib import Outbox


@route("/mail")
class MailController(Controller):
    @get("/")
    async def index(self, outbox: Outbox) -> dict:
        return {"sent": outbox.flush()}
"""


@pytest.fixture
def outside(project, tmp_path, monkeypatch):
    """A project whose handler uses services of a module outside the project package."""
    library = tmp_path / "library"
    library.mkdir()
    (library / "mailer_lib.py").write_text(textwrap.dedent(OUTSIDE))
    (project / "proj" / "mail.py").write_text(textwrap.dedent(USES_OUTSIDE))
    monkeypatch.syspath_prepend(str(library))
    monkeypatch.delitem(sys.modules, "mailer_lib", raising=False)
    app = Application("proj", current_dir=project)
    shell = InteractiveShell.instance(user_ns=build_namespace(app))
    shell.autoawait = True
    yield shell
    InteractiveShell.clear_instance()


def test_services_defined_outside_the_project_are_injected(outside):
    run(outside, "from mailer_lib import Mailer, Outbox")
    assert run(outside, "(await client.get('/mail/')).json()") == {"sent": "sent by the library"}
    assert run(outside, "inject(Mailer).send()") == "sent by the library"
    assert run(outside, "(await inject(Outbox)).flush()") == "sent by the library"


def test_mocks_override_services_defined_outside_the_project(outside):
    run(outside, "from mailer_lib import Mailer, Outbox")
    run(outside, "class Fake:\n    def send(self):\n        return 'faked'\n")
    run(outside, "fake = Fake()\nmock(Mailer, fake)")
    assert run(outside, "inject(Mailer) is fake") is True
    assert run(outside, "inject(Outbox).flush()") == "faked"  # what it depends on, too
    run(outside, "clear_mocks()")
    assert run(outside, "inject(Outbox).flush()") == "sent by the library"
