"""How a handler is called, and where its parameters come from.

* Calling: a function defined in a controller (or a websocket handler class) is called on
  the instance only when its first parameter is named ``self``; otherwise it is called as a
  plain function (``async def receive(message, path: http.Path)``), as the original allowed.
  :func:`takes_self`, :func:`own_parameters` and :func:`bind_handler` are that one rule.
* Sources: the URL, the query string, a JSON body or a form -- one classification for the
  tools that describe routes (API documents, RPC clients); the injector itself resolves
  parameters through components.
"""

import inspect
import re
from collections.abc import Callable
from types import GenericAlias
from typing import Any

from apistar import http
from apistar import types as apistar_types

from .entities import FileStream, FormParam, MultiPartForm, UrlEncodeForm
from .types import Type

__all__ = [
    "PLACEHOLDER",
    "bind_handler",
    "group_of",
    "is_model",
    "kind_of",
    "own_parameters",
    "path_names",
    "takes_self",
]

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
    # On Python 3.10 a parametrised alias such as ``list[Article]`` passes isinstance(type).
    if isinstance(annotation, GenericAlias) or not isinstance(annotation, type):
        return False
    return issubclass(annotation, (Type, apistar_types.Type))


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


def _parameters(func: Callable[..., Any]) -> list[inspect.Parameter]:
    try:
        return list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature
        return []


def takes_self(func: Callable[..., Any]) -> bool:
    """Whether ``func``, as written in a class body, wants the instance: its first
    positional parameter is named ``self``."""
    parameters = _parameters(func)
    if not parameters:
        return False
    first = parameters[0]
    positional = (first.POSITIONAL_ONLY, first.POSITIONAL_OR_KEYWORD)
    return first.name == "self" and first.kind in positional


def own_parameters(func: Callable[..., Any]) -> list[inspect.Parameter]:
    """``func``'s parameters without a leading ``self`` (see :func:`takes_self`): for a
    websocket handler the first of them is the message."""
    parameters = _parameters(func)
    return parameters[1:] if takes_self(func) else parameters


def bind_handler(instance: Any, attribute: str) -> Any:
    """What to call for handler ``attribute`` of a controller ``instance``.

    A function whose first parameter is ``self`` is bound to the instance; one written
    without ``self`` is called as it is. Static and class methods, and handler classes,
    are looked up as usual.
    """
    raw = inspect.getattr_static(instance, attribute)
    if inspect.isfunction(raw) and not takes_self(raw):
        return raw
    return getattr(instance, attribute)
