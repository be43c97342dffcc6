"""Call every framework's benchmark app in process, with synthetic ASGI scopes.

No socket, no server: each app (``benchmarks/apps``) is started through its ASGI lifespan
and then awaited directly with a fresh scope per request. Frameworks alternate within each
round (the order rotates every round), so a noisy, shared machine slows them all alike;
the figure is the median over rounds of the mean cost of one request in a batch. Then the
routing table: apistellar (and Starlette) with N controllers of 5 routes each, the cost of
a request to the last controller's parametrised route and to its static one. Usage:

    python benchmarks/inproc.py [--rounds 15] [--batch 1000] [--only hello,params]
                                [--frameworks apistellar,Starlette] [--no-routing]
"""

import argparse
import asyncio
import importlib.util
import inspect
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
APPS = HERE / "apps"
#: name -> (file defining ``app``, folder put first on sys.path while importing it)
FRAMEWORKS: dict[str, tuple[Path, Path]] = {
    "raw ASGI": (APPS / "raw_asgi.py", APPS),
    "apistellar": (APPS / "apistellar_app" / "web_app.py", APPS / "apistellar_app"),
    "Starlette": (APPS / "starlette_app.py", APPS),
    "BlackSheep": (APPS / "blacksheep_app.py", APPS),
    "Falcon": (APPS / "falcon_app.py", APPS),
    "Litestar": (APPS / "litestar_app.py", APPS),
    "FastAPI": (APPS / "fastapi_app.py", APPS),
    "API Star 0.5": (APPS / "apistar_app.py", APPS),
}
BODY = json.dumps(
    {"title": "Hello", "body": "A body", "views": 3, "score": 4.5, "published": True}
).encode()
WORKLOADS: dict[str, tuple[str, str, bytes, bytes]] = {
    "hello": ("GET", "/hello", b"", b""),
    "params": ("GET", "/items/42", b"q=search&limit=5", b""),
    "model": ("POST", "/articles", b"", BODY),
}
EXPECTED: dict[str, Any] = {
    "hello": {"hello": "world"},
    "params": {"item_id": 42, "q": "search", "limit": 5},
    "model": json.loads(BODY),
}
ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def load(name: str) -> ASGIApp:
    """Import the ``app`` of framework ``name`` from its file."""
    path, folder = FRAMEWORKS[name]
    sys.path.insert(0, str(folder))
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        module_name = f"inproc_{path.stem}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module  # frameworks read their handlers' module
        spec.loader.exec_module(module)
    finally:
        os.chdir(cwd)
        sys.path.remove(str(folder))
    app = module.app
    if len(inspect.signature(app).parameters) == 1:  # ASGI 2 (API Star 0.5)
        legacy = app

        async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            await legacy(scope)(receive, send)

    return app  # type: ignore[no-any-return]


