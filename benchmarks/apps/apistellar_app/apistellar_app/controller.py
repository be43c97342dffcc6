from apistellar import Controller, FileStream, Type, get, post, route, validators, websocket


class Article(Type):
    title = validators.String()
    body = validators.String()
    views = validators.Integer()
    score = validators.Number()
    published = validators.Boolean()


@route("", name="bench")
class BenchController(Controller):
    @get("/hello")
    async def hello(self) -> dict:
        return {"hello": "world"}

    @get("/items/{item_id}")
    async def item(self, item_id: int, q: str = None, limit: int = 10) -> dict:
        return {"item_id": item_id, "q": q, "limit": limit}

    @post("/articles")
    async def article(self, article: Article) -> Article:
        return article


@route("", name="streaming")
class StreamingController(Controller):
    @post("/upload")
    async def upload(self, stream: FileStream) -> dict:
        sizes = {}
        async for part in stream:
            total = 0
            async for chunk in part:
                total += len(chunk)
            sizes[part.name] = total
        return sizes

    @websocket("/ws")
    async def echo(self, message: dict) -> str:
        return message.get("text")
