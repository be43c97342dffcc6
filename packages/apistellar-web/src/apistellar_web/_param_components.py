"""Components of parameters by annotation: primitives coerced, models built.

``str``/``int``/``float``/``bool`` (and unannotated) parameters come from the path, else
the query string, coerced per route with API Star's messages; a parameter annotated with
a model class is built from the decoded body, else the query string.
"""

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from apistar import http, types, validators
from apistar.server.asgi import ASGIScope

from ._compat import query_values, validated_type
from ._request_components import query_params
from .components import Component
from .exceptions import BadRequest, NotFound
from .types import Type as ApistellarType
from .types.model import dict_builder

__all__ = ["PrimitiveParamComponent", "TypeComponent"]

_EMPTY = inspect.Parameter.empty
_UNKNOWN: Any = object()


# -- primitives: compiled coercion with API Star's messages ---------------------------------
_VALIDATORS: dict[Any, Callable[[bool], validators.Validator]] = {
    _EMPTY: lambda allow_null: validators.Any(),
    str: lambda allow_null: validators.String(allow_null=allow_null),
    int: lambda allow_null: validators.Integer(allow_null=allow_null),
    float: lambda allow_null: validators.Number(allow_null=allow_null),
    bool: lambda allow_null: validators.Boolean(allow_null=allow_null),
}
_MISSING: Any = object()
_BOOLS = {"true": True, "false": False, "1": True, "0": False, "on": True, "off": False}
_slow: Any = object()
_FAST: dict[Any, Callable[[str], Any]] = {
    str: lambda text: text,
    int: int,
    float: float,
    _EMPTY: lambda text: text,
    bool: lambda text: _BOOLS.get(text.lower(), _slow),
}


class _Coercer:
    """Coerce one primitive parameter: a fast path, and API Star's validator for the rest."""

    __slots__ = ("default", "fast", "name", "required", "validator")

    def __init__(self, parameter: inspect.Parameter) -> None:
        self.name = parameter.name
        self.default = None if parameter.default is _EMPTY else parameter.default
        self.required = parameter.default is _EMPTY
        self.fast = _FAST[parameter.annotation]
        self.validator = _VALIDATORS[parameter.annotation](parameter.default is None)

    def __call__(self, text: Any, *, in_path: bool) -> Any:
        try:
            value = self.fast(text)
            if value is not _slow:
                return value
        except (ValueError, TypeError):
            pass
        try:
            return self.validator.validate(text, allow_coerce=True)
        except validators.ValidationError as error:
            detail = {self.name: error.detail}
            raise (NotFound(detail) if in_path else BadRequest(detail)) from None


class PrimitiveParamComponent(Component):
    """``str``/``int``/``float``/``bool``/unannotated parameters from the path, else the query.

    A missing required query parameter answers 404, an invalid one 400, with API Star's
    messages (``{"age": "Must be a number."}``), as the original apistellar did.
    """

    def __init__(self) -> None:
        self._coercers: dict[tuple[int, str], _Coercer] = {}

    def can_handle_parameter(self, parameter: inspect.Parameter) -> bool:
        return parameter.annotation in (str, int, float, bool, _EMPTY)

    def identity(self, parameter: inspect.Parameter) -> str:
        return f"primitive:{parameter.name}:{parameter.annotation!r}:{parameter.default!r}"

    def resolve(
        self,
        parameter: inspect.Parameter,
        path_params: http.PathParams,
        query_params: http.QueryParams,
    ) -> Any:
        key = (id(parameter), parameter.name)
        coercer = self._coercers.get(key)
        if coercer is None:
            coercer = self._coercers[key] = _Coercer(parameter)
        name = parameter.name
        if name in path_params:
            value = path_params[name]
            return value if not isinstance(value, str) else coercer(value, in_path=True)
        text = query_values(query_params).get(name, _MISSING)
        if text is not _MISSING:
            return coercer(text, in_path=False)
        if coercer.required:
            raise NotFound({name: f'The "{name}" field is required.'})
        return coercer.default


class TypeComponent(Component):
    """The last resort: a parameter annotated with a model class is built from the request.

    The data is the decoded body, else the query string; both empty gives the parameter's
    default (a mapping default is the data the model is built from), or 400 ``<name>
    cannot be empty!``. Validation errors answer 400 with the
    field errors -- the raw data is never handed over instead of a model.
    """

    def __init__(self) -> None:
        self._builders: dict[Any, Any] = {}  # annotation -> its dict builder, or None

    def can_handle_parameter(self, parameter: inspect.Parameter) -> bool:
        annotation = parameter.annotation
        return inspect.isclass(annotation) and issubclass(annotation, types.Type | ApistellarType)

    def identity(self, parameter: inspect.Parameter) -> str:
        return f"model:{parameter.name}:{parameter.annotation!r}"

    def resolve(
        self, parameter: inspect.Parameter, data: http.RequestData, scope: ASGIScope
    ) -> Any:
        annotation = parameter.annotation
        if type(data) is dict:  # a JSON object: the model's compiled build, when it has one
            build = self._builders.get(annotation, _UNKNOWN)
            if build is _UNKNOWN:
                build = dict_builder(annotation) if issubclass(annotation, ApistellarType) else None
                self._builders[annotation] = build
            if build is not None:
                try:
                    return build(data, True)
                except validators.ValidationError as error:
                    raise BadRequest(error.detail) from None
                except (TypeError, ValueError) as error:
                    raise BadRequest(f"{parameter.name}: {error}") from None
        source: Any = data if data not in (None, "", b"") else None
        if source is None:
            params = query_params(scope)  # only read when the body gives nothing
            if len(params):
                source = {key: params.get_list(key) for key in params.keys()}
        if source is None:
            if parameter.default is _EMPTY:
                raise BadRequest(f"{parameter.name} cannot be empty!")
            if not isinstance(parameter.default, Mapping):
                return parameter.default
            # a mapping default is the data, as the original built ``Model(default)``
            source = dict(parameter.default)
        if hasattr(source, "getlist") or isinstance(source, dict) and source is not data:
            source = _flatten(source)
        try:
            # API Star's Type ignores allow_coerce, so coerce with its validator first
            # (form and query values are strings).
            if issubclass(annotation, ApistellarType):
                return annotation.validate(source, allow_coerce=True)
            validator = getattr(annotation, "validator", None)
            if (
                validator is not None
                and isinstance(source, dict)
                and annotation.__init__ is types.Type.__init__
            ):
                # Validated once, with coercion; then filled in as types.Type.__init__ would.
                return validated_type(annotation, validator.validate(source, allow_coerce=True))
            return annotation(source)
        except validators.ValidationError as error:
            raise BadRequest(error.detail) from None
        except (TypeError, ValueError) as error:
            raise BadRequest(f"{parameter.name}: {error}") from None


def _flatten(data: Any) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    getlist = getattr(data, "getlist", None)
    for key in list(data.keys()):
        values = getlist(key) if getlist else data[key]
        if not isinstance(values, list):
            values = [values]
        if len(values) == 1:
            flat[key] = values[0] if values[0] != "" else None
        else:
            flat[key] = values
    return flat
