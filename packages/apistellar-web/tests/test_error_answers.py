"""Error answers over a real socket: the envelope kept for migrated apps, the generic 500 of
``UNEXPECTED_ERRORS_AS_500``, log levels of expected and unexpected errors, and
``abort()`` under ``python -O``."""

import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from apistar import http
from apistar.exceptions import BadRequest, ValidationError

from apistellar_web import (
    Application,
    Controller,
    Hook,
    Return,
    Session,
    abort,
    get,
    require,
    route,
)
from apistellar_web.errors import ApplicationError, is_expected
from apistellar_web.testing import LiveServer, free_port, wait_for_port

SECRET = "password=hunter2"


@route("/e")
class FailingController(Controller):
    @get("/unexpected")
    def unexpected(self) -> None:
        raise RuntimeError(f"database refused the login {SECRET}")

    @get("/key")
    def key(self) -> Any:
        return {}[f"missing {SECRET}"]

    @get("/bare-assert")
    def bare_assert(self) -> None:
        raise AssertionError  # what a bare ``assert cond`` raises

    @get("/assert")
    def asserted(self) -> None:
        # what ``assert False, (403, ...)`` raises (this module's asserts are rewritten by pytest)
        raise AssertionError((403, "Not yours", {"owner": "someone else"}))

    @get("/assert-message")
    def asserted_message(self) -> None:
        raise AssertionError("Nothing to see")

    @get("/code")
    def code(self) -> None:
        raise Exception(451)

    @get("/abort")
    def aborted(self) -> None:
        abort(409, "Already taken", {"id": 7})

    @get("/abort-registered")
    def aborted_registered(self) -> None:
        abort(999)

    @get("/login")
    @require(Session, judge=lambda session: session.get("user"))
    def login(self) -> dict:
        return {"ok": True}

    @get("/invalid")
    def invalid(self) -> None:
        raise ValidationError({"age": "Must be a number."})

    @get("/return")
    def returned(self) -> None:
        Return({"short": "cut"})

    @get("/http")
    def http_error(self) -> None:
        raise BadRequest("Bad thing")


class BrokenOnError(Hook):
    """An ``on_error`` hook that fails itself for one path."""

    def on_error(self, error: Exception) -> None:
        if "hook-fails" in str(error):
            raise RuntimeError(f"the hook broke too {SECRET}")


@route("/hook")
class HookController(Controller):
    @get("/fails")
    def fails(self) -> None:
        raise RuntimeError("hook-fails")


