import importlib
import sys

import pytest
import werkzeug.urls

import apistellar_web._compat as compat


def test_url_decode_is_provided_for_api_star():
    assert werkzeug.urls.url_decode is compat.url_decode  # type: ignore[attr-defined]
    decoded = compat.url_decode(b"a=1&a=2&b=&c=%C3%A9+x")
    assert decoded.getlist("a") == ["1", "2"]
    assert decoded["b"] == "" and decoded["c"] == "é x"
    assert "b" not in compat.url_decode("a=1&b=", include_empty=False)


def test_api_star_imports_and_decodes_url_encoded_bodies():
    from apistar.codecs.urlencoded import URLEncodedCodec

    decoded = URLEncodedCodec().decode(b"name=x&tag=1&tag=2")
    assert decoded.getlist("tag") == ["1", "2"] and decoded["name"] == "x"


def test_download_codec_imports_on_every_supported_python():
    module = importlib.import_module("apistar.codecs.download")
    assert hasattr(module, "DownloadCodec")
    if sys.version_info >= (3, 13):
        assert "cgi" in sys.modules


def test_handlers_can_still_import_from_apistar():
    from apistar import App, http

    assert http.QueryParam and App


def test_install_is_idempotent():
    compat.install()
    compat.install()
    assert werkzeug.urls.url_decode is compat.url_decode  # type: ignore[attr-defined]


@pytest.mark.parametrize("separator", ["&", ";"])
def test_url_decode_separator(separator):
    assert compat.url_decode(f"a=1{separator}b=2", separator=separator).to_dict() == {
        "a": "1",
        "b": "2",
    }


def test_apistar_imports_first_in_a_fresh_interpreter_even_with_warnings_as_errors():
    """The .pth import hook: handlers may import apistar before apistellar (isort order)."""
    import subprocess

    code = "from apistar import http, App; import apistellar_web; print(http.QueryParam.__name__)"
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "QueryParam"


def test_responses_can_carry_several_cookies():
    from apistar import http

    response = http.Response(b"")
    response.set_cookie("a", "1")
    response.set_cookie("b", "2", httponly=True, samesite="Lax")
    response.delete_cookie("c")
    assert response.cookies[0] == "a=1; Path=/"
    assert response.cookies[1] == "b=2; HttpOnly; Path=/; SameSite=Lax"
    assert response.cookies[2].startswith("c=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0")
    assert http.Response.max_cookie_size == 4093
