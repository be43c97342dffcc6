"""Lifespan over a real uvicorn socket."""

import httpx
import pytest

from apistellar_web import Component, Controller, get, route
from apistellar_web.testing import LiveServer, free_port, stop_process

events: list[str] = []


class Pool:
    pass


class PoolComponent(Component):
    def on_startup(self) -> None:
        events.append("startup")

    async def on_shutdown(self) -> None:
        events.append("shutdown")

    def resolve(self) -> Pool:
        return Pool()


@route("/live")
class LiveController(Controller):
    @get("/")
    async def index(self, pool: Pool) -> dict:
        return {"pool": type(pool).__name__, "events": list(events)}


def test_lifespan_runs_startup_and_shutdown_over_uvicorn(make_app):
    events.clear()
    app = make_app(LiveController, components=[PoolComponent()])
    with LiveServer(app) as server:
        assert httpx.get(f"{server.url}/live/").json() == {"pool": "Pool", "events": ["startup"]}
        redirect = httpx.get(f"{server.url}/live")
        assert redirect.status_code == 302 and redirect.headers["location"] == "/live/"
    assert events == ["startup", "shutdown"]


def test_failed_startup_is_reported(make_app):
    class Broken(Component):
        def on_startup(self) -> None:
            raise RuntimeError("database unreachable")

        def resolve(self) -> Pool:
            return Pool()

    app = make_app(LiveController, components=[Broken()])
    with pytest.raises(RuntimeError, match="stopped during start-up"), LiveServer(app):
        pass


@pytest.mark.parametrize(("worker", "count"), [("gw0", "2"), ("gw1", "2"), ("gw2", "3")])
def test_free_port_keeps_to_its_xdist_workers_share(monkeypatch, worker, count):
    """Parallel workers never pick the same port in the moment before a server binds it."""
    monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", count)
    index, workers = int(worker[2:]), int(count)
    assert all(free_port() // 2 % workers == index for _ in range(20))


def test_free_port_outside_xdist_is_any_free_port(monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    monkeypatch.delenv("PYTEST_XDIST_WORKER_COUNT", raising=False)
    shares = {free_port() // 2 % 2 for _ in range(40)}
    assert shares == {0, 1}


@pytest.mark.parametrize("ignores_sigterm", [False, True])
def test_stop_process_terminates_then_kills(ignores_sigterm):
    import subprocess
    import sys

    code = "import signal, time\n"
    if ignores_sigterm:
        code += "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    code += "print('ready', flush=True)\ntime.sleep(60)\n"
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline() == b"ready\n"
    stop_process(process, timeout=1)
    assert process.returncode == (-9 if ignores_sigterm else -15)
    process.stdout.close()
