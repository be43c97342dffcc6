"""自定义项目构建任务.md (custom build tasks) and the original's ``build/tasks.py``: tasks
written the original's way in a project's ``tasks.py``, and ``-t DIR`` over the built-in
tasks, run as ``apistar-create`` subprocesses."""

from pathlib import Path

import pytest

# The wiki's ModuleTask idiom: validate_name's words reach enrich_kwargs, -n NAME as a list.
ENTITY_TASK = '''
from apistellar import validators
from apistellar.build.tasks import ModuleTask, Task


class Entity(ModuleTask):
    """entity layer"""

    @staticmethod
    def to_list(val):
        return [val]

    def enrich_kwargs(self, name):
        super().enrich_kwargs(name)
        fields = [f.split(":", 1) for f in self.kwargs.get("fields", [])]
        types = dict()
        for p in dir(validators):
            obj = getattr(validators, p)
            if isinstance(obj, type) and issubclass(obj, validators.Validator):
                types[obj.__name__.lower()] = obj.__name__
        new_fields = []
        for k, v in fields[:]:
            new_fields.append((k, types.get(v.lower(), "")))
        self.kwargs["fields"] = new_fields
        self.kwargs["dirname"] = self.kwargs.get("path") or self.kwargs["dirname"]

    @classmethod
    def enrich_parser(cls, sub_parser):
        sub_parser.add_argument("-n", "--name", required=True, type=cls.to_list)
        sub_parser.add_argument("-p", "--path")
        sub_parser.add_argument("fields", nargs="*")


class Page(Task):
    """pages, with the original's create() that pops task and name"""

    def create(self, env, **kwargs):
        task = kwargs.pop("task")
        names = kwargs.pop("name", [])
        self.kwargs.update(kwargs)
        for name in names:
            self.enrich_kwargs(self.validate_name(name))
            self.copytree(env, task)
        print("、".join(names), "已创建。")

    def validate_name(self, name):
        assert name.islower(), f"page name {name} must be lower case"
        return name

    def enrich_kwargs(self, name):
        super().enrich_kwargs(name)
        self.kwargs["title"] = name.title()
        self.kwargs["dirname"] = "pages"

    @classmethod
    def enrich_parser(cls, sub_parser):
        sub_parser.add_argument("name", nargs="+")


class Note(Task):
    """notes; adds -l as the original's Document task did"""

    @classmethod
    def enrich_parser(cls, sub_parser):
        sub_parser.add_argument("name", nargs=1)
        sub_parser.add_argument("-l", "--location", default="notes")


class Broken(Task):
    """a task with a bug of its own"""

    def enrich_kwargs(self, name):
        self.kwargs["dirname"] = self.kwargs["no_such_option"]
'''

TEMPLATES = {
    "templates/entity/${module_name}.py.tmpl": """
        from apistellar import Type, validators


        class {{ class_name }}(Type):
        {% for name, kind in fields %}    {{ name }} = validators.{{ kind }}()
        {% endfor %}
    """,
    "templates/page/${name}.md.tmpl": "# {{ title }}\n",
    "templates/broken/x.tmpl": "x\n",
    "templates/note/${name}.txt.tmpl": "{{ name }}\n",
}


@pytest.fixture(scope="module")
def folder(migration, tmp_path_factory):
    """A project package folder with its tasks.py and templates/ (the wiki's layout)."""
    root = tmp_path_factory.mktemp("tasks")
    return migration.write_tree(root, {"tasks.py": ENTITY_TASK, **TEMPLATES})


def test_a_module_task_written_as_the_wiki_shows(migration, folder):
    """The wiki's Model task (here ``Entity``: ``model`` is built in and wins): ``-n`` as a
    list, fields mapped to validator classes, ``-p`` as the destination."""
    result = migration.run_command(
        "apistar-create",
        "entity",
        "-n",
        "blog-post",
        "-p",
        "posts",
        "id:integer",
        "title:string",
        cwd=folder,
    )
    assert result.returncode == 0, result.stderr
    written = (folder / "posts" / "blog_post.py").read_text()
    assert "class BlogPost(Type):" in written
    assert "    id = validators.Integer()" in written and "title = validators.String()" in written
    assert f"created {Path('posts') / 'blog_post.py'}" in result.stdout


