import importlib
import os
import subprocess
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


# -- one adaptation path: the import hook; install() only checks it ----------------------


def test_api_star_was_loaded_through_the_hook_and_install_patches_nothing_again():
    import _apistellar_web_shim as shim
    import apistar
    from apistar import http

    assert isinstance(apistar.__loader__, shim._AdaptingLoader)
    assert isinstance(http.__loader__, shim._AdaptingLoader)
    set_cookie, decode = http.Response.set_cookie, werkzeug.urls.url_decode  # type: ignore[attr-defined]
    compat.install()
    compat.install()
    assert http.Response.set_cookie is set_cookie is shim.set_cookie
    assert werkzeug.urls.url_decode is decode is shim.url_decode  # type: ignore[attr-defined]
    assert sum(finder is shim._Finder for finder in sys.meta_path) == 1


def test_the_hook_keeps_api_stars_package_resources():
    """Resource access is forwarded to API Star's own loader (it was hidden before)."""
    import importlib.resources

    import apistar
    import apistar.server

    folder = os.path.dirname(apistar.__file__)
    entries = list(importlib.resources.files("apistar").iterdir())
    assert len(entries) == len(os.listdir(folder)) > 0
    assert importlib.resources.files("apistar").joinpath("templates").is_dir()
    server = os.path.dirname(apistar.server.__file__)
    assert len(list(importlib.resources.files("apistar.server").iterdir())) == len(
        os.listdir(server)
    )
    source = apistar.__loader__.get_source("apistar")  # type: ignore[union-attr]
    assert source is not None and "__version__" in source


def test_install_restores_a_point_that_went_missing(monkeypatch):
    from apistar import http

    monkeypatch.delattr(werkzeug.urls, "url_decode")
    monkeypatch.delattr(http.Response, "set_cookie")
    compat.install()
    assert werkzeug.urls.url_decode is compat.url_decode  # type: ignore[attr-defined]
    assert http.Response(b"").set_cookie is not None


def test_install_refuses_a_response_patched_by_someone_else(monkeypatch):
    from apistar import http

    monkeypatch.setattr(http.Response, "set_cookie", lambda self, key, value="": None)
    with pytest.raises(ImportError, match=r"apistar\.http\.Response\.set_cookie"):
        compat.install()


