"""``app.openapi()``: OpenAPI 3.1 from routes, models, typed parameters and docstrings.

Every document is checked by ``openapi-spec-validator``; model schemas are also checked
against the validators themselves with ``jsonschema`` (Draft 2020-12): what the model
accepts, the schema accepts, and the reverse for the values tried.
"""

import enum
import typing

import jsonschema
import pytest
from apistar import http
from apistar import types as apistar_types
from apistar import validators as apistar_validators
from apistar.exceptions import ValidationError
from openapi_spec_validator import validate
from referencing import Registry, Resource

from apistellar_web import (
    Controller,
    Cookie,
    FileStream,
    FormParam,
    Type,
    UrlEncodeForm,
    get,
    post,
    return_wrapped,
    route,
    validators,
    websocket,
)
from apistellar_web.openapi import build_openapi, type_schema
from apistellar_web.openapi.schema import Components


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Author(Type):
    """Who wrote it."""

    name = validators.String(min_length=1, max_length=20, description="the pen name")
    email = validators.String(pattern=r"^[^@]+@[^@]+$", allow_null=True)


class Book(Type):
    """A book.

    :param title: what it is called
    """

    title = validators.String(max_length=10)
    pages = validators.Integer(minimum=1, maximum=5000, default=100)
    price = validators.Number(minimum=0, exclusive_minimum=True, multiple_of=0.5)
    kind = validators.String(enum=["novel", "essay"], default="novel")
    colour = validators.Exchange(cast=Colour, allow_null=True)
    published = validators.Date(allow_null=True)
    author = Author
    tags = validators.Array(items=validators.String(), max_items=3, unique_items=True, default=[])
    sequel = validators.Ref("Book", allow_null=True)
    rating = validators.Integer() | validators.String(enum=["n/a"])
    strict_pair = validators.Array(
        items=[validators.Integer(), validators.Boolean()],
        additional_items=False,
        default=[1, True],
    )


class Legacy(apistar_types.Type):
    code = apistar_validators.String(max_length=4)
    when = apistar_validators.DateTime(allow_null=True)


@route("/books", name="books")
class BookController(Controller):
    """The bookshop

    Books, read and written.
    """

    @get("/{book_id}")
    async def one(self, book_id: int, lang: str = "en", full: bool = False) -> Book:
        """Read one book.

        It comes with its author.

        :param book_id: its number
        :ex book_id: `7`
        :param lang: a language
        :ex lang: `en`
        :ex lang: `zh`
        :return: the book
        :return: `{"title": "Dune"}`
        """
        return Book(title="x")

    @get("/file/{+path}")
    async def by_path(self, path: str, limit: http.QueryParam = None) -> dict:
        """A file.

        :type limit: int
        """
        return {}

    @post("/")
    async def add(self, book: Book) -> Book:
        """Add a book.

        :param book: the book
        :ex book: `{"title": "Dune", "price": 9.5, "author": {"name": "F"}, "rating": 5}`
        """
        return book

    @post("/legacy")
    async def legacy(self, item: Legacy) -> list[Legacy]:
        return [item]

    @post("/form")
    async def form(self, author: Author, note: FormParam = "none") -> dict:
        """A form.

        :type author: form
        """
        return {}

    @post("/upload")
    async def upload(self, stream: FileStream, caption: FormParam) -> dict:
        """Upload pictures.

        :param file: the pictures
        """
        return {}

    @post("/raw")
    async def raw(self, data: http.RequestData) -> typing.Any:
        return data

    @post("/urlencoded")
    async def urlencoded(self, form: UrlEncodeForm) -> dict:
        """:ex form: `{"a": "1", "b": 2}`"""
        return {}

    @get("/search")
    async def search(self, query: Author, token: http.Header, sid: Cookie = "") -> list[Book]:
        """Search by author (a model read from the query)."""
        return []

    @get("/wrapped")
    @return_wrapped(success_code=0, success_key_name="data", error_info={404: "no such book"})
    async def wrapped(self) -> list[Book]:
        return []

    @get("/page")
    def page(self) -> str:
        return "<p>hi</p>"

    @get("/count")
    async def count(self, shelf=None):  # noqa: ANN001, ANN201 - as many original handlers
        """How many books.

        :param shelf: which shelf
        :type shelf: int
        :return: the number
        :rtype: int
        :raises LookupError: no such shelf
        """
        return 3

    @get("/hidden", documented=False)
    def hidden(self) -> dict:
        return {}

    @websocket("/ws")
    async def ws(self, message: typing.Any) -> None:
        return None


