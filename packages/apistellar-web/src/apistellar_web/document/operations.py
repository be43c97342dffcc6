"""What a route offers, read once from its handler: the one extractor of API descriptions.

:func:`describe` turns a route into an :class:`Operation` -- its parameters (path, query,
header, cookie), its body (JSON, forms, files), its return annotation, ``return_wrapped``
options and the docstring's comment, descriptions, declared types and examples. The
Markdown pages (:mod:`.extract`), the OpenAPI document (:mod:`apistellar_web.openapi`) and
the clients generated from that document all read it.

Where a parameter comes from follows the injector's rules:

* a name in the URL (``{name}``/``{+name}``) is a path parameter;
* ``str``/``int``/``float``/``bool``, unannotated and ``http.QueryParam`` parameters are
  query parameters; ``http.Header`` and ``Cookie`` are a header / a cookie named after
  the parameter (``_`` -> ``-``);
* a model is the JSON body, or with ``:type name: form`` a form and with
  ``:type name: query`` the query string (a model on ``GET``/``HEAD``/``DELETE`` without
  ``:type`` is read from the query too);
* ``http.RequestData`` is a JSON body; ``FormParam`` a form field; ``UrlEncodeForm``,
  ``MultiPartForm`` and ``FileStream`` whole form bodies (``FileStream``: files);
* anything else (services, components, the session, ...) is not part of the request's
  description.
"""

import inspect
import json
import typing
from dataclasses import dataclass, field
from typing import Any

from apistar import http

from .._handler_params import group_of, is_model, kind_of, own_parameters, path_names
from ..entities import Cookie
from .parser import Doc, RstDocParser

__all__ = ["Body", "Operation", "Parameter", "describe", "documented_routes", "examples_of"]

EMPTY: Any = inspect.Parameter.empty
_QUERY_METHODS = ("GET", "HEAD", "DELETE")


@dataclass
class Parameter:
    """One request parameter outside the body (or one field of a form body)."""

    name: str  #: the name on the wire (headers and cookies: ``_`` -> ``-``)
    python_name: str  #: the handler's parameter name
    location: str  #: ``path``, ``query``, ``header``, ``cookie`` or ``form``
    annotation: Any
    required: bool
    default: Any = EMPTY
    description: str = ""
    examples: list[str] = field(default_factory=list)
    declared: str | None = None  #: the ``:type`` of the docstring
    spans: bool = False  #: a ``{+name}`` path parameter (may hold ``/``)
    model: type | None = None  #: a model whose fields are the parameters (query/form)
    free_form: bool = False  #: ``http.QueryParams``/``UrlEncodeForm``: any names
    #: a model put in the query only because the method has no body (no ``:type``)
    by_method: bool = False


@dataclass
class Body:
    """The request body."""

    kind: str  #: ``json`` or ``form``
    python_name: str = ""
    model: type | None = None  #: a JSON model, or a form's model (``:type x: form``)
    annotation: Any = EMPTY
    required: bool = True
    description: str = ""
    examples: list[str] = field(default_factory=list)
    fields: list[Parameter] = field(default_factory=list)  #: ``FormParam`` fields
    files: bool = False  #: ``FileStream``/``MultiPartForm``: multipart only
    free_form: bool = False  #: ``UrlEncodeForm``/``MultiPartForm``/``RequestData``


@dataclass
class Operation:
    """Everything a route documents."""

    route: Any
    url: str
    method: str
    name: str  #: the route name (``view:article:show``)
    group: tuple[str, ...]  #: the controller names (``("article",)``)
    doc: Doc
    title: str  #: the docstring's comment, else the handler's name
    parameters: list[Parameter] = field(default_factory=list)
    body: Body | None = None
    returns: Any = EMPTY  #: the return annotation
    wrapped: dict[str, Any] | None = None  #: ``return_wrapped`` options
    models: list[type] = field(default_factory=list)  #: every model it mentions
    file_description: str = ""  #: the docstring's ``:param file:``


def models_in(annotation: Any) -> list[type]:
    """Models in an annotation, also inside ``typing.List[...]`` and the like."""
    if is_model(annotation):
        return [annotation]
    found: list[type] = []
    for argument in typing.get_args(annotation):
        found += [model for model in models_in(argument) if model not in found]
    return found


