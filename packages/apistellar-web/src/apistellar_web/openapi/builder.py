"""The OpenAPI 3.1 document of an application (``app.openapi()``).

Every documented HTTP route is an operation (see
:func:`~apistellar_web.document.operations.describe` for where parameters come from):

* ``operationId`` is the route name with ``:`` as ``.`` (``view.article.show``), the tag
  is the controller's docstring title (else its class name), the summary is the first
  paragraph of the handler's docstring and the description the rest;
* ``:param x:`` gives descriptions, ``:ex x:`` examples (JSON when they parse), ``:type
  x: int`` the type of an unannotated or ``http.QueryParam`` parameter, ``:return:``
  the success response's description and example, ``:rtype:`` its type where the handler
  has no return annotation, and ``:raises X:`` is listed in its description;
* models are component schemas; a JSON body, forms (URL-encoded and multipart) and
  ``FileStream`` uploads (binary parts) are request bodies;
* the success response is the return annotation's schema (``return_wrapped``: the
  wrapper ``{"code": success_code, <key>: value}``); application errors answer with the
  shared ``ApplicationError`` envelope (at ``APP_ERROR_STATUS``, 200 by default, so the
  200 response is ``anyOf`` the two), framework errors with ``HTTPError`` (``4XX``).
"""

import inspect
from types import GenericAlias
from typing import Any

from apistar import http

from apistellar_config import settings

from ..document.operations import EMPTY, Body, Operation, Parameter, describe, examples_of
from ..document.parser import RstDocParser
from .schema import DECLARED, Components, type_schema

__all__ = ["APPLICATION_ERROR", "HTTP_ERROR", "OPENAPI_VERSION", "build_openapi"]

OPENAPI_VERSION = "3.1.0"
APPLICATION_ERROR = "ApplicationError"
HTTP_ERROR = "HTTPError"
_ERROR_REF = {"$ref": f"#/components/schemas/{APPLICATION_ERROR}"}
_HTTP_REF = {"$ref": f"#/components/schemas/{HTTP_ERROR}"}
_JSON = "application/json"
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
_BINARY = {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"}

ENVELOPES: dict[str, dict[str, Any]] = {
    APPLICATION_ERROR: {
        "title": APPLICATION_ERROR,
        "description": (
            "An application error: an assertion or exception in a handler, service or hook "
            "(`assert cond, (code, message, extra)`)."
        ),
        "type": "object",
        "properties": {
            "type": {"const": "normal"},
            "code": {"type": "integer"},
            "errcode": {},
            "message": {},
            "extra": {},
            "detail": {"type": "string", "description": "the traceback (debug only)"},
        },
        "required": ["type", "code", "errcode", "message"],
    },
    HTTP_ERROR: {
        "title": HTTP_ERROR,
        "description": "A framework error (404, 405, 400, 413, 415, ...) with its real status.",
        "type": "object",
        "properties": {
            "type": {"const": "http"},
            "code": {"type": "integer"},
            "errcode": {"type": "integer"},
            "message": {},
            "detail": {"type": "string", "description": "the traceback (debug only)"},
        },
        "required": ["type", "code", "errcode", "message"],
    },
}


def operation_id(name: str) -> str:
    """The ``operationId`` of a route name."""
    return name.replace(":", ".")


def _example(parameter_or_body: Parameter | Body) -> dict[str, Any]:
    examples = [examples_of(text) for text in parameter_or_body.examples]
    if not examples:
        return {}
    if len(examples) == 1:
        return {"example": examples[0]}
    return {"examples": {f"example{i}": {"value": v} for i, v in enumerate(examples, 1)}}


def _parameter_schema(parameter: Parameter, components: Components) -> dict[str, Any]:
    annotation = parameter.annotation
    declared = (parameter.declared or "").strip()
    if annotation in (EMPTY, http.QueryParam, http.Header) or parameter.location == "cookie":
        schema = dict(DECLARED.get(declared.lower(), {"type": "string"}))
    else:
        schema = type_schema(annotation, components) or {"type": "string"}
    default = parameter.default
    if default is not EMPTY and default is not None and isinstance(default, str | int | float):
        schema["default"] = default
    return schema


def _model_parameters(parameter: Parameter, components: Components) -> list[dict[str, Any]]:
    """A model read from the query: one parameter per field."""
    assert parameter.model is not None
    components.name_of(parameter.model)
    validator = parameter.model.validator  # type: ignore[attr-defined]
    required = set(validator.required or []) if parameter.required else set()
    items = []
    for name, child in dict(validator.properties).items():
        item: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": components.validator(child) or {"type": "string"},
        }
        description = getattr(child, "description", "")
        if description:
            item["description"] = str(description)
        items.append(item)
    return items


