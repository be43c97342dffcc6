"""Starlette, parsing and validating by hand (its idiom)."""

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

FIELDS = {"title": str, "body": str, "views": int, "score": float, "published": bool}


async def hello(request):
    return JSONResponse({"hello": "world"})


async def item(request):
    try:
        item_id = int(request.path_params["item_id"])
        limit = int(request.query_params.get("limit", 10))
    except ValueError:
        return JSONResponse({"error": "bad number"}, status_code=400)
    return JSONResponse({"item_id": item_id, "q": request.query_params.get("q"), "limit": limit})


async def article(request):
    data = await request.json()
    errors = {k: "invalid" for k, t in FIELDS.items() if not isinstance(data.get(k), t)}
    if errors:
        return JSONResponse(errors, status_code=400)
    return JSONResponse({k: data[k] for k in FIELDS})


app = Starlette(
    routes=[
        Route("/hello", hello),
        Route("/items/{item_id}", item),
        Route("/articles", article, methods=["POST"]),
    ]
)
