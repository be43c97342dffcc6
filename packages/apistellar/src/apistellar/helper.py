"""``apistellar.helper``, the original module path of the handler helpers and of the RPC
runtime that generated clients import (``from apistellar.helper import register``).

Re-exports only: the names live in :mod:`apistellar_web.helpers` and :mod:`apistellar_web.rpc`.
"""

from apistellar_web.helpers import proxy, redirect, require, return_wrapped
from apistellar_web.rpc import (
    BackendInternalError,
    BackendServiceError,
    RestfulApi,
    path_parse,
    register,
)

__all__ = [
    "BackendInternalError",
    "BackendServiceError",
    "RestfulApi",
    "path_parse",
    "proxy",
    "redirect",
    "register",
    "require",
    "return_wrapped",
]
