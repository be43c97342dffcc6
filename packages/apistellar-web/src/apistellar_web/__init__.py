"""apistellar-web: the apistellar framework, built on API Star 0.5's dependency injection.

Importing this package makes API Star 0.5.42 importable on current dependencies (see
``apistellar_web._compat``), so ``from apistar import http, App`` keeps working inside
handlers.
"""

from importlib.metadata import version as _distribution_version

from . import _compat  # noqa: F401  (installs the compatibility layer before apistar)
from .app import Application, show_routes
from .cli import console_main as console
from .cli import create_main as main
from .cli.tasks import Task
from .components import Component
from .downloads import FileResponse
from .entities import Cookie, FileStream, FormParam, MultiPartForm, Session, UrlEncodeForm
from .errors import abort
from .exceptions import ConfigurationError
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
    "Application",
    "AsyncType",
    "Component",
    "ConfigurationError",
    "Controller",
    "Cookie",
    "DriverMixin",
    "ErrorHook",
    "FileResponse",
    "FileStream",
    "FormParam",
    "Hook",
    "ModelFactory",
    "MultiPartForm",
    "PersistentType",
    "Return",
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
