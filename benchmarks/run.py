"""Run every framework's app under uvicorn (uvloop + httptools) and load it with wrk.

Each server is pinned to one core and wrk to another, one framework at a time, in one run;
results are printed as a table of requests/second and ratios. Usage:

    python benchmarks/run.py [--duration 10] [--connections 64] [--only hello,params]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from servers import start

HERE = Path(__file__).resolve().parent
APPS = {
    "raw ASGI": ("raw_asgi:app", HERE / "apps"),
    "apistellar": ("web_app:app", HERE / "apps" / "apistellar_app"),
    "Starlette": ("starlette_app:app", HERE / "apps"),
    "BlackSheep": ("blacksheep_app:app", HERE / "apps"),
    "Falcon": ("falcon_app:app", HERE / "apps"),
    "FastAPI": ("fastapi_app:app", HERE / "apps"),
    "Litestar": ("litestar_app:app", HERE / "apps"),
    "API Star 0.5": ("apistar_app:app", HERE / "apps"),
}
BODY = json.dumps({"title": "Hello", "body": "A body", "views": 3, "score": 4.5, "published": True})
WORKLOADS = {
    "hello": ("GET", "/hello", None),
    "params": ("GET", "/items/42?q=search&limit=5", None),
    "model": ("POST", "/articles", BODY),
}
LUA_POST = """
wrk.method = "POST"
wrk.body = {body!r}
wrk.headers["Content-Type"] = "application/json"
"""


def cores() -> tuple[str, str]:
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2:
        return str(available[0]), str(available[0])
    return str(available[-1]), str(available[0])


def check(port: int, method: str, path: str, body: str | None) -> None:
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=body.encode() if body else None,
        headers={"Content-Type": "application/json"} if body else {},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        payload = json.loads(response.read())
    if not payload or "error" in payload:
        raise RuntimeError(f"unexpected answer {payload!r} from {path}")


def run_wrk(port: int, workload: str, args: argparse.Namespace, core: str) -> float:
    method, path, body = WORKLOADS[workload]
    command = ["taskset", "-c", core, "wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if body:
            script.write(LUA_POST.format(body=body))
        script_path = script.name
    if body:
        command += ["-s", script_path]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script_path)
    if "Non-2xx" in output:
        raise RuntimeError(f"non-2xx answers during {workload}:\n{output}")
    for line in output.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(output)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--only", default=",".join(WORKLOADS))
    parser.add_argument("--frameworks", default=",".join(APPS))
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    server_core, client_core = cores()
    workloads = args.only.split(",")
    results: dict[str, dict[str, float]] = {}
    for name in args.frameworks.split(","):
        target, folder = APPS[name]
        process, port = start(target, folder, server_core)
        try:
            results[name] = {}
            for workload in workloads:
                method, path, body = WORKLOADS[workload]
                check(port, method, path, body)
                run_wrk(
                    port,
                    workload,
                    argparse.Namespace(duration=1, connections=args.connections),
                    client_core,
                )
                results[name][workload] = run_wrk(port, workload, args, client_core)
                print(
                    f"{name:<14} {workload:<8} {results[name][workload]:>10.0f} req/s", flush=True
                )
        finally:
            process.terminate()
            process.wait(10)
    print()
    setup = f"{args.connections} connections, {args.duration}s"
    print(f"server on core {server_core}, wrk on core {client_core}, {setup}")
    header = f"{'framework':<14}" + "".join(f"{w:>12}" for w in workloads)
    print(header)
    for name, row in results.items():
        print(f"{name:<14}" + "".join(f"{row[w]:>12.0f}" for w in workloads))
    if "apistellar" in results:
        print()
        print("apistellar / peer")
        for name, row in results.items():
            if name == "apistellar":
                continue
            print(
                f"{'vs ' + name:<14}"
                + "".join(f"{results['apistellar'][w] / row[w]:>12.2f}" for w in workloads)
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
