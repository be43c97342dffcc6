"""The components every apistellar app has: request parts, parameters, forms, session, settings.

They provide API Star's ``http.*`` types with the original apistellar's strict
``QueryParam``/``Header``/``Cookie``/``FormParam`` rules, primitives coerced per route with
API Star's messages, and the body read once, capped, by apistellar itself. Each concept
has its module; this one puts them in resolution order.
"""

from collections.abc import Callable
from typing import Any

from ._body_components import (
    BodyComponent,
    FileStreamComponent,
    FormParamComponent,
    RequestComponent,
    RequestDataComponent,
)
from ._param_components import PrimitiveParamComponent, TypeComponent
from ._request_components import (
    HeaderComponent,
    HeadersComponent,
    HostComponent,
    MethodComponent,
    PathComponent,
    PortComponent,
    QueryParamComponent,
    QueryParamsComponent,
    QueryStringComponent,
    SchemeComponent,
    URLComponent,
)
from ._session_components import (
    CookieComponent,
    CookiesComponent,
    SessionComponent,
    SettingsComponent,
)
from .components import Component
from .multipart import MultipartLimits

__all__ = ["TypeComponent", "builtin_components"]


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
