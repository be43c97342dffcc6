"""OpenAPI 3.1 from routes, models and docstrings; ``/openapi.json`` and ``/docs``.

:func:`build_openapi` (what ``app.openapi()`` returns) reads the routes through the
extractor the Markdown documents use (:mod:`apistellar_web.document.operations`);
:mod:`.schema` maps validators and annotations to JSON Schema 2020-12; :mod:`.docs`
serves the document and a Swagger UI page.
"""

from .builder import APPLICATION_ERROR, HTTP_ERROR, OPENAPI_VERSION, build_openapi, operation_id
from .docs import openapi_routes, swagger_ui_dir
from .schema import Components, type_schema

__all__ = [
    "APPLICATION_ERROR",
    "HTTP_ERROR",
    "OPENAPI_VERSION",
    "Components",
    "build_openapi",
    "openapi_routes",
    "operation_id",
    "swagger_ui_dir",
    "type_schema",
]
