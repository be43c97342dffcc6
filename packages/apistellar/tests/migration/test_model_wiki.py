"""model的使用方法.md: defining models, creating them from mappings and objects, format()
and to_dict(), nested and recursive models, Proxy fields and the custom ``BaseFormat``
recipe (a ``tags`` format) -- in-process, then bound to handlers served by uvicorn."""

import datetime
import json
import time
from collections.abc import Sequence

import pytest
from apistar.exceptions import ValidationError

from apistellar import Type, TypeEncoder, validators
from apistellar.types.formats import FORMATS, BaseFormat


class Book(Type):
    name = validators.String(pattern=r"<<.*?>>")
    publisher = validators.String(enum=["新华出版社", "人民教育出版社", "人民邮电出版社"])
    author = validators.String(max_length=20)
    publish_date = validators.Date()
    page_num = validators.Integer(minimum=100)
    price = validators.Number(default=int)
    sale_per_count = validators.Integer(multiple_of=2)
    created_at = validators.DateTime(default=datetime.datetime.now)
    on_sale = validators.Boolean(default=True)
    description = validators.String(allow_null=True)


def make_book():
    """The page's creation: a raw mapping, then attribute assignment."""
    book = {
        "page_num": 628,
        "price": 139.00,
        "sale_per_count": 2,
        "created_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "on_sale": True,
        "description": None,
    }
    book = Book(book)
    book.name = "<<流畅的python>>"
    book.publisher = "人民邮电出版社"
    book.author = "Luciano Ramalho"
    book.publish_date = "2017-5-15"
    return book


def test_book_from_a_mapping_formats_and_dumps():
    """model对象创建 / 获取有效的的model: format() validates, to_dict() and json.dumps with
    TypeEncoder give JSON -- the page passes ``cls=TypeEncoder()``, an instance, which a
    json.JSONEncoder class cannot take; ours accepts it."""
    book = make_book()
    assert book.publish_date == datetime.date(2017, 5, 15)
    book.format()
    jsonobj = book.to_dict()
    assert jsonobj["publish_date"] == "2017-05-15" and jsonobj["price"] == 139.0
    assert datetime.datetime.fromisoformat(jsonobj["created_at"]).year >= 2024
    assert jsonobj["on_sale"] is True and jsonobj["description"] is None
    assert json.loads(json.dumps(book, cls=TypeEncoder())) == jsonobj
    assert json.loads(json.dumps(book, cls=TypeEncoder)) == jsonobj


def test_book_defaults_are_validated_by_format():
    """``price = Number(default=int)``: format() runs the default through the validator, so
    it is 0.0, a float (issue 10, defect 7: ours stored the int 0 unvalidated)."""
    book = make_book()
    del book["price"]
    book.format()
    assert book.price == 0.0 and isinstance(book.price, float)
    assert isinstance(book.created_at, datetime.datetime)


def test_book_from_an_object():
    """或者通过传入一个对象的形式创建: declared fields are read from the object's
    attributes; format() then reports what is missing."""

    class A:
        def __init__(self):
            self.name = "<<流畅的python>>"
            self.publisher = "人民邮电出版社"
            self.author = "Luciano Ramalho"

    book = Book(A())
    assert (book.name, book.author) == ("<<流畅的python>>", "Luciano Ramalho")
    with pytest.raises(ValidationError) as info:
        book.format()
    assert set(info.value.detail) == {"publish_date", "page_num", "sale_per_count"}


def test_book_validation_errors():
    """The validations the page's comments describe: pattern, enum, length, minimum,
    multiple_of."""
    book = make_book()
    for field, value, code in [
        ("name", "流畅的python", "pattern"),
        ("publisher", "某出版社", "enum"),
        ("author", "x" * 21, "max_length"),
        ("page_num", 99, "minimum"),
        ("sale_per_count", 3, "multiple_of"),
    ]:
        with pytest.raises(ValidationError) as info:
            setattr(book, field, value)
        assert info.value.detail[field].code == code


class Name(Type):
    first_name = validators.String()
    last_name = validators.String()
    full_name = validators.Ref("Name", allow_null=True)

    @classmethod
    def allow_null(cls):
        return True


class Tape(Type):
    hours = validators.Integer()
    name = validators.String()


class Pad(Type):
    wight = validators.Number()
    brand = validators.String()


class Employee(Type):
    name = Name
    id = validators.Integer(maximum=32, exclusive_maximum=True)
    lovers = validators.Array(items=validators.Ref("Employee"))
    hobbies = validators.Array(items=[Tape, Pad], additional_items=False)


EMPLOYEE = {
    "name": {"first_name": "Tom", "last_name": "Cat", "full_name": None},
    "id": 13,
    "lovers": [
        {
            "name": {
                "first_name": "Bill",
                "last_name": "Gate",
                "full_name": {"first_name": "bill", "last_name": "gate"},
            },
            "id": 1,
            "lovers": [],
            "hobbies": [{"hours": 2, "name": "my heart will go on "}],
        }
    ],
    "hobbies": [{"hours": 3, "name": "audio"}, {"wight": 3, "brand": "apple"}],
}