def _serve(root: Path, settings: str) -> Iterator[LiveServer]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "settings.py").write_text(settings)
    app = Application(
        "errors",
        current_dir=root,
        controllers=[FailingController, HookController],
        hooks=[BrokenOnError],
        discover=False,
    )
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="module")
def compat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A migrated app: no new setting, the original's envelope for every error."""
    yield from _serve(tmp_path_factory.mktemp("compat"), "SECRET_KEY = 'k'\n")


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A scaffolded-style app: ``UNEXPECTED_ERRORS_AS_500 = True``."""
    yield from _serve(
        tmp_path_factory.mktemp("strict"), "SECRET_KEY = 'k'\nUNEXPECTED_ERRORS_AS_500 = True\n"
    )


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Callable[[], list[logging.LogRecord]]:
    """The records of ``apistellar.errors`` (captured from DEBUG up)."""
    caplog.set_level(logging.DEBUG, logger="apistellar.errors")

    def records() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "apistellar.errors"]

    return records


def _get(server: LiveServer, path: str) -> httpx.Response:
    return httpx.get(server.url + path, timeout=10)


# -- the original's envelope, kept without the setting ---------------------------------------


def test_unexpected_error_keeps_the_original_envelope_without_the_setting(compat, logs):
    response = _get(compat, "/e/unexpected")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "normal" and body["code"] == 999
    assert SECRET in body["message"]  # the original's behaviour, kept for migrated clients
    [record] = logs()
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert SECRET in record.getMessage()


# -- the generic 500 -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/e/unexpected", "/e/key", "/e/bare-assert", "/hook/fails"])
def test_unexpected_errors_answer_a_generic_500_with_the_setting(strict, logs, path):
    response = _get(strict, path)
    assert response.status_code == 500
    body = response.json()
    request_id = body.pop("request_id")
    assert body == {
        "type": "http",
        "code": 500,
        "errcode": 500,
        "message": "Internal server error.",
    }
    for leaked in (SECRET, "hunter2", "RuntimeError", "KeyError", "Traceback", "hook-fails"):
        assert leaked not in response.text
    assert re.fullmatch(r"[0-9a-f]{16}", request_id)
    unexpected = [r for r in logs() if getattr(r, "request_id", None) == request_id]
    assert len(unexpected) == 1
    [record] = unexpected
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert request_id in record.getMessage()


def test_the_500_log_keeps_the_details_the_client_does_not_get(strict, logs, caplog):
    response = _get(strict, "/e/unexpected")
    assert response.status_code == 500 and "hunter2" not in response.text
    [record] = logs()
    assert SECRET in record.getMessage()
    assert "RuntimeError" in caplog.text and "Traceback" in caplog.text


def test_debug_mode_still_shows_the_traceback_of_a_500(tmp_path):
    """``DEBUG`` adds ``detail`` to every envelope; the generic 500 is no exception."""
    for server in _serve(
        tmp_path, "SECRET_KEY = 'k'\nUNEXPECTED_ERRORS_AS_500 = True\nDEBUG = True\n"
    ):
        response = _get(server, "/e/unexpected")
    assert response.status_code == 500
    body = response.json()
    assert body["message"] == "Internal server error." and "RuntimeError" in body["detail"]


class HTTPErrorOnResponse(Hook):
    """An ``on_response`` hook that raises a framework error for one path."""

    def on_response(self, path: http.Path) -> None:
        if path == "/e/return":
            raise BadRequest("Refused by a hook")


def test_an_http_error_raised_by_an_on_response_hook_is_not_a_500(tmp_path, logs):
    (tmp_path / "settings.py").write_text("SECRET_KEY = 'k'\nUNEXPECTED_ERRORS_AS_500 = True\n")
    app = Application(
        "errors",
        current_dir=tmp_path,
        controllers=[FailingController],
        hooks=[HTTPErrorOnResponse],
        discover=False,
    )
    with LiveServer(app) as server:
        response = _get(server, "/e/return")
    assert response.status_code != 500 and "Refused by a hook" in response.text
    assert [(r.levelno, r.exc_info) for r in logs()] == [(logging.INFO, None)]


def test_each_500_gets_its_own_request_id(strict):
    ids = {_get(strict, "/e/unexpected").json()["request_id"] for _ in range(3)}
    assert len(ids) == 3


# -- expected application errors: the envelope, logged at INFO without a traceback -----------

EXPECTED = [
    ("/e/assert", 403, "Not yours", {"owner": "someone else"}),
    ("/e/assert-message", 999, "Nothing to see", None),
    ("/e/code", 451, "Not configured error", None),
    ("/e/abort", 409, "Already taken", {"id": 7}),
    ("/e/abort-registered", 999, "Unknown error", None),
    ("/e/login", 401, "Login required!", None),
    ("/e/invalid", 999, {"age": "Must be a number."}, None),
]


@pytest.mark.parametrize("mode", ["compat", "strict"])
@pytest.mark.parametrize(("path", "code", "message", "extra"), EXPECTED)
def test_expected_errors_answer_the_envelope_and_log_at_info(
    request, logs, mode, path, code, message, extra
):
    server = request.getfixturevalue(mode)
    response = _get(server, path)
    assert response.status_code == 200
    assert response.json() == {
        "type": "normal",
        "code": code,
        "errcode": code,
        "message": message,
        "extra": extra,
    }
    [record] = logs()
    assert record.levelno == logging.INFO and record.exc_info is None
    assert "Traceback" not in record.getMessage()


@pytest.mark.parametrize("mode", ["compat", "strict"])
def test_return_and_http_errors_are_not_logged_as_errors(request, logs, mode):
    server = request.getfixturevalue(mode)
    assert _get(server, "/e/return").json() == {"short": "cut"}
    bad = _get(server, "/e/http")
    assert bad.status_code == 400 and bad.json()["message"] == "Bad thing"
    assert _get(server, "/e/nowhere").status_code == 404
    assert not [r for r in logs() if r.levelno >= logging.WARNING or r.exc_info]


def test_abort_raises_an_application_error_that_assert_handlers_catch():
    with pytest.raises(AssertionError) as info:
        abort(404, "gone", {"x": 1})
    assert isinstance(info.value, ApplicationError)
    assert info.value.args == ((404, "gone", {"x": 1}),)
    assert (info.value.code, info.value.message, info.value.extra) == (404, "gone", {"x": 1})


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ApplicationError(400), True),
        (AssertionError((401, "Login required!")), True),
        (AssertionError("msg"), True),
        (AssertionError(), False),
        (Exception(401), True),
        (ValueError([422, "bad"]), True),
        (ValidationError("bad"), True),
        (BadRequest("bad"), True),
        (RuntimeError("boom"), False),
        (Exception(True), False),
        (KeyError("k"), False),
        (Exception(), False),
    ],
)
def test_what_counts_as_expected(error, expected):
    assert is_expected(error) is expected


# -- abort() survives python -O, assert does not ---------------------------------------------

OPTIMISED_CONTROLLER = """
from apistellar_web import Controller, abort, get, route