@pytest.fixture(scope="module")
def document():
    from apistellar_web import Application

    app = Application("shop", controllers=[BookController], discover=False, settings_path=None)
    result = app.openapi()
    validate(result)
    return result


def _schema_of(document, name):
    """A component schema with its references resolvable, for jsonschema."""
    resource = Resource.from_contents(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}
    )
    registry = Registry().with_resource("urn:doc", resource)
    schema = {"$ref": f"urn:doc#/components/schemas/{name}"}
    return jsonschema.Draft202012Validator(schema, registry=registry)


def test_the_document_is_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"] == {"title": "shop", "version": "0.1.0"}
    assert document["tags"] == [{"name": "The bookshop", "description": "Books, read and written."}]
    assert "/books/hidden" not in document["paths"]  # documented=False
    assert "/books/ws" not in document["paths"]  # websockets are no HTTP operations
    assert set(document["paths"]["/books/"]) == {"post"}


def test_operation_ids_tags_and_docstrings(document):
    one = document["paths"]["/books/{book_id}"]["get"]
    assert one["operationId"] == "view.books.one" and one["tags"] == ["The bookshop"]
    assert one["summary"] == "Read one book." and one["description"] == "It comes with its author."
    book_id, lang, full = one["parameters"]
    assert book_id == {
        "name": "book_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer"},
        "description": "its number",
        "example": 7,
    }
    assert lang["in"] == "query" and not lang["required"]
    assert lang["schema"] == {"type": "string", "default": "en"}
    assert lang["examples"] == {"example1": {"value": "en"}, "example2": {"value": "zh"}}
    assert full["schema"] == {"type": "boolean", "default": False}
    success = one["responses"]["200"]
    assert success["description"] == "the book"
    body = success["content"]["application/json"]
    assert body["example"] == {"title": "Dune"}
    assert body["schema"]["anyOf"] == [
        {"$ref": "#/components/schemas/Book"},
        {"$ref": "#/components/schemas/ApplicationError"},
    ]
    assert one["responses"]["4XX"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HTTPError"
    }
    # no docstring: the handler's name is the summary
    assert document["paths"]["/books/legacy"]["post"]["summary"] == "legacy"


def test_spanning_path_and_declared_types(document):
    parameters = document["paths"]["/books/file/{path}"]["get"]["parameters"]
    assert parameters[0]["in"] == "path" and "may contain `/`" in parameters[0]["description"]
    assert parameters[1] == {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer"},
    }


def test_headers_cookies_and_a_model_in_the_query(document):
    search = document["paths"]["/books/search"]["get"]
    by_name = {(p["in"], p["name"]): p for p in search["parameters"]}
    assert by_name[("query", "name")]["required"] is True
    assert by_name[("query", "name")]["schema"]["maxLength"] == 20
    assert by_name[("query", "email")]["required"] is False
    assert by_name[("header", "token")]["required"] is True
    assert by_name[("cookie", "sid")]["required"] is False
    assert "requestBody" not in search
    success = search["responses"]["200"]["content"]["application/json"]["schema"]
    assert success["anyOf"][0] == {"type": "array", "items": {"$ref": "#/components/schemas/Book"}}


