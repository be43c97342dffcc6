"""The example project's OpenAPI document, checked against what the served app answers.

The example runs as a user runs it (``uvicorn web_app:app`` from its folder, in a subprocess
on a real socket, with its own SQLite file); ``schemathesis run`` reads ``/openapi.json``
from it and sends generated requests to every operation: the coverage phase (boundary and
missing values, undeclared methods), the fuzzing phase (valid and invalid data) and the
stateful phase. Every response must not be a 5xx, must have a status the document declares,
and must match the schema declared for that status.

The run is bounded (``MAX_EXAMPLES`` per operation) and deterministic (schemathesis'
``--generation-deterministic``: no random seed, no example database), so it sends the same
requests every run and a failure reproduces.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "blog"
BIN = Path(sys.executable).parent
# schemathesis' names for: no 5xx, a declared status, a body matching its declared schema.
CHECKS = ("not_a_server_error", "status_code_conformance", "response_schema_conformance")
MAX_EXAMPLES = 25


@pytest.fixture(scope="module")
def example_url(example_runner, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example served by ``python -m uvicorn web_app:app`` from its folder."""
    with example_runner.uvicorn(tmp_path_factory.mktemp("example-schemathesis")) as (url, _):
        yield url


def test_the_document_names_every_route_of_the_example(example_url: str) -> None:
    document = httpx.get(f"{example_url}/openapi.json", timeout=30).json()
    assert document["openapi"].startswith("3.1")
    operations = sorted(
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    )
    assert operations == [
        "GET /",
        "GET /account/login",
        "GET /account/logout",
        "GET /account/whoami",
        "GET /api/articles/",
        "GET /api/articles/{article_id}",
        "POST /api/articles/",
        "POST /api/uploads/",
    ]


def test_the_example_answers_as_its_document_says(example_url: str, tmp_path: Path) -> None:
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"{example_url}/openapi.json",
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--generation-deterministic",
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--no-color",
    ]
    # From an empty folder: no schemathesis.toml of the checkout or the user changes the run.
    result = subprocess.run(
        command,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    # Every operation was exercised, and the run did generate requests.
    assert "Tested: 8" in report, report
    assert "No issues found" in report, report
