"""The components every apistellar app has: request parts, parameters, forms, session, settings.

They provide API Star's ``http.*`` types with the original apistellar's strict
``QueryParam``/``Header``/``Cookie``/``FormParam`` rules, primitives coerced per route with
API Star's messages, and the body read once, capped, by apistellar itself.
"""

import inspect
import typing
from collections.abc import Callable, Mapping
from http.cookies import _unquote
from operator import itemgetter
from typing import Any
from urllib.parse import parse_qsl

from apistar import http, types, validators
from apistar.server.asgi import ASGIReceive, ASGIScope

from apistellar_config import Settings, settings
from apistellar_session import Session, request_cookie_header

from ._body import (
    BodyLimits,
    check_declared_length,
    decode_body,
    decode_request_body,
    read_body,
    replay,
)
from .components import Component
from .entities import Cookie, FormParam, MultiPartForm, UrlEncodeForm
from .exceptions import BadRequest, NotFound, UnsupportedMediaType
from .multipart import FileStream, MultipartLimits, boundary_of, parse_form
from .types import Type as ApistellarType

__all__ = ["builtin_components"]

_EMPTY = inspect.Parameter.empty


_ABSENT: Any = object()


class ScopeHeaders(http.Headers):
    """API Star's ``http.Headers`` over a scope's header pairs, decoded when used.

    Looking up a name finds its raw bytes (the first of a name wins, as in
    ``http.Headers``) and decodes that value only; listing them decodes all of them once.
    """

    def __init__(self, raw: Any) -> None:  # noqa: D107 - the scope's header pairs
        self.__dict__["_raw"] = raw

    def __getattr__(self, name: str) -> Any:
        if name in ("_list", "_dict"):  # made on first use
            items = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in self._raw]
            self.__dict__["_list"] = items
            self.__dict__["_dict"] = dict(reversed(items))  # the first value of a name wins
            return self.__dict__[name]
        raise AttributeError(name)

    def get(self, key: str, default: Any = None) -> Any:
        """The first value of header ``key`` (any case), or ``default``."""
        by_name: Any = self.__dict__.get("_by_name")
        if by_name is None:
            raw = self._raw
            # names all in lower case (as servers send them): look the bytes up as they are
            lower = b"".join(map(itemgetter(0), raw)).islower()
            by_name = self.__dict__["_by_name"] = dict(reversed(raw)) if lower else False
        if by_name is False:
            return self._dict.get(key.lower(), default)
        try:
            value = by_name.get(key.lower().encode("latin-1"))
        except UnicodeEncodeError:  # no header name decodes to it
            return default
        return default if value is None else value.decode("latin-1")

    def __getitem__(self, key: str) -> Any:
        value = self.get(key, _ABSENT)
        if value is _ABSENT:
            raise KeyError(key.lower())
        return value

    def __contains__(self, key: object) -> bool:
        return self.get(key, _ABSENT) is not _ABSENT  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"Headers({self._list!r})"  # as API Star shows request headers


def make_headers(scope: ASGIScope) -> http.Headers:
    """``http.Headers`` of an ASGI scope, decoded only as far as they are read."""
    return ScopeHeaders(scope.get("headers", ()))


class MethodComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.Method:
        return http.Method(scope["method"])


class URLComponent(Component):
    def resolve(self, scope: ASGIScope, headers: http.Headers) -> http.URL:
        scheme = scope.get("scheme", "http")
        host = headers.get("host")
        if not host:
            server = scope.get("server") or ("localhost", None)
            host, port = server[0], server[1]
            default = (scheme, port) in (("http", 80), ("https", 443), ("ws", 80), ("wss", 443))
            host = host if port is None or default else f"{host}:{port}"
        url = f"{scheme}://{host}{scope.get('root_path', '')}{scope['path']}"
        query = scope.get("query_string", b"")
        if query:
            url += "?" + query.decode("latin-1")
        return http.URL(url)


class SchemeComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.Scheme:
        return http.Scheme(scope.get("scheme", "http"))


class HostComponent(Component):
    """The server's bind host, as API Star gives it (not the ``Host`` header)."""

    def resolve(self, scope: ASGIScope) -> http.Host:
        server = scope.get("server") or ("localhost", None)
        return http.Host(server[0])


class PortComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.Port:
        server = scope.get("server") or (None, 80)
        return http.Port(server[1])


class PathComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.Path:
        return http.Path(scope.get("root_path", "") + scope["path"])


class QueryStringComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.QueryString:
        return http.QueryString(scope.get("query_string", b"").decode("latin-1"))


def parse_query(text: str) -> list[tuple[str, str]]:
    """``parse_qsl(text, keep_blank_values=True)``, split by hand when nothing is escaped."""
    if "%" in text or "+" in text:
        return parse_qsl(text, keep_blank_values=True)
    pairs = []
    for part in text.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((name, value))
    return pairs


class QueryParamsComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.QueryParams:
        query = scope.get("query_string", b"")
        if not query:
            return http.QueryParams()
        return http.QueryParams(parse_query(query.decode("latin-1")))


class QueryParamComponent(Component):
    """Strict: a missing query parameter without a default is an application error."""

    def resolve(
        self, parameter: inspect.Parameter, query_params: http.QueryParams
    ) -> http.QueryParam:
        name = parameter.name
        if name in query_params:
            return http.QueryParam(query_params[name])
        if parameter.default is _EMPTY:
            # an application error (999 envelope), as in the original apistellar
            raise AssertionError(f"Query Param: {name} not found!")
        return parameter.default


class HeadersComponent(Component):
    def resolve(self, scope: ASGIScope) -> http.Headers:
        return make_headers(scope)


class HeaderComponent(Component):
    """Strict: the header named after the parameter (``_`` -> ``-``), or its default."""

    def resolve(self, parameter: inspect.Parameter, headers: http.Headers) -> http.Header:
        name = parameter.name.replace("_", "-")
        if name in headers:
            return http.Header(headers[name])
        if parameter.default is _EMPTY:
            # an application error (999 envelope), as in the original apistellar
            raise AssertionError(f"Header: {name} not found!")
        return parameter.default


async def cached_body(
    scope: ASGIScope, receive: ASGIReceive, headers: http.Headers, limit: int
) -> bytes:
    """The request body, read once per request (capped) and kept in the scope."""
    body: bytes | None = scope.get("apistellar.body")
    if body is None:
        body = await read_body(receive, headers, limit, scope)
        scope["apistellar.body"] = body
    return body


_MULTIPART_SEEN: dict[str, bool] = {}


def _is_multipart(content_type: str | None) -> bool:
    if not content_type:
        return False
    known = _MULTIPART_SEEN.get(content_type)
    if known is None:
        known = content_type.split(";", 1)[0].strip().lower() == "multipart/form-data"
        if len(_MULTIPART_SEEN) < 256:  # the few Content-Types an app sees, not every one
            _MULTIPART_SEEN[content_type] = known
    return known


class BodyComponent(Component):
    def __init__(self, limit: Callable[[], int]) -> None:
        self.limit = limit

    async def resolve(
        self, scope: ASGIScope, receive: ASGIReceive, headers: http.Headers
    ) -> http.Body:
        return http.Body(await cached_body(scope, receive, headers, self.limit()))


class FileStreamComponent(Component):
    """A lazy multipart body reader: 415 for other bodies, 400 without a boundary."""

    def __init__(self, limits: Callable[[], MultipartLimits]) -> None:
        self.limits = limits

    def resolve(self, receive: ASGIReceive, headers: http.Headers, scope: ASGIScope) -> FileStream:
        content_type = headers.get("content-type")
        if not _is_multipart(content_type):
            raise UnsupportedMediaType()
        limits = self.limits()
        check_declared_length(scope, headers, limits.max_body_size)
        return FileStream(receive, boundary_of(content_type), limits)


class RequestComponent(Component):
    def resolve(
        self, method: http.Method, url: http.URL, headers: http.Headers, body: http.Body
    ) -> http.Request:
        return http.Request(method, url, headers, body)


class RequestDataComponent(Component):
    """The decoded body (JSON, URL-encoded or multipart); ``None`` when empty."""

    def can_handle_parameter(self, parameter: inspect.Parameter) -> bool:
        return parameter.annotation in (http.RequestData, UrlEncodeForm, MultiPartForm)

    def identity(self, parameter: inspect.Parameter) -> str:
        return "request_data"

    def __init__(self, limit: Callable[[], int], limits: Callable[[], MultipartLimits]) -> None:
        self.limit = limit
        self.limits = limits
        self.body_limits = BodyLimits.from_settings(settings)  # built with the app

    async def resolve(self, receive: ASGIReceive, headers: http.Headers, scope: ASGIScope) -> Any:
        content_type = headers.get("content-type")
        if _is_multipart(content_type):
            cached = scope.get("apistellar.body")
            if cached is None:
                check_declared_length(scope, headers, self.limits().max_body_size)
            source = receive if cached is None else replay(cached)
            data: Any = (
                await parse_form(source, content_type, self.limits()) if cached != b"" else None
            )
        else:
            body = await cached_body(scope, receive, headers, self.limit())
            limits = self.body_limits
            data = (
                decode_body(body, content_type, limits)  # small: no thread hop, no coroutine
                if len(body) <= limits.thread_size
                else await decode_request_body(body, content_type, limits)
            )
        getlist = getattr(data, "values", None)
        if getlist is not None and hasattr(data, "getlist"):
            closers = [
                v.close for v in data.values() if hasattr(v, "stream") and hasattr(v, "close")
            ]
            if closers:
                scope.setdefault("apistellar.cleanup", []).extend(closers)
        return data


