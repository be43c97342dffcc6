"""``apistellar openapi``: the document of the project here, printed or written, as a real
subprocess in a project folder."""

import json

import pytest
import yaml
from openapi_spec_validator import validate

CONTROLLER = '''
    from apistellar_web import Controller, Type, get, post, route, validators


    class Pet(Type):
        name = validators.String(max_length=30)


    @route("/pets", name="pets")
    class PetController(Controller):
        """Pets"""

        @get("/{pet_id}")
        async def one(self, pet_id: int) -> Pet:
            """One pet, named «Ünï»."""
            return Pet(name="x")

        @post("/")
        async def add(self, pet: Pet) -> Pet:
            return pet
'''

WEB_APP = """
import os

from apistellar_web import Application

app = Application("petshop", current_dir=os.path.dirname(os.path.abspath(__file__)))
other = "not an app"
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory, write_project):
    root = write_project(tmp_path_factory.mktemp("cli") / "src", "petshop", "pets", CONTROLLER)
    (root / "web_app.py").write_text(WEB_APP)
    return root


@pytest.fixture(scope="module")
def openapi(command):
    return lambda *args, cwd: command("apistellar", "openapi", *args, cwd=cwd)


def test_prints_the_json_document(project, openapi):
    result = openapi(cwd=project)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    validate(document)
    assert document["info"]["title"] == "petshop"
    assert document["paths"]["/pets/{pet_id}"]["get"]["summary"] == "One pet, named «Ünï»."
    assert "«Ünï»" in result.stdout  # written as text, not escaped
    assert document["components"]["schemas"]["Pet"]["properties"]["name"]["maxLength"] == 30


def test_writes_yaml_to_a_file(project, openapi, tmp_path):
    target = tmp_path / "openapi.yaml"
    result = openapi("--format", "yaml", "-o", str(target), cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    document = yaml.safe_load(target.read_text(encoding="utf-8"))
    validate(document)
    assert list(document)[:2] == ["openapi", "info"]  # the document's own order
    printed = openapi("--app", "web_app:app", "--format", "json", cwd=project)
    assert json.loads(printed.stdout) == document


def test_another_folder_and_clear_errors(project, openapi, tmp_path):
    elsewhere = openapi("--app-dir", str(project), cwd=tmp_path)
    assert elsewhere.returncode == 0 and json.loads(elsewhere.stdout)["openapi"] == "3.1.0"
    missing = openapi(cwd=tmp_path)
    assert missing.returncode == 2 and "Cannot import web_app" in missing.stderr
    malformed = openapi("--app", "web_app", cwd=project)
    assert malformed.returncode == 2 and "module:attribute" in malformed.stderr
    not_app = openapi("--app", "web_app:other", cwd=project)
    assert not_app.returncode == 2 and "not an apistellar Application" in not_app.stderr
    absent = openapi("--app", "web_app:nothing", cwd=project)
    assert absent.returncode == 2 and "no attribute 'nothing'" in absent.stderr
    wrong = openapi("--format", "xml", cwd=project)
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr
