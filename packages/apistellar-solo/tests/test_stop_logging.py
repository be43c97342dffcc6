"""A solo's normal stop (its run returned, or SIGTERM/SIGINT) is logged at INFO, not WARNING."""

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

JOBS = """
import asyncio

from apistellar_solo import Solo


class Quick(Solo):
    async def setup(self) -> None:
        pass

    async def run(self) -> str:
        return "done"

    async def teardown(self) -> None:
        pass


class Forever(Solo):
    async def setup(self) -> None:
        print("ready", flush=True)

    async def run(self) -> None:
        await asyncio.sleep(3600)

    async def teardown(self) -> None:
        pass
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "stopper"
    (root / "stopper").mkdir(parents=True)
    (root / "settings.py").write_text("")
    (root / "stopper" / "__init__.py").write_text("")
    (root / "stopper" / "jobs.py").write_text(textwrap.dedent(JOBS))
    return root


def _start(project: Path, solo: str) -> subprocess.Popen[str]:
    script = (
        "import logging, sys;"
        "from apistellar_solo import SoloManager;"
        "from apistellar_solo._solo import LOG_DATE_FORMAT, LOG_FORMAT;"
        "logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, datefmt=LOG_DATE_FORMAT);"
        f"sys.exit(SoloManager('stopper', current_dir={str(project)!r}).start([{solo!r}]))"
    )
    return subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _levels(stderr: str, text: str) -> list[str]:
    return [
        line.split(": ", 1)[0].rsplit(" ", 1)[-1] for line in stderr.splitlines() if text in line
    ]


def _solo_levels(stderr: str) -> set[str]:
    """The levels of the solo's own log lines (the app's start-up lines left out)."""
    return {_levels(line, "")[0] for line in stderr.splitlines() if " _solo.py[" in line}


def test_a_solo_that_returns_logs_its_stop_at_info(project):
    process = _start(project, "quick")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert _levels(err, "Stopping [") == ["INFO"]
    assert _solo_levels(err) <= {"INFO"}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_solo_stopped_by_a_signal_logs_the_stop_at_info(project, signum):
    process = _start(project, "forever")
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        process.send_signal(signum)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert _levels(err, "Received signal") == ["INFO"]
    assert _levels(err, "Main coroutine cancelled") == ["INFO"]
    assert _levels(err, "Stopping [") == ["INFO"]
    assert _solo_levels(err) <= {"INFO"}
