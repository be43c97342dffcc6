"""Components of the request's state: cookies, the session, the settings.

Cookies follow the original apistellar's strict ``Cookie`` rule (a missing one without a
default is an application error); the session is loaded on first use.
"""

import inspect
import typing
from collections.abc import Callable
from http.cookies import _unquote
from typing import Any

from apistar import http
from apistar.server.asgi import ASGIScope

from apistellar_config import Settings, settings
from apistellar_session import Session, request_cookie_header

from .components import Component
from .entities import Cookie

__all__ = [
    "CookieComponent",
    "CookieDict",
    "CookiesComponent",
    "SessionComponent",
    "SettingsComponent",
    "parse_cookies",
]

_EMPTY = inspect.Parameter.empty


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
