"""Components of the request body: raw, decoded (JSON, URL-encoded, multipart), streamed.

The body is read once per request, capped (``MAX_BODY_SIZE``), and kept in the scope, so
``http.Body``, ``http.Request`` and ``http.RequestData`` share one read; multipart bodies
are parsed as they arrive, and ``FileStream`` reads them lazily.
"""

import inspect
from collections.abc import Callable
from typing import Any

from apistar import http
from apistar.server.asgi import ASGIReceive, ASGIScope

from apistellar_config import settings

from ._body import (
    BodyLimits,
    check_declared_length,
    decode_body,
    decode_request_body,
    read_body,
    replay,
)
from .components import Component
from .entities import FormParam, MultiPartForm, UrlEncodeForm
from .exceptions import UnsupportedMediaType
from .multipart import FileStream, MultipartLimits, boundary_of, parse_form

__all__ = [
    "BodyComponent",
    "FileStreamComponent",
    "FormParamComponent",
    "RequestComponent",
    "RequestDataComponent",
    "cached_body",
]

_EMPTY = inspect.Parameter.empty
#: Scope key of the body once read (a multipart body streamed is never kept).
_BODY = "apistellar.body"


async def cached_body(
    scope: ASGIScope, receive: ASGIReceive, headers: http.Headers, limit: int
) -> bytes:
    """The request body, read once per request (capped) and kept in the scope."""
    body: bytes | None = scope.get(_BODY)
    if body is None:
        body = await read_body(receive, headers, limit, scope)
        scope[_BODY] = body
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
            cached = scope.get(_BODY)
            if cached is None:
                check_declared_length(scope, headers, self.limits().max_body_size)
            source = receive if cached is None else replay(cached)
            if cached == b"":
                return None
            data = await parse_form(source, content_type, self.limits())
            closers = [
                v.close for v in data.values() if hasattr(v, "stream") and hasattr(v, "close")
            ]
            if closers:
                scope.setdefault("apistellar.cleanup", []).extend(closers)
            return data
        body: bytes | None = scope.get(_BODY)
        if body is None:
            body = await read_body(receive, headers, self.limit(), scope)
            scope[_BODY] = body
        limits = self.body_limits
        if len(body) <= limits.thread_size:
            return decode_body(body, content_type, limits)  # small: no thread hop, no coroutine
        return await decode_request_body(body, content_type, limits)


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
