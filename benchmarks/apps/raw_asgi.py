"""A bare ASGI callable: the ceiling every framework is measured against."""

import json
from urllib.parse import parse_qsl

HEADERS = [(b"content-type", b"application/json")]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    path = scope["path"]
    if path == "/hello":
        body = b'{"hello":"world"}'
    elif path.startswith("/items/"):
        query = dict(parse_qsl(scope["query_string"].decode()))
        body = json.dumps(
            {"item_id": int(path[7:]), "q": query.get("q"), "limit": int(query.get("limit", 10))}
        ).encode()
    elif path == "/articles":
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = json.dumps(json.loads(b"".join(chunks))).encode()
    else:
        body = b"{}"
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": body})
