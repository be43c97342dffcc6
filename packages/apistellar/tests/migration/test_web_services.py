"""service的使用方法.md, test_service_inject.py, test_bases/test_service.py, test_model_inject.py.

The service page: a ``Service`` subclass declares request-scoped dependencies with
``inject << T`` and is injected into actions (created implicitly), or is created once
in a controller's ``__init__`` (then nothing is injected). The original's tests called
the generated ``resolve`` by hand, positionally, and read its ``__annotations__``;
``ModelFactory.resolve`` filled the model's ``inject`` attributes the same way.
"""

import asyncio
import typing

import pytest

from apistellar import Service, inject
from apistellar.bases.exceptions import Readonly
from apistellar.bases.model_factory import ModelFactory

CONTROLLER = """
    from apistar import http
    from apistellar import Controller, Service, inject, route, get


    class Repository(Service):
        method = inject << http.Method
        path = inject << http.Path

        def where(self):
            return f"{self.method} {self.path}"


    class ArticleService(Service):
        repo = inject << Repository
        agent = inject << http.Header

        def describe(self):
            return {"where": self.repo.where(), "agent": self.agent}


    class PlainService(Service):
        def hello(self):
            return "plain"


    @route("/article")
    class ArticleController(Controller):

        def __init__(self):
            self.plain = PlainService()

        @get("/injected")
        def injected(self, service: ArticleService):
            return service.describe()

        @get("/plain")
        def plain_service(self):
            return self.plain.hello()

        @get("/two")
        def two(self, first: ArticleService, second: ArticleService):
            return {"same": first is second}
"""


@pytest.fixture(scope="module")
def served(migration, tmp_path_factory):
    project = migration.write_project(
        tmp_path_factory.mktemp("services"), "svc", {"svc/article/controller.py": CONTROLLER}
    )
    with migration.serve(project) as server:
        yield server


def test_injected_service_gets_request_values(served):
    """service的使用方法.md: a service injected into an action has its ``inject``
    attributes filled from the request, nested services included."""
    with served.client(headers={"Agent": "probe/1"}) as client:
        assert client.get("/article/injected").json() == {
            "where": "GET /article/injected",
            "agent": "probe/1",
        }


def test_service_created_in_the_controller(served):
    """service的使用方法.md: a service built in ``__init__`` works without injection."""
    with served.client() as client:
        assert client.get("/article/plain").text == "plain"


def test_one_service_value_per_request(served):
    """F6b: a value is resolved at most once per request."""
    with served.client(headers={"Agent": "a"}) as client:
        assert client.get("/article/two").json() == {"same": True}


class A:
    pass


class B:
    pass


class MyService(Service):
    aaa = inject << A


def test_inject_prop_and_return_annotation():
    """test_service.py: the generated ``resolve`` is annotated with the attributes and the class."""
    my_service = MyService()
    assert my_service.resolve.__annotations__["aaa"] == A
    assert my_service.resolve.__annotations__["return"] == MyService


def test_assign_value_and_readonly():
    """test_service.py ``test_assign_value``/``test_readonly``: ``resolve(a)`` fills ``aaa``
    on a new instance; assigning it raises ``Readonly``."""
    a = A()
    my_service = MyService().resolve(a)
    assert a is my_service.aaa
    with pytest.raises(Readonly):
        my_service.aaa = 1


def test_have_resolve():
    """test_service.py: a class with its own ``resolve`` keeps it."""

    class HaveResolveService(Service):
        a = inject << A

        def resolve(self, b: B):
            self.b = b
            return self

    service = HaveResolveService()
    assert "b" in service.resolve.__annotations__
    assert "a" not in service.resolve.__annotations__
    assert service.resolve.__annotations__["return"] == HaveResolveService


def test_empty_inject():
    """test_service.py: a service with no attributes resolves to itself."""

    class EmptyService(Service):
        pass

    assert EmptyService().resolve.__annotations__["return"] == EmptyService


def test_default():
    """test_service.py: ``inject(default=3) << A`` is optional in ``resolve``."""

    class DefaultService(Service):
        a = inject(default=3) << A

    service = DefaultService().resolve()
    assert service.a == 3
    assert service.resolve(2).a == 2


def test_inherit():
    """test_service.py ``test_inherit``: the parent's attributes come first in ``resolve``."""

    class Father(Service):
        a = inject << A

    class Child(Father):
        b = inject << B

    service = Child()
    annotations = service.resolve.__annotations__
    assert (annotations["return"], annotations["a"], annotations["b"]) == (Child, A, B)
    service = service.resolve(3, 6)
    assert (service.a, service.b) == (3, 6)


def test_inherit_override():
    """test_service.py ``test_inherit_override``: the same name and type is one parameter."""

    class Father(Service):
        a = inject << A

    class Child(Father):
        a = inject << A

    service = Child()
    assert service.resolve.__annotations__["a"] == A
    assert service.resolve(3).a == 3