def _parameters(operation: Operation, components: Components) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for parameter in operation.parameters:
        if parameter.model is not None:
            items += _model_parameters(parameter, components)
            continue
        if parameter.free_form:  # http.QueryParams: the example's keys, if any
            example = next((examples_of(e) for e in parameter.examples), None)
            if isinstance(example, dict):
                for key, value in example.items():
                    schema = type_schema(type(value), components) or {}
                    items.append(
                        {
                            "name": key,
                            "in": "query",
                            "required": False,
                            "schema": schema,
                            "example": value,
                        }
                    )
            continue
        item: dict[str, Any] = {
            "name": parameter.name,
            "in": parameter.location,
            "required": parameter.required or parameter.location == "path",
            "schema": _parameter_schema(parameter, components),
        }
        if parameter.description:
            item["description"] = parameter.description
        if parameter.spans:
            item["description"] = (item.get("description", "") + " (may contain `/`)").strip()
        item.update(_example(parameter))
        items.append(item)
    return items


def _form_schema(body: Body, components: Components, file_text: str) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for form_field in body.fields:
        text = dict(DECLARED.get((form_field.declared or "").lower(), {"type": "string"}))
        if form_field.description:
            text["description"] = form_field.description
        if isinstance(form_field.default, str | int | float) and form_field.default is not EMPTY:
            text["default"] = form_field.default
        properties[form_field.name] = text
        if form_field.required:
            required.append(form_field.name)
    if body.files:  # any part name is read; "file" gives the docs page a file chooser
        described = file_text or "a file; parts of any other name are read too"
        properties.setdefault("file", {**_BINARY, "description": described})
    schema: dict[str, Any] = {"type": "object"}
    if properties:
        schema["properties"] = properties
    if required:
        schema["required"] = required
    if body.files:
        schema["additionalProperties"] = {"anyOf": [_BINARY, {"type": "string"}]}
    if body.model is not None:
        model = components.ref(body.model)
        return {"allOf": [model, schema]} if properties else model
    return schema


def _request_body(body: Body, components: Components, file_text: str = "") -> dict[str, Any]:
    if body.kind == "json":
        schema = components.ref(body.model) if body.model is not None else {}
        content: dict[str, Any] = {_JSON: {"schema": schema, **_example(body)}}
    else:
        schema = _form_schema(body, components, file_text)
        media = [_MULTIPART] if body.files else [_FORM, _MULTIPART]
        content = {kind: {"schema": schema, **_example(body)} for kind in media}
    result: dict[str, Any] = {"content": content, "required": body.required}
    if body.description:
        result["description"] = body.description
    return result


def _success(operation: Operation, components: Components) -> tuple[str, dict[str, Any]]:
    """The media type and schema of the success answer."""
    returns = operation.returns
    declared = (operation.doc.rtype or "").strip().lower()
    if returns is EMPTY and declared:
        returns = str if declared in ("str", "string") else returns
        if returns is EMPTY and declared in DECLARED:
            return _JSON, dict(DECLARED[declared])
    if returns is str:
        media, schema = "text/html", {"type": "string"}
    elif returns is bytes:
        media, schema = "application/octet-stream", dict(_BINARY)
    elif returns is EMPTY or returns is None or returns is type(None):
        media, schema = _JSON, {}
    elif (
        not isinstance(returns, GenericAlias)
        and isinstance(returns, type)
        and issubclass(returns, http.Response)
    ):
        media = getattr(returns, "media_type", None) or "*/*"
        media = media.split(";")[0] if isinstance(media, str) else "*/*"
        schema = {} if media == _JSON else {"type": "string"}
    else:
        media, schema = _JSON, type_schema(returns, components)
    return media, schema


