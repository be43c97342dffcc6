"""Support shared by the meta's suite: the example project (``examples/blog``) served as a
user serves it, from its folder, by a server command on a real socket."""

import contextlib
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from apistellar_web.testing import free_port, stop_process, wait_for_port

#: The example project, next to this checkout (absent in installed-package test runs).
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "blog"
#: Settings of the example the environment would override: cleared before a server starts.
EXAMPLE_ENV = (
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "WORKER_PID_HEADER",
    "OPENAPI_URL",
    "DOCS_URL",
    "PYTHONPATH",
)


class ExampleRunner:
    """Serve the example: ``env()``, ``serve(command, ...)`` and ``uvicorn(folder)``."""

    folder = EXAMPLE

    @staticmethod
    def env(**values: str) -> dict[str, str]:
        """This environment without the example's own settings, plus ``values``."""
        env = {k: v for k, v in os.environ.items() if k not in EXAMPLE_ENV}
        env.update(values)
        return env

    @staticmethod
    @contextlib.contextmanager
    def serve(command: list[str], env: dict[str, str], log: Path, port: int) -> Iterator[str]:
        """Run a server command from the example folder; yield its URL once it listens.

        The server's output goes to ``log``; it is printed when the server is stopped, so a
        failing test shows the traceback a 5xx left there.
        """
        with log.open("wb") as output:
            process = subprocess.Popen(
                command, cwd=EXAMPLE, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        try:
            try:
                wait_for_port(port, process, timeout=60)
            except RuntimeError as error:
                pytest.fail(f"{command[0]} did not serve the example ({error}):\n{log.read_text()}")
            yield f"http://127.0.0.1:{port}"
        finally:
            stop_process(process)
            print(log.read_text(errors="replace")[-20000:])

    @contextlib.contextmanager
    def uvicorn(self, folder: Path, **values: str) -> Iterator[tuple[str, dict[str, str]]]:
        """``python -m uvicorn web_app:app`` with a fresh key and a SQLite file in ``folder``
        (``values`` added to its environment); yield its URL and environment."""
        env = self.env(
            SECRET_KEY=secrets.token_hex(32),
            DATABASE_URL=f"sqlite:///{folder / 'blog.sqlite3'}",
            **values,
        )
        port = free_port()
        command = [sys.executable, "-m", "uvicorn", "web_app:app", "--port", str(port)]
        with self.serve(command, env, folder / "uvicorn.log", port) as url:
            yield url, env


@pytest.fixture(scope="session")
def example_runner() -> ExampleRunner:
    """The example's runner; the test is skipped when the example is not in this checkout."""
    if not (EXAMPLE / "web_app.py").is_file():
        pytest.skip("the example project is not next to this checkout (installed package tests)")
    return ExampleRunner()
