"""The application: an ASGI 3 callable built from a project's controllers, components and hooks.

Request pipeline (HTTP):

1. route lookup -- an unknown path answers 404, a wrong method 405, a missing trailing
   slash 302 (HTTP envelopes);
2. ``on_request`` hooks (ascending ``order``), then the handler, then rendering;
3. on any exception: ``HTTPException`` -> HTTP envelope with its status; ``Return(value)``
   -> that value; anything else -> ``on_error`` hooks (descending), then the error envelope;
4. ``on_response`` hooks (descending) on **every** path, then the session is saved and
   ``coroutinelocal`` cleared; an error in an ``on_response`` hook gives the error envelope.

Everything a request needs is planned at start-up: a parameter no component can provide
is a :class:`~apistellar_web.exceptions.ConfigurationError` naming it and the function.
"""

import importlib
import importlib.util
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from pathlib import Path
from typing import Any

from apistar import App, http
from apistar.exceptions import HTTPException
from apistar.server.asgi import ASGIReceive, ASGIScope, ASGISend

from apistellar_config import init_settings, settings
from apistellar_session import Session, apply_save_result

from . import (
    _compat,  # noqa: F401  (API Star on current dependencies)
    discovery,
)
from ._allocator import tune_allocator
from ._body import BodyProgress
from ._handler_params import bind_handler
from ._injector import Injector, Step, run_steps
from ._router import Route, Router
from ._sessions import session_backend
from ._websocket import (
    WebSocketHandler,
    WebSocketMessage,
    allowed_origins,
    is_class_handler,
    message_caller,
    origin_allowed,
    send_value,
)
from .cli.launcher import launcher_arguments, project_arguments
from .components import Component
from .downloads import FileResponse
from .exceptions import ConfigurationError
from .hooks import (
    ErrorHook,
    Hook,
    Return,
    SessionHook,
    WebContextHook,
    application_error_response,
    http_error_response,
)
from .locals import coroutinelocal
from .multipart import MultipartLimits
from .openapi import build_openapi, openapi_routes
from .rendering import render, response_headers
from .routing import ROUTES_ATTR, Controller, RouteSpec, controller_chain
from .staticfiles import static_route
from .types.messages import set_messages

