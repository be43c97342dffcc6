"""Where a handler's parameters come from: the URL, the query string, a JSON body or a form.

One classification for the tools that describe routes (API documents, RPC clients); the
injector itself resolves parameters through components.
"""

import re
from typing import Any

from apistar import http
from apistar import types as apistar_types

from .entities import FileStream, FormParam, MultiPartForm, UrlEncodeForm
from .types import Type

__all__ = ["PLACEHOLDER", "group_of", "is_model", "kind_of", "path_names"]

#: ``{name}`` (one path segment) or ``{+name}`` (may span segments) in a route URL.
PLACEHOLDER = re.compile(r"\{(\+?)(\w+)\}")
_KINDS: dict[Any, str] = {
    http.RequestData: "json",
    FileStream: "file",
    MultiPartForm: "file",
    FormParam: "form",
    UrlEncodeForm: "urlencoded",
    http.QueryParams: "query_params",
    http.QueryParam: "query",
    str: "query",
    int: "query",
    float: "query",
    bool: "query",
}


def path_names(url: str) -> dict[str, bool]:
    """The URL's parameters, each mapped to whether it may span segments (``{+name}``)."""
    return {name: bool(plus) for plus, name in PLACEHOLDER.findall(url)}


def is_model(annotation: Any) -> bool:
    """Whether ``annotation`` is a model class (apistellar's or API Star's ``Type``)."""
    return isinstance(annotation, type) and issubclass(annotation, Type | apistar_types.Type)


def kind_of(annotation: Any) -> str | None:
    """``model``, ``json``, ``file``, ``form``, ``urlencoded``, ``query_params``, ``query``,
    or ``None`` for what no request part provides (services, components, ...)."""
    if is_model(annotation):
        return "model"
    try:
        return _KINDS.get(annotation)
    except TypeError:  # an unhashable annotation
        return None


def group_of(route: Any) -> tuple[str, ...]:
    """The controller names of a route (``view:article:group_admin:index`` gives
    ``("article", "group_admin")``)."""
    return tuple(route.name.split(":")[1:-1])
