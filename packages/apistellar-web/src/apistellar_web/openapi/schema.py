"""JSON Schema 2020-12 from validators, models and Python annotations.

Validators of apistellar and of API Star map the same way (by class name):

* ``String`` -> ``type: string`` with ``minLength``/``maxLength``/``pattern``/``enum`` and
  ``format`` (``date``, ``time``, ``date-time``, ``uuid``; ``FormatDateTime`` keeps its
  ``strptime`` pattern in ``x-strptime``; an ``Exchange`` to an ``Enum`` lists its values);
* ``Integer``/``Number`` -> ``integer``/``number`` with ``minimum``/``maximum`` (or the
  2020-12 ``exclusiveMinimum``/``exclusiveMaximum`` numbers), ``multipleOf``, ``enum``;
* ``Boolean``, ``Any`` (``{}``), ``Object`` (``properties``, ``required``,
  ``additionalProperties``, ``patternProperties``, ``min/maxProperties``), ``Array``
  (``items``, ``prefixItems`` for tuple checks, ``min/maxItems``, ``uniqueItems``),
  ``Union`` (``anyOf``);
* models, ``Proxy(Model)`` and ``Ref("Model")`` -> ``$ref`` to a component schema;
* ``allow_null`` adds ``null`` to the type (``anyOf`` with ``{"type": "null"}`` for a
  reference), a plain default becomes ``default``, ``title``/``description`` are kept.
"""

import enum
import json
import types
import typing
from collections.abc import Mapping
from typing import Any

from .._handler_params import is_model

__all__ = ["Components", "type_schema"]

REF_PREFIX = "#/components/schemas/"
_FORMATS = {"date": "date", "time": "time", "datetime": "date-time", "UUID": "uuid"}
_PRIMITIVES: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    bytes: {"type": "string", "format": "binary"},
    dict: {"type": "object"},
    list: {"type": "array"},
    type(None): {"type": "null"},
}
#: ``:type x: int`` and the like, as the docstrings of the original's users write them.
DECLARED: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "string": {"type": "string"},
    "int": {"type": "integer"},
    "integer": {"type": "integer"},
    "float": {"type": "number"},
    "number": {"type": "number"},
    "bool": {"type": "boolean"},
    "boolean": {"type": "boolean"},
    "list": {"type": "array"},
    "array": {"type": "array"},
    "dict": {"type": "object"},
    "object": {"type": "object"},
    "file": {"type": "string", "format": "binary"},
}


