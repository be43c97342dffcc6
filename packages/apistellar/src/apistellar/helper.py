"""``apistellar.helper``, the original module path of the handler helpers, the small
utilities and the RPC runtime that generated clients import
(``from apistellar.helper import register``).

Re-exports only: the names live in :mod:`apistellar_web.helpers`,
:mod:`apistellar_web.toolkit`, :mod:`apistellar_web.rpc` and (``TypeEncoder``, which the
original defined here) :mod:`apistellar_web.types`.
"""

from apistellar_web.helpers import proxy, redirect, require, return_wrapped
from apistellar_web.rpc import (
    BackendInternalError,
    BackendServiceError,
    RestfulApi,
    path_parse,
    register,
)
from apistellar_web.toolkit import (
    ChildrenFactory,
    NotImplementedProp,
    classproperty,
    find_children,
    get_callargs,
    parse_date,
)
from apistellar_web.types import TypeEncoder

__all__ = [
    "BackendInternalError",
    "BackendServiceError",
    "ChildrenFactory",
    "NotImplementedProp",
    "RestfulApi",
    "TypeEncoder",
    "classproperty",
    "find_children",
    "get_callargs",
    "parse_date",
    "path_parse",
    "proxy",
    "redirect",
    "register",
    "require",
    "return_wrapped",
]
