"""错误码处理.md and test_app.py: how errors are answered and logged for a migrated project.

The page has users raise errors on purpose (``assert cond, (code, message)``, ``require``
for a login), and the original's test_app.py served a handler dividing by zero. The
original logged every one of them at ERROR with a full traceback (F52), so a client could
flood the log with tracebacks by repeating an expected refusal. Improved: an error raised
on purpose is logged at INFO without one, a bug at ERROR with its traceback.
The wire format is the original's for every error (HTTP 200, the error envelope, even
carrying a bug's text), unless the project opts in to ``UNEXPECTED_ERRORS_AS_500``, as a
newly scaffolded project does: then a bug answers a generic 500 that leaks nothing.
"""

import re

import pytest

# The original's generated web_app.py configured logging at DEBUG (default format).
WEB_APP = """\
import os
import logging

from apistellar import Application

logging.basicConfig(level=logging.DEBUG)
app = Application("errlog", current_dir=os.path.dirname(os.path.abspath(__file__)))
"""

CONTROLLER = """
    from apistellar import Controller, Session, get, require, route


    @route("/errs")
    class ErrorsController(Controller):

        @get("/expected")
        def expected(self):
            found = []
            assert found, (403, "Expected refusal one")

        @get("/login")
        @require(Session, judge=lambda session: session.get("user"), error="Expected login two")
        def login(self):
            return {"logged": True}

        @get("/divide")
        def divide(self):
            return 1 / 0

        @get("/secret")
        def secret(self):
            raise RuntimeError("the database said password=hunter2")
"""


def _project(migration, where, settings):
    return migration.write_project(
        where,
        "errlog",
        {"settings.py": settings, "errlog/errors/controller.py": CONTROLLER},
        web_app=WEB_APP,
    )


@pytest.fixture(scope="module")
def original(migration, tmp_path_factory):
    """The project as it was migrated: no new setting."""
    project = _project(migration, tmp_path_factory.mktemp("original"), "SECRET_KEY = 'x'\n")
    with migration.serve(project) as server:
        yield server


@pytest.fixture(scope="module")
def opted_in(migration, tmp_path_factory):
    """The same project with ``UNEXPECTED_ERRORS_AS_500 = True`` in its settings."""
    settings = "SECRET_KEY = 'x'\nUNEXPECTED_ERRORS_AS_500 = True\n"
    project = _project(migration, tmp_path_factory.mktemp("opted"), settings)
    with migration.serve(project) as server:
        yield server


def _record(output: str, needle: str) -> tuple[str, str]:
    """The level of the ``apistellar.errors`` line holding ``needle`` and what follows it."""
    lines = output.splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"(DEBUG|INFO|WARNING|ERROR|CRITICAL):apistellar\.errors:(.*)", line)
        if match and needle in match.group(2):
            return match.group(1), "\n".join(lines[index + 1 : index + 4])
    pytest.fail(f"no apistellar.errors line with {needle!r} in:\n{output}")


def test_errors_raised_on_purpose_keep_the_envelope_and_log_at_info(original):
    with original.client() as client:
        refused = client.get("/errs/expected")
        login = client.get("/errs/login")
    assert refused.status_code == 200 and refused.json() == {
        "type": "normal",
        "code": 403,
        "errcode": 403,
        "message": "Expected refusal one",
        "extra": None,
    }
    assert login.status_code == 200 and login.json()["code"] == 401
    assert login.json()["message"] == "Expected login two"
    for needle in ("Expected refusal one", "Expected login two"):
        level, after = _record(original.output(), needle)
        assert level == "INFO" and "Traceback" not in after


def test_a_bug_keeps_the_original_envelope_and_logs_at_error_with_its_traceback(original):
    """test_app.py's handler dividing by zero, ``app.debug`` off."""
    with original.client() as client:
        response = client.get("/errs/divide")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 999 and body["message"] == "division by zero" and "detail" not in body
    level, after = _record(original.output(), "division by zero")
    assert level == "ERROR" and after.startswith("Traceback (most recent call last):")


def test_opted_in_a_bug_answers_a_generic_500(opted_in):
    with opted_in.client() as client:
        response = client.get("/errs/secret")
        refused = client.get("/errs/expected")
    assert response.status_code == 500
    body = response.json()
    assert body["message"] == "Internal server error." and "hunter2" not in response.text
    level, after = _record(opted_in.output(), body["request_id"])
    assert level == "ERROR" and after.startswith("Traceback (most recent call last):")
    assert "hunter2" in opted_in.output()  # the details stay in the server's log
    # errors raised on purpose keep their envelope
    assert refused.status_code == 200 and refused.json()["message"] == "Expected refusal one"