def _plain(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema and None not in schema["enum"]:
        schema = {**schema, "enum": [*schema["enum"], None]}
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    if isinstance(kind, list):
        return schema if "null" in kind else {**schema, "type": [*kind, "null"]}
    if not schema:
        return schema
    meta: dict[str, Any] = {
        k: schema[k] for k in ("title", "description", "default") if k in schema
    }
    core = {k: v for k, v in schema.items() if k not in meta}
    return {"anyOf": [core, {"type": "null"}], **meta}


def _names(validator: Any) -> list[str]:
    return [klass.__name__ for klass in type(validator).__mro__]


class Components:
    """The component schemas of one document: each model once, under its class name
    (a second model of the same name gets its module in front)."""

    def __init__(self) -> None:
        self.schemas: dict[str, dict[str, Any]] = {}
        self._names: dict[type, str] = {}

    def name_of(self, model: type) -> str:
        """The component name of ``model`` (registering it on first use)."""
        known = self._names.get(model)
        if known is not None:
            return known
        name = model.__name__
        if name in self.schemas:
            name = f"{model.__module__}.{model.__qualname__}".replace(".", "_")
        self._names[model] = name
        self.schemas[name] = {}  # reserved first: a model may refer to itself
        self.schemas[name] = self._model_schema(model)
        return name

    def ref(self, model: type) -> dict[str, Any]:
        """``{"$ref": ...}`` of a model."""
        return {"$ref": REF_PREFIX + self.name_of(model)}

    def _model_schema(self, model: type) -> dict[str, Any]:
        validator = getattr(model, "validator", None)
        schema = self.validator(validator, top=True) if validator is not None else {}
        schema.setdefault("type", "object")
        schema.pop("default", None)
        doc = (model.__doc__ or "").strip()
        if doc and "description" not in schema:
            schema["description"] = doc.split("\n\n")[0].split(":param")[0].strip()
        schema["title"] = model.__name__
        return schema

    def validator(self, validator: Any, *, top: bool = False) -> dict[str, Any]:
        """The schema of a validator (or of a model class used as one)."""
        if validator is None or validator is True:
            return {}
        if validator is False:
            return {"not": {}}
        if isinstance(validator, type):
            return self.ref(validator) if is_model(validator) else type_schema(validator, self)
        names = _names(validator)
        schema = self._core(validator, names, top=top)
        title = getattr(validator, "title", "")
        description = getattr(validator, "description", "")
        if title and not top:
            schema["title"] = str(title)
        if description:
            schema["description"] = str(description)
        has_default = getattr(validator, "has_default", None)
        default = getattr(validator, "default", None)
        if callable(has_default) and has_default() and not callable(default):
            if default is None or _plain(default):
                schema["default"] = default
        if getattr(validator, "allow_null", False) and not top:
            schema = _nullable(schema)
        return schema

    def _core(self, validator: Any, names: list[str], *, top: bool) -> dict[str, Any]:
        if "Proxy" in names:
            return self.validator(validator.type)
        if "Ref" in names:
            target = next((m for m in self._names if m.__name__ == validator.ref), None)
            if target is not None:
                return self.ref(target)
            if validator.ref in self.schemas:
                return {"$ref": REF_PREFIX + validator.ref}
            return {"description": f"a {validator.ref} (Ref)"}
        if "Union" in names:
            return {"anyOf": [self.validator(item) for item in validator.items]}
        if "String" in names:
            return self._string(validator)
        if "NumericType" in names:
            return self._number(validator, "integer" if "Integer" in names else "number")
        if "Boolean" in names:
            return {"type": "boolean"}
        if "Object" in names:
            model = getattr(validator, "model", None)
            if not top and model is not None and is_model(model):
                return self.ref(model)
            return self._object(validator)
        if "Array" in names:
            return self._array(validator)
        return {}

    def _string(self, validator: Any) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        if validator.min_length is not None:
            schema["minLength"] = validator.min_length
        if validator.max_length is not None:
            schema["maxLength"] = validator.max_length
        if validator.pattern:
            schema["pattern"] = validator.pattern
        if validator.enum is not None:
            schema["enum"] = list(validator.enum)
        kind = getattr(validator, "format", None)
        formatter = getattr(validator, "formatter", None)
        if kind in _FORMATS:
            schema["format"] = _FORMATS[kind]
        elif kind == "format_datetime":
            pattern = getattr(formatter, "format", None)
            if isinstance(pattern, str):
                schema["x-strptime"] = pattern
        elif kind == "exchange_format":
            cast = getattr(formatter, "cast", None)
            if isinstance(cast, type) and issubclass(cast, enum.Enum):
                values = [member.value for member in cast]
                if all(_plain(value) for value in values):
                    schema["enum"] = values
                    if not all(isinstance(value, str) for value in values):
                        del schema["type"]
        elif isinstance(kind, str) and kind:
            schema["format"] = kind
        return schema

    def _number(self, validator: Any, kind: str) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": kind}
        if validator.minimum is not None:
            key = "exclusiveMinimum" if validator.exclusive_minimum else "minimum"
            schema[key] = validator.minimum
        if validator.maximum is not None:
            key = "exclusiveMaximum" if validator.exclusive_maximum else "maximum"
            schema[key] = validator.maximum
        if validator.multiple_of is not None:
            schema["multipleOf"] = validator.multiple_of
        if validator.enum is not None:
            schema["enum"] = list(validator.enum)
        if isinstance(getattr(validator, "format", None), str):
            schema["format"] = validator.format
        return schema

    def _object(self, validator: Any) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object"}
        properties = dict(validator.properties or {})
        if properties:
            schema["properties"] = {k: self.validator(v) for k, v in properties.items()}
        required = [key for key in validator.required or [] if key in properties]
        if required:
            schema["required"] = required
        patterns = dict(getattr(validator, "pattern_properties", None) or {})
        if patterns:
            schema["patternProperties"] = {k: self.validator(v) for k, v in patterns.items()}
        extra = validator.additional_properties
        if extra is False:
            schema["additionalProperties"] = False
        elif extra not in (None, True):
            schema["additionalProperties"] = self.validator(extra)
        if validator.min_properties is not None:
            schema["minProperties"] = validator.min_properties
        if validator.max_properties is not None:
            schema["maxProperties"] = validator.max_properties
        return schema

    def _array(self, validator: Any) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array"}
        items = validator.items
        if isinstance(items, list | tuple):
            schema["prefixItems"] = [self.validator(item) for item in items]
            extra = validator.additional_items
            if extra is False:
                schema["items"] = False
            elif extra not in (None, True):
                schema["items"] = self.validator(extra)
        elif items is not None:
            schema["items"] = self.validator(items)
        if validator.min_items is not None:
            schema["minItems"] = validator.min_items
        if validator.max_items is not None:
            schema["maxItems"] = validator.max_items
        if validator.unique_items:
            schema["uniqueItems"] = True
        return schema


def type_schema(annotation: Any, components: Components) -> dict[str, Any]:
    """The schema of a Python annotation (``int``, ``list[Model]``, ``Model | None``, ...);
    ``{}`` (anything) for what has no JSON shape."""
    if is_model(annotation):
        return components.ref(annotation)
    if annotation in _PRIMITIVES:
        return dict(_PRIMITIVES[annotation])
    supertype = getattr(annotation, "__supertype__", None)
    if supertype is not None:  # NewType
        return type_schema(supertype, components)
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [type_schema(argument, components) for argument in arguments]
        if {"type": "null"} in options and len(options) == 2:
            other = next(option for option in options if option != {"type": "null"})
            return _nullable(other) if other else {}
        return {"anyOf": options}
    if origin is typing.Literal:
        return {"enum": [value for value in arguments if _plain(value)]}
    if isinstance(origin, type):
        if issubclass(origin, list | set | frozenset) or origin is typing.Sequence:
            schema: dict[str, Any] = {"type": "array"}
            if arguments:
                schema["items"] = type_schema(arguments[0], components)
            return schema
        if issubclass(origin, tuple):
            if len(arguments) == 2 and arguments[1] is Ellipsis:
                return {"type": "array", "items": type_schema(arguments[0], components)}
            return {
                "type": "array",
                "prefixItems": [type_schema(argument, components) for argument in arguments],
                "items": False,
            }
        if issubclass(origin, Mapping):
            schema = {"type": "object"}
            if len(arguments) == 2:
                schema["additionalProperties"] = type_schema(arguments[1], components)
            return schema
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return {"enum": [member.value for member in annotation if _plain(member.value)]}
        if issubclass(annotation, list | tuple | set | frozenset):
            return {"type": "array"}
        if issubclass(annotation, Mapping):
            return {"type": "object"}
    return {}