def _responses(operation: Operation, components: Components, error_status: int) -> dict[str, Any]:
    media, schema = _success(operation, components)
    doc = operation.doc
    description = " ".join(doc.returns) or "Success."
    wrapped = operation.wrapped
    if wrapped is not None:
        key = wrapped["success_key_name"]
        codes = wrapped.get("error_info") or {}
        schema = {
            "type": "object",
            "properties": {"code": {"const": wrapped["success_code"]}, key: schema},
            "required": ["code", key],
        }
        media = _JSON
        if codes:
            listed = "; ".join(f"{code}: {text}" for code, text in codes.items())
            description += f" Error codes: {listed}."
    if doc.raises:
        listed = "; ".join(f"{name}: {text}" if text else name for name, text in doc.raises.items())
        description += f" Raises: {listed}."
    success: dict[str, Any] = {"description": description}
    body: dict[str, Any] = {"schema": schema}
    if doc.return_examples:
        body["example"] = examples_of(doc.return_examples[0])
    if media == _JSON and error_status == 200:
        body["schema"] = {"anyOf": [schema, _ERROR_REF]} if schema else schema
    success["content"] = {media: body}
    if wrapped is not None and wrapped.get("error_info"):
        success["x-error-codes"] = {str(k): v for k, v in wrapped["error_info"].items()}
    responses: dict[str, Any] = {"200": success}
    if error_status != 200:
        responses[str(error_status)] = {
            "description": "Application error.",
            "content": {_JSON: {"schema": _ERROR_REF}},
        }
    framework = {"description": "Framework error.", "content": {_JSON: {"schema": _HTTP_REF}}}
    responses["4XX"] = framework
    return responses


def _tag(operation: Operation) -> str | None:
    controller = operation.route.controller
    if controller is None:
        return None
    doc = (type(controller).__doc__ or "").strip().splitlines()
    return doc[0].strip() if doc else type(controller).__name__


def _operation(operation: Operation, components: Components, error_status: int) -> dict[str, Any]:
    item: dict[str, Any] = {"operationId": operation_id(operation.name)}
    tag = _tag(operation)
    if tag:
        item["tags"] = [tag]
    text = operation.doc.text
    if text:
        summary, _, rest = text.partition("\n\n")
        item["summary"] = summary
        if rest:
            item["description"] = rest
    else:
        item["summary"] = operation.title
    parameters = _parameters(operation, components)
    if parameters:
        item["parameters"] = parameters
    if operation.body is not None:
        body = _request_body(operation.body, components, operation.file_description)
        item["requestBody"] = body
    item["responses"] = _responses(operation, components, error_status)
    return item


def _path(url: str) -> str:
    return url.replace("{+", "{")


def build_openapi(
    app: Any,
    *,
    title: str | None = None,
    version: str | None = None,
    description: str | None = None,
    parser: RstDocParser | None = None,
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``app``'s documented HTTP routes.

    ``title``, ``version`` and ``description`` default to the ``OPENAPI_TITLE`` (else the
    app's name), ``OPENAPI_VERSION`` (else ``0.1.0``) and ``OPENAPI_DESCRIPTION`` settings.
    """
    parser = parser or RstDocParser()
    title = title or settings.get("OPENAPI_TITLE") or str(getattr(app, "name", "API"))
    version = version or str(settings.get("OPENAPI_VERSION") or "0.1.0")
    description = description or settings.get("OPENAPI_DESCRIPTION") or None
    components = Components()
    components.schemas.update({name: dict(schema) for name, schema in ENVELOPES.items()})
    error_status = int(getattr(app, "error_status", 200) or 200)
    paths: dict[str, dict[str, Any]] = {}
    tags: dict[str, str] = {}
    for route in app.routes:
        if route.websocket or not route.documented:
            continue
        operation = describe(route, parser)
        entry = paths.setdefault(_path(route.url), {})
        entry[route.method.lower()] = _operation(operation, components, error_status)
        tag = _tag(operation)
        if tag and tag not in tags:
            controller_doc = inspect.cleandoc(type(route.controller).__doc__ or "")
            tags[tag] = controller_doc.partition("\n\n")[2].strip()
    info: dict[str, Any] = {"title": str(title), "version": version}
    if description:
        info["description"] = str(description)
    document: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": info}
    if tags:
        document["tags"] = [
            {"name": name, **({"description": text} if text else {})} for name, text in tags.items()
        ]
    document["paths"] = paths
    document["components"] = {"schemas": components.schemas}
    return document