class Lifespan:
    """Run an app's lifespan protocol: start-up before the benchmark, shut-down after."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.answers: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None
        self.state: dict[str, Any] = {}

    async def _run(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": self.state}
        try:
            await self.app(scope, self.queue.get, self.answers.put)
        except Exception as error:  # an app without lifespan support
            await self.answers.put({"type": "lifespan.unsupported", "error": repr(error)})
        await self.answers.put({"type": "lifespan.ended"})

    async def start(self) -> None:
        self.task = asyncio.create_task(self._run())
        await self.queue.put({"type": "lifespan.startup"})
        answer = await asyncio.wait_for(self.answers.get(), 30)
        if answer["type"] == "lifespan.startup.failed":
            raise RuntimeError(f"start-up failed: {answer}")

    async def stop(self) -> None:
        await self.queue.put({"type": "lifespan.shutdown"})
        if self.task is not None:
            try:
                await asyncio.wait_for(self.task, 10)
            except (TimeoutError, asyncio.TimeoutError):
                self.task.cancel()


def base_scope(method: str, path: str, query: bytes, body: bytes) -> dict[str, Any]:
    """The scope uvicorn would give for the request (headers as httptools passes them)."""
    headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"inproc"), (b"accept", b"*/*")]
    if body:
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": method,
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": headers,
    }


class Request:
    """One workload: fresh scope and ``receive`` per call, a ``send`` that keeps the answer."""

    def __init__(self, method: str, path: str, query: bytes = b"", body: bytes = b"") -> None:
        self.scope = base_scope(method, path, query, body)
        self.body = body
        self.status = 0
        self.chunks: list[bytes] = []

    async def call(self, app: ASGIApp, state: dict[str, Any]) -> None:
        sent = False
        message = {"type": "http.request", "body": self.body, "more_body": False}

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return message

        await app({**self.scope, "state": dict(state)}, receive, self.send)

    async def send(self, message: dict[str, Any]) -> None:
        pass

    async def answer(self, app: ASGIApp, state: dict[str, Any]) -> tuple[int, bytes]:
        """One call whose answer is kept (for checking it)."""
        self.chunks = []

        async def keep(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
            elif message["type"] == "http.response.body":
                self.chunks.append(message.get("body", b""))

        self.send = keep  # type: ignore[method-assign]
        try:
            await self.call(app, state)
        finally:
            del self.send
        return self.status, b"".join(self.chunks)

    async def timed(self, app: ASGIApp, state: dict[str, Any], batch: int) -> float:
        """Mean µs per request over ``batch`` requests."""
        call = self.call
        clock = time.perf_counter_ns
        start = clock()
        for _ in range(batch):
            await call(app, state)
        return (clock() - start) / batch / 1000


def rotated(items: list[Any], turn: int) -> list[Any]:
    """``items`` starting at another one each round."""
    shift = turn % len(items)
    return items[shift:] + items[:shift]


async def compare(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """The framework table: median µs/request per framework and workload."""
    names = [name for name in args.frameworks.split(",") if name]
    workloads = [w for w in args.only.split(",") if w]
    apps: dict[str, tuple[ASGIApp, Lifespan]] = {}
    for name in names:
        try:
            app = load(name)
        except ImportError as error:
            print(f"skipping {name}: {error}", file=sys.stderr)
            continue
        lifespan = Lifespan(app)
        await lifespan.start()
        apps[name] = (app, lifespan)
    requests = {w: Request(*WORKLOADS[w]) for w in workloads}
    for name, (app, lifespan) in apps.items():
        for workload, request in requests.items():
            status, content = await request.answer(app, lifespan.state)
            if status != 200 or json.loads(content) != EXPECTED[workload]:
                raise RuntimeError(f"{name} {workload}: {status} {content[:200]!r}")
    samples: dict[str, dict[str, list[float]]] = {n: {w: [] for w in workloads} for n in apps}
    order = list(apps)
    for turn in range(args.rounds + 1):  # round 0 warms up and is not counted
        for name in rotated(order, turn):
            app, lifespan = apps[name]
            for workload, request in requests.items():
                cost = await request.timed(app, lifespan.state, args.batch)
                if turn:
                    samples[name][workload].append(cost)
        if turn:
            print(f"round {turn}/{args.rounds}", end="\r", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    for _app, lifespan in apps.values():
        await lifespan.stop()
    return {n: {w: statistics.median(s) for w, s in row.items()} for n, row in samples.items()}


# -- routing: N controllers x 5 routes ---------------------------------------------------------
def apistellar_routes(count: int) -> ASGIApp:
    """An apistellar app with ``count`` controllers of 5 routes (3 parametrised)."""
    from apistellar import Application, Controller, get, post, route

    def controller(index: int) -> type:
        class Numbered(Controller):
            @get("/ping")
            async def ping(self) -> dict:
                return {"controller": index}

            @get("/items/{item_id}")
            async def item(self, item_id: int) -> dict:
                return {"item_id": item_id}

            @get("/users/{name}")
            async def user(self, name: str) -> dict:
                return {"name": name}

            @get("/users/{name}/posts/{post_id}")
            async def user_post(self, name: str, post_id: int) -> dict:
                return {"name": name, "post_id": post_id}

            @post("/items")
            async def create(self) -> dict:
                return {"created": index}

        Numbered.__name__ = Numbered.__qualname__ = f"C{index}"
        return route(f"/c{index}", name=f"c{index}")(Numbered)

    return Application(
        "routing",
        current_dir=APPS / "apistellar_app",
        discover=False,
        controllers=[controller(index) for index in range(count)],
    )


def starlette_routes(count: int) -> ASGIApp:
    """The same table in Starlette, by hand."""
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def ping(request: Any) -> Any:
        return JSONResponse({"controller": 0})

    async def item(request: Any) -> Any:
        return JSONResponse({"item_id": request.path_params["item_id"]})

    async def user(request: Any) -> Any:
        return JSONResponse({"name": request.path_params["name"]})

    async def post(request: Any) -> Any:
        params = request.path_params
        return JSONResponse({"name": params["name"], "post_id": params["post_id"]})

    async def create(request: Any) -> Any:
        return JSONResponse({"created": 0})

    routes = []
    for index in range(count):
        prefix = f"/c{index}"
        routes += [
            Route(f"{prefix}/ping", ping),
            Route(prefix + "/items/{item_id:int}", item),
            Route(prefix + "/users/{name}", user),
            Route(prefix + "/users/{name}/posts/{post_id:int}", post),
            Route(f"{prefix}/items", create, methods=["POST"]),
        ]
    return Starlette(routes=routes)


ROUTERS: dict[str, Callable[[int], ASGIApp]] = {
    "apistellar": apistellar_routes,
    "Starlette": starlette_routes,
}


async def routing(args: argparse.Namespace) -> dict[str, dict[int, tuple[float, float]]]:
    """``{framework: {routes: (µs parametrised, µs static)}}``, sizes alternating in rounds."""
    sizes = [int(size) for size in args.routes.split(",")]
    chosen = args.frameworks.split(",")
    cases: list[tuple[str, int, Lifespan, Request, Request, int]] = []
    for name, build in ROUTERS.items():
        if name not in chosen:
            continue
        for size in sizes:
            count = max(1, size // 5)
            app = build(count)
            lifespan = Lifespan(app)
            await lifespan.start()
            last = count - 1
            dynamic = Request("GET", f"/c{last}/users/u{last}/posts/7")
            static = Request("GET", f"/c{last}/ping")
            status, content = await dynamic.answer(app, lifespan.state)
            if status != 200 or json.loads(content) != {"name": f"u{last}", "post_id": 7}:
                raise RuntimeError(f"{name} routing: {status} {content[:200]!r}")
            status, _ = await static.answer(app, lifespan.state)
            if status != 200:
                raise RuntimeError(f"{name} routing (static): {status}")
            probe = await dynamic.timed(app, lifespan.state, 20)
            batch = max(10, min(args.batch, int(20_000 / max(probe, 1))))
            cases.append((name, count * 5, lifespan, dynamic, static, batch))
    samples: dict[tuple[str, int], tuple[list[float], list[float]]] = {
        (name, size): ([], []) for name, size, *_ in cases
    }
    for turn in range(args.rounds + 1):  # round 0 warms up
        for name, size, lifespan, dynamic, static, batch in rotated(cases, turn):
            dynamic_cost = await dynamic.timed(lifespan.app, lifespan.state, batch)
            static_cost = await static.timed(lifespan.app, lifespan.state, batch)
            if turn:
                samples[(name, size)][0].append(dynamic_cost)
                samples[(name, size)][1].append(static_cost)
    results: dict[str, dict[int, tuple[float, float]]] = {}
    for (name, size), (dynamic_costs, static_costs) in samples.items():
        results.setdefault(name, {})[size] = (
            statistics.median(dynamic_costs),
            statistics.median(static_costs),
        )
    for _name, _size, lifespan, *_ in cases:
        await lifespan.stop()
    return results


def report(table: dict[str, dict[str, float]], workloads: list[str]) -> None:
    print("in process, median µs/request")
    print(f"{'framework':<14}" + "".join(f"{w:>10}" for w in workloads))
    for name, row in table.items():
        print(f"{name:<14}" + "".join(f"{row[w]:>10.1f}" for w in workloads))
    if "apistellar" in table:
        print()
        print("apistellar cost / peer's (lower is faster)")
        mine = table["apistellar"]
        for name, row in table.items():
            if name != "apistellar":
                print(
                    f"{'/ ' + name:<14}" + "".join(f"{mine[w] / row[w]:>10.2f}" for w in workloads)
                )


def report_routing(table: dict[str, dict[int, tuple[float, float]]]) -> None:
    print()
    print("routing: N controllers x 5 routes, µs/request to the last controller's routes")
    print(f"{'framework':<14}{'routes':>8}{'param':>10}{'static':>10}{'param/first':>13}")
    for name, rows in table.items():
        first = next(iter(rows.values()))[0]
        for size, (dynamic, static) in rows.items():
            print(f"{name:<14}{size:>8}{dynamic:>10.1f}{static:>10.1f}{dynamic / first:>13.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=1000, help="requests per timed batch")
    parser.add_argument("--only", default=",".join(WORKLOADS))
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    parser.add_argument("--routes", default="5,500,5000", help="route counts of the table")
    parser.add_argument("--no-routing", action="store_true", help="skip the routing table")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    load_average = os.getloadavg()
    print(f"python {sys.version.split()[0]}, load average {load_average[0]:.2f}", flush=True)
    table = asyncio.run(compare(args))
    report(table, [w for w in args.only.split(",") if w])
    routes: dict[str, dict[int, tuple[float, float]]] = {}
    if not args.no_routing:
        routes = asyncio.run(routing(args))
        report_routing(routes)
    if args.json:
        args.json.write_text(json.dumps({"frameworks": table, "routing": routes}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
