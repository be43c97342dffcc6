"""What a route documents: parameter tables, bodies, return information, models (F86)."""

import inspect
import json
import typing
from dataclasses import dataclass, field
from typing import Any

from apistar import http

from .._handler_params import is_model, kind_of, path_names
from ..types.validators import NO_DEFAULT
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


def models_in(annotation: Any) -> list[type]:
    """Models in an annotation, also inside ``typing.List[...]`` and the like."""
    if is_model(annotation):
        return [annotation]
    found: list[type] = []
    for argument in typing.get_args(annotation):
        found += [model for model in models_in(argument) if model not in found]
    return found


def _default(parameter: inspect.Parameter) -> Any:
    return "" if parameter.default is inspect.Parameter.empty else parameter.default


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
    """The documentation of one route."""
    handler = route.handler
    doc = parser.parse(inspect.getdoc(handler) if handler.__doc__ else None)
    signature = inspect.signature(handler)
    in_path = path_names(route.url)
    item = Interface(
        comment=doc.comment or route.action or route.name, url=route.url, method=route.method
    )
    files = 0
    for name, parameter in signature.parameters.items():
        if name == "self":
            continue
        annotation = parameter.annotation
        declared = doc.types.get(name)
        examples = doc.examples.get(name, [])
        desc = doc.params.get(name, "")
        kind = kind_of(annotation)
        if name in in_path:
            shown = "path" if in_path[name] else (declared or type_name(annotation))
            if annotation is inspect.Parameter.empty:
                shown = declared or ("path" if in_path[name] else "str")
            item.path.append(Row(name, shown, True, "", desc, examples))
        elif kind == "model":
            item.models += [m for m in models_in(annotation) if m not in item.models]
            if declared == "form":
                item.form.append(_model_row(annotation, doc, name))
            elif declared == "query":
                item.query.append(_model_row(annotation, doc, name))
            else:
                item.has_json = True
                item.json_desc, item.json_examples = desc, examples
                item.json_model = type_name(annotation)
        elif kind == "json":
            item.has_json = True
            item.json_desc, item.json_examples = desc, examples
        elif kind == "file":
            files += 1
        elif kind == "form":
            required = parameter.default is inspect.Parameter.empty
            item.form.append(
                Row(name, declared or "str", required, _default(parameter), desc, examples)
            )
        elif kind == "urlencoded":
            item.form += _rows_from_example(examples, desc)
        elif kind == "query_params":
            item.query += _rows_from_example(examples, desc)
        elif kind == "query":
            required = parameter.default is inspect.Parameter.empty
            shown = declared or ("str" if annotation is http.QueryParam else annotation.__name__)
            item.query.append(Row(name, shown, required, _default(parameter), desc, examples))
    if files:
        item.form.append(Row("`file1`, `file2`, ...", "file", True, "", doc.params.get("file", "")))
    returns = signature.return_annotation
    wrapped = getattr(handler, "return_wrapped", None)
    if returns is not inspect.Signature.empty:
        item.models += [m for m in models_in(returns) if m not in item.models]
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
