# /// script
# dependencies = ["nox[uv]>=2025.2.9"]
# ///
"""Sessions for the apistellar monorepo: one test session per distribution and Python."""

import json
import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.download_python = "never"
nox.options.sessions = ["pins", "lint", "typing", "tests", "wheels"]

ROOT = Path(__file__).parent
PACKAGES = {
    p.name: p for p in sorted((ROOT / "packages").iterdir()) if (p / "pyproject.toml").is_file()
}
PYPROJECTS = {
    name: nox.project.load_toml(path / "pyproject.toml") for name, path in PACKAGES.items()
}
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
TYPING_PYTHON = "3.11"
PYTEST = ("pytest", "--import-mode=importlib", "-p", "no:cacheprovider")
# pytest-xdist, one worker per CI core, for the two long suites (their time goes on servers
# and console scripts in subprocesses, partly waiting on sockets): a module's tests stay on
# one worker (--dist loadfile), so module fixtures start once and a module's tests run in
# file order. Four workers were no faster than two on two cores and cost more CPU; the small
# suites and pytest-apistellar's (CPU-bound) run no faster split.
# ``./noxw -s tests -- -n 0`` runs serially.
PARALLEL = {
    "apistellar": ("-n", "2", "--dist", "loadfile"),
    "apistellar-web": ("-n", "2", "--dist", "loadfile"),
}
# What serves an in-repo app over a socket (demo, soak, bench).
SERVER = ("uvicorn[standard]>=0.30",)
# The peers and clients the benchmarks measure apistellar against.
BENCH_PEERS = (
    "uvloop",
    "httptools",
    "starlette",
    "fastapi",
    "litestar",
    "msgspec",
    "blacksheep>=2.3",
    "falcon>=4",
    "python-multipart",
    "websockets",
)
# mypy and the stubs and libraries the sources and the checked tests import.
TYPING_TOOLS = ("mypy>=1.13", "types-PyYAML", "pytest>=8", "packaging>=24", "redis>=5.0.1")
# Modules written as users write them, which must pass mypy --strict (skipped while absent).
TYPE_CHECKED_TESTS = PACKAGES["apistellar-web"] / "tests" / "type_check"
# uv must never fetch an interpreter (this project's machines have no such network access).
os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")


def _import_name(distribution: str) -> str:
    return distribution.replace("-", "_")


def _closure(name: str) -> list[str]:
    """The distribution and every in-repo distribution it needs, dependencies first."""
    from packaging.requirements import Requirement

    order: list[str] = []

    def visit(current: str) -> None:
        for raw in PYPROJECTS[current]["project"].get("dependencies", []):
            dep = Requirement(raw).name.lower()
            if dep in PACKAGES and dep not in order:
                visit(dep)
        if current not in order:
            order.append(current)

    visit(name)
    return order


ISOLATION_CHECK = """
import json, sys
from importlib import metadata
allowed, in_repo = set(json.loads(sys.argv[1])), set(json.loads(sys.argv[2]))
present = {d.metadata["Name"].lower() for d in metadata.distributions()} & in_repo
assert present == allowed, (
    f"expected in-repo distributions {sorted(allowed)}, found {sorted(present)}"
)
for name in present:
    dist = metadata.distribution(name)
    url = json.loads(dist.read_text("direct_url.json") or "{}").get("url", "")
    assert url.startswith("file:"), f"{name} was not installed from this checkout: {url!r}"
    editable = json.loads(dist.read_text("direct_url.json") or "{}").get("dir_info", {})
    assert not editable.get("editable"), f"{name} must be installed non-editable"
print("isolation ok:", ", ".join(sorted(present)))
"""


def _install_local(
    session: nox.Session, names: list[str], *extra: str, flags: tuple[str, ...] = ()
) -> None:
    """Install in-repo distributions non-editable from the working tree, plus ``extra``.

    By local path, so an in-repo name can never resolve from an index; ``--reinstall-package``
    rebuilds them from the working tree even in a reused venv; ``--no-sources``, because the
    workspace sources would otherwise turn siblings into editable installs. ``flags`` go to
    the installer (``--resolution=lowest-direct``...).
    """
    rebuild = [arg for name in names for arg in ("--reinstall-package", name)]
    local = [str(PACKAGES[name]) for name in names]
    session.install("--no-sources", *flags, *rebuild, *local, *extra)


def _test_group(*names: str) -> list[str]:
    """The union of the ``test`` dependency groups of ``names``, sorted."""
    groups = [nox.project.dependency_groups(PYPROJECTS[name], "test") for name in names]
    return sorted({requirement for group in groups for requirement in group})