def test_nested_and_recursive_models():
    """advance: a bare nested model (``name = Name``), self references with Ref, arrays of
    models by position. [bug] 14: a bare nested Type crashed class creation in the
    original; it is a Proxy here, nullable because Name's ``allow_null()`` says so."""
    e = Employee(EMPLOYEE, force_format=True)
    assert isinstance(e.lovers[0], Employee)
    assert e.lovers[0].name.full_name.first_name == "bill"
    assert e.name.full_name is None
    assert isinstance(e.hobbies[0], Tape) and isinstance(e.hobbies[1], Pad)
    assert e.hobbies[1].wight == 3.0
    assert Employee({**EMPLOYEE, "name": None}, force_format=True).name is None
    with pytest.raises(ValidationError) as info:
        Employee({**EMPLOYEE, "id": 32}, force_format=True)
    assert info.value.detail["id"].code == "exclusive_maximum"
    with pytest.raises(ValidationError) as extra:
        Employee({**EMPLOYEE, "hobbies": [*EMPLOYEE["hobbies"], {"hours": 1}]}).format()
    assert extra.value.detail["hobbies"].code == "additional_items"


def test_ref_with_a_string_default_cannot_validate():
    """The page declares ``full_name = Ref("Name", default="全名")``: a missing full name
    falls back to the string, which is no Name -- the original rejected it too ("Must be
    an object."); the error names the nested field."""

    class Named(Type):
        first_name = validators.String()
        full_name = validators.Ref("Named", default="全名")

    with pytest.raises(ValidationError) as info:
        Named({"first_name": "Tom", "full_name": None}, force_format=True)
    assert info.value.detail == {"full_name": "Must be an object."}


class Ipad(Pad):
    brand = validators.String(enum=["apple"])
    price = validators.Union([validators.Number(), validators.String()])


class Box(Type):
    ipads = validators.Array(items=Ipad)


def test_overridden_fields_and_unions():
    """advance: a subclass overrides a field and adds a Number|String union."""
    box = {
        "ipads": [
            {"wight": 10.1, "brand": "apple", "price": 10.0},
            {"wight": 10.1, "brand": "apple", "price": "拾圆整"},
        ]
    }
    b = Box(box, force_format=True)
    assert b.ipads[1].price == "拾圆整" and b.ipads[0].price == 10.0
    assert list(Ipad.fields) == ["wight", "brand", "price"]
    with pytest.raises(ValidationError):
        Box({"ipads": [{"wight": 1, "brand": "pear", "price": 1}]}, force_format=True)


class Subject(Type):
    id = validators.String(allow_null=True)


class Student(Type):
    name = validators.String()
    subject = validators.Proxy(Subject, allow_null=True)


class Teacher(Type):
    name = validators.String()
    subject = validators.Proxy(Subject, default=Subject)


def test_proxy_fields():
    """使用Proxy代理一个model子类: a nullable Proxy, and one whose default is the class."""
    student = Student(name="ann")
    student.format()
    assert student.subject is None
    teacher = Teacher(name="bob")
    teacher.format()
    assert isinstance(teacher.subject, Subject) and teacher.subject.id is None
    assert teacher.to_dict() == {"name": "bob", "subject": {"id": None}}


class TagsFormat(BaseFormat):
    type = list
    name = "tags"

    def is_native_type(self, value):
        return isinstance(value, self.type)

    def validate(self, value):
        if isinstance(value, str):
            return value.split(",")
        if isinstance(value, bytes):
            return value.decode().split(",")
        if isinstance(value, Sequence):
            return list(value)
        raise ValidationError("Must be a valid tags.")

    def to_string(self, value):
        if isinstance(value, str):
            value = value.split(",")
        return ",".join(value)


class Tags(validators.String):
    def __init__(self, **kwargs):
        super().__init__(format="tags", **kwargs)


class Post(Type):
    title = validators.String()
    tags = Tags()


@pytest.fixture(scope="module", autouse=True)
def tags_format():
    """The recipe registers ``tags`` process-wide: drop it after this module."""
    yield
    FORMATS.pop("tags", None)


def test_custom_format_recipe():
    """自定义格式化类: a ``tags`` field takes "git,python", reads as a list after format()
    and serialises back to the joined string; a list is accepted as it is."""
    post = Post({"title": "t", "tags": "git,python"})
    assert post.to_dict() == {"title": "t", "tags": "git,python"}  # raw before format()
    post.format()
    assert post.tags == ["git", "python"]
    assert post["tags"] == "git,python"
    assert post.to_dict() == {"title": "t", "tags": "git,python"}
    assert json.loads(json.dumps(post, cls=TypeEncoder)) == {"title": "t", "tags": "git,python"}
    listed = Post(title="t", tags=["a", "b"])
    listed.format()
    assert listed.tags == ["a", "b"]
    with pytest.raises(ValidationError) as info:
        Post(title="t", tags=3).format()
    assert info.value.detail["tags"].code == "type"


