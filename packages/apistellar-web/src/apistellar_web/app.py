"""The application: an ASGI 3 callable built from a project's controllers, components and hooks.

Building an :class:`Application` does everything a request would otherwise repeat:

1. the settings are loaded (``load_settings``) and read, once;
2. the project package is discovered (:mod:`apistellar_web.discovery`): its controllers,
   components and hooks;
3. the routes are collected (controllers, static files, ``/openapi.json`` and ``/docs``);
4. every route, hook chain and lifespan function is planned on the app's injector: a
   parameter no component can provide is a
   :class:`~apistellar_web.exceptions.ConfigurationError` naming it and the function.

Calling the app serves ASGI: HTTP requests run the pipeline of
:mod:`apistellar_web._pipeline` (hooks, handler, error envelopes, session, response),
websockets :func:`apistellar_web._websocket.serve_websocket`, the lifespan
:mod:`apistellar_web._lifespan`. :meth:`Application.call` runs any function on the same
injector outside a request (solo tasks, the shell, scripts).
"""

import inspect
import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from apistar import App, http
from apistar.server.asgi import ASGIReceive, ASGIScope, ASGISend

from apistellar_config import init_settings, settings
from apistellar_session import Session

from . import (
    _compat,  # noqa: F401  (API Star on current dependencies)
    discovery,
)
from ._asgi import Receive, Scope, Send
from ._collect import controller_routes, instantiate
from ._injector import Injector, Step, run_steps
from ._lifespan import lifespan_functions, serve_lifespan
from ._pipeline import serve_http
from ._router import Route, Router
from ._sessions import session_backend
from ._websocket import (
    WebSocketHandler,
    WebSocketMessage,
    allowed_origins,
    plan_websocket,
    serve_websocket,
)
from .cli.launcher import project_arguments
from .cli.routes import format_routes, show_routes
from .components import Component
from .hooks import ErrorHook, Hook, SessionHook, WebContextHook
from .locals import locals_filler
from .multipart import MultipartLimits
from .openapi import build_openapi, openapi_routes
from .routing import Controller
from .staticfiles import static_dirs, static_route
from .templating import build_environment, template_sources
from .trusted_hosts import allowed_hosts
from .types.messages import read_error_desc

__all__ = ["DEFAULT_SETTINGS", "Application", "format_routes", "project_arguments", "show_routes"]

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
        #: Hosts the app answers (``ALLOWED_HOSTS``; unset: any), read at start-up.
        self.allowed_hosts = allowed_hosts(settings.get("ALLOWED_HOSTS"))
        #: Origins allowed to open websockets (``WEBSOCKET_ALLOWED_ORIGINS``; unset: any).
        self.websocket_origins = allowed_origins(settings.get("WEBSOCKET_ALLOWED_ORIGINS"))
        #: Multipart limits (``MULTIPART_*``, ``MAX_UPLOAD_SIZE``), read at start-up.
        self.multipart_limits = MultipartLimits.from_settings(settings)
        #: Localised validation messages (``ERROR_DESC``: a mapping or a dotted path to one).
        self.error_messages = read_error_desc(settings.get("ERROR_DESC"))
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
        #: Where templates are read from (``TEMPLATE_DIR``, the packages'), read at start-up.
        self.template_sources = template_sources(
            self.current_dir, settings.get("TEMPLATE_DIR"), self.packages
        )

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
        user_components = instantiate(found, Component) + [
            c() if inspect.isclass(c) else c for c in components
        ]
        user_hooks = instantiate(found, Hook) + [h() if inspect.isclass(h) else h for h in hooks]
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

        routes = controller_routes(controller_classes)
        # after discovery: a package of ``packages`` may be the project package it loaded
        folders = static_dirs(self.current_dir, settings.get("STATIC_DIR"), self.packages)
        routes += static_route(folders, self.static_url_prefix)
        self.router = Router(routes)
        self.routes = self.router.routes
        self._build_plans()
        self.router = Router([*self.routes, *openapi_routes(self)])  # /openapi.json, /docs
        self._check_session()
        self._templates: jinja2.Environment | None = None
        self._log_routes()
        if not any(item.controller is not None for item in self.routes):
            self._warn_nothing_routed(found_in, discover)

    # -- settings-driven properties ---------------------------------------------------------

    def _get_session_backend(self) -> Any:
        if self._session_backend is None:
            self._session_backend = session_backend(settings, debug=self.debug)
        return self._session_backend

    # -- planning -----------------------------------------------------------------------------
    def _hook_functions(self, name: str, *, reverse: bool) -> list[Callable[..., Any]]:
        hooks = reversed(self.hooks) if reverse else self.hooks
        return [getattr(hook, name) for hook in hooks if callable(getattr(hook, name, None))]

    def _build_plans(self) -> None:
        threaded = settings.get_bool("SYNC_HANDLERS_IN_THREAD", True)
        self._fill_locals = locals_filler(dict(settings.get("LOCAL_VARIABLE") or {}))
        on_request = [self._fill_locals, *self._hook_functions("on_request", reverse=False)]
        self._response_plan = self.injector.plan(self._hook_functions("on_response", reverse=True))
        self._error_plan = self.injector.plan(self._hook_functions("on_error", reverse=True))
        self._startup = lifespan_functions([*self.components, *self.hooks], "on_startup")
        self._shutdown = lifespan_functions([*self.components, *self.hooks], "on_shutdown")
        for item in self.routes:
            if item.websocket:
                plan_websocket(self.injector, item, self._fill_locals)
                continue
            funcs = [item.handler] if item.standalone else [*on_request, item.handler]
            handler = item.handler
            item.plans["main"] = self.injector.plan(
                funcs,
                threaded=lambda f, h=handler: threaded and f is h,  # type: ignore[misc]
            )

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

    # -- URLs and templates ---------------------------------------------------------------------
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
    def templates(self) -> jinja2.Environment:
        """The Jinja2 environment (:mod:`apistellar_web.templating`), created on first use.

        Raises:
            ConfigurationError: neither ``TEMPLATE_DIR`` nor ``packages`` gives templates.
        """
        if self._templates is None:
            self._templates = build_environment(
                self.template_sources, reverse_url=self.reverse_url, static_url=self.static_url
            )
        return self._templates

    def render_template(self, path: str, **context: Any) -> str:
        """Render a Jinja2 template to a string (a handler returning it answers HTML)."""
        return str(self.templates.get_template(path).render(**context))

    # -- ASGI -----------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await serve_http(self, scope, receive, send)
        elif kind == "lifespan":
            await serve_lifespan(self, receive, send)
        elif kind == "websocket":
            await serve_websocket(self, scope, receive, send)


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
