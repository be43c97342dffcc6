"""A scaffolded project passes its own tests as generated: ``apistellar create project x``,
then ``pytest`` in ``x/``, with nothing installed or configured by hand (no
``pip install -e .``, no PYTHONPATH), as a new user runs it."""

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST"))}
    return subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_generated_project_passes_its_tests(tmp_path: Path) -> None:
    """The generated tests use ``client``, ``async_client``, ``server`` and a marker, and
    pass without a warning (pytest-asyncio's mode and loop scope are configured)."""
    created = _run([str(BIN / "apistellar"), "create", "project", "x"], cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "x"
    tests = (project / "tests" / "test_example.py").read_text()
    for used in ("def test_client(client)", "(server)", "(async_client)", "@pytest.mark."):
        assert used in tests

    result = _run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider"], cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"rootdir: {project}" in output
    assert "5 passed" in output
    assert "warning" not in output.lower(), output