__all__ = ["DEFAULT_SETTINGS", "Application", "format_routes", "project_arguments", "show_routes"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

#: Framework defaults, the lowest settings source.
DEFAULT_SETTINGS: dict[str, Any] = {
    "DEBUG": False,
    "LOCAL_VARIABLE": {"scope": "apistar.server.asgi.ASGIScope"},
    "MAX_BODY_SIZE": 16 * 1024 * 1024,
    "APP_ERROR_STATUS": 200,
    "SYNC_HANDLERS_IN_THREAD": True,
    "WEBSOCKET_MAX_MESSAGE_SIZE": 1024 * 1024,
}

_INITIAL: dict[Any, str] = {
    ASGIScope: "scope",
    ASGIReceive: "receive",
    ASGISend: "send",
    App: "app",
    Route: "route",
    http.PathParams: "path_params",
    Exception: "exc",
    http.Response: "response",
    WebSocketMessage: "message",
    WebSocketHandler: "ws_handler",
}


def _import_type(dotted: Any) -> Any:
    if not isinstance(dotted, str):
        return dotted
    module_name, _, attribute = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as error:
        msg = f"LOCAL_VARIABLE names {dotted!r}, which cannot be imported: {error}"
        raise ConfigurationError(msg) from None


def _instantiate(classes: Iterable[type], base: type) -> list[Any]:
    """Instantiate concrete subclasses of ``base`` (those that are not bases themselves)."""
    instances = []
    for cls in classes:
        if not (inspect.isclass(cls) and issubclass(cls, base)) or cls is base:
            continue
        if inspect.isabstract(cls) or cls.__dict__.get("__abstract__", False):
            continue
        instances.append(cls())
    return instances


def _routes_of(controller_cls: type, instance: Any) -> list[Route]:
    chain = controller_chain(controller_cls)
    prefix = "".join(getattr(klass, "prefix", "") for klass in chain)
    names = [getattr(klass, "name", "") for klass in chain]
    routes: list[Route] = []
    for attribute, value in vars(controller_cls).items():
        raw = value.__func__ if isinstance(value, staticmethod | classmethod) else value
        # own attribute only: a handler class must not inherit its base's routes
        specs: list[RouteSpec] = vars(raw).get(ROUTES_ATTR, []) if hasattr(raw, "__dict__") else []
        if not specs:
            continue
        handler = bind_handler(instance, attribute)
        for spec in specs:
            routes.append(
                Route(
                    url=prefix + spec.url,
                    method=spec.method,
                    name=":".join([*names, spec.name]),
                    handler=handler,
                    documented=spec.documented,
                    standalone=spec.standalone,
                    websocket=spec.websocket,
                    controller=instance,
                    action=attribute,
                )
            )
    return routes


class Application:
    """An apistellar application (ASGI 3, with lifespan).

    Args:
        app_name: the name of the app's logger.
        packages: packages whose ``templates``/``static`` folders are served (API Star's).
        static_url: URL prefix of static files.
        settings_path: the settings module, looked for in ``current_dir`` first.
        debug: tracebacks in error envelopes; ``None`` reads the ``DEBUG`` setting (default
            off). Can be changed at run time through ``app.debug``.
        current_dir: the project folder holding ``web_app.py``, ``settings.py`` and the
            project package, whose modules are discovered: ``package`` if given, else
            ``<current_dir>/<its folder name>/`` (the original's rule), else
            ``<current_dir>/<app_name>/``. It is loaded from its file location; nothing is
            added to ``sys.path``.
        controllers: controller classes to route besides the discovered ones.
        components: component instances (or classes) besides the discovered ones.
        hooks: hook instances (or classes) besides the discovered ones.
        discover: import the project package and collect its classes.
        package: the project package, a folder of ``current_dir`` or an importable name.
        load_settings: load the process settings from ``settings_path`` (with
            :data:`DEFAULT_SETTINGS` under them), replacing those loaded before. ``False``
            keeps the process settings as they are (a test suite that loaded its own);
            the app still reads its settings from them.
    """

    def __init__(
        self,
        app_name: str,
        packages: Sequence[str] | None = None,
        static_url: str = "/static/",
        settings_path: str | None = "settings",
        debug: bool | None = None,
        current_dir: str | Path = ".",
        *,
        controllers: Iterable[type] = (),
        components: Iterable[Any] = (),
        hooks: Iterable[Any] = (),
        discover: bool = True,
        package: str | None = None,
        load_settings: bool = True,
    ) -> None:
        self.name = app_name
        self.logger = logging.getLogger(app_name)
        self.current_dir = Path(current_dir).resolve()
        if load_settings:
            # The default name may be missing (a warning); a module named explicitly must exist.
            module = None if settings_path in (None, "settings") else settings_path
            init_settings(module, search_path=self.current_dir, defaults=DEFAULT_SETTINGS)
        self.settings = settings
        self.debug = settings.get_bool("DEBUG", False) if debug is None else debug
        self.packages = list(packages or [])
        #: Cap of bodies read into memory (``MAX_BODY_SIZE``, default 16 MiB), read at start-up.
        self.max_body_size = int(settings.get_int("MAX_BODY_SIZE", 16 * 1024 * 1024) or 0)
        #: Largest websocket message accepted (``WEBSOCKET_MAX_MESSAGE_SIZE``, default 1 MiB).
        self.websocket_max_message = int(
            settings.get_int("WEBSOCKET_MAX_MESSAGE_SIZE", 1 << 20) or 0
        )
        #: Origins allowed to open websockets (``WEBSOCKET_ALLOWED_ORIGINS``; unset: any).
        self.websocket_origins = allowed_origins(settings.get("WEBSOCKET_ALLOWED_ORIGINS"))
        #: Multipart limits (``MULTIPART_*``, ``MAX_UPLOAD_SIZE``), read at start-up.
        self.multipart_limits = MultipartLimits.from_settings(settings)
        #: Localised validation messages (``ERROR_DESC``: a mapping or a dotted path to one).
        self.error_messages = _error_messages(settings.get("ERROR_DESC"))
        #: HTTP status of application errors (``APP_ERROR_STATUS``, default 200), read at start-up.
        self.error_status = int(settings.get_int("APP_ERROR_STATUS", 200) or 200)
        #: Whether unexpected exceptions answer a generic HTTP 500 (``UNEXPECTED_ERRORS_AS_500``,
        #: default off as the original; on in scaffolded projects), read at start-up.
        self.unexpected_errors_as_500 = settings.get_bool("UNEXPECTED_ERRORS_AS_500", False)
        #: Whether start-up sets glibc's allocator thresholds for streaming (``MALLOC_TUNING``).
        self.malloc_tuning = settings.get_bool("MALLOC_TUNING", True)
        #: Whether they were set (see :func:`apistellar_web._allocator.tune_allocator`).
        self.allocator_tuned = False
        self.static_url_prefix = static_url

        found_in = (
            discovery.discover(self.current_dir, package=package, app_name=app_name)
            if discover
            else discovery.Discovered()
        )
        #: The import name of the project package (``None``: none found or not discovered).
        self.package = found_in.package
        found = found_in.classes
        controller_classes = [
            cls
            for cls in [*found, *controllers]
            if inspect.isclass(cls) and issubclass(cls, Controller)
        ]
        user_components = _instantiate(found, Component) + [
            c() if inspect.isclass(c) else c for c in components
        ]
        user_hooks = _instantiate(found, Hook) + [h() if inspect.isclass(h) else h for h in hooks]
        self.hooks = sorted(
            (h for h in user_hooks if not isinstance(h, ErrorHook | SessionHook | WebContextHook)),
            key=lambda hook: hook.order,
        )

        self._session_backend: Any = None
        from ._builtin_components import TypeComponent, builtin_components

        self.components: list[Any] = [
            *builtin_components(
                lambda: self.max_body_size, self._get_session_backend, lambda: self.multipart_limits
            ),
            *user_components,
            TypeComponent(),
        ]
        self.injector = Injector(self.components, _INITIAL, auto_component=_service_component)

        routes: list[Route] = []
        seen_classes: set[type] = set()
        for cls in controller_classes:
            if cls in seen_classes:
                continue
            seen_classes.add(cls)
            if any(getattr(v, ROUTES_ATTR, None) for v in vars(cls).values()):
                routes += _routes_of(cls, cls())
        routes += self._static_routes()
        self.router = Router(routes)
        self.routes = self.router.routes
        self._build_plans()
        self.router = Router([*self.routes, *openapi_routes(self)])  # /openapi.json, /docs
        self._check_session()
        self._templates: Any = None
        self._log_routes()
        if not any(item.controller is not None for item in self.routes):
            self._warn_nothing_routed(found_in, discover)

    # -- settings-driven properties ---------------------------------------------------------

    def _get_session_backend(self) -> Any:
        if self._session_backend is None:
            self._session_backend = session_backend(settings, debug=self.debug)
        return self._session_backend

    # -- planning -----------------------------------------------------------------------------
    def _locals_function(self) -> Callable[..., None]:
        variables = {**coroutinelocal.defaults, **dict(settings.get("LOCAL_VARIABLE") or {})}
        parameters = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=_import_type(dotted))
            for name, dotted in variables.items()
        ]

        def fill_locals(**values: Any) -> None:
            for name, value in values.items():
                coroutinelocal[name] = value

        fill_locals.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        fill_locals.__qualname__ = "WebContextHook.on_request"
        return fill_locals

    def _hook_functions(self, name: str, *, reverse: bool) -> list[Callable[..., Any]]:
        hooks = reversed(self.hooks) if reverse else self.hooks
        return [getattr(hook, name) for hook in hooks if callable(getattr(hook, name, None))]

    def _build_plans(self) -> None:
        threaded = settings.get_bool("SYNC_HANDLERS_IN_THREAD", True)
        self._fill_locals = self._locals_function()
        on_request = [self._fill_locals, *self._hook_functions("on_request", reverse=False)]
        self._response_plan = self.injector.plan(self._hook_functions("on_response", reverse=True))
        self._error_plan = self.injector.plan(self._hook_functions("on_error", reverse=True))
        self._startup = self._lifespan_functions("on_startup")
        self._shutdown = self._lifespan_functions("on_shutdown")
        for item in self.routes:
            if item.websocket:
                self._plan_websocket(item)
                continue
            funcs = [item.handler] if item.standalone else [*on_request, item.handler]
            handler = item.handler
            item.plans["main"] = self.injector.plan(
                funcs,
                threaded=lambda f, h=handler: threaded and f is h,  # type: ignore[misc]
            )

    def _plan_websocket(self, item: Route) -> None:
        handler = item.handler
        item.plans["connect"] = self.injector.plan([self._fill_locals])
        if is_class_handler(handler):
            for method in ("websocket_connect", "websocket_receive", "websocket_disconnect"):
                item.plans[method] = self.injector.plan([message_caller(handler, method=method)])
        else:
            item.plans["websocket_receive"] = self.injector.plan([message_caller(handler)])

    def offline_state(self, kind: str) -> dict[str, Any]:
        """Injection state for work outside a request (solo tasks, the shell, scripts).

        The scope is an empty GET request of type ``kind`` with no body, so components
        that read the request (headers, session, body) resolve to empty values.
        """
        scope: dict[str, Any] = {
            "type": kind,
            "path": "/",
            "method": "GET",
            "headers": [],
            "query_string": b"",
        }

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        return {
            "scope": scope,
            "receive": receive,
            "app": self,
            "route": None,
            "path_params": {},
            "exc": None,
        }

    async def local_values(self, state: dict[str, Any]) -> dict[str, Any]:
        """Resolve the ``LOCAL_VARIABLE`` values (what ``coroutinelocal`` gets) in ``state``."""

        def collect(**values: Any) -> dict[str, Any]:
            return values

        collect.__signature__ = inspect.signature(self._fill_locals)  # type: ignore[attr-defined]
        values: dict[str, Any] = await run_steps(self.injector.plan([collect]), state)
        return values

    async def call(
        self,
        func: Callable[..., Any],
        *,
        kind: str = "solo",
        state: dict[str, Any] | None = None,
        components: Sequence[Any] = (),
    ) -> Any:
        """Call ``func`` with its parameters injected, outside a request.

        ``func`` is planned as a handler is, on the app's own injector: its components,
        the services (``Service`` subclasses, registered on first use, wherever they are
        defined), ``App``, settings. It runs in :meth:`offline_state` of ``kind`` (the
        solo runner uses ``"solo"``, the shell ``"shell"``).

        Args:
            func: any callable; its result is returned (awaited when it is awaitable).
            kind: the ``type`` of the empty offline scope.
            state: a state to run in: the offline values it lacks are added to it and
                what the call resolves is stored in it, so the next call with the same
                dict reuses those values (one resolution for a solo's setup and run).
            components: tried before the app's own (fakes for the shell's ``mock``).

        Raises:
            ConfigurationError: a parameter nothing can provide, naming it and ``func``.
        """
        injector = self.injector
        if components:
            injector = Injector(
                [*components, *injector.components],
                injector.initial,
                auto_component=injector.auto_component,
            )
        offline = self.offline_state(kind)
        if state is None:
            state = offline
        else:
            for key, value in offline.items():
                state.setdefault(key, value)
        return await run_steps(injector.plan([func]), state)

    def _lifespan_functions(self, name: str) -> list[Callable[..., Any]]:
        owners = [*self.components, *self.hooks]
        return [getattr(o, name) for o in owners if callable(getattr(o, name, None))]

    def _check_session(self) -> None:
        """A route or hook that uses the session needs a SECRET_KEY: fail now, not per request."""
        plans: list[list[Step]] = [self._response_plan, self._error_plan]
        plans += [plan for item in self.routes for plan in item.plans.values()]
        session_key = str(Session)
        uses = any(step.output == session_key for plan in plans for step in plan)
        if uses:
            self._get_session_backend()

    def _warn_nothing_routed(self, found: discovery.Discovered, discovered: bool) -> None:
        if not discovered:
            where = "discovery is off (discover=False) and no controllers=[...] route anything"
        elif found.package is None:
            where = "no project package in " + " or ".join(found.looked)
        else:
            where = f"the project package {found.package!r} ({found.folder}) routes nothing"
        self.logger.warning(
            "No routes: %s. Put Controller subclasses with @get/@post... handlers in the "
            "project package (<project>/<package>/, folder named like the project folder or "
            "the app name, with an __init__.py), or pass package='<name>' or "
            "controllers=[...] to Application.",
            where,
        )

    def _log_routes(self) -> None:
        if not self.routes:
            self.logger.debug("Nothing to route.")
        for item in self.routes:
            self.logger.debug("Route method: %s, url: %s to %s.", item.method, item.url, item.name)

    # -- static files and templates -------------------------------------------------------------
    def _static_dirs(self) -> list[Path]:
        dirs: list[Path] = []
        static_dir = settings.get("STATIC_DIR")
        if static_dir:
            dirs.append((self.current_dir / static_dir).resolve())
        for package in self.packages:
            spec = importlib.util.find_spec(package)
            if spec and spec.submodule_search_locations:
                for location in spec.submodule_search_locations:
                    dirs.append(Path(location) / "static")
        return [d for d in dirs if d.is_dir()]

    def _static_routes(self) -> list[Route]:
        return static_route(self._static_dirs(), self.static_url_prefix)

    def static_url(self, filename: str) -> str:
        """The URL of a static file."""
        return self.router.reverse_url("static", filename=filename)

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI 3.1 document of the documented routes (:mod:`apistellar_web.openapi`)."""
        return build_openapi(self)

    def reverse_url(self, name: str, **params: Any) -> str:
        """The path of route ``name`` (``view:<controller>:<action>``) with ``params`` filled in."""
        return self.router.reverse_url(name, **params)

    @property
    def templates(self) -> Any:
        """The Jinja2 environment (``TEMPLATE_DIR`` and the packages' ``templates``)."""
        if self._templates is None:
            import jinja2

            loaders: list[Any] = []
            template_dir = settings.get("TEMPLATE_DIR")
            if template_dir:
                loaders.append(jinja2.FileSystemLoader(str(self.current_dir / template_dir)))
            if self.packages:
                loaders.append(
                    jinja2.PrefixLoader(
                        {p: jinja2.PackageLoader(p, "templates") for p in self.packages}
                    )
                )
            if not loaders:
                msg = "No templates configured: set TEMPLATE_DIR in settings.py."
                raise ConfigurationError(msg)
            env = jinja2.Environment(autoescape=True, loader=jinja2.ChoiceLoader(loaders))
            env.globals["reverse_url"] = self.reverse_url
            env.globals["static_url"] = self.static_url
            self._templates = env
        return self._templates

    def render_template(self, path: str, **context: Any) -> str:
        """Render a Jinja2 template to a string (a handler returning it answers HTML)."""
        return str(self.templates.get_template(path).render(**context))

    # -- ASGI -----------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "websocket":
            await self._websocket(scope, receive, send)

    async def _call_all(self, functions: Iterable[Callable[..., Any]]) -> None:
        for function in functions:
            result = function()
            if inspect.isawaitable(result):
                await result

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.malloc_tuning:
                    self.allocator_tuned = tune_allocator()
                try:
                    await self._call_all(self._startup)
                except Exception as error:
                    self.logger.exception("Start-up failed")
                    await send({"type": "lifespan.startup.failed", "message": str(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                try:
                    await self._call_all(self._shutdown)
                    backend = self._session_backend
                    store = getattr(backend, "store", None)
                    if store is not None and hasattr(store, "close"):
                        await store.close()
                except Exception as error:
                    self.logger.exception("Shut-down failed")
                    await send({"type": "lifespan.shutdown.failed", "message": str(error)})
                    return
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        first = await receive()
        if first["type"] != "websocket.connect":
            return
        try:
            route, path_params = self.router.lookup(scope["path"], "GET", websocket=True)
        except HTTPException:
            await send({"type": "websocket.close", "code": 1000})  # before accept: refused
            return
        if not origin_allowed(scope, self.websocket_origins):
            logging.getLogger("websocket").warning(
                "Websocket of %s refused: Origin.", scope["path"]
            )
            await send({"type": "websocket.close", "code": 1008})  # before accept: 403
            return
        state: dict[str, Any] = {
            "scope": scope,
            "receive": receive,
            "send": send,
            "app": self,
            "route": route,
            "path_params": path_params,
            "exc": None,
            "message": first,
        }
        limit = self.websocket_max_message
        path = scope.get("path", "")
        log = logging.getLogger("websocket")
        handler_class = route.handler if is_class_handler(route.handler) else None
        closed = False

        async def push(value: Any) -> None:
            await send_value(send, value)

        try:
            await run_steps(route.plans["connect"], state)
            await send({"type": "websocket.accept"})
            log.debug("Websocket of %s connect. ", path)
            if handler_class is not None:
                state["ws_handler"] = handler_class(push)
                await push(await run_steps(route.plans["websocket_connect"], state))
            while True:
                message = await receive()
                kind = message["type"]
                state["message"] = message
                if kind == "websocket.disconnect":
                    closed = True
                    log.debug("Websocket of %s disconnect. ", path)
                    if handler_class is not None:
                        await run_steps(route.plans["websocket_disconnect"], state)
                    break
                if kind != "websocket.receive":
                    continue
                size = len(message.get("bytes") or b"") + len((message.get("text") or "").encode())
                if size > limit:
                    closed = True
                    log.warning(
                        "Websocket of %s closed: %d-byte message over %d.", path, size, limit
                    )
                    await send(
                        {"type": "websocket.close", "code": 1009, "reason": "Message too big."}
                    )
                    break
                await push(await run_steps(route.plans["websocket_receive"], state))
        except Exception:
            self.logger.exception("WebSocket handler of %s failed", path)
            if not closed:
                await send({"type": "websocket.close", "code": 1011, "reason": "Internal error."})
        finally:
            coroutinelocal.clear()

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.error_messages is not None:
            set_messages(self.error_messages)
        progress = BodyProgress(receive)
        state: dict[str, Any] = {
            "scope": scope,
            "receive": progress.receive,
            "send": send,
            "app": self,
            "route": None,
            "path_params": {},
            "exc": None,
        }
        method = scope["method"]
        response: http.Response
        try:
            route, path_params = self.router.lookup(
                scope["path"], method, query=scope.get("query_string", b"")
            )
            state["route"] = route
            state["path_params"] = path_params
            if route.standalone:
                await run_steps(route.plans["main"], state)
                return
            response = render(await run_steps(route.plans["main"], state))
            exc_info = getattr(response, "exc_info", None)
            if self.debug and exc_info and exc_info[1] is not None:
                # a response carrying an error: in debug mode, the error's envelope
                raise exc_info[1].with_traceback(exc_info[2])
        except Exception as error:
            response = await self._error_response(error, state)
        state["response"] = response
        try:
            if self._response_plan:  # no on_response hook: nothing to run
                await run_steps(self._response_plan, state)
                response = state["response"]
        except Return as short_cut:  # Return() in an on_response hook: its value is the answer
            response = short_cut.response
        except Exception as error:
            state["exc"] = error
            response = application_error_response(
                error,
                debug=self.debug,
                status=self._error_status(),
                unexpected_as_500=self.unexpected_errors_as_500,
            )
        headers = response_headers(response)
        session = scope.get("session")
        if session is not None:
            try:
                headers = apply_save_result(
                    headers, await self._get_session_backend().save(session)
                )
            except Exception as error:
                self.logger.exception("Saving the session failed")
                response = application_error_response(
                    error,
                    debug=self.debug,
                    status=500,
                    unexpected_as_500=self.unexpected_errors_as_500,
                )
                headers = response_headers(response)
        coroutinelocal.clear()
        try:
            if not progress.done:  # a body read to its end needs no settling
                headers = await progress.settle(scope, response.status_code, headers)
            if isinstance(response, FileResponse):
                request_headers = {
                    k.decode("latin-1").lower(): v.decode("latin-1")
                    for k, v in scope.get("headers", ())
                }
                await response.stream_to(
                    send,
                    method=method,
                    request_headers=request_headers,
                    extra_headers=[],
                    base_headers=headers,
                )
                return
            await send(
                {"type": "http.response.start", "status": response.status_code, "headers": headers}
            )
            await send(
                {
                    "type": "http.response.body",
                    "body": b"" if method == "HEAD" else response.content,
                }
            )
        finally:
            for close in scope.pop("apistellar.cleanup", ()):
                close()

    def _error_status(self) -> int:
        return self.error_status

    async def _error_response(self, error: Exception, state: dict[str, Any]) -> http.Response:
        if isinstance(error, HTTPException):
            return http_error_response(error, debug=self.debug)
        state["exc"] = error
        try:
            await run_steps(self._error_plan, state)
        except Return as short_cut:  # Return() in an on_error hook: its value is the answer
            return short_cut.response
        except Exception as hook_error:
            self.logger.exception("An on_error hook failed")
            return application_error_response(
                hook_error,
                debug=self.debug,
                status=self._error_status(),
                unexpected_as_500=self.unexpected_errors_as_500,
            )
        replaced = state.get("response")
        if isinstance(replaced, http.Response):
            return replaced
        if isinstance(error, Return):
            return error.response
        return application_error_response(
            error,
            debug=self.debug,
            status=self._error_status(),
            unexpected_as_500=self.unexpected_errors_as_500,
        )


def _error_messages(value: Any) -> dict[str, dict[str, str]] | None:
    """Read ``ERROR_DESC``: ``{ValidatorClassName: {code: message}}`` or a dotted path to it."""
    if not value:
        return None
    if isinstance(value, str):
        module_name, _, attribute = value.rpartition(".")
        try:
            value = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError, ValueError) as error:
            msg = f"ERROR_DESC names {value!r}, which cannot be imported: {error}"
            raise ConfigurationError(msg) from None
    try:
        return {
            str(k): {str(c): str(m) for c, m in dict(v).items()} for k, v in dict(value).items()
        }
    except (TypeError, ValueError):
        msg = "ERROR_DESC must map validator class names to {code: message} mappings."
        raise ConfigurationError(msg) from None


def _service_component(annotation: Any) -> Any:
    """A Service subclass used as an annotation is its own component, registered on first use."""
    from .service import Service

    if (
        inspect.isclass(annotation)
        and issubclass(annotation, Service)
        and annotation is not Service
    ):
        return annotation()
    return None


def format_routes(app: Application) -> str:
    """The route table: name, method, URL pattern and ``module:Controller#action``."""
    lines = [
        "{:<40} {:<7} {:<40} {:<}".format("Name", "Method", "URI Pattern", "Controller#Action")
    ]
    for item in app.routes:
        owner = item.controller
        target = (
            f"{type(owner).__module__}:{type(owner).__name__}#{item.action}" if owner else item.name
        )
        lines.append(f"{item.name:<40} {item.method:<7} {item.url:<40} {target}")
    return "\n".join(lines)


def show_routes(
    current_dir: str | Path = ".",
    settings_path: str = "settings",
    *,
    package: str | None = None,
    app_name: str | None = None,
) -> str:
    """Print the route table of the project in ``current_dir`` and return it.

    The original's ``show_routes()``, run in the project folder: the table of
    :func:`format_routes`, or ``Nothing to route.`` when the project routes nothing. The
    project package is found as the app finds it; the app name and ``package=`` of the
    ``Application(...)`` call in ``web_app.py`` are read from its source (never run), so
    a renamed copy of a project lists its routes too.
    """
    folder = Path(current_dir).resolve()
    if app_name is None and package is None:
        found = launcher_arguments(folder / "web_app.py")
        app_name, package = found.get("app_name"), found.get("package")
    app = Application(
        app_name or folder.name,
        current_dir=folder,
        settings_path=settings_path,
        package=package,
    )
    text = format_routes(app) if app.routes else "Nothing to route."
    print(text)
    return text
