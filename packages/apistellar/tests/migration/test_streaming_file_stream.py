"""tests/test_file_stream.py of the original: a controller that saves every uploaded file
with ``FileStream`` and serves it back with ``FileResponse`` over an ``aiofiles`` handle,
both handlers written without ``self``; one text file and one binary file with a
non-ASCII name go up and come back byte for byte over a real uvicorn socket."""

import os
from urllib.parse import quote

import pytest

CONTROLLER = """
    import os

    import aiofiles

    from apistellar.bases.response import FileResponse
    from apistellar import Controller, FileStream, post, get


    class UploadController(Controller):

        @post("/test/upload")
        async def up(stream: FileStream):
            async for file in stream:
                if file.filename:
                    with open("upload_" + file.filename, "wb") as f:
                        async for chuck in file:
                            f.write(chuck)
                else:
                    # a part without filename is another form field
                    await file.read()
            return {"value": "success"}

        @get("/test/download")
        async def down(filename: str):
            f = await aiofiles.open(filename, "rb")
            return FileResponse(
                f, filename, headers={"Content-Length": os.path.getsize(filename)})
"""

FILES = {
    "test_websocket.py": b"import websockets\n\n# a small text file, as the original sent\n" * 40,
    "滋养细胞肿瘤.pdf": b"%PDF-1.4\n" + os.urandom(3 * 1024 * 1024 + 17),
}


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("filestream"),
        "filestream",
        {"filestream/upload/controller.py": CONTROLLER},
    )
    with migration.serve(project) as server:
        server.project = project
        yield server


@pytest.fixture(scope="module", params=sorted(FILES))
def filename(request):
    return request.param


def test_upload(served, filename):
    """test_file_stream.py::test_upload: a multipart upload with one file (and, here, a
    plain field the handler reads and drops) answers the compact JSON the original did."""
    with served.client() as client:
        response = client.post(
            "/test/upload",
            files={"test_file": (filename, FILES[filename])},
            data={"note": "a plain field"},
        )
    assert response.status_code == 200
    assert response.content == b'{"value":"success"}'
    assert (served.project / f"upload_{filename}").read_bytes() == FILES[filename]


def test_download(served, filename):
    """test_file_stream.py::test_download: the saved file comes back whole, streamed from
    an ``aiofiles`` handle with the caller's (integer) ``Content-Length``."""
    with served.client() as client:
        client.post("/test/upload", files={"test_file": (filename, FILES[filename])})
        with client.stream("GET", "/test/download", params={"filename": f"upload_{filename}"}) as r:
            assert r.status_code == 200
            assert r.headers["content-length"] == str(len(FILES[filename]))
            received = b"".join(r.iter_bytes(1024000))
            disposition = r.headers["content-disposition"]
    assert received == FILES[filename]
    name = f"upload_{filename}"
    if name.isascii():
        assert disposition == f'attachment; filename="{name}"'
    else:
        # [improve] of F67: the original sent the raw name; a non-ASCII one now travels
        # RFC 5987-encoded beside an ASCII fallback, so every client reads it back
        assert disposition.startswith('attachment; filename="upload_')
        assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
