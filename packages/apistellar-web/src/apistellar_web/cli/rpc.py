"""``apistellar create rpc NAME -m MODULE``: RPC client modules for a project's routes.

One module per controller group (``<location>/<NAME>/<group>.py``) with a class per
group subclassing ``BASE`` (default ``apistellar_web.rpc:RestfulApi``), and an
``__init__.py`` whose ``<Name>`` class inherits them all. Each route becomes an async
method decorated with :func:`apistellar_web.rpc.register`:

* ``path_params: dict`` when the URL has ``{name}``/``{+name}`` parts;
* ``json: dict`` for a model or ``http.RequestData`` body, ``form_fields: list[dict]``
  (``name``, ``value``, ``filename``, ``content_type``) for form and file parameters (a
  handler with both gets the form only: one body cannot be both);
* one argument per query parameter (``=None`` when the handler has a default; ``None``
  values are left out of the request), and ``cookies: dict = None``;
* JSON answers are decoded, except for handlers without a return annotation or returning
  ``str``/``bytes`` (raw bytes); ``return_wrapped`` handlers check the ``code`` and
  return the wrapped value.

Method names come from the URL: ``/article/{id}/`` gives ``article_id``; a leading digit
is spelled out, a keyword gets a ``_`` suffix, and two routes on one URL get their HTTP
method appended.
"""

import inspect
import json
import keyword
import re
from pathlib import Path
from typing import Any

from .._handler_params import group_of, kind_of, path_names
from .project import load_app
from .scaffold import ScaffoldError, Writer

__all__ = ["create_rpc"]

_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def method_name(url: str, handler_name: str) -> str:
    """A Python method name for a route URL (see the module docstring)."""
    pieces = [re.sub(r"\W", "", piece) for piece in url.split("/")]
    name = "_".join(piece for piece in pieces if piece) or handler_name
    if name[0].isdigit():
        name = _DIGITS[int(name[0])] + name[1:]
    return name + "_" if keyword.iskeyword(name) else name


def _interface(route: Any) -> dict[str, Any]:
    handler = route.handler
    signature = inspect.signature(handler)
    in_path = path_names(route.url)
    kinds = set()
    queries: list[tuple[str, bool]] = []
    for name, parameter in signature.parameters.items():
        if name == "self" or name in in_path:
            continue
        kind = kind_of(parameter.annotation)
        kinds.add(kind)
        if kind == "query":
            queries.append((name, parameter.default is not inspect.Parameter.empty))
    form = bool(kinds & {"file", "form", "urlencoded"})
    wrapped = getattr(handler, "return_wrapped", None)
    returns = signature.return_annotation
    raw = wrapped is None and (returns is inspect.Signature.empty or returns in (str, bytes))
    return {
        "url": route.url,
        "method": route.method.lower(),
        "handler": route.action or getattr(handler, "__name__", "call"),
        "path": bool(in_path),
        "json": bool(kinds & {"json", "model"}) and not form,
        "form": form,
        "queries": queries,
        "wrapped": wrapped,
        "raw": raw,
    }


def _method(item: dict[str, Any], name: str, timeouts: str) -> str:
    options = [json.dumps(item["url"])]
    wrapped = item["wrapped"]
    if wrapped is not None:
        options.append(json.dumps(wrapped["success_key_name"]))
        options.append(f'error_check=lambda x: x["code"] != {wrapped["success_code"]}')
    options.append(timeouts)
    if item["path"]:
        options.append("have_path_param=True")
    arguments = ["self"]
    if item["path"]:
        arguments.append("path_params: dict")
    arguments += [query for query, optional in item["queries"] if not optional]
    if item["json"]:
        arguments.append("json: dict = None")
    if item["form"]:
        arguments.append("form_fields: typing.List[dict] = None")
    arguments += [f"{query}=None" for query, optional in item["queries"] if optional]
    arguments.append("cookies: dict = None")
    call = ["self.url"]
    if item["queries"]:
        values = ", ".join(f"{query}={query}" for query, _ in item["queries"])
        call.append(f"params=query({values})")
    body = ""
    if item["json"]:
        call.append("json=json")
    if item["form"]:
        body = (
            "        data = FormData()\n"
            "        for field in form_fields or []:\n"
            "            data.add_field(**field)\n"
        )
        call.append("data=data")
    reader = "read" if item["raw"] else "json"
    return (
        f"    @register({', '.join(options)})\n"
        f"    async def {name}({', '.join(arguments)}):\n"
        f"{body}"
        f"        resp = await self.session.{item['method']}({', '.join(call)})\n"
        f"        return await resp.{reader}()\n"
    )


def _class_name(group: str) -> str:
    return "".join(part.capitalize() for part in group.split("_"))


def create_rpc(
    name: str,
    module: str,
    location: Path,
    write: Writer,
    base: str = "apistellar_web.rpc:RestfulApi",
    conn_timeout: float = 9,
    read_timeout: float = 9,
) -> list[Path]:
    """Write the client package ``location/name`` for the routes of ``module``'s project."""
    if not re.fullmatch(r"[A-Za-z_]\w*", name):
        raise ScaffoldError(f"The client name {name!r} must be a Python identifier.")
    if base.count(":") != 1:
        raise ScaffoldError(f"Invalid format: {base}")
    base_module, base_class = base.split(":")
    app = load_app(name, module)
    groups: dict[str, list[str]] = {}
    taken: dict[str, set[str]] = {}
    timeouts = f"conn_timeout={conn_timeout}, read_timeout={read_timeout}"
    for route in app.routes:
        if route.websocket:
            continue
        group = "_".join(group_of(route)) or "default"
        item = _interface(route)
        method = method_name(route.url, item["handler"])
        if method in taken.setdefault(group, set()):
            method = f"{method}_{item['method']}"
        taken[group].add(method)
        groups.setdefault(group, []).append(_method(item, method, timeouts))
    if not groups:
        raise ScaffoldError(f"The project of {module} has no HTTP routes.")
    target = location / name
    written: list[Path] = []
    classes = []
    for group, methods in sorted(groups.items()):
        class_name = _class_name(group)
        classes.append((group, class_name))
        text = CLIENT.format(
            title=group,
            base_module=base_module,
            base_class=base_class,
            cls=class_name,
            methods="\n".join(methods),
        )
        if write(target / f"{group}.py", text):
            written.append(target / f"{group}.py")
    imports = "\n".join(f"from .{group} import {cls}" for group, cls in classes)
    bases = ", ".join(cls for _, cls in classes)
    init = f'"""RPC client of {module}."""\n\n{imports}\n\n\nclass {name.capitalize()}({bases}):\n'
    init += '    """Every endpoint of the service."""\n'
    if write(target / "__init__.py", init):
        written.append(target / "__init__.py")
    return written


CLIENT = '''"""RPC calls of the {title} endpoints (generated by apistellar create rpc)."""

import typing

from aiohttp import FormData

from apistellar_web.rpc import query, register
from {base_module} import {base_class}


class {cls}({base_class}):
    url: typing.Any = None  # the endpoint's absolute URL, set for each call
    session: typing.Any = None  # the pooled session, set for each call

{methods}'''