def _install_alone(session: nox.Session, package: str, *flags: str) -> None:
    needed = _closure(package)
    _install_local(session, needed, flags=flags)
    extras = _test_group(package)
    if extras:
        session.install(*extras)
    session.run("python", "-c", ISOLATION_CHECK, json.dumps(needed), json.dumps(list(PACKAGES)))


def _run_tests(session: nox.Session, package: str) -> None:
    # The suites start hundreds of interpreters (servers, console scripts, pytest runs). Where
    # the environment sets PYTHONDONTWRITEBYTECODE, as CI's does, each would compile every
    # module it imports again: keep the compiled modules instead, in a cache in this session's
    # venv (PYTHONPYCACHEPREFIX), so none is written into the projects the tests create.
    session.env["PYTHONDONTWRITEBYTECODE"] = None  # unset for the commands below
    session.env["PYTHONPYCACHEPREFIX"] = str(ROOT / session.env_dir / "pycache")
    session.chdir(PACKAGES[package])
    session.run(*PYTEST, *PARALLEL.get(package, ()), "tests", *session.posargs)


@nox.session(python=PYTHONS)
@nox.parametrize("package", list(PACKAGES))
def tests(session: nox.Session, package: str) -> None:
    """Install one distribution with only its in-repo needs, then run its tests."""
    _install_alone(session, package)
    _run_tests(session, package)


@nox.session(venv_backend="uv", default=False)
@nox.parametrize("package", list(PACKAGES))
def minimums(session: nox.Session, package: str) -> None:
    """Run one distribution's tests at the lowest versions its ranges allow."""
    _install_alone(session, package, "--resolution=lowest-direct")
    _run_tests(session, package)


@nox.session(python=False)
def pins(session: nox.Session) -> None:
    """The meta pins exactly the tree's versions; component ranges admit them."""
    from packaging.requirements import Requirement

    versions = {name: data["project"]["version"] for name, data in PYPROJECTS.items()}
    problems = []
    for name, data in PYPROJECTS.items():
        for raw in data["project"].get("dependencies", []):
            req = Requirement(raw)
            dep = req.name.lower()
            if dep not in PACKAGES:
                continue
            if name == "apistellar":
                if str(req.specifier) != f"=={versions[dep]}":
                    problems.append(f"{name} pins {raw!r}, but the tree has {dep} {versions[dep]}")
            elif "==" in str(req.specifier):
                problems.append(f"{name} pins sibling {raw!r}; siblings use compatible ranges")
            elif not req.specifier.contains(versions[dep], prereleases=True):
                problems.append(f"{name} needs {raw!r}, but the tree has {dep} {versions[dep]}")
    meta_deps = {
        Requirement(r).name.lower() for r in PYPROJECTS["apistellar"]["project"]["dependencies"]
    }
    missing = sorted(set(PACKAGES) - {"apistellar"} - meta_deps)
    if missing:
        problems.append(f"the meta does not pin {', '.join(missing)}")
    if problems:
        session.error("\n".join(problems))
    session.log("pins ok: " + ", ".join(f"{n} {v}" for n, v in sorted(versions.items())))


@nox.session(python=TYPING_PYTHON, venv_backend="uv")
def wheels(session: nox.Session) -> None:
    """Build every distribution without workspace sources; install each wheel alone, import."""
    dist = Path(session.create_tmp()) / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run(
        "uv", "build", "--all-packages", "--no-sources", "--out-dir", str(dist), external=True
    )
    for package in PACKAGES:
        venv = Path(session.create_tmp()) / f"only-{package}"
        python = str(venv / "bin" / "python")
        session.run(
            "uv",
            "venv",
            "--quiet",
            "--clear",
            "-p",
            session.python or TYPING_PYTHON,
            str(venv),
            external=True,
        )
        files = [str(next(dist.glob(f"{_import_name(n)}-*.whl"))) for n in _closure(package)]
        session.run("uv", "pip", "install", "--quiet", "--python", python, *files, external=True)
        session.run("uv", "pip", "check", "--python", python, external=True)
        session.run(python, "-c", f"import {_import_name(package)}", external=True)


