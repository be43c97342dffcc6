"""The apistellar command and the apistar-* aliases, run as a user runs them."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / args[0]), *args[1:]]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


def test_no_command_prints_help_and_fails(tmp_path):
    result = run("apistellar", cwd=tmp_path)
    assert result.returncode == 1 and "routes" in result.stdout and "create" in result.stdout


def test_wrong_arguments_are_clear_errors(tmp_path):
    bad_task = run("apistellar", "create", "nonsense", cwd=tmp_path)
    assert bad_task.returncode == 2 and "invalid choice" in bad_task.stderr
    bad_name = run("apistellar", "create", "project", "9lives", cwd=tmp_path)
    assert bad_name.returncode == 2 and "must start with a letter" in bad_name.stderr
    taken = run("apistellar", "create", "project", "json", cwd=tmp_path)
    assert taken.returncode == 2 and "already exists" in taken.stderr
    model = run("apistellar", "create", "model", "-n", "post", "title:wat", cwd=tmp_path)
    assert model.returncode == 2 and "Unknown field type 'wat'" in model.stderr
    service = run("apistellar", "create", "service", "!!!", cwd=tmp_path)
    assert service.returncode == 2 and "invalid" in service.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    where = tmp_path_factory.mktemp("scaffold")
    assert run("apistellar", "create", "project", "demoapp", cwd=where).returncode == 0
    package = where / "demoapp" / "src" / "demoapp" / "demoapp"
    assert run("apistar-create", "service", "article", cwd=package).returncode == 0
    assert (
        run("apistellar", "create", "service", "group-admin", cwd=package / "article").returncode
        == 0
    )
    model = run(
        "apistellar",
        "create",
        "model",
        "-n",
        "blog post",
        "title:string",
        "views:integer",
        cwd=package / "article",
    )
    assert model.returncode == 0, model.stderr
    return where / "demoapp"


def test_project_tree_and_a_fresh_secret_key(project, tmp_path):
    app_dir = project / "src" / "demoapp"
    for relative in ("web_app.py", "settings.py", "__init__.py", "demoapp/__init__.py"):
        assert (app_dir / relative).is_file(), relative
    assert (project / "pyproject.toml").is_file() and (project / "tests" / "conftest.py").is_file()
    key = re.search(r'SECRET_KEY = "([0-9a-f]{64})"', (app_dir / "settings.py").read_text())
    assert key
    assert run("apistellar", "create", "project", "other", cwd=tmp_path).returncode == 0
    other = (tmp_path / "other" / "src" / "other" / "settings.py").read_text()
    assert key.group(1) not in other


def test_services_nest_under_the_controller_of_their_folder(project):
    nested = (project / "src/demoapp/demoapp/article/group_admin/controller.py").read_text()
    assert "from ..controller import ArticleController" in nested
    assert "class GroupAdminController(ArticleController)" in nested
    model = (project / "src/demoapp/demoapp/article/blog_post.py").read_text()
    assert "class BlogPost(Type)" in model and "views = validators.Integer()" in model


def test_existing_files_are_kept_without_force(project):
    package = project / "src" / "demoapp" / "demoapp"
    service = package / "article" / "service.py"
    service.write_text(service.read_text() + "\n# edited\n")
    assert run("apistellar", "create", "service", "article", cwd=package).returncode == 0
    assert "# edited" in service.read_text()
    assert run("apistellar", "create", "service", "article", "--force", cwd=package).returncode == 0
    assert "# edited" not in service.read_text()


def test_console_alias_says_the_shell_is_missing(tmp_path):
    result = run("apistar-console", cwd=tmp_path)
    assert result.returncode == 2 and "apistellar-shell" in result.stderr
