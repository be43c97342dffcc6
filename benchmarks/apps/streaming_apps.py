"""Upload and websocket servers for benchmarks/streaming.py (raw ASGI and Starlette)."""

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute


async def drain(scope, receive, send):
    """A bare ASGI app that only drains receive(): the throughput ceiling."""
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            await send({"type": "websocket.send", "text": message.get("text")})
    if scope["type"] != "http":
        return
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = str(size).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def form_upload(request):
    form = await request.form()
    sizes = {}
    for key, value in form.multi_items():
        if hasattr(value, "read"):
            total = 0
            while chunk := await value.read(1 << 20):
                total += len(chunk)
            sizes[key] = total
    await form.close()
    return JSONResponse(sizes)


async def stream_upload(request):
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
    return JSONResponse({"bytes": total})


async def echo(websocket):
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except Exception:
        return


starlette_app = Starlette(
    routes=[
        Route("/upload/form", form_upload, methods=["POST"]),
        Route("/upload/stream", stream_upload, methods=["POST"]),
        WebSocketRoute("/ws", echo),
    ]
)
