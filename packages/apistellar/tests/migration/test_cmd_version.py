"""The original's ``apistellar.__version__`` (``apistellar/__init__.py``) and its commands
run bare: ``apistellar --version``, ``__version__`` of every distribution, and
``apistellar`` with no arguments."""

import importlib
from importlib import metadata

import pytest

DISTRIBUTIONS = {
    "apistellar": "apistellar",
    "apistellar-config": "apistellar_config",
    "apistellar-session": "apistellar_session",
    "apistellar-shell": "apistellar_shell",
    "apistellar-solo": "apistellar_solo",
    "apistellar-web": "apistellar_web",
    "pytest-apistellar": "pytest_apistellar",
}


@pytest.mark.parametrize(("distribution", "module"), sorted(DISTRIBUTIONS.items()))
def test_every_distribution_has_its_metadata_version(distribution, module):
    """``__version__`` as the original had it, read from the installed metadata (the
    version is written once, in pyproject.toml)."""
    assert importlib.import_module(module).__version__ == metadata.version(distribution)


def test_version_lists_the_installed_distributions(migration, tmp_path):
    """``apistellar --version`` prints one ``name version`` line per distribution."""
    result = migration.run_command("apistellar", "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = set(result.stdout.splitlines())
    for distribution in DISTRIBUTIONS:
        assert f"{distribution} {metadata.version(distribution)}" in lines


def test_no_arguments_print_help(migration, tmp_path):
    """``apistellar`` alone prints its help (every command) and fails, as ``apistar-create``
    alone did (F76)."""
    result = migration.run_command("apistellar", cwd=tmp_path)
    assert result.returncode == 1
    for command in ("routes", "create", "serve", "solo", "shell"):
        assert command in result.stdout
    assert "--version" in result.stdout
