"""tests/test_bases/test_entities.py of the original: ``SettingsMixin`` with
``init_settings`` and an environment override, a ``FileStream`` upload read by iteration
and ``read()`` at once, part headers in their encoded forms, a ``FileResponse`` download
from an ``aiofiles`` handle, and ``coroutinelocal`` across tasks.

The original parsed part headers with an internal ``File.parse`` (``File`` imports from
``apistellar.bases.entities``; its ``parse`` is not provided): the same header shapes are
sent here in real uploads and read back from the parts the handler gets. Its
``coroutinelocal`` test reads a cleared name as ``None``; ours raised ``KeyError``, and
now follows the original."""

import asyncio
import os
import subprocess
import sys
import textwrap
from urllib.parse import quote

import pytest

from apistellar import coroutinelocal

SETTINGS_SCRIPT = """
    from apistellar.bases.entities import SettingsMixin, init_settings

    init_settings("test_data.settings")


    class A(SettingsMixin):
        pass


    a = A()
    print(a.settings.get("A"), a.settings.get_int("A"), hasattr(a, "property"))
"""


@pytest.mark.parametrize(
    ("environment", "expected"), [({}, "1 1 False"), ({"A": "2"}, "2 2 False")]
)
def test_settings_mixin(tmp_path, environment, expected):
    """TestSettingsMixin: ``init_settings("test_data.settings")`` loads the module, the
    mixin's ``settings`` reads it, an environment variable of the same name overrides it
    (``get_int`` casts), and the mixin adds no other attribute. Run as a script, as
    settings are process-wide."""
    (tmp_path / "test_data").mkdir()
    (tmp_path / "test_data" / "__init__.py").write_text("")
    (tmp_path / "test_data" / "settings.py").write_text("A = 1\n")
    (tmp_path / "script.py").write_text(textwrap.dedent(SETTINGS_SCRIPT))
    env = {k: v for k, v in os.environ.items() if k not in ("A", "PYTHONPATH")}
    result = subprocess.run(
        [sys.executable, "script.py"],
        cwd=tmp_path,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


CONTROLLER = """
    import os

    import aiofiles

    from apistellar import Controller, FileStream, get, post, route
    from apistellar.bases.response import FileResponse


    @route("/upload")
    class UploadController(Controller):

        def join_test_dir(self, filename):
            return os.path.join(os.getcwd(), "test_data", os.path.basename(filename))

        @post("/test/upload")
        async def up(self, stream: FileStream):
            async for file in stream:
                if file.filename:
                    with open(self.join_test_dir("upload_" + file.filename), "wb") as f:
                        async for chuck in file:
                            # reading while iterating keeps the file whole
                            f.write(chuck)
                            f.write(await file.read(1024))
                            assert f.tell() == file.tell()
                else:
                    # a part without a filename is another form field
                    await file.read()
            return {"value": "success"}

        @get("/test/download")
        async def down(self, filename: str):
            f = await aiofiles.open(self.join_test_dir(filename), "rb")
            return FileResponse(
                f, filename, headers={"Content-Length": os.path.getsize(
                    self.join_test_dir(filename))})

        @post("/test/parts")
        async def parts(self, stream: FileStream):
            found = []
            async for file in stream:
                await file.read()
                found.append([file.name, file.filename, file.mimetype, file.content_length])
            return found
"""


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("entities"),
        "uploads",
        {"uploads/upload/controller.py": CONTROLLER, "test_data/.keep": ""},
    )
    with migration.serve(project) as server:
        yield server


PDF_NAME = "滋养细胞肿瘤.pdf"


@pytest.fixture(params=["conftest.py", PDF_NAME])
def upload(request):
    """The original's two files: a small text file and a larger binary with a Chinese name."""
    if request.param == PDF_NAME:
        content = bytes(range(256)) * 5000 + b"%%EOF"
    else:
        content = b"import pytest\n" * 300
    return request.param, content


def test_upload_and_download(served, upload):
    """TestFileStream.test_upload / test_upload_use_requests / test_download: the upload is
    read by iteration and ``read(1024)`` in turn and saved whole; the download streams it
    back from an aiofiles handle."""
    filename, content = upload
    with served.client() as client:
        response = client.post(
            "/upload/test/upload",
            files={"test_file": (filename, content), "note": (None, "a field")},
        )
        assert response.text == '{"value":"success"}', served.output()
        downloaded = client.get("/upload/test/download", params={"filename": f"upload_{filename}"})
        assert downloaded.status_code == 200 and downloaded.content == content


def multipart(headers):
    boundary = b"migrationboundary"
    body = b"--" + boundary + b"\r\n" + headers + b"\r\n\r\ncontent\r\n--" + boundary + b"--\r\n"
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary.decode()}"}


ENCODED = quote(PDF_NAME).encode()


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            b'Content-Disposition: form-data; name="test_file"; filename="' + ENCODED + b'"; '
            b"filename*=utf-8''" + ENCODED + b"\r\nContent-Type: application/pdf"
            b"\r\nContent-Length: 1292384",
            ["test_file", PDF_NAME, "application/pdf", 1292384],
        ),
        (
            b'Content-Disposition: form-data; name="test_file"; filename="conftest.py"; '
            b"filename*=utf-8''conftest.py\r\nContent-Type: text/x-python\r\nContent-Length: 0",
            ["test_file", "conftest.py", "text/x-python", 0],
        ),
        (
            b"Content-Disposition: form-data; name=\"test_file\"; filename*=utf-8''" + ENCODED,
            ["test_file", PDF_NAME, None, 0],
        ),
        (
            b"Content-Disposition: form-data; name*=utf-8''"
            + ENCODED
            + b"; filename*=utf-8''"
            + ENCODED,
            [PDF_NAME, PDF_NAME, None, 0],
        ),
    ],
    ids=["encoded-both", "plain-both", "encoded-only", "encoded-name"],
)
def test_part_headers(served, headers, expected):
    """TestFileStream.test_parse_header_*: ``filename*=utf-8''...`` (RFC 5987) wins over
    ``filename``, ``name*`` is decoded too, Content-Type and Content-Length are read (0
    and None when absent)."""
    body, request_headers = multipart(headers)
    with served.client() as client:
        response = client.post("/upload/test/parts", content=body, headers=request_headers)
        assert response.json() == [expected], served.output()


@pytest.mark.asyncio
async def test_coroutinelocal_across_tasks():
    """TestLocal.test_local: tasks start from the creator's values; what a task sets or
    clears stays in that task."""
    coroutinelocal["a"] = 11
    loop = asyncio.get_running_loop()

    async def fun():
        return coroutinelocal["a"]

    async def bar():
        coroutinelocal["a"] = 33
        return coroutinelocal["a"]

    async def foo():
        coroutinelocal.clear()
        return coroutinelocal["a"]

    task3 = loop.create_task(foo())
    await asyncio.gather(task3)
    task2 = loop.create_task(bar())
    await asyncio.gather(task2)
    task1 = loop.create_task(fun())
    await asyncio.gather(task1)
    assert task1.result() == 11
    assert task2.result() == 33
    assert task3.result() is None
