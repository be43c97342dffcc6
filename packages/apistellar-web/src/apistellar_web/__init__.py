"""apistellar-web: the apistellar framework, built on API Star 0.5's dependency injection.

Importing this package makes API Star 0.5.42 importable on current dependencies (see
``apistellar_web._compat``), so ``from apistar import http, App`` keeps working inside
handlers.
"""

from importlib.metadata import version as _distribution_version

from . import _compat  # noqa: F401  (checks the compatibility layer before apistar is used)
from ._router import Route
from .app import Application, show_routes
from .cli import console_main as console
from .cli import create_main as main
from .cli.tasks import Task
from .components import Component
from .discovery import Discovered, discover
from .downloads import FileResponse
from .entities import Cookie, FileStream, FormParam, MultiPartForm, Session, UrlEncodeForm
from .errors import abort
from .exceptions import ApistellarError, ConfigurationError, PayloadTooLarge
from .helpers import proxy, redirect, require, return_wrapped
from .hooks import ErrorHook, Hook, Return
from .locals import coroutinelocal
from .model_factory import ModelFactory
from .persistence import DriverMixin, PersistentType, conn_ignore, conn_manager, contextmanager
from .routing import Controller, delete, get, head, options, patch, post, put, route, websocket
from .service import Service, inject
from .types import AsyncType, Type, TypeEncoder, validators

__version__ = _distribution_version("apistellar-web")

__all__ = [
    "ApistellarError",
    "Application",
    "AsyncType",
    "Component",
    "ConfigurationError",
    "Controller",
    "Cookie",
    "Discovered",
    "DriverMixin",
    "ErrorHook",
    "FileResponse",
    "FileStream",
    "FormParam",
    "Hook",
    "ModelFactory",
    "MultiPartForm",
    "PayloadTooLarge",
    "PersistentType",
    "Return",
    "Route",
    "Service",
    "Session",
    "Task",
    "Type",
    "TypeEncoder",
    "UrlEncodeForm",
    "abort",
    "conn_ignore",
    "conn_manager",
    "console",
    "contextmanager",
    "coroutinelocal",
    "delete",
    "discover",
    "get",
    "head",
    "inject",
    "main",
    "options",
    "patch",
    "post",
    "proxy",
    "put",
    "redirect",
    "require",
    "return_wrapped",
    "route",
    "show_routes",
    "validators",
    "websocket",
]