class FormParamComponent(Component):
    """One field of the decoded body, named after the parameter."""

    def resolve(self, parameter: inspect.Parameter, data: http.RequestData) -> FormParam:
        name = parameter.name
        if data is not None and hasattr(data, "get") and name in data:
            getlist = getattr(data, "getlist", None)
            return FormParam(getlist(name)[0] if getlist else data[name])
        if parameter.default is _EMPTY:
            # an application error (999 envelope), as in the original apistellar
            raise AssertionError(f"Form Param: {name} not found!")
        return FormParam(parameter.default)


def parse_cookies(header: str | None) -> dict[str, str]:
    """Split a ``Cookie`` header on ``;`` then the first ``=``; the first value of a name wins."""
    cookies: dict[str, str] = {}
    if not header:
        return cookies
    for part in header.split(";"):
        name, sep, value = part.partition("=")
        name = name.strip()
        if sep and name and name not in cookies:
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = _unquote(value)
            cookies[name] = value
    return cookies


CookieDict = typing.Dict[str, Cookie]  # noqa: UP006 - the original's spelling


class CookiesComponent(Component):
    def can_handle_parameter(self, parameter: inspect.Parameter) -> bool:
        return parameter.annotation in (CookieDict, dict[str, Cookie])

    def identity(self, parameter: inspect.Parameter) -> str:
        return "cookies"

    def resolve(self, headers: http.Headers) -> Any:
        return parse_cookies(headers.get("cookie"))


class CookieComponent(Component):
    """Strict: the cookie named after the parameter (``_`` -> ``-``), or its default."""

    def resolve(self, parameter: inspect.Parameter, headers: http.Headers) -> Cookie:
        name = parameter.name.replace("_", "-")
        cookies = parse_cookies(headers.get("cookie"))
        if name in cookies:
            return Cookie(cookies[name])
        if parameter.default is _EMPTY:
            # an application error (999 envelope), as in the original apistellar
            raise AssertionError(f"Cookie: {name} not found!")
        return Cookie(parameter.default)


class SettingsComponent(Component):
    def resolve(self) -> Settings:
        return settings


class SessionComponent(Component):
    """The request's session, loaded on first use and saved by ``SessionHook``."""

    def __init__(self, backend: Callable[[], Any]) -> None:
        self.backend = backend

    async def resolve(self, scope: ASGIScope) -> Session:
        session = scope.get("session")
        if isinstance(session, Session):
            return session
        loaded: Session = await self.backend().load(request_cookie_header(scope))
        scope["session"] = loaded
        return loaded


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
        text = query_params._dict.get(name, _MISSING)
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

    def can_handle_parameter(self, parameter: inspect.Parameter) -> bool:
        annotation = parameter.annotation
        return inspect.isclass(annotation) and issubclass(annotation, types.Type | ApistellarType)

    def identity(self, parameter: inspect.Parameter) -> str:
        return f"model:{parameter.name}:{parameter.annotation!r}"

    def resolve(
        self, parameter: inspect.Parameter, data: http.RequestData, query_params: http.QueryParams
    ) -> Any:
        source: Any = data if data not in (None, "", b"") else None
        if source is None and len(query_params):
            source = {key: query_params.get_list(key) for key in query_params.keys()}
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
            annotation = parameter.annotation
            if issubclass(annotation, ApistellarType):
                return annotation.validate(source, allow_coerce=True)
            validator = getattr(annotation, "validator", None)
            if (
                validator is not None
                and isinstance(source, dict)
                and annotation.__init__ is types.Type.__init__
            ):
                # Validated once, with coercion; then filled in as types.Type.__init__ would.
                instance = annotation.__new__(annotation)
                object.__setattr__(instance, "_dict", validator.validate(source, allow_coerce=True))
                return instance
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


def builtin_components(
    body_limit: Callable[[], int],
    session_backend: Callable[[], Any],
    multipart_limits: Callable[[], MultipartLimits],
) -> list[Component]:
    """Return fresh instances of the built-in components, in resolution order."""
    return [
        MethodComponent(),
        URLComponent(),
        SchemeComponent(),
        HostComponent(),
        PortComponent(),
        PathComponent(),
        QueryStringComponent(),
        QueryParamsComponent(),
        QueryParamComponent(),
        HeadersComponent(),
        HeaderComponent(),
        BodyComponent(body_limit),
        RequestComponent(),
        RequestDataComponent(body_limit, multipart_limits),
        FileStreamComponent(multipart_limits),
        FormParamComponent(),
        CookiesComponent(),
        CookieComponent(),
        SettingsComponent(),
        SessionComponent(session_backend),
        PrimitiveParamComponent(),
    ]
