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


def test_create_alone_prints_every_task_and_fails(tmp_path):
    for command in (("apistar-create",), ("apistellar", "create")):
        result = run(*command, cwd=tmp_path)
        assert result.returncode == 1
        assert "Command 'project'" in result.stdout and "Command 'rpc'" in result.stdout
    helped = run("apistellar", "create", "-h", cwd=tmp_path)
    assert helped.returncode == 0 and "Command 'document'" in helped.stdout


def test_wrong_arguments_are_clear_errors(tmp_path):
    bad_task = run("apistellar", "create", "nonsense", cwd=tmp_path)
    assert bad_task.returncode == 2 and "invalid choice" in bad_task.stderr
    bad_name = run("apistellar", "create", "project", "9lives", cwd=tmp_path)
    assert bad_name.returncode == 2 and "must start with a letter" in bad_name.stderr
    assert "'9lives'" in bad_name.stderr
    taken = run("apistellar", "create", "project", "json", cwd=tmp_path)
    assert taken.returncode == 2 and "Module 'json' already exists" in taken.stderr
    model = run("apistellar", "create", "model", "-n", "post", "title:wat", cwd=tmp_path)
    assert model.returncode == 2 and "Unknown field type 'wat'" in model.stderr
    service = run("apistellar", "create", "service", "!!!", cwd=tmp_path)
    assert service.returncode == 2 and "name: '!!!' invalid" in service.stderr
    digit = run("apistellar", "create", "service", "9lives", cwd=tmp_path)
    assert digit.returncode == 2 and "name: '9lives' start with number" in digit.stderr
    assert "Traceback" not in digit.stderr + service.stderr + model.stderr


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
    # No -p: the model goes into a folder named after it, as the original wrote it.
    model = (project / "src/demoapp/demoapp/article/blog_post/blog_post.py").read_text()
    assert "class BlogPost(Type)" in model and "views = validators.Integer()" in model


def test_existing_files_are_kept_without_force(project):
    package = project / "src" / "demoapp" / "demoapp"
    service = package / "article" / "service.py"
    service.write_text(service.read_text() + "\n# edited\n")
    again = run("apistellar", "create", "service", "article", cwd=package)
    assert again.returncode == 0
    assert "# edited" in service.read_text()
    assert f"kept {Path('article') / 'service.py'} (exists; --force overwrites)" in again.stdout
    assert run("apistellar", "create", "service", "article", "--force", cwd=package).returncode == 0
    assert "# edited" not in service.read_text()


def test_console_alias_says_the_shell_is_missing(tmp_path):
    result = run("apistar-console", cwd=tmp_path)
    assert result.returncode == 2 and "apistellar-shell" in result.stderr


TASKS = '''
from apistellar_web import Task
from apistellar_web.cli.tasks import ModuleTask


class Blog(ModuleTask):
    """Create a blog module."""

    @classmethod
    def enrich_parser(cls, sub_parser):
        super().enrich_parser(sub_parser)
        sub_parser.add_argument("--author", default="nobody")


class Project(Task):
    """Never offered: the built-in project task wins."""


class Loose(Task):
    @classmethod
    def enrich_parser(cls, sub_parser):
        super().enrich_parser(sub_parser)
        sub_parser.add_argument("--target", default="out")

    def enrich_kwargs(self, name):
        super().enrich_kwargs(name)
        self.kwargs["dirname"] = self.kwargs["target"]
'''


@pytest.fixture
def task_folder(tmp_path):
    (tmp_path / "tasks.py").write_text(TASKS)
    blog = tmp_path / "templates" / "blog" / "${module_name}"
    blog.mkdir(parents=True)
    (blog / "__init__.py.tmpl").write_text("")
    (blog / "views.py.tmpl").write_text(
        "# by {{ author }}\nclass {{ class_name }}View:\n    name = '{{ name }}'\n"
    )
    (blog / "__pycache__").mkdir()
    (blog / "__pycache__" / "junk.pyc").write_bytes(b"\0")
    loose = tmp_path / "templates" / "loose"
    loose.mkdir()
    (loose / "${target}.txt").write_text("{{ name }}")
    return tmp_path


def test_custom_tasks_from_tasks_py_render_their_templates(task_folder):
    result = run("apistellar", "create", "blog", "my-posts", "--author", "Ann", cwd=task_folder)
    assert result.returncode == 0, result.stderr
    views = task_folder / "my_posts" / "my_posts" / "views.py"
    assert views.read_text() == "# by Ann\nclass MyPostsView:\n    name = 'my-posts'\n"
    assert (task_folder / "my_posts" / "my_posts" / "__init__.py").is_file()
    assert not (task_folder / "my_posts" / "my_posts" / "__pycache__").exists()
    assert f"created {Path('my_posts') / 'my_posts' / 'views.py'}" in result.stdout
    helped = run("apistar-create", "--help", cwd=task_folder)
    assert "blog" in helped.stdout and "loose" in helped.stdout
    assert "Create a blog module." in run("apistellar", "create", "-h", cwd=task_folder).stdout


