"""Falcon 4 ASGI, parsing and validating by hand (its idiom)."""

import falcon
import falcon.asgi

FIELDS = {"title": str, "body": str, "views": int, "score": float, "published": bool}


class Hello:
    async def on_get(self, req, resp):
        resp.media = {"hello": "world"}


class Item:
    async def on_get(self, req, resp, item_id):
        limit = req.get_param_as_int("limit", default=10)
        resp.media = {"item_id": item_id, "q": req.get_param("q"), "limit": limit}


class Articles:
    async def on_post(self, req, resp):
        data = await req.get_media()
        errors = {k: "invalid" for k, t in FIELDS.items() if not isinstance(data.get(k), t)}
        if errors:
            resp.status = falcon.HTTP_400
            resp.media = errors
            return
        resp.media = {k: data[k] for k in FIELDS}


app = falcon.asgi.App()
app.add_route("/hello", Hello())
app.add_route("/items/{item_id:int}", Item())
app.add_route("/articles", Articles())