# -- the same models bound to handlers -----------------------------------------------------
MODELS = """
    import datetime

    from collections.abc import Sequence

    from apistar.exceptions import ValidationError

    from apistellar import Type, validators
    from apistellar.types.formats import BaseFormat


    class TagsFormat(BaseFormat):
        type = list
        name = "tags"

        def is_native_type(self, value):
            return isinstance(value, self.type)

        def validate(self, value):
            if isinstance(value, str):
                return value.split(",")
            if isinstance(value, Sequence):
                return list(value)
            raise ValidationError("Must be a valid tags.")

        def to_string(self, value):
            return ",".join(value)


    class Tags(validators.String):
        def __init__(self, **kwargs):
            super().__init__(format="tags", **kwargs)


    class Book(Type):
        name = validators.String(pattern=r"<<.*?>>")
        publish_date = validators.Date()
        page_num = validators.Integer(minimum=100)
        price = validators.Number(default=int)
        on_sale = validators.Boolean(default=True)
        tags = Tags(default="python")
        created_at = validators.FormatDateTime(format="%Y/%m/%d", default="2018/01/02")
"""

CONTROLLER = """
    from apistar import http

    from apistellar import Controller, post, route

    from .book import Book


    @route("/book", name="book")
    class BookController(Controller):

        @post("/create")
        def create(self, book: Book):
            book.format(allow_coerce=True)
            return {
                "book": book,
                "native": {
                    "tags": book.tags,
                    "price": type(book.price).__name__,
                    "created_at": book.created_at.isoformat(),
                },
            }

        @post("/raw")
        def raw(self, data: http.RequestData):
            book = Book(data)
            return {"before_format": book.to_dict(), "repr": repr(book)}
"""


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("model"),
        "shelf",
        {"shelf/book/book.py": MODELS, "shelf/book/controller.py": CONTROLLER},
    )
    with migration.serve(project) as server:
        yield server


def test_model_bound_from_a_json_body(served):
    """A handler's ``book: Book`` is built from the body; the defaults are validated
    (FormatDateTime string default -> datetime, ``Number(default=int)`` -> 0.0, the tags
    default -> a list) and the response serialises the model. The original handed the
    handler an unformatted model (F27); ours arrives formatted (with coercion), so the
    handler's own ``format()`` is a no-op and its result is the same."""
    with served.client() as client:
        response = client.post(
            "/book/create",
            json={"name": "<<a>>", "publish_date": "2017-5-15", "page_num": 628},
        )
        assert response.status_code == 200, served.output()
        assert response.json() == {
            "book": {
                "name": "<<a>>",
                "publish_date": "2017-05-15",
                "page_num": 628,
                "price": 0.0,
                "on_sale": True,
                "tags": "python",
                "created_at": "2018/01/02",
            },
            "native": {"tags": ["python"], "price": "float", "created_at": "2018-01-02T00:00:00"},
        }


def test_model_bound_from_a_form_with_coercion(served):
    """A url-encoded form: strings, coerced by ``format(allow_coerce=True)``."""
    with served.client() as client:
        body = client.post(
            "/book/create",
            data={
                "name": "<<b>>",
                "publish_date": "2020-1-2",
                "page_num": "300",
                "on_sale": "off",
                "tags": "git,python",
                "price": "9.5",
            },
        ).json()
        assert body["book"]["page_num"] == 300 and body["book"]["on_sale"] is False
        assert body["native"]["tags"] == ["git", "python"] and body["book"]["price"] == 9.5


def test_unformatted_model_shows_raw_values(served):
    """A model built by hand in a handler: to_dict() and repr before format() give the data
    as sent, even for format fields (issue 10, defect 7: ours crashed in the date
    format's to_string)."""
    with served.client() as client:
        body = client.post("/book/raw", json={"publish_date": "not a date", "tags": 3}).json()
        assert body == {
            "before_format": {"publish_date": "not a date", "tags": 3},
            "repr": "<Book(publish_date='not a date', tags=3)>",
        }, served.output()


def test_invalid_model_is_a_400(served):
    """Invalid data for a model parameter: the original built the model unvalidated and the
    handler's format() raised, a 999 error envelope (or, when construction failed, handed
    the raw data over: [bug] 19). Ours validates at binding -- bad input is a 400 HTTP
    envelope with the same field messages, and the handler never runs."""
    with served.client() as client:
        response = client.post("/book/create", json={"name": "plain", "page_num": 1})
        body = response.json()
        assert response.status_code == 400 and (body["type"], body["code"]) == ("http", 400)
        assert body["message"]["name"] == "Must match the pattern /<<.*?>>/."
        assert body["message"]["publish_date"] == 'The "publish_date" field is required.'
        assert body["message"]["page_num"] == "Must be greater than or equal to 100."
