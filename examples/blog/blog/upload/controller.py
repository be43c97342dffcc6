"""An upload endpoint that streams each part and reports its size and SHA-256."""

import hashlib

from apistellar import Controller, FileStream, post, route


@route("/api/uploads", name="upload")
class UploadController(Controller):
    @post("/")
    async def upload(self, stream: FileStream) -> dict:
        files = []
        async for part in stream:
            digest = hashlib.sha256()
            size = 0
            async for chunk in part:
                digest.update(chunk)
                size += len(chunk)
            files.append(
                {
                    "name": part.name,
                    "filename": part.filename,
                    "size": size,
                    "sha256": digest.hexdigest(),
                }
            )
        return {"parts": files}