def test_request_bodies(document):
    paths = document["paths"]
    add = paths["/books/"]["post"]["requestBody"]
    assert add["required"] is True and add["description"] == "the book"
    assert add["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Book"}
    assert add["content"]["application/json"]["example"]["title"] == "Dune"
    form = paths["/books/form"]["post"]["requestBody"]["content"]
    assert set(form) == {"application/x-www-form-urlencoded", "multipart/form-data"}
    schema = form["application/x-www-form-urlencoded"]["schema"]
    assert schema["allOf"][0] == {"$ref": "#/components/schemas/Author"}
    assert schema["allOf"][1]["properties"]["note"] == {"type": "string", "default": "none"}
    upload = paths["/books/upload"]["post"]["requestBody"]
    assert set(upload["content"]) == {"multipart/form-data"} and upload["required"] is True
    parts = upload["content"]["multipart/form-data"]["schema"]
    assert parts["required"] == ["caption"]
    assert parts["properties"]["file"]["format"] == "binary"  # a file chooser on /docs
    assert parts["properties"]["file"]["description"] == "the pictures"  # :param file:
    assert parts["additionalProperties"]["anyOf"][0]["format"] == "binary"
    raw = paths["/books/raw"]["post"]["requestBody"]
    assert raw["content"]["application/json"]["schema"] == {} and raw["required"] is False
    encoded = paths["/books/urlencoded"]["post"]["requestBody"]["content"]
    assert encoded["application/x-www-form-urlencoded"]["example"] == {"a": "1", "b": 2}


def test_wrapped_html_and_error_envelopes(document):
    wrapped = document["paths"]["/books/wrapped"]["get"]["responses"]["200"]
    assert wrapped["x-error-codes"] == {"404": "no such book"}
    assert "404: no such book" in wrapped["description"]
    inner = wrapped["content"]["application/json"]["schema"]["anyOf"][0]
    assert inner["properties"]["code"] == {"const": 0} and inner["required"] == ["code", "data"]
    assert inner["properties"]["data"]["items"] == {"$ref": "#/components/schemas/Book"}
    page = document["paths"]["/books/page"]["get"]["responses"]["200"]["content"]
    assert page == {"text/html": {"schema": {"type": "string"}}}
    schemas = document["components"]["schemas"]
    assert schemas["ApplicationError"]["properties"]["type"] == {"const": "normal"}
    assert schemas["HTTPError"]["properties"]["type"] == {"const": "http"}


def test_model_components(document):
    schemas = document["components"]["schemas"]
    book = schemas["Book"]
    assert book["title"] == "Book" and book["description"] == "A book."
    properties = book["properties"]
    assert properties["title"] == {"type": "string", "maxLength": 10}
    assert properties["pages"] == {"type": "integer", "minimum": 1, "maximum": 5000, "default": 100}
    assert properties["price"] == {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.5}
    assert properties["kind"] == {"type": "string", "enum": ["novel", "essay"], "default": "novel"}
    assert properties["colour"] == {
        "type": ["string", "null"],
        "enum": ["red", "blue", None],
        "default": None,
    }
    assert properties["published"]["format"] == "date"
    assert properties["author"] == {"$ref": "#/components/schemas/Author"}
    assert properties["tags"]["uniqueItems"] is True and properties["tags"]["maxItems"] == 3
    assert properties["sequel"]["anyOf"] == [
        {"$ref": "#/components/schemas/Book"},
        {"type": "null"},
    ]
    assert properties["rating"]["anyOf"][0] == {"type": "integer"}
    assert properties["strict_pair"]["prefixItems"] == [{"type": "integer"}, {"type": "boolean"}]
    assert properties["strict_pair"]["items"] is False
    assert set(book["required"]) == {"title", "price", "author", "rating"}
    assert schemas["Author"]["properties"]["name"]["description"] == "the pen name"
    legacy = schemas["Legacy"]  # an API Star model
    assert legacy["properties"]["code"] == {"type": "string", "maxLength": 4}
    assert legacy["properties"]["when"]["type"] == ["string", "null"]
    assert legacy["properties"]["when"]["format"] == "date-time"


