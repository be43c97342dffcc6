"""The apistellar shell: IPython with the app's injection graph and top-level ``await``.

The namespace holds ``app``, ``settings``, ``coroutinelocal``, every controller,
service, component, model and hook class of the project package (by class name),
``inject(SomeType)`` (an awaitable that resolves anything a handler could ask for),
``mock(SomeType, value)`` / ``clear_mocks()`` (provide fake values to ``inject``), and
``client`` (an in-process HTTP client: ``await client.get("/path")``). Cells run on one
persistent event loop, so connections opened in one cell work in the next.
"""

import asyncio
import inspect
import json
import os
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

from apistellar_web import Application
from apistellar_web._injector import Injector, run_steps
from apistellar_web.components import Component
from apistellar_web.locals import coroutinelocal

__all__ = ["Shell", "ShellClient", "build_namespace", "start"]


class _Mocked(Component):
    def __init__(self, annotation: Any, value: Any) -> None:
        self.annotation = annotation
        self.value = value

    def can_handle_parameter(self, parameter: inspect.Parameter) -> bool:
        return bool(parameter.annotation == self.annotation)

    def identity(self, parameter: inspect.Parameter) -> str:
        return f"mock:{self.annotation!r}"

    def resolve(self) -> Any:
        return self.value


class Response:
    """A response of :class:`ShellClient`."""

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status_code = status
        self.headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers}
        self.content = body

    @property
    def text(self) -> str:
        """The body as text."""
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.content)

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"


class ShellClient:
    """Call the app in process: ``await client.get("/path", params=..., json=...)``."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        query: str = "",
    ) -> Response:
        """Send one request through the whole pipeline (hooks, session, envelopes)."""
        body = b"" if json_body is None else json.dumps(json_body).encode()
        raw_headers = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        if json_body is not None:
            raw_headers.append((b"content-type", b"application/json"))
        if self.cookies:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            raw_headers.append((b"cookie", cookie.encode()))
        path, _, inline_query = path.partition("?")
        scope = {
            "type": "http",
            "method": method.upper(),
            "path": path,
            "query_string": (query or inline_query).encode(),
            "headers": raw_headers,
            "scheme": "http",
            "server": ("shell", 80),
        }
        sent: list[dict[str, Any]] = []
        delivered = False

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(dict(message))

        await self.app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        for name, value in start["headers"]:
            if name == b"set-cookie":
                key, _, rest = value.decode("latin-1").partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return Response(start["status"], start["headers"], content)

    async def get(self, path: str, **kwargs: Any) -> Response:
        """``GET path``."""
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> Response:
        """``POST path``."""
        return await self.request("POST", path, **kwargs)


class Shell:
    """The helpers behind the shell's namespace."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.mocks: list[_Mocked] = []
        self.client = ShellClient(app)

    def mock(self, annotation: Any, value: Any) -> None:
        """Make ``inject`` (and the parameters it resolves) use ``value`` for ``annotation``."""
        self.mocks.insert(0, _Mocked(annotation, value))

    def clear_mocks(self) -> None:
        """Forget every mock."""
        self.mocks.clear()

    async def inject(self, annotation: Any, name: str = "value") -> Any:
        """Resolve anything a handler could ask for (``await inject(ArticleService)``)."""
        injector = Injector([*self.mocks, *self.app.components], self.app.injector.initial)

        def target(**values: Any) -> Any:
            return values[name]

        target.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)]
        )
        return await run_steps(injector.plan([target]), self.app.offline_state("shell"))


def build_namespace(app: Application) -> dict[str, Any]:
    """The shell's names: the app, helpers, and every class of the project package."""
    from apistellar_web._discovery import discover

    shell = Shell(app)
    namespace: dict[str, Any] = {
        "app": app,
        "settings": app.settings,
        "coroutinelocal": coroutinelocal,
        "inject": shell.inject,
        "mock": shell.mock,
        "clear_mocks": shell.clear_mocks,
        "client": shell.client,
        "shell": shell,
    }
    for cls in discover(app.current_dir).classes:
        namespace.setdefault(cls.__name__, cls)
    for name, value in asyncio.run(app.local_values(app.offline_state("shell"))).items():
        coroutinelocal[name] = value
    return namespace


def start(
    current_dir: str = ".", settings_path: str = "settings", argv: list[str] | None = None
) -> int:
    """Open IPython on the project in ``current_dir`` (top-level ``await`` on one loop)."""
    from IPython import start_ipython
    from traitlets.config import Config

    folder = str(Path(current_dir).resolve())
    if folder not in sys.path:  # as ``uvicorn --app-dir``: the shell imports the project
        sys.path.insert(0, folder)
    app = Application(Path(folder).name, current_dir=folder, settings_path=settings_path)
    namespace = build_namespace(app)
    config = Config()
    config.InteractiveShell.autoawait = True
    config.InteractiveShell.loop_runner = "asyncio"
    config.TerminalInteractiveShell.banner1 = (
        f"apistellar shell for {app.name}: app, settings, inject(T), mock(T, v), client, "
        "and your classes are here; await works.\n"
    )
    os.environ.setdefault("PYTHONASYNCIODEBUG", "0")
    asyncio.set_event_loop(asyncio.new_event_loop())
    start_ipython(argv=argv or [], user_ns=namespace, config=config)
    return 0
