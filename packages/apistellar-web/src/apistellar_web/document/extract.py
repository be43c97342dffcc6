"""The tables of the Markdown pages: parameters, bodies, return information, models.

Built from :func:`~apistellar_web.document.operations.describe`, the extractor the
OpenAPI document reads too.
"""

import inspect
import json
import typing
from dataclasses import dataclass, field
from typing import Any

from apistar import http

from ..types.validators import NO_DEFAULT
from .operations import EMPTY, Parameter, describe, models_in
from .parser import Doc, RstDocParser

__all__ = ["Interface", "Row", "interface_of", "model_rows", "models_in", "type_name"]


@dataclass
class Row:
    """One table row: a parameter or a model field."""

    name: str
    type: str
    required: bool
    default: Any = ""
    desc: str = ""
    examples: list[str] = field(default_factory=list)
    nullable: bool = False


@dataclass
class Interface:
    """One route's documentation."""

    comment: str
    url: str
    method: str
    query: list[Row] = field(default_factory=list)
    path: list[Row] = field(default_factory=list)
    form: list[Row] = field(default_factory=list)
    json_desc: str = ""
    json_examples: list[str] = field(default_factory=list)
    json_model: str | None = None
    has_json: bool = False
    return_type: str | None = None
    return_desc: list[str] = field(default_factory=list)
    return_examples: list[str] = field(default_factory=list)
    codes: dict[int, str] = field(default_factory=dict)
    models: list[type] = field(default_factory=list)


def type_name(annotation: Any) -> str:
    """``int``, ``pkg.mod.Model``, ``typing.List[pkg.mod.Model]``..."""
    if isinstance(annotation, type) and not typing.get_args(annotation):
        if annotation.__module__ == "builtins":
            return annotation.__name__
        return f"{annotation.__module__}.{annotation.__qualname__}"
    if getattr(annotation, "__supertype__", None) is not None:  # NewType
        return str(annotation.__name__)
    return repr(annotation)


def _shown(parameter: Parameter) -> str:
    annotation = parameter.annotation
    if parameter.location == "path":
        if annotation is EMPTY:
            return parameter.declared or ("path" if parameter.spans else "str")
        return "path" if parameter.spans else (parameter.declared or type_name(annotation))
    return parameter.declared or ("str" if annotation is http.QueryParam else annotation.__name__)


def _blank(default: Any) -> Any:
    return "" if default is EMPTY else default


def _rows_from_example(examples: list[str], desc: str) -> list[Row]:
    for example in examples:
        try:
            data = json.loads(example)
        except ValueError:
            continue
        if isinstance(data, dict):
            return [
                Row(key, type(value).__name__, False, "", desc, [json.dumps(value)])
                for key, value in data.items()
            ]
    return []


def _model_row(model: type, doc: Doc, name: str) -> Row:
    fields = list(getattr(model, "fields", {}))
    label = ", ".join(fields[:3]) + (", ..." if len(fields) > 3 else "")
    examples = [" ".join(example.split()) for example in doc.examples.get(name, [])]
    return Row(label, type_name(model), True, "", doc.params.get(name, ""), examples)


def interface_of(route: Any, parser: RstDocParser) -> Interface:
    """The documentation of one route, as the Markdown pages show it (from
    :func:`~apistellar_web.document.operations.describe`)."""
    operation = describe(route, parser)
    doc = operation.doc
    item = Interface(comment=operation.title, url=route.url, method=route.method)
    item.models = list(operation.models)
    for parameter in operation.parameters:
        desc, examples = parameter.description, parameter.examples
        if parameter.location == "path":
            item.path.append(Row(parameter.name, _shown(parameter), True, "", desc, examples))
        elif parameter.model is not None and parameter.by_method:  # the original: JSON
            item.has_json = True
            item.json_desc, item.json_examples = desc, examples
            item.json_model = type_name(parameter.model)
        elif parameter.model is not None:
            item.query.append(_model_row(parameter.model, doc, parameter.python_name))
        elif parameter.free_form:
            item.query += _rows_from_example(examples, desc)
        elif parameter.location == "query" and parameter.annotation is not EMPTY:
            row = Row(
                parameter.name,
                _shown(parameter),
                parameter.required,
                _blank(parameter.default),
                desc,
                examples,
            )
            item.query.append(row)
    body = operation.body
    if body is not None and body.kind == "json":
        item.has_json = True
        item.json_desc, item.json_examples = body.description, body.examples
        item.json_model = type_name(body.model) if body.model is not None else None
    elif body is not None:
        if body.model is not None:
            item.form.append(_model_row(body.model, doc, body.python_name))
        for form_field in body.fields:
            item.form.append(
                Row(
                    form_field.name,
                    form_field.declared or "str",
                    form_field.required,
                    _blank(form_field.default),
                    form_field.description,
                    form_field.examples,
                )
            )
        if body.free_form and not body.files:
            item.form += _rows_from_example(body.examples, body.description)
        if body.files:
            item.form.append(
                Row("`file1`, `file2`, ...", "file", True, "", operation.file_description)
            )
    returns = operation.returns
    wrapped = operation.wrapped
    if returns is not inspect.Signature.empty:
        item.return_type = type_name(returns)
    if wrapped is not None:
        inner = item.return_type or "any"
        item.return_type = (
            f'{{"code": {wrapped["success_code"]}, "{wrapped["success_key_name"]}": {inner}, '
            '"message": "xx"}'
        )
        item.codes = {wrapped["success_code"]: "success", **wrapped["error_info"]}
    item.return_desc = doc.returns
    item.return_examples = doc.return_examples
    return item


def model_rows(model: type, parser: RstDocParser) -> list[Row]:
    """One row per field of a model; factories are called to show their default."""
    doc = parser.parse(inspect.getdoc(model) if model.__doc__ else None)
    rows = []
    for name, validator in getattr(model, "fields", {}).items():
        default = getattr(validator, "default", NO_DEFAULT)
        has_default = default is not NO_DEFAULT and default is not None
        if callable(default):
            default = default()
        nullable = bool(getattr(validator, "allow_null", False))
        rows.append(
            Row(
                name,
                type(validator).__name__,
                not (has_default or nullable),
                default if has_default else "",
                doc.params.get(name, "") or (getattr(validator, "description", "") or ""),
                doc.examples.get(name, []),
                nullable,
            )
        )
    return rows