def test_inherit_override_with_resolve():
    """test_service.py: a parent's own ``resolve`` parameters come first and are passed on."""
    seen = []

    class Father(Service):
        def resolve(self, b: B, a: A):
            seen.append((b, a))
            return self

    class Child(Father):
        c = inject << B
        a = inject << A

    service = Child()
    assert service.resolve.__annotations__["return"] == Child
    assert service.resolve.__annotations__["a"] == A
    resolved = service.resolve(4, 3, 5)
    assert seen == [(4, 3)] and (resolved.a, resolved.c) == (3, 5)


def test_inherit_same_name_with_different_type():
    """test_service.py: a child attribute shadowing a parent's of another type wins; the
    parent's parameter stays under the original's ``qwertrewq_`` name."""

    class Father(Service):
        a = inject << A

    class Child(Father):
        a = inject << B

    service = Child()
    annotations = service.resolve.__annotations__
    assert (annotations["return"], annotations["a"], annotations["qwertrewq_a"]) == (Child, B, A)
    assert service.resolve(3, 5).a == 5


def test_inherit_same_name_with_different_type_resolve_exists():
    """test_service.py: the same, when the parent defines ``resolve`` itself."""

    class Father(Service):
        def resolve(self, a: A):
            return self

    class Child(Father):
        a = inject << B

    service = Child()
    assert service.resolve.__annotations__["a"] == B
    assert service.resolve.__annotations__["qwertrewq_a"] == A
    assert service.resolve(3, 5).a == 5


@pytest.mark.parametrize("same_type", [False, True])
def test_inherit_father_with_normal_default_and_child_inject(same_type):
    """test_service.py / test_service_inject.py ``test_inherit6``/``7``: the child's
    definition wins over the parent's parameter list (the parent's default ``a: int=10``
    or ``a: A=10`` is not used)."""
    annotation = A if same_type else int

    class Father(Service):
        def resolve(self, b: B, a: annotation = 10):
            return self

    class Child(Father):
        c = inject << B
        a = inject << A

    service = Child()
    assert service.resolve.__annotations__["a"] == A
    resolved = service.resolve(4, 3, 7 if not same_type else 12)
    assert resolved.a == 3
    assert resolved.c == (7 if not same_type else 12)


def _run(coroutine):
    return asyncio.run(coroutine)


def test_model_factory_fills_the_model_inject_attributes():
    """test_model_inject.py ``test_product1``/``2``/``3``: ``factory.resolve(...)``
    passes the product's parameters and the model's ``inject`` attributes."""

    class B2:
        pass

    class Model:
        a = inject << B2

    class ModelFactory1(ModelFactory):
        model = Model

        async def product(self, b: B2) -> Model:
            return Model()

    class ModelFactory2(ModelFactory):
        model = Model

        async def product(self) -> Model:
            return Model()

    assert _run(ModelFactory1().resolve(3, 5)).a == 3
    assert _run(ModelFactory2().resolve(5)).a == 5


def test_model_factory_list_and_shared_names():
    """test_model_inject.py ``test_product3``/``4``: a product parameter named like the
    model's attribute is one value; a list product gets it on every model."""

    class B2:
        pass

    class Model:
        b = inject << B2

    class OneFactory(ModelFactory):
        model = Model

        async def product(self, b: B2) -> Model:
            return Model()

    class ListFactory(ModelFactory):
        model = Model

        async def product(self, b: B2) -> typing.List[Model]:  # noqa: UP006 - the original's
            return [Model(), Model()]

    assert _run(OneFactory().resolve(5)).b == 5
    assert all(model.b == 7 for model in _run(ListFactory().resolve(7)))


def test_model_factory_defaults_and_inheritance():
    """test_model_inject.py ``test_product5``/``6``/``7``/``8``: product defaults win over the
    model's, inherited ``inject`` attributes are filled, and calls do not leak into each other."""

    class B2:
        pass

    class Model:
        a = inject(default=10) << B2

    class DefaultFactory(ModelFactory):
        model = Model

        async def product(self, a: B2 = 19, c: Model = 10) -> Model:
            return Model()

    assert _run(DefaultFactory().resolve()).a == 19
    assert _run(DefaultFactory().resolve(12)).a == 12

    class Bare:
        pass

    class BareFactory(ModelFactory):
        model = Bare

        async def product(self, a: B2 = 19, c: Bare = 10) -> Bare:
            return Bare()

    assert isinstance(_run(BareFactory().resolve()), Bare)  # test_product6

    class Base:
        b = inject << B2

    class Derived(Base):
        pass

    class DerivedFactory(ModelFactory):
        model = Derived

        async def product(self) -> Derived:
            return Derived()

    assert _run(DerivedFactory().resolve(3)).b == 3

    class Plain:
        a = inject << B2

    class PlainFactory(ModelFactory):
        model = Plain

        async def product(self, b: B2) -> Plain:
            return Plain()

    factory = PlainFactory()
    _run(factory.resolve(3, 5))
    assert _run(factory.resolve(4, 6)).a == 4
