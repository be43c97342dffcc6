"""``/openapi.json`` and the ``/docs`` page (Swagger UI, served from this machine).

Settings:

* ``OPENAPI_URL`` (default ``"/openapi.json"``): where the document is served; ``None``
  turns the document and the page off;
* ``DOCS_URL`` (default ``"/docs"``): the page; its assets are under ``<DOCS_URL>/assets/``;
  ``None`` turns the page off;
* ``OPENAPI_TITLE``, ``OPENAPI_VERSION``, ``OPENAPI_DESCRIPTION``: the document's ``info``.

An app's own ``GET`` route that answers one of these URLs (a catch-all ``/{+path}`` too)
wins: the built-in one is left out. The
routes are not in ``app.routes`` (route tables, generated clients and documents stay what
the app declares); ``app.reverse_url("apistellar:openapi")`` and ``"apistellar:docs"``
build their paths. The Swagger UI files come from the ``swagger-ui-py`` distribution's
package data; nothing is fetched from elsewhere.
"""

import asyncio
import html
import importlib.util
import json
import mimetypes
from pathlib import Path
from typing import Any

from apistar import http

from apistellar_config import settings

from .._router import Route
from ..exceptions import Found, MethodNotAllowed, NotFound
from ..rendering import JSONResponse
from .builder import build_openapi

__all__ = ["ASSETS", "docs_page", "openapi_routes", "swagger_ui_dir"]

#: The Swagger UI files the page uses.
ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "oauth2-redirect.html")

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({{
  url: {document},
  dom_id: "#swagger-ui",
  deepLinking: true,
  tryItOutEnabled: false,
  oauth2RedirectUrl: window.location.origin + {redirect},
}});
</script>
</body>
</html>
"""


def swagger_ui_dir() -> Path | None:
    """The folder of Swagger UI's files (``swagger-ui-py``'s package data), if installed.

    The package is located, not imported (its ``__init__`` loads framework adapters).
    """
    try:
        spec = importlib.util.find_spec("swagger_ui")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


def docs_page(title: str, document_url: str, assets_url: str) -> str:
    """The HTML of the docs page."""
    return PAGE.format(
        title=html.escape(title),
        assets=html.escape(assets_url, quote=True),
        document=json.dumps(document_url).replace("</", "<\\/"),
        redirect=json.dumps(assets_url + "/oauth2-redirect.html").replace("</", "<\\/"),
    )


def _setting_url(name: str, default: str) -> str | None:
    value = settings.get(name, default)
    if value is None or value is False or value == "":
        return None
    url = str(value)
    return url if url.startswith("/") else "/" + url


def openapi_routes(app: Any) -> list[Route]:
    """The routes of the document, the page and its assets, planned with ``app``'s
    injector (empty when switched off, or where the app has its own route)."""
    document_url = _setting_url("OPENAPI_URL", "/openapi.json")
    if document_url is None:
        return []

    def taken(url: str) -> bool:
        """Whether the app answers ``GET url`` itself (a redirect to ``url/`` counts)."""
        try:
            app.router.lookup(url, "GET")
        except Found:
            return True
        except (NotFound, MethodNotAllowed):
            return False
        return True

    cache: dict[str, http.Response] = {}

    def openapi_json() -> http.Response:
        if "document" not in cache:
            cache["document"] = JSONResponse(build_openapi(app))
        return cache["document"]

    routes: list[Route] = []
    if not taken(document_url):
        routes.append(
            Route(document_url, "GET", "apistellar:openapi", openapi_json, documented=False)
        )
    docs_url = _setting_url("DOCS_URL", "/docs")
    folder = swagger_ui_dir()
    if docs_url is not None and not taken(docs_url):
        assets_url = docs_url.rstrip("/") + "/assets"
        title = str(settings.get("OPENAPI_TITLE") or getattr(app, "name", "API"))

        def docs() -> http.Response:
            if folder is None:
                return http.HTMLResponse(
                    "<p>The docs page needs Swagger UI's files: pip install swagger-ui-py.</p>",
                    status_code=501,
                )
            return http.HTMLResponse(docs_page(f"{title} - API", document_url, assets_url))

        async def asset(name: str) -> http.Response:
            if folder is None or name not in ASSETS:
                raise NotFound()
            media = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return http.Response(
                await asyncio.to_thread((folder / name).read_bytes),
                headers={"Content-Type": media, "Cache-Control": "public, max-age=86400"},
            )

        asset_url = assets_url + "/{name}"
        routes.append(Route(docs_url, "GET", "apistellar:docs", docs, documented=False))
        if not taken(assets_url + "/swagger-ui.css"):
            routes.append(Route(asset_url, "GET", "apistellar:docs_asset", asset, documented=False))
    for route in routes:
        route.plans["main"] = app.injector.plan([route.handler], threaded=lambda f: False)
    return routes