@pytest.mark.parametrize(
    "value",
    [
        {"title": "Dune", "price": 9.5, "author": {"name": "F"}, "rating": 5},
        {"title": "Dune", "price": 1, "author": {"name": "F", "email": None}, "rating": "n/a"},
        {
            "title": "Dune",
            "price": 2,
            "author": {"name": "F"},
            "rating": 1,
            "sequel": {"title": "Two", "price": 3, "author": {"name": "G"}, "rating": 2},
            "tags": ["a", "b"],
            "colour": "red",
        },
        {"title": "much too long a title", "price": 9.5, "author": {"name": "F"}, "rating": 5},
        {"title": "Dune", "price": 0, "author": {"name": "F"}, "rating": 5},
        {"title": "Dune", "price": 9.25, "author": {"name": "F"}, "rating": 5},
        {"title": "Dune", "price": 9.5, "author": {"name": ""}, "rating": 5},
        {"title": "Dune", "price": 9.5, "author": {"name": "F", "email": "nope"}, "rating": 5},
        {"title": "Dune", "price": 9.5, "author": {"name": "F"}, "rating": "?"},
        {"title": "Dune", "price": 9.5, "author": {"name": "F"}, "rating": 5, "tags": ["a", "a"]},
        {"title": "Dune", "price": 9.5, "author": {"name": "F"}, "rating": 5, "colour": "green"},
        {"title": "Dune", "price": 9.5, "rating": 5},
        {"title": "Dune", "price": 9.5, "author": {"name": "F"}, "rating": 5, "pages": 0},
    ],
)
def test_schemas_agree_with_the_validators(document, value):
    try:
        Book.validate(value)
        accepted = True
    except ValidationError:
        accepted = False
    assert _schema_of(document, "Book").is_valid(value) is accepted


def test_annotations():
    components = Components()
    assert type_schema(int | None, components) == {"type": ["integer", "null"]}
    assert type_schema(dict[str, int], components) == {
        "type": "object",
        "additionalProperties": {"type": "integer"},
    }
    assert type_schema(tuple[int, ...], components) == {
        "type": "array",
        "items": {"type": "integer"},
    }
    assert type_schema(typing.Literal["a", "b"], components) == {"enum": ["a", "b"]}
    assert type_schema(Colour, components) == {"enum": ["red", "blue"]}
    assert type_schema(typing.List[Author], components)["items"] == {  # noqa: UP006
        "$ref": "#/components/schemas/Author"
    }
    assert type_schema(object, components) == {}


def test_models_of_one_name_stay_apart():
    first = type("Item", (Type,), {"a": validators.String(), "__module__": "one"})
    second = type("Item", (Type,), {"b": validators.Integer(), "__module__": "two"})
    components = Components()
    assert components.ref(first) == {"$ref": "#/components/schemas/Item"}
    assert components.ref(second) == {"$ref": "#/components/schemas/two_Item"}
    assert components.schemas["two_Item"]["properties"] == {"b": {"type": "integer"}}


def test_titles_and_versions_from_settings(make_app):
    app = make_app(
        BookController,
        settings=(
            "SECRET_KEY = 'k'\nOPENAPI_TITLE = 'Books'\nOPENAPI_VERSION = '2.1'\n"
            "OPENAPI_DESCRIPTION = 'All of them.'\n"
        ),
    )
    info = app.openapi()["info"]
    assert info == {"title": "Books", "version": "2.1", "description": "All of them."}
    assert build_openapi(app, title="Other")["info"]["title"] == "Other"


def test_sphinx_rtype_raises_and_unannotated_parameters(document):
    count = document["paths"]["/books/count"]["get"]
    assert count["parameters"] == [
        {
            "name": "shelf",
            "in": "query",
            "required": False,
            "schema": {"type": "integer"},
            "description": "which shelf",
        }
    ]
    success = count["responses"]["200"]
    assert success["description"] == "the number Raises: LookupError: no such shelf."
    schema = success["content"]["application/json"]["schema"]
    assert schema["anyOf"][0] == {"type": "integer"}
