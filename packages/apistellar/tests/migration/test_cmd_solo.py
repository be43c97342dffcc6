"""solo任务(离线任务).md (offline tasks) and the original's ``solo/`` and
``templates/solo``: ``apistar-create solo`` in the project folder, the generated
``solo_app.py`` and ``apistellar solo``, all as subprocesses."""

import re

import pytest

SERVICE = """
    from apistellar import Service


    class ArticleService(Service):

        async def load(self, id):
            return f"article {id}: static ip on a raspberry pi"
"""

# The page's Searcher: an __init__ taking its option, run() using the project's code.
SEARCHER = """
    import asyncio

    from apistellar import Solo

    from ..article.service import ArticleService


    class Searcher(Solo):

        def __init__(self, id, **kwargs):
            super(Searcher, self).__init__(**kwargs)
            self.id = id

        async def setup(self):
            self.logger.info("searcher set up")

        async def run(self, articles: ArticleService):
            print(await articles.load(self.id), flush=True)
            self.tasks.append(asyncio.ensure_future(asyncio.sleep(0, result="indexed 1 page")))
            await asyncio.sleep(0.05)

        async def teardown(self):
            pass

        @classmethod
        def enrich_parser(cls, sub_parser):
            sub_parser.add_argument("-i", "--id", help="the article's key")
"""

LOG_LINE = r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{3} \S+\[line:\d+\] (INFO|WARNING): "


@pytest.fixture(scope="module")
def blog(migration, tmp_path_factory):
    """The page's steps: ``apistar-create solo searcher``, then ``test1 test2`` answering
    ``n`` to overwriting the shared ``solo_app.py``, then the Searcher written."""
    project = migration.write_project(
        tmp_path_factory.mktemp("solo"), "blog", {"blog/article/service.py": SERVICE}
    )
    first = migration.run_command("apistar-create", "solo", "searcher", cwd=project)
    assert first.returncode == 0, first.stderr
    (project / "solo_app.py").write_text(
        (project / "solo_app.py").read_text() + "# kept by the user\n"
    )
    more = migration.run_command(
        "apistar-create", "solo", "test1", "test2", cwd=project, input="n\nn\n"
    )
    assert more.returncode == 0, more.stderr
    migration.write_tree(project, {"blog/searcher/solo.py": SEARCHER})
    return project, more


def test_one_solo_app_is_shared_and_kept(blog):
    """The page: two prompts for the shared solo_app.py, answered ``n``; it is kept."""
    project, more = blog
    assert more.stdout.count("solo_app.py exists, overwrite? y/n") == 2
    assert "kept solo_app.py (exists; --force overwrites)" in more.stdout
    assert "# kept by the user" in (project / "solo_app.py").read_text()
    for name in ("test1", "test2"):
        stub = (project / "blog" / name / "solo.py").read_text()
        assert f"class {name.capitalize()}(Solo):" in stub
        assert "async def teardown(self):" in stub and "def enrich_parser(cls, sub_parser):" in stub


def test_solo_app_help_lists_every_solo(migration, blog):
    """The page: ``python solo_app.py -h`` lists the solos and each one's usage."""
    project, _ = blog
    helped = migration.run_command("python", "solo_app.py", "-h", cwd=project)
    assert helped.returncode == 0
    for name in ("searcher", "test1", "test2"):
        assert f"Command '{name}'" in helped.stdout
    assert "usage: solo_app.py searcher [-h] [--settings SETTINGS] [-i ID]" in helped.stdout


def test_solo_app_without_arguments_fails(migration, blog):
    """Defect 7 (fixed): the generated solo_app.py calls ``start()`` with no sys.exit;
    with no arguments it prints the help and the process exits with 1 (F74)."""
    project, _ = blog
    result = migration.run_command("python", "solo_app.py", cwd=project)
    assert result.returncode == 1 and "Command 'searcher'" in result.stdout


def test_the_searcher_runs_with_the_projects_service(migration, blog):
    """The page: ``python solo_app.py searcher -i 20170710214424`` prints the article
    between ``Starting worker [pid]`` and ``Stopping [pid]`` log lines in the page's
    format; a background task's result is logged (F74)."""
    project, _ = blog
    result = migration.run_command(
        "python", "solo_app.py", "searcher", "-i", "20170710214424", cwd=project
    )
    assert result.returncode == 0, result.stderr
    assert "article 20170710214424: static ip on a raspberry pi" in result.stdout
    lines = result.stderr.splitlines()
    started = [line for line in lines if "Starting worker [" in line]
    stopped = [line for line in lines if "Stopping [" in line]
    assert started and stopped and re.match(LOG_LINE, started[0]) and re.match(LOG_LINE, stopped[0])
    assert "searcher set up" in result.stderr and "indexed 1 page" in result.stderr


def test_apistellar_solo_lists_the_projects_solos(migration, blog):
    """Defect 7 (fixed): ``apistellar solo -h`` lists the project's solos as
    ``solo_app.py -h`` does."""
    project, _ = blog
    helped = migration.run_command("apistellar", "solo", "-h", cwd=project)
    assert helped.returncode == 0, helped.stderr
    assert "Command 'searcher'" in helped.stdout and "Command 'test2'" in helped.stdout
    bare = migration.run_command("apistellar", "solo", cwd=project)
    assert bare.returncode == 1 and "Command 'test1'" in bare.stdout


def test_apistellar_solo_configures_logging(migration, blog):
    """Defect 7 (fixed): ``apistellar solo`` logs at INFO in solo_app.py's format, so the
    solo's ``self.logger.info`` lines and background results appear; ``--log-level``."""
    project, _ = blog
    result = migration.run_command("apistellar", "solo", "searcher", "-i", "7", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "article 7:" in result.stdout
    info = [line for line in result.stderr.splitlines() if "searcher set up" in line]
    assert info and re.match(LOG_LINE, info[0])
    assert "indexed 1 page" in result.stderr
    quiet = migration.run_command(
        "apistellar", "solo", "--log-level", "warning", "searcher", "-i", "7", cwd=project
    )
    assert quiet.returncode == 0, quiet.stderr
    # the normal stop is INFO (the original: WARNING), so --log-level warning hides it too
    assert "searcher set up" not in quiet.stderr and "Stopping [" not in quiet.stderr


def test_a_failing_solo_fails_the_process(migration, tmp_path):
    """F74 logged ``Error in main coroutine`` and still exited 0; the error is logged and
    the exit status is 1 (improved), teardown still runs."""
    project = migration.write_project(
        tmp_path,
        "jobs",
        {
            "jobs/nightly/solo.py": """
                from apistellar import Solo


                class Nightly(Solo):
                    async def setup(self):
                        pass

                    async def run(self):
                        raise ValueError("the source is gone")

                    async def teardown(self):
                        print("teardown ran", flush=True)
            """
        },
    )
    assert migration.run_command("apistar-create", "solo", "other", cwd=project).returncode == 0
    result = migration.run_command("python", "solo_app.py", "nightly", cwd=project)
    assert result.returncode == 1
    assert "Error in main coroutine" in result.stderr and "the source is gone" in result.stderr
    assert "teardown ran" in result.stdout
