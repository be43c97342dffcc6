"""test_bases/test_response.py: ``FileResponse`` built the ways the original's tests built it.

Bytes with a file name (the media type guessed from it, or given), a file object with a
``Content-Length`` header (``.xz`` gives ``Content-Encoding: xz``), ``download=False``
(no ``Content-Disposition``), and ``If-Modified-Since`` against ``Last-Modified`` (304).
The bad calls fail with the original's messages. One project serves them over a socket.
"""

import pytest

from apistellar import FileResponse


def test_content_is_bytes():
    """test_response.py ``test_content_is_bytes``."""
    resp = FileResponse(b"abc", filename="ddd.png")
    assert resp.content == b"abc"
    assert resp.headers["content-length"] == "3"
    assert "last-modified" in resp.headers
    assert resp.filename == "ddd.png"
    assert resp.headers["content-type"] == "image/png"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="ddd.png"'
    assert resp.status_code == 200


def test_content_is_bytes_with_media_type():
    """test_response.py ``test_content_is_bytes_with_media_type``."""
    resp = FileResponse(b"abc", filename="ddd.png", media_type="image/jpeg")
    assert resp.headers["content-type"] == "image/jpeg"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="ddd.png"'


def test_content_is_fileobj(tmp_path):
    """test_response.py ``test_content_is_fileobj``: name and encoding from the file."""
    path = tmp_path / "test.xz"
    path.write_bytes(b"0123456789")
    with path.open("rb") as handle:
        resp = FileResponse(handle, headers={"content-length": "10"})
        assert resp.filename == "test.xz"
        assert resp.headers["content-length"] == "10"
        assert resp.headers["content-encoding"] == "xz"


def test_content_type_of_a_text_file(tmp_path):
    """test_response.py ``test_content_type``: a text file gets its charset."""
    path = tmp_path / "settings.py"
    path.write_text("A = 1\n")
    with path.open() as handle:
        resp = FileResponse(handle, headers={"content-length": "6"})
        assert resp.headers["content-type"] == "text/x-python; charset=utf-8"


def test_not_download(tmp_path):
    """test_response.py ``test_not_download``: no ``Content-Disposition``."""
    path = tmp_path / "settings.py"
    path.write_text("A = 1\n")
    with path.open() as handle:
        resp = FileResponse(handle, headers={"content-length": "6"}, download=False)
        assert "Content-Disposition" not in resp.headers


def test_if_modified_since():
    """test_response.py ``test_if_modified_since``: a newer ``If-Modified-Since`` gives 304."""
    resp = FileResponse(
        "我的",
        filename="ddd.jpg",
        headers={"Last-Modified": "Fri, 08 Feb 2019 22:56:51 GMT"},
        req_headers={"If-Modified-Since": "Fri, 08 Feb 2019 22:56:53 GMT"},
    )
    assert resp.status_code == 304


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((b"abc",), {}, "filename must specify."),
        (({},), {}, "FileResponse content must be string or bytes. Got dict."),
        (({},), {"charset": None}, "FileResponse content must be bytes. Got dict."),
    ],
)
def test_invalid_calls_fail_with_the_original_messages(args, kwargs, message):
    """test_response.py: no file name, a dict as content (with and without a charset)."""
    with pytest.raises(AssertionError) as error_info:
        FileResponse(*args, **kwargs)
    assert error_info.value.args[0] == message


def test_file_object_needs_a_content_length(tmp_path):
    """test_response.py ``test_content_is_fileobj_without_content_length``."""
    path = tmp_path / "settings.py"
    path.write_text("A = 1\n")
    with path.open() as handle, pytest.raises(AssertionError) as error_info:
        FileResponse(handle)
    assert error_info.value.args[0] == "File like object need specify Content-Length."


CONTROLLER = """
    from apistar import http
    from apistellar import Controller, FileResponse, route, get


    @route("/files")
    class FileController(Controller):

        @get("/png")
        def png(self, headers: http.Headers):
            return FileResponse(
                b"abc", filename="ddd.png",
                headers={"Last-Modified": "Fri, 08 Feb 2019 22:56:51 GMT"},
                req_headers=dict(headers))

        @get("/inline")
        def inline(self):
            return FileResponse(b"text", filename="a.txt", download=False)
"""


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("responses"), "files", {"files/controller.py": CONTROLLER}
    )
    with migration.serve(project) as server:
        yield server


def test_file_response_over_the_socket(served):
    """test_response.py's headers as a client sees them, and the 304 without a body."""
    with served.client() as client:
        png = client.get("/files/png")
        not_modified = client.get(
            "/files/png", headers={"If-Modified-Since": "Fri, 08 Feb 2019 22:56:53 GMT"}
        )
        inline = client.get("/files/inline")
    assert png.content == b"abc" and png.headers["content-type"] == "image/png"
    assert png.headers["content-disposition"] == 'attachment; filename="ddd.png"'
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert inline.content == b"text" and "content-disposition" not in inline.headers