@nox.session(python=TYPING_PYTHON)
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the whole repository."""
    session.install("ruff>=0.8")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=TYPING_PYTHON)
def typing(session: nox.Session) -> None:
    """mypy (strict) on each distribution's src, with every distribution installed; then
    ``mypy --strict`` on the user-style modules of ``TYPE_CHECKED_TESTS`` when they exist."""
    _install_local(session, list(PACKAGES), *TYPING_TOOLS)
    config = ("--config-file", str(ROOT / "pyproject.toml"))
    for path in PACKAGES.values():
        session.run("mypy", *config, str(path / "src"))
    if TYPE_CHECKED_TESTS.is_dir():
        session.run("mypy", "--strict", *config, str(TYPE_CHECKED_TESTS))


@nox.session(python=TYPING_PYTHON, default=False)
def demo(session: nox.Session) -> None:
    """Serve the example project with uvicorn on 127.0.0.1:8000 (Ctrl-C stops it).

    The example refuses its shipped demo key outside debug: unless ``SECRET_KEY`` is set in
    the environment, this run gets a fresh random one (logins last until it stops).
    """
    import secrets

    _install_local(session, _closure("apistellar"), *SERVER)
    if not os.environ.get("SECRET_KEY"):
        session.env["SECRET_KEY"] = secrets.token_hex(32)
        session.log("SECRET_KEY: a fresh random key for this run (set SECRET_KEY to keep one)")
    session.chdir(ROOT / "examples" / "blog")
    session.run(
        "python",
        "-m",
        "uvicorn",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        *session.posargs,
        "web_app:app",
    )


FUZZ_PACKAGES = ["apistellar-config", "apistellar-session", "apistellar-web"]


@nox.session(python=TYPING_PYTHON, default=False)
def fuzz(session: nox.Session) -> None:
    """The property-based fuzz tests with the large hypothesis profile (not in the default run).

    ``./noxw`` runs the same tests with small example counts; here
    ``APISTELLAR_FUZZ_PROFILE=fuzz`` raises them (thousands per test), and
    ``APISTELLAR_FUZZ_EXAMPLES=N ./noxw -s fuzz`` sets them outright. Arguments after
    ``--`` go to pytest.
    """
    _install_local(session, _closure("apistellar-web"), *_test_group(*FUZZ_PACKAGES))
    session.env.setdefault("APISTELLAR_FUZZ_PROFILE", "fuzz")
    for name in FUZZ_PACKAGES:
        files = sorted(p.name for p in (PACKAGES[name] / "tests").glob("test_fuzz_*.py"))
        session.chdir(PACKAGES[name])
        session.run(*PYTEST, *(f"tests/{file}" for file in files), *session.posargs)


@nox.session(python=TYPING_PYTHON, default=False)
def soak(session: nox.Session) -> None:
    """The example app under mixed load on loopback for a fixed time; fails on errors or RSS growth.

    ``./noxw -s soak`` runs 10 minutes; ``./noxw -s soak -- --minutes 1`` shortens it
    (see ``benchmarks/soak.py --help`` for the other options).
    """
    _install_local(session, _closure("apistellar"), *SERVER)
    session.run("python", str(ROOT / "benchmarks" / "soak.py"), *session.posargs)


@nox.session(python=TYPING_PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """apistellar against its peers: req/s under wrk, upload and websocket throughput and
    memory, then the in-process table (frameworks and routing).

    ``./noxw -s bench -- --inproc`` runs only the in-process mode (no socket: each app
    called with synthetic scopes, frameworks alternating in rounds); the arguments after
    ``--inproc`` go to ``benchmarks/inproc.py`` (``--rounds``, ``--batch``, ``--only``...).
    """
    import shutil as _shutil

    inproc_only = "--inproc" in session.posargs
    if not inproc_only and _shutil.which("wrk") is None:
        if os.geteuid() == 0 and _shutil.which("apt-get"):
            session.run("apt-get", "install", "-y", "-qq", "wrk", external=True)
        else:
            session.error("wrk is not installed: apt-get install wrk")
    _install_local(session, _closure("apistellar"), *SERVER, *BENCH_PEERS)
    inproc = [str(ROOT / "benchmarks" / "inproc.py")]
    if inproc_only:
        args = list(session.posargs)
        session.run("python", *inproc, *args[args.index("--inproc") + 1 :])
        return
    session.run("python", str(ROOT / "benchmarks" / "run.py"), *session.posargs)
    if "--only" not in session.posargs and "--frameworks" not in session.posargs:
        session.run("python", str(ROOT / "benchmarks" / "streaming.py"))
        session.run("python", *inproc)


@nox.session(default=False)
def dev(session: nox.Session) -> None:
    """Every distribution editable in one venv, for day-to-day work across packages."""
    session.install(*(arg for path in PACKAGES.values() for arg in ("-e", str(path))))
    session.install(*_test_group(*PACKAGES))
    for path in PACKAGES.values():
        session.run(*PYTEST, str(path / "tests"), *session.posargs)
