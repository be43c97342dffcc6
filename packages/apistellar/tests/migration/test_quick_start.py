"""Quick-Start.md: a project in the original layout, one controller, served by uvicorn."""

import pytest


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("quick"),
        "quick",
        {
            "quick/greet/controller.py": """
                from apistellar import Controller, route, get


                @route("/greet", name="greet")
                class GreetController(Controller):

                    @get("/hello")
                    def hello(self, name: str = "world"):
                        return {"hello": name}
            """,
        },
    )
    with migration.serve(project) as server:
        yield server


def test_first_controller_answers(served):
    """Quick-Start.md: a controller in the project package is found and its route answers."""
    with served.client() as client:
        assert client.get("/greet/hello", params={"name": "ann"}).json() == {"hello": "ann"}
        assert client.get("/greet/hello").json() == {"hello": "world"}
