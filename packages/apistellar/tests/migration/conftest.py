"""Support for the migration suite: user projects written to disk, run as users run them.

Each scenario writes the code a user of the original apistellar 1.3 wrote (same imports,
same call shapes, same project layout) into a temporary folder, then runs it the way that
user did: ``uvicorn web_app:app`` in a subprocess on a real socket, or a console script.
"""

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx
import pytest

from apistellar_web.testing import free_port, stop_process, wait_for_port

BIN = Path(sys.executable).parent

# The original's generated ``web_app.py``: the package named after this folder is the project.
WEB_APP = """\
import os

from apistellar import Application

app = Application("{name}", current_dir=os.path.dirname(os.path.abspath(__file__)))
"""


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``{relative path: source}`` under ``root`` (sources dedented); return ``root``.

    Package folders get an empty ``__init__.py`` unless one is given, as the original's
    scaffold created them.
    """
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def write_project(
    where: Path, name: str, files: Mapping[str, str], *, web_app: str | None = None
) -> Path:
    """A project in the original layout: ``where/name/web_app.py`` + package ``name/name/``.

    ``files`` are relative to the project folder (``"settings.py"``, ``f"{name}/hooks.py"``,
    ``f"{name}/article/controller.py"``...). Every folder under the package that holds a
    ``.py`` file gets an ``__init__.py`` if it has none. Returns the project folder.
    """
    project = where / name
    tree = {"web_app.py": web_app if web_app is not None else WEB_APP.format(name=name)}
    tree.setdefault("settings.py", "")
    tree.update(files)
    write_tree(project, tree)
    package = project / name
    package.mkdir(exist_ok=True)
    for folder in [package, *(p for p in package.rglob("*") if p.is_dir())]:
        if folder.name == "__pycache__":
            continue
        init = folder / "__init__.py"
        if not init.exists():
            init.write_text("", encoding="utf-8")
    return project


class Served:
    """A user project served by ``python -m uvicorn`` in a subprocess on a real socket."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log
        self.url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}"

    def client(self, **options: object) -> httpx.Client:
        """An httpx client on this server (cookies kept across its requests)."""
        options.setdefault("timeout", 30)
        return httpx.Client(base_url=self.url, **options)  # type: ignore[arg-type]

    def output(self) -> str:
        """What the server printed so far (stdout and stderr)."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def _env(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    # The project folder is the working directory and on sys.path, as `uvicorn web_app:app`
    # run from it has it; nothing of the test process leaks in through PYTHONPATH.
    env.pop("PYTHONPATH", None)
    env.setdefault("PYTHONUNBUFFERED", "1")
    if extra:
        env.update(extra)
    return env


def serve(
    project: Path,
    app: str = "web_app:app",
    *,
    env: Mapping[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> "ServeContext":
    """Serve ``app`` from the ``project`` folder with uvicorn, as ``uvicorn web_app:app``."""
    return ServeContext(project, app, env, args)


class ServeContext:
    """Context manager behind :func:`serve`: listening on enter, stopped on exit."""

    def __init__(
        self,
        project: Path,
        app: str,
        env: Mapping[str, str] | None,
        args: tuple[str, ...],
    ) -> None:
        self.project = project
        self.app = app
        self.env = env
        self.args = args
        self.served: Served | None = None

    def __enter__(self) -> Served:
        port = free_port()
        log = self.project.parent / f".uvicorn-{self.project.name}-{port}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", self.app, "--host", "127.0.0.1"]
                + ["--port", str(port), "--log-level", "warning", *self.args],
                cwd=self.project,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=_env(self.env),
            )
        try:
            wait_for_port(port, process, timeout=60)
        except RuntimeError:
            process.kill()
            process.wait(10)
            pytest.fail(f"the project did not start:\n{log.read_text(errors='replace')}")
        self.served = Served(process, port, log)
        return self.served

    def __exit__(self, *exc_info: object) -> None:
        assert self.served is not None
        stop_process(self.served.process)


def run_command(
    *args: str,
    cwd: Path,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run a console script of this environment (``apistar-create``, ``apistellar``...)
    or ``python`` as a user would, in ``cwd``; stdin is ``input`` or closed."""
    program = sys.executable if args[0] == "python" else str(BIN / args[0])
    return subprocess.run(
        [program, *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        env=_env(env),
    )


class Toolkit:
    """What the ``migration`` fixture hands a test (test modules cannot import conftest)."""

    write_tree = staticmethod(write_tree)
    write_project = staticmethod(write_project)
    serve = staticmethod(serve)
    run_command = staticmethod(run_command)
    WEB_APP = WEB_APP


@pytest.fixture(scope="session")
def migration() -> Iterator[Toolkit]:
    """``migration.write_project(where, name, files)``, ``migration.serve(project)``,
    ``migration.run_command(...)``, usable from fixtures of any scope."""
    yield Toolkit()