def _run_without_site(code: str) -> "subprocess.CompletedProcess[str]":
    """Run ``code`` with ``-S``: no ``.pth`` file is processed, so the hook is not loaded."""
    path = os.pathsep.join(p for p in sys.path if p and os.path.isdir(p))
    return subprocess.run(
        [sys.executable, "-S", "-W", "error", "-c", code],
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_the_pth_file_importing_apistellar_registers_the_hook():
    code = (
        "import sys; assert '_apistellar_web_shim' not in sys.modules\n"
        "import apistellar_web, apistar, _apistellar_web_shim as shim\n"
        "from apistar import http\n"
        "assert isinstance(apistar.__loader__, shim._AdaptingLoader)\n"
        "assert http.Response.set_cookie is shim.set_cookie\n"
        "print('ok')\n"
    )
    result = _run_without_site(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_without_the_pth_file_an_api_star_imported_first_is_adapted_in_place():
    code = (
        "import warnings, sys, types\n"
        "import werkzeug.urls\n"
        "werkzeug.urls.url_decode = lambda *a, **k: None  # API Star imports it, as if present\n"
        "with warnings.catch_warnings():\n"
        "    warnings.simplefilter('ignore')\n"
        "    from apistar import http\n"
        "del werkzeug.urls.url_decode\n"
        "assert not hasattr(http.Response, 'set_cookie')\n"
        "import apistellar_web, _apistellar_web_shim as shim\n"
        "assert http.Response.set_cookie is shim.set_cookie\n"
        "assert werkzeug.urls.url_decode is shim.url_decode\n"
        "print('ok')\n"
    )
    result = _run_without_site(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


# -- the private-attribute helpers: each one against the real API Star class ------------------


def test_header_items_is_the_headers_own_list():
    from apistar import http

    headers = http.Headers([("A", "1"), ("b", "2"), ("a", "3")])
    assert compat.header_items(headers) == [("a", "1"), ("b", "2"), ("a", "3")]
    assert compat.header_items(headers) is compat.header_items(headers)  # not a copy


def test_header_values_gives_the_first_value_of_each_name():
    from apistar import http

    headers = http.Headers([("A", "1"), ("b", "2"), ("a", "3")])
    assert dict(compat.header_values(headers)) == {"a": "1", "b": "2"}


def test_store_header_items_fills_a_headers_whose_init_did_not_run():
    from apistar import http

    headers = http.Headers.__new__(http.Headers)
    compat.store_header_items(headers, [("x", "1"), ("y", "2"), ("x", "3")])
    assert headers["X"] == "1" and headers.get_list("x") == ["1", "3"]
    assert list(headers.keys()) == ["x", "y", "x"] and len(headers) == 3
    assert headers == http.Headers([("x", "1"), ("y", "2"), ("x", "3")])
    assert all(hasattr(headers, name) for name in compat.HEADER_STORAGE)


def test_mutable_headers_keeps_the_pairs_as_given_and_stays_mutable():
    from apistar import http

    items = [("content-length", "2"), ("content-type", "application/json")]
    headers = compat.mutable_headers(items)
    assert type(headers) is http.MutableHeaders
    assert compat.header_items(headers) is items
    assert headers["Content-Type"] == "application/json"
    headers["x-extra"] = "1"
    headers["content-length"] = "3"
    assert headers.items() == [
        ("content-length", "3"),
        ("content-type", "application/json"),
        ("x-extra", "1"),
    ]


def test_query_values_gives_the_first_value_of_each_name():
    from apistar import http

    query = http.QueryParams([("a", "1"), ("b", ""), ("a", "2")])
    values = compat.query_values(query)
    assert dict(values) == {"a": "1", "b": ""}
    assert values.get("missing", None) is None


def test_query_params_from_pairs_is_what_query_params_builds():
    from apistar import http

    pairs = [("a", "1"), ("b", ""), ("a", "2")]
    built = compat.query_params_from_pairs(pairs)
    assert type(built) is http.QueryParams
    assert built == http.QueryParams(pairs)
    assert built["a"] == "1" and built.get_list("a") == ["1", "2"] and len(built) == 3
    assert list(built.keys()) == ["a", "b", "a"] and compat.query_values(built)["b"] == ""
    assert compat.query_params_from_pairs([]) == http.QueryParams()


def test_validated_type_is_the_instance_type_init_would_have_made():
    from apistar import types, validators

    class Item(types.Type):
        name = validators.String()
        count = validators.Integer(default=0)

    data = Item.validator.validate({"name": "ink", "count": "3"}, allow_coerce=True)
    made = compat.validated_type(Item, data)
    assert type(made) is Item
    assert made.name == "ink" and made.count == 3
    assert dict(made) == dict(Item({"name": "ink", "count": 3}))


def test_response_cookies_lists_what_set_cookie_added_to_that_response_only():
    from apistar import http

    class WithClassCookies(http.Response):
        cookies = ["shared=1"]  # a class attribute is never taken for the response's own

    fresh = WithClassCookies(b"")
    assert compat.response_cookies(fresh) == ()
    fresh.set_cookie("a", "1")
    assert list(compat.response_cookies(fresh)) == ["a=1; Path=/"]
    assert WithClassCookies.cookies == ["shared=1"]
    assert compat.response_cookies(http.Response(b"")) == ()


def test_the_hooks_loader_can_be_copied():
    import copy

    import apistar

    loader = copy.copy(apistar.__loader__)
    assert loader.get_filename("apistar") == apistar.__file__  # type: ignore[union-attr]