def test_the_originals_create_override_with_a_positional_name(migration, folder):
    """Defect 2 (fixed): a positional ``name`` and a ``create`` popping ``task`` and
    ``name`` as the original's Document task did; its own summary line is printed."""
    result = migration.run_command("apistar-create", "page", "about", "faq", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert (folder / "pages" / "about.md").read_text() == "# About\n"
    assert (folder / "pages" / "faq.md").read_text() == "# Faq\n"
    assert "about、faq 已创建。" in result.stdout


def test_a_tasks_own_option_wins_over_a_common_one(migration, folder):
    """The original's Document task added ``-l/--location``; the command's own ``-l`` gives
    way to it instead of failing."""
    result = migration.run_command("apistar-create", "note", "todo", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert (folder / "notes" / "todo" / "todo.txt").read_text() == "todo\n"


def test_assertions_of_a_task_are_messages_not_tracebacks(migration, folder):
    """F76: a failed validation is an assertion whose message is printed instead of a
    traceback; the command fails."""
    result = migration.run_command("apistar-create", "page", "Home", cwd=folder)
    assert result.returncode != 0
    assert "page name Home must be lower case" in result.stderr
    assert "Traceback" not in result.stderr and not (folder / "pages" / "Home.md").exists()


def test_a_tasks_own_bug_is_one_line_naming_it(migration, folder):
    """Never a traceback for a user error: a KeyError in the user's task is named with its
    file and line."""
    result = migration.run_command("apistar-create", "broken", "x", cwd=folder)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "the task 'broken' failed: KeyError: 'no_such_option'" in result.stderr
    assert "tasks.py, line" in result.stderr


@pytest.fixture(scope="module")
def custom(migration, tmp_path_factory):
    """A ``-t`` folder overriding the built-in service, project and solo templates, the
    last one in the original's own layout (``${back_trace}solo_app.py.tmpl``)."""
    return migration.write_tree(
        tmp_path_factory.mktemp("custom_templates"),
        {
            "service/controller.py.tmpl": """
                # house style
                from apistellar import Controller, route


                @route("/{{ module_name }}")
                class {{ class_name }}Controller({{ father }}):
                    pass
            """,
            "project/NOTES.md.tmpl": "{{ name }}: key of {{ secret_key | length }} chars\n",
            "solo/solo.py.tmpl": """
                from apistellar import Solo


                class {{ class_name }}(Solo):
                    async def setup(self):
                        pass

                    async def run(self):
                        self.logger.info("house solo of {{ project_name }}")

                    async def teardown(self):
                        pass
            """,
            "solo/${back_trace}solo_app.py.tmpl": """
                import os

                from apistellar import SoloManager

                # house solo_app
                SoloManager("{{ project_name }}", current_dir=os.path.dirname(__file__)).start()
            """,
        },
    )


def test_t_dir_wins_over_the_builtin_service(migration, custom, tmp_path):
    """Defect 3 (fixed), F76: ``DIR/service/`` replaces the built-in folder, rendered with
    the task's variables; only its files are written."""
    result = migration.run_command(
        "apistar-create", "service", "-t", str(custom), "order-line", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    controller = (tmp_path / "order_line" / "controller.py").read_text()
    assert controller.startswith("# house style")
    assert "class OrderLineController(Controller)" in controller
    assert '@route("/order_line")' in controller
    assert not (tmp_path / "order_line" / "service.py").exists()


def test_t_dir_without_the_task_falls_back_to_the_builtin(migration, custom, tmp_path):
    """F76: the root used is the first that has the task's folder: no ``DIR/model/``."""
    result = migration.run_command(
        "apistar-create",
        "model",
        "-t",
        str(custom),
        "-n",
        "item",
        "-p",
        ".",
        "sku:string",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "sku = validators.String()" in (tmp_path / "item.py").read_text()


def test_t_dir_for_project_and_solo(migration, custom, tmp_path):
    """``-t`` for ``project`` (its variables: name, secret_key) and for ``solo`` with the
    original's template layout: solo.py in the package, solo_app.py next to web_app.py."""
    project = migration.run_command(
        "apistar-create", "project", "-t", str(custom), "shop", cwd=tmp_path
    )
    assert project.returncode == 0, project.stderr
    assert (tmp_path / "shop" / "NOTES.md").read_text() == "shop: key of 64 chars\n"
    assert not (tmp_path / "shop" / "src").exists()
    app_dir = migration.write_project(tmp_path, "depot", {})
    solo = migration.run_command(
        "apistar-create", "solo", "-t", str(custom), "restock", cwd=app_dir
    )
    assert solo.returncode == 0, solo.stderr
    assert "house solo of depot" in (app_dir / "depot" / "restock" / "solo.py").read_text()
    assert "# house solo_app" in (app_dir / "solo_app.py").read_text()
    ran = migration.run_command("python", "solo_app.py", "restock", cwd=app_dir)
    assert ran.returncode == 0, ran.stderr