def test_custom_tasks_keep_files_unless_forced(task_folder):
    assert run("apistellar", "create", "blog", "posts", cwd=task_folder).returncode == 0
    views = task_folder / "posts" / "posts" / "views.py"
    views.write_text("edited")
    assert run("apistellar", "create", "blog", "posts", cwd=task_folder).returncode == 0
    assert views.read_text() == "edited"
    assert run("apistellar", "create", "blog", "posts", "-f", cwd=task_folder).returncode == 0
    assert views.read_text() != "edited"


def test_builtin_tasks_win_over_custom_ones(task_folder):
    result = run("apistellar", "create", "project", "shop", cwd=task_folder)
    assert result.returncode == 0, result.stderr
    assert (task_folder / "shop" / "src" / "shop" / "web_app.py").is_file()


def test_custom_task_errors_are_clear(task_folder, tmp_path_factory):
    unsafe = run("apistellar", "create", "loose", "x", "--target", "../evil", cwd=task_folder)
    assert unsafe.returncode == 2 and "unsafe name" in unsafe.stderr
    assert not (task_folder.parent / "evil.txt").exists()
    bad_name = run("apistellar", "create", "blog", "9lives", cwd=task_folder)
    assert bad_name.returncode == 2 and "start with number" in bad_name.stderr
    elsewhere = tmp_path_factory.mktemp("templates")
    missing = run("apistellar", "create", "blog", "a", "-t", str(elsewhere), cwd=task_folder)
    assert missing.returncode == 0  # falls back to templates/ next to tasks.py
    (task_folder / "templates" / "blog").rename(task_folder / "templates" / "gone")
    nothing = run("apistellar", "create", "blog", "b", cwd=task_folder)
    assert nothing.returncode == 2 and "No template folder 'blog'" in nothing.stderr
    (task_folder / "tasks.py").write_text("raise RuntimeError('broken on purpose')\n")
    broken = run("apistellar", "create", "blog", "c", cwd=task_folder)
    assert broken.returncode == 2 and "broken on purpose" in broken.stderr
    assert "tasks.py" in broken.stderr


def test_task_path_names():
    from apistellar_web import Task
    from apistellar_web.cli.scaffold import ScaffoldError

    task = Task({"name": "blog", "n": 3})
    assert task.render_path_name("${name}_${n}.py.tmpl") == "blog_3.py"
    with pytest.raises(ScaffoldError, match="Unknown variable"):
        task.render_path_name("${missing}")
    with pytest.raises(ScaffoldError, match="unsafe"):
        Task({"name": ".."}).render_path_name("${name}")


def test_solo_scaffold_needs_the_project_folder(project, tmp_path):
    outside = run("apistellar", "create", "solo", "cleanup", cwd=tmp_path)
    assert outside.returncode == 2 and "next to web_app.py" in outside.stderr
    unnamed = run("apistellar", "create", "solo", cwd=project / "src" / "demoapp")
    assert unnamed.returncode == 2 and "required: name" in unnamed.stderr
    made = run("apistellar", "create", "solo", "cleanup", cwd=project / "src" / "demoapp")
    assert made.returncode == 0, made.stderr
    solo = (project / "src/demoapp/demoapp/cleanup/solo.py").read_text()
    assert "class Cleanup(Solo)" in solo and "async def teardown" in solo
    assert 'app_name = "demoapp"' in (project / "src/demoapp/solo_app.py").read_text()


def test_version_and_no_project_errors(tmp_path):
    from importlib import metadata

    import apistellar_web

    version = run("apistellar", "--version", cwd=tmp_path)
    assert version.returncode == 0
    assert f"apistellar-web {metadata.version('apistellar-web')}" in version.stdout.splitlines()
    assert apistellar_web.__version__ == metadata.version("apistellar-web")
    for command in (("apistellar", "routes"), ("apistellar", "serve")):
        result = run(*command, cwd=tmp_path)
        assert result.returncode == 2 and "No apistellar project in" in result.stderr
        assert "Traceback" not in result.stderr


def test_templates_option_replaces_a_builtin_task(tmp_path):
    custom = tmp_path / "custom" / "service"
    custom.mkdir(parents=True)
    (custom / "controller.py.tmpl").write_text(
        "# {{ class_name }} {{ module_name }} {{ father }}\n"
    )
    result = run(
        "apistellar", "create", "service", "-t", str(tmp_path / "custom"), "a-b", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a_b" / "controller.py").read_text() == "# AB a_b Controller\n"
    assert not (tmp_path / "a_b" / "service.py").exists()
