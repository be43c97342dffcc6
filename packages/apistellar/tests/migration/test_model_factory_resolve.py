"""tests/test_bases/test_model_factory.py of the original: a factory's ``resolve`` called
by hand with the values the injector would give -- the model's ``inject`` attributes first,
then the product's other parameters -- and what the produced models see.

The original wrote those values on the model *class* ([improve] 11: concurrent requests
raced on them); ours gives them to the produced instances, so every assertion below reads
the instance, as the original's tests did."""

import asyncio
import typing

from apistellar import inject
from apistellar.bases.model_factory import ModelFactory


def run(awaitable):
    return asyncio.run(awaitable)


class B:
    pass


def test_product_with_args_and_model_with_inject():
    """resolve(3, 5): the model's ``a`` is 3, the product's ``b`` 5."""

    class A:
        a = inject << B

    class AFactory(ModelFactory):
        model = A

        async def product(self, b: B) -> A:
            made = A()
            made.seen_b = b
            return made

    made = run(AFactory().resolve(3, 5))
    assert made.a == 3 and made.seen_b == 5


def test_product_without_args_and_model_with_inject():
    """resolve(5) for a product without parameters."""

    class A:
        a = inject << B

    class AFactory(ModelFactory):
        model = A

        async def product(self) -> A:
            return A()

    assert run(AFactory().resolve(5)).a == 5


def test_product_and_model_share_a_parameter():
    """A product parameter with the model injection's name and type is the same value."""

    class A:
        b = inject << B

    class AFactory(ModelFactory):
        model = A

        async def product(self, b: B) -> A:
            made = A()
            made.seen_b = b
            return made

    made = run(AFactory().resolve(5))
    assert made.b == 5 and made.seen_b == 5


def test_every_product_is_injected():
    """A single model and a typing.List of models each get the injection."""

    class A:
        b = inject << B

    class AFactory(ModelFactory):
        model = A

        async def product(self, b: B) -> A:
            return A()

    class AListFactory(ModelFactory):
        model = A

        async def product(self, b: B) -> typing.List[A]:  # noqa: UP006 - the original's
            return [A(), A()]

    assert run(AFactory().resolve(5)).b == 5
    assert all(made.b == 7 for made in run(AListFactory().resolve(7)))


def test_product_default_overrides_inject_default():
    """test_product_and_inject_with_default: without values the product's default wins;
    a name the product lacks keeps the inject default."""

    class A:
        a = inject(default=10) << B
        b = inject(default=11) << B

    class AFactory(ModelFactory):
        model = A

        async def product(self, a: B = 19, c: A = 10) -> A:
            return A()

    factory = AFactory()
    assert run(factory.resolve()).a == 19
    made = run(factory.resolve(12))
    assert made.a == 12 and made.b == 11


def test_injection_declared_on_a_base_model():
    """test_product_with_model_inherit: an injection of the model's base class reaches
    models created inside product."""

    class A:
        b = inject << B

    class C(A):
        pass

    class CFactory(ModelFactory):
        model = C

        async def product(self) -> C:
            made = C()
            assert made.b == 3
            return made

    assert run(CFactory().resolve(3)).b == 3


def test_each_resolve_sees_its_own_values():
    """test_inject_idempotent: a second resolve is not affected by the first."""

    class A:
        a = inject << B

    class AFactory(ModelFactory):
        model = A

        async def product(self, b: B) -> A:
            return A()

    factory = AFactory()
    first = run(factory.resolve(3, 5))
    second = run(factory.resolve(4, 6))
    assert (first.a, second.a) == (3, 4)
