"""Handler helpers: ``require``, ``return_wrapped`` and ``redirect``.

They are plain wrappers (``functools.wraps`` plus an explicit ``__signature__``): no
source is generated, so any message text is safe, and keyword-only parameters survive.
They may be placed above or below the route decorators.
"""

import functools
import html
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from apistar import http
from werkzeug.urls import iri_to_uri

__all__ = ["proxy", "redirect", "require", "return_wrapped"]

_counter = iter(range(1, 1 << 62))


def _default_judge(container: Any) -> Any:
    if isinstance(container, Mapping):
        return container.get("user")
    return getattr(container, "user", None)


async def _call(func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    result = func(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


def require(
    container_cls: Any,
    judge: Callable[[Any], Any] = _default_judge,
    error: Any = "Login required!",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse the request unless ``judge(<injected container_cls>)`` is true.

    The default judge reads ``container["user"]`` for mappings such as the session (the
    original read an attribute, which never worked on a session), else ``container.user``.
    A refusal is the error envelope with code 401 and ``error`` as the message.
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        hidden = f"_apistellar_require_{next(_counter)}"
        signature = inspect.signature(func)
        parameters = list(signature.parameters.values())
        extra = inspect.Parameter(hidden, inspect.Parameter.KEYWORD_ONLY, annotation=container_cls)
        position = next(
            (i for i, p in enumerate(parameters) if p.kind == p.VAR_KEYWORD), len(parameters)
        )
        parameters.insert(position, extra)

        @functools.wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            container = kwargs.pop(hidden)
            if not judge(container):
                raise AssertionError((401, error))
            return await _call(func, args, kwargs)

        wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        return wrapper

    return decorate


def return_wrapped(
    success_code: int = 0,
    success_key_name: str = "data",
    error_info: Mapping[int, str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap the handler's result as ``{"code": success_code, success_key_name: result}``.

    ``error_info`` (code -> text) documents the errors the handler may answer with.
    """
    if not isinstance(success_key_name, str):
        raise TypeError("success_key_name must be str!")
    if not isinstance(success_code, int) or isinstance(success_code, bool):
        raise TypeError("success_code must be int!")

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            return {"code": success_code, success_key_name: await _call(func, args, kwargs)}

        wrapper.__signature__ = inspect.signature(func)  # type: ignore[attr-defined]
        options = {
            "success_code": success_code,
            "success_key_name": success_key_name,
            "error_info": dict(error_info or {}),
        }
        wrapper.__return_wrapped = options  # type: ignore[attr-defined]
        wrapper.return_wrapped = options  # type: ignore[attr-defined]
        return wrapper

    return decorate


def redirect(
    location: str, code: int = 302, Response: type[http.Response] | None = None
) -> http.Response:  # noqa: N803
    """An HTML redirect response to ``location`` (made a URI), with a link in the body."""
    uri = iri_to_uri(location)
    shown = html.escape(location)
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
        "<p>You should be redirected automatically to the target URL: "
        f'<a href="{html.escape(uri)}">{shown}</a>. If not, click the link.\n'
    )
    response_class = Response or http.HTMLResponse
    return response_class(body, status_code=code, headers={"Location": uri})


class _Proxy:
    """A transparent stand-in for an object with one extra read-only attribute."""

    __slots__ = ("_apistellar_name", "_apistellar_object", "_apistellar_value")

    def __init__(self, target: Any, value: Any, name: str) -> None:
        object.__setattr__(self, "_apistellar_object", target)
        object.__setattr__(self, "_apistellar_value", value)
        object.__setattr__(self, "_apistellar_name", name)

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: D105 - isinstance() sees the proxied class
        return type(object.__getattribute__(self, "_apistellar_object"))

    def __getattr__(self, name: str) -> Any:
        if name == object.__getattribute__(self, "_apistellar_name"):
            return object.__getattribute__(self, "_apistellar_value")
        return getattr(object.__getattribute__(self, "_apistellar_object"), name)

    def __getattribute__(self, name: str) -> Any:
        if name in ("__class__", "__getattr__", "__setattr__", "__delattr__", "__repr__"):
            return object.__getattribute__(self, name)
        if name == object.__getattribute__(self, "_apistellar_name"):
            return object.__getattribute__(self, "_apistellar_value")
        if name.startswith("_apistellar_"):
            return object.__getattribute__(self, name)
        return getattr(object.__getattribute__(self, "_apistellar_object"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == object.__getattribute__(self, "_apistellar_name"):
            if value:
                msg = f"{name} readonly!"
                raise RuntimeError(msg)
            return
        setattr(object.__getattribute__(self, "_apistellar_object"), name, value)

    def __delattr__(self, name: str) -> None:
        if name == object.__getattribute__(self, "_apistellar_name"):
            return
        delattr(object.__getattribute__(self, "_apistellar_object"), name)

    def __repr__(self) -> str:
        target = object.__getattribute__(self, "_apistellar_object")
        return f"<proxy of {target!r}>"


def proxy(obj: Any, prop: Any, prop_name: str) -> Any:
    """A transparent proxy of ``obj`` whose attribute ``prop_name`` reads as ``prop``.

    Setting that attribute to a truthy value raises ``RuntimeError``, deleting it does
    nothing, and every other attribute is read from and written to ``obj``; the original
    object is never modified, so concurrent calls never share ``prop`` (the persistence
    mixins hand each call its own connection this way).
    """
    if not isinstance(prop_name, str):
        raise TypeError("prop_name must be string!")
    return _Proxy(obj, prop, prop_name)