def examples_of(text: str) -> Any:
    """An example as data: JSON when it parses, else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _kind(annotation: Any) -> str | None:
    kind = kind_of(annotation)
    if kind is not None:
        return kind
    if annotation is http.Header:
        return "header"
    if annotation is Cookie:
        return "cookie"
    if annotation is EMPTY:
        return "query"
    return None


def describe(route: Any, parser: RstDocParser | None = None) -> Operation:
    """The :class:`Operation` of ``route`` (its docstring read by ``parser``)."""
    parser = parser or RstDocParser()
    handler = route.handler
    doc = parser.parse(inspect.getdoc(handler) if getattr(handler, "__doc__", None) else None)
    operation = Operation(
        route=route,
        url=route.url,
        method=route.method,
        name=route.name,
        group=group_of(route),
        doc=doc,
        title=doc.comment or route.action or route.name,
        wrapped=getattr(handler, "return_wrapped", None),
    )
    in_path = path_names(route.url)
    form: Body | None = None
    json_body: Body | None = None
    model_required = False
    try:
        parameters = own_parameters(handler)
    except (TypeError, ValueError):
        parameters = []
    for parameter in parameters:
        name = parameter.name
        annotation = parameter.annotation
        required = parameter.default is EMPTY
        common: dict[str, Any] = {
            "python_name": name,
            "annotation": annotation,
            "default": parameter.default,
            "description": doc.params.get(name, ""),
            "examples": doc.examples.get(name, []),
            "declared": doc.types.get(name),
        }
        kind = _kind(annotation)
        if name in in_path:
            operation.parameters.append(
                Parameter(name, location="path", required=True, spans=in_path[name], **common)
            )
            continue
        if kind == "model":
            operation.models += [m for m in models_in(annotation) if m not in operation.models]
            declared = common["declared"]
            if declared == "query" or (declared != "form" and route.method in _QUERY_METHODS):
                operation.parameters.append(
                    Parameter(
                        name,
                        location="query",
                        required=required,
                        model=annotation,
                        by_method=declared != "query",
                        **common,
                    )
                )
            elif declared == "form":
                form = form or Body("form")
                form.model, form.python_name, model_required = annotation, name, required
                form.description, form.examples = common["description"], common["examples"]
            else:
                json_body = Body(
                    "json",
                    python_name=name,
                    model=annotation,
                    annotation=annotation,
                    required=required,
                    description=common["description"],
                    examples=common["examples"],
                )
        elif kind == "json":
            json_body = Body(
                "json",
                python_name=name,
                annotation=annotation,
                required=False,
                description=common["description"],
                examples=common["examples"],
                free_form=True,
            )
        elif kind in ("file", "urlencoded"):
            form = form or Body("form")
            form.python_name = form.python_name or name
            form.free_form = True
            form.files = form.files or kind == "file"
            if kind == "urlencoded":
                form.description, form.examples = common["description"], common["examples"]
        elif kind == "form":
            form = form or Body("form")
            form.fields.append(Parameter(name, location="form", required=required, **common))
        elif kind == "query_params":
            operation.parameters.append(
                Parameter(name, location="query", required=False, free_form=True, **common)
            )
        elif kind in ("query", "header", "cookie"):
            wire = name.replace("_", "-") if kind in ("header", "cookie") else name
            operation.parameters.append(Parameter(wire, location=kind, required=required, **common))
    if form is not None and form.model is None and not form.fields and not form.free_form:
        form = None
    operation.body = form or json_body
    if form is not None:
        form.required = model_required or form.files or any(f.required for f in form.fields)
    operation.file_description = doc.params.get("file", "")
    try:
        operation.returns = inspect.signature(handler).return_annotation
    except (TypeError, ValueError):
        operation.returns = EMPTY
    operation.models += [m for m in models_in(operation.returns) if m not in operation.models]
    return operation


def documented_routes(app: Any) -> list[Any]:
    """The app's HTTP routes that are documented (``documented=False`` left out)."""
    return [route for route in app.routes if not route.websocket and route.documented]
