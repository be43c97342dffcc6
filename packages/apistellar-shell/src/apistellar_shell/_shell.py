"""The apistellar shell: IPython with the app's injection graph and top-level ``await``.

The namespace holds ``app``, ``settings``, ``coroutinelocal``, every controller,
service, component, model and hook class of the project package (by class name), and:

* ``inject(SomeType)``: anything a handler could ask for. In a plain cell it returns the
  value (resolved on the shell's loop); in a cell that awaits, ``await inject(T)``.
* ``Mocker`` and ``mock(mocker)`` (the original's console: ``mocker.add_mock(T, value)``),
  or ``mock(T, value)``; ``self.clear()`` or ``clear_mocks()`` forgets the mocks. A type
  that no component of the app provides cannot be mocked.
* ``_await(awaitable)``: the original's helper, runs an awaitable in a plain cell.
* ``client``: the app in process (``await client.get("/path")``).

Cells run on one persistent event loop (IPython's), so connections opened in one cell
work in the next.
"""

import asyncio
import inspect
import json as json_module
import os
import sys
from collections.abc import Awaitable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from apistellar_web import Application
from apistellar_web.components import Component
from apistellar_web.discovery import discover
from apistellar_web.locals import coroutinelocal

__all__ = ["Mocker", "Shell", "ShellClient", "build_namespace", "start"]


class Mocker:
    """Fake values for the shell's ``mock(mocker)``: ``add_mock(type, value)``, iterable."""

    def __init__(self) -> None:
        self.datas: list[tuple[Any, Any, str | None]] = []

    def add_mock(self, type: Any, value: Any, param_name: str | None = None) -> None:
        """Provide ``value`` wherever ``type`` is asked for (``param_name``: the parameter
        name the providing component is asked about; by default ``value``)."""
        self.datas.append((type, value, param_name))

    def __iter__(self) -> Iterator[tuple[Any, Any, str | None]]:
        return iter(self.datas)


def _shell_loop() -> asyncio.AbstractEventLoop:
    """The loop IPython runs awaiting cells on (one for the whole session)."""
    from IPython.core.async_helpers import get_asyncio_loop

    loop: asyncio.AbstractEventLoop = get_asyncio_loop()  # type: ignore[no-untyped-call]
    return loop


def _running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


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
        return json_module.loads(self.content)

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"


class ShellClient:
    """Call the app in process: ``await client.get("/path", query=..., json=...)``."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        query: str = "",
    ) -> Response:
        """Send one request through the whole pipeline (hooks, session, envelopes)."""
        if json_body is None:  # ``json=`` as httpx; ``json_body=`` kept
            json_body = json
        body = b"" if json_body is None else json_module.dumps(json_body).encode()
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

    def _provided(self, annotation: Any, name: str) -> bool:
        injector = self.app.injector
        try:
            if annotation in injector.initial:
                return True
        except TypeError:  # an unhashable annotation
            pass
        parameter = inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
        for component in self.app.components:
            try:
                if component.can_handle_parameter(parameter):
                    return True
            except Exception:  # a component that cannot judge this annotation
                continue
        auto = injector.auto_component
        return auto is not None and auto(annotation) is not None

    def mock(self, annotation: Any, value: Any = None, param_name: str | None = None) -> None:
        """Make ``inject`` (and what it resolves) use fake values.

        ``mock(mocker)`` takes a :class:`Mocker` (the original's console); ``mock(T,
        value)`` one type. A type no component of the app provides is refused.

        Raises:
            RuntimeError: ``Type: ... cannot be mocked!``.
        """
        __tracebackhide__ = True  # IPython shows the refusal, not this frame
        entries = (
            list(annotation)
            if isinstance(annotation, Mocker)
            else [(annotation, value, param_name)]
        )
        for kind, _, name in entries:
            if not self._provided(kind, name or "value"):
                raise RuntimeError(
                    f"Type: {kind!r} cannot be mocked! No component of the app provides it."
                )
        for kind, fake, _ in entries:
            self.mocks.insert(0, _Mocked(kind, fake))

    def clear_mocks(self) -> None:
        """Forget every mock."""
        self.mocks.clear()

    #: The original's name: ``self.clear()``.
    clear = clear_mocks

    async def resolve(self, annotation: Any, name: str = "value") -> Any:
        """Resolve anything a handler could ask for, with the mocks first."""

        def target(**values: Any) -> Any:
            return values[name]

        target.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)]
        )
        return await self.app.call(target, kind="shell", components=self.mocks)

    def inject(self, annotation: Any, name: str = "value") -> Any:
        """``annotation``'s value in a plain cell; an awaitable in a cell that awaits."""
        coroutine = self.resolve(annotation, name)
        if _running():
            return coroutine
        return _shell_loop().run_until_complete(coroutine)

    @staticmethod
    def _await(awaitable: Awaitable[Any]) -> Any:
        """Run ``awaitable`` on the shell's loop and return its result (a plain cell)."""
        if _running():
            raise RuntimeError("_await() is for plain cells; in a cell that awaits, use await.")

        async def wait() -> Any:
            return await awaitable

        return _shell_loop().run_until_complete(wait())


def build_namespace(app: Application) -> dict[str, Any]:
    """The shell's names: the app, helpers, and every class of the project package."""
    shell = Shell(app)
    namespace: dict[str, Any] = {
        "app": app,
        "settings": app.settings,
        "coroutinelocal": coroutinelocal,
        "inject": shell.inject,
        "mock": shell.mock,
        "Mocker": Mocker,
        "clear_mocks": shell.clear_mocks,
        "_await": shell._await,
        "client": shell.client,
        "shell": shell,
        "self": shell,
    }
    for cls in discover(app.current_dir).classes:
        namespace.setdefault(cls.__name__, cls)
    values = _shell_loop().run_until_complete(app.local_values(app.offline_state("shell")))
    for name, value in values.items():
        coroutinelocal[name] = value
    return namespace


def start(
    current_dir: str = ".", settings_path: str = "settings", argv: list[str] | None = None
) -> int:
    """Open IPython on the project in ``current_dir`` (top-level ``await`` on one loop)."""
    from IPython import start_ipython
    from traitlets.config import Config

    folder = str(Path(current_dir).resolve())
    for entry in (folder, str(Path(folder).parent)):  # as the original: the parent first
        if entry in sys.path:
            sys.path.remove(entry)
        sys.path.insert(0, entry)
    app = Application(Path(folder).name, current_dir=folder, settings_path=settings_path)
    namespace = build_namespace(app)
    config = Config()
    config.InteractiveShell.autoawait = True
    config.InteractiveShell.loop_runner = "asyncio"
    config.TerminalInteractiveShell.banner1 = (
        f"apistellar shell for {app.name}: app, settings, inject(T), Mocker, mock(mocker), "
        "self.clear(), client, and your classes are here; await works.\n"
    )
    os.environ.setdefault("PYTHONASYNCIODEBUG", "0")
    start_ipython(argv=argv or [], user_ns=namespace, config=config)
    return 0
