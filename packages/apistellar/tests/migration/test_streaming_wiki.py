"""大文件上传下载.md (big file upload and download): the wiki's upload handler reads each
file part with ``read(1024000)`` until it is empty and writes it under the client's name;
its download handler hands ``FileResponse`` an ``aiofiles`` handle and the size as
``Content-Length``. Also the F67 header rules the page relies on."""

import hashlib
import os
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime

import pytest

CONTROLLER = """
    import os

    import aiofiles

    from apistellar import Controller, FileResponse, FileStream, get, post


    class BigFileController(Controller):

        @post("/test_upload")
        async def up(stream: FileStream):
            async for file in stream:
                if file.filename:
                    with open(file.filename, "wb") as f:
                        buf = await file.read(1024000)
                        while buf:
                            f.write(buf)
                            buf = await file.read(1024000)

        @get("/test_download")
        async def down(filename: str):
            f = await aiofiles.open(filename, "rb")
            from apistellar.bases.response import FileResponse
            return FileResponse(
                f, filename=filename, headers={"Content-Length": os.path.getsize(filename)})

        @get("/inline")
        def inline(self):
            return FileResponse("plain text", filename="note.txt", download=False)

        @get("/stamped")
        def stamped(self):
            return FileResponse(
                b"data", filename="d.bin",
                headers={"Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT"})
"""

BIG = os.urandom(12 * 1024 * 1024 + 3)


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("bigfile"),
        "bigfile",
        {"bigfile/files/controller.py": CONTROLLER},
    )
    with migration.serve(project) as server:
        server.project = project
        yield server


def test_upload_reads_fixed_size_pieces(served):
    """大文件上传下载.md, upload: a 12 MiB file read in 1024000-byte pieces is saved
    whole, under the client's file name, in the server's working directory."""
    with served.client() as client:
        response = client.post("/test_upload", files={"f": ("big.bin", BIG)})
    assert response.status_code == 200
    saved = (served.project / "big.bin").read_bytes()
    assert hashlib.sha256(saved).digest() == hashlib.sha256(BIG).digest()


def test_download_streams_a_readable_with_its_length(served):
    """大文件上传下载.md, download: the readable is streamed with the given length, as an
    attachment named after the file."""
    (served.project / "to_send.bin").write_bytes(BIG)
    with served.client() as client:
        with client.stream("GET", "/test_download", params={"filename": "to_send.bin"}) as r:
            assert r.status_code == 200
            assert r.headers["content-length"] == str(len(BIG))
            assert r.headers["content-disposition"] == 'attachment; filename="to_send.bin"'
            body = b"".join(r.iter_bytes())
    assert body == BIG


def test_download_is_last_modified_now_in_gmt_and_answers_if_modified_since(served):
    """F67: a readable's ``Last-Modified`` defaults to now and ``If-Modified-Since`` at or
    after it gives 304. [bug] fixed: the original formatted local time labelled GMT and
    still sent the body with its 304; the stamp is real GMT and the 304 is empty."""
    (served.project / "small.bin").write_bytes(b"small")
    with served.client() as client:
        first = client.get("/test_download", params={"filename": "small.bin"})
        stamp = parsedate_to_datetime(first.headers["last-modified"])
        now = datetime.now(timezone.utc)
        assert abs((now - stamp).total_seconds()) < 5, "real GMT, not local time"
        later = format_datetime(now + timedelta(minutes=1), usegmt=True)
        again = client.get(
            "/test_download", params={"filename": "small.bin"}, headers={"If-Modified-Since": later}
        )
    assert again.status_code == 304 and again.content == b""


def test_download_false_sends_no_disposition_and_a_given_last_modified_wins(served):
    """F67: ``Content-Disposition`` only with ``download=True``; ``text/*`` gets the
    charset; a caller's ``Last-Modified`` is the one sent and compared."""
    with served.client() as client:
        inline = client.get("/inline")
        assert inline.text == "plain text" and "content-disposition" not in inline.headers
        assert inline.headers["content-type"] == "text/plain; charset=utf-8"
        stamped = client.get("/stamped")
        assert stamped.headers["last-modified"] == "Wed, 21 Oct 2015 07:28:00 GMT"
        not_modified = client.get(
            "/stamped", headers={"If-Modified-Since": "Wed, 21 Oct 2015 07:28:00 GMT"}
        )
        assert not_modified.status_code == 304
        modified = client.get(
            "/stamped", headers={"If-Modified-Since": "Tue, 20 Oct 2015 07:28:00 GMT"}
        )
        assert modified.status_code == 200 and modified.content == b"data"