@route("/o")
class OptimisedController(Controller):
    @get("/abort")
    def aborted(self) -> dict:
        abort(403, "Forbidden even under -O", {"by": "abort"})
        return {"reached": "the end"}

    @get("/assert")
    def asserted(self) -> dict:
        assert False, (403, "Forbidden unless -O", {"by": "assert"})
        return {"reached": "the end"}
"""

OPTIMISED_WEB_APP = """
import os

from apistellar_web import Application

app = Application("opt", current_dir=os.path.dirname(os.path.abspath(__file__)))
"""


@pytest.fixture(scope="module", params=[[], ["-O"]], ids=["plain", "optimised"])
def optimised(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, bool]]:
    """The app served by ``python [-O] -m uvicorn`` in a subprocess: (url, optimised)."""
    root = tmp_path_factory.mktemp("opt")
    (root / "opt").mkdir()
    (root / "opt" / "__init__.py").write_text("")
    (root / "opt" / "controllers.py").write_text(OPTIMISED_CONTROLLER)
    (root / "web_app.py").write_text(OPTIMISED_WEB_APP)
    (root / "settings.py").write_text("SECRET_KEY = 'k'\n")
    port = free_port()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            *request.param,
            "-m",
            "uvicorn",
            "web_app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}", bool(request.param)
    finally:
        process.terminate()
        process.communicate(timeout=20)


def test_abort_answers_the_assert_envelope_also_under_python_o(optimised):
    url, is_optimised = optimised
    response = httpx.get(f"{url}/o/abort", timeout=10)
    assert response.status_code == 200
    assert response.json() == {
        "type": "normal",
        "code": 403,
        "errcode": 403,
        "message": "Forbidden even under -O",
        "extra": {"by": "abort"},
    }
    asserted = httpx.get(f"{url}/o/assert", timeout=10).json()
    if is_optimised:  # -O strips the assert statement: the handler runs to its end
        assert asserted == {"reached": "the end"}
    else:
        assert asserted == {
            **response.json(),
            "message": "Forbidden unless -O",
            "extra": {"by": "assert"},
        }
