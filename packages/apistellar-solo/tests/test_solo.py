import logging
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from apistellar_solo import Solo, SoloManager

SOLO = '''
import asyncio

from apistellar_config import Settings
from apistellar_web import Service, coroutinelocal
from apistellar_solo import Solo

calls = []


class Counter(Service):
    def bump(self) -> int:
        calls.append("bump")
        return len(calls)


class Count(Solo):
    """Count to a number."""

    @classmethod
    def enrich_parser(cls, sub_parser):
        sub_parser.add_argument("--times", type=int, default=1)

    async def setup(self, settings: Settings) -> None:
        calls.append(("setup", settings.GREETING, coroutinelocal["scope"]["type"]))

    async def run(self, counter: Counter) -> int:
        for _ in range(self.kwargs["times"]):
            counter.bump()
        self.tasks.append(asyncio.ensure_future(asyncio.sleep(0, result="side job")))
        await asyncio.sleep(0)
        return len(calls)

    async def teardown(self) -> None:
        calls.append("teardown")


class Forever(Solo):
    async def setup(self) -> None:
        print("ready", flush=True)

    async def run(self) -> None:
        await asyncio.sleep(3600)

    async def teardown(self) -> None:
        print("teardown ran", flush=True)
'''


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    (root / "proj").mkdir(parents=True)
    (root / "settings.py").write_text("GREETING = 'hi'\n")
    (root / "proj" / "__init__.py").write_text("")
    (root / "proj" / "jobs.py").write_text(textwrap.dedent(SOLO))
    monkeypatch.syspath_prepend(str(root))
    for name in [n for n in sys.modules if n == "proj" or n.startswith("proj.")]:
        monkeypatch.delitem(sys.modules, name)
    return root


def test_solo_runs_with_injection_and_locals(project, caplog):
    with caplog.at_level(logging.INFO):
        status = SoloManager("proj", current_dir=project).start(["count", "--times", "3"])
    from proj.jobs import calls

    assert status == 0
    assert calls == [("setup", "hi", "solo"), "bump", "bump", "bump", "teardown"]
    assert "Task result: 'side job'" in caplog.text and "Starting worker" in caplog.text


def test_no_arguments_print_help(project, capsys):
    assert SoloManager("proj", current_dir=project).start([]) == 1
    assert "count" in capsys.readouterr().out


def test_unknown_solo_is_an_error(project):
    with pytest.raises(SystemExit) as info:
        SoloManager("proj", current_dir=project).start(["nope"])
    assert info.value.code == 2


def test_signal_cancels_run_before_teardown(project):
    script = (
        f"import logging, sys; sys.path.insert(0, {str(project)!r});"
        "logging.basicConfig(level=logging.INFO);"  # the stop is logged at INFO
        "from apistellar_solo import SoloManager;"
        f"sys.exit(SoloManager('proj', current_dir={str(project)!r}).start(['forever']))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert "teardown ran" in out
    assert process.returncode == 0
    assert "Received signal SIGTERM" in err and "Main coroutine cancelled" in err


def test_apistellar_solo_command(project):
    apistellar = Path(sys.executable).with_name("apistellar")
    result = subprocess.run(
        [str(apistellar), "solo", "count", "--times", "2"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_solo_is_abstract_and_named_after_its_class():
    with pytest.raises(TypeError):
        Solo()  # type: ignore[abstract]

    class Nightly(Solo):
        async def setup(self) -> None: ...
        async def run(self) -> None: ...
        async def teardown(self) -> None: ...

    assert Nightly.command() == "nightly" and Nightly().logger.name == "solo.nightly"


def test_start_without_argv_exits_the_process_and_help_lists_every_solo(project):
    script = (
        f"import sys; sys.path.insert(0, {str(project)!r});"
        "from apistellar_solo import SoloManager;"
        f"SoloManager('proj', current_dir={str(project)!r}).start()"  # no sys.exit, as solo_app.py
    )
    bare = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert bare.returncode == 1
    assert "Command 'count'" in bare.stdout and "Command 'forever'" in bare.stdout
    apistellar = Path(sys.executable).with_name("apistellar")
    helped = subprocess.run(
        [str(apistellar), "solo", "-h"], cwd=project, capture_output=True, text=True, timeout=60
    )
    assert helped.returncode == 0, helped.stderr
    assert (
        "usage: apistellar solo count [-h] [--settings SETTINGS] [--times TIMES]" in helped.stdout
    )


def test_apistellar_solo_configures_logging(project):
    apistellar = Path(sys.executable).with_name("apistellar")
    result = subprocess.run(
        [str(apistellar), "solo", "count"], cwd=project, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Task result: 'side job'" in result.stderr and "Starting worker" in result.stderr
