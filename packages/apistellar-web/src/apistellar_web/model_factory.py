"""``ModelFactory``: a component that builds models, without class-attribute races.

Subclass it, set ``model`` and implement ``async def product(self, <injectables>) ->
Model`` (or ``typing.List[Model]``); the return annotation decides which handler
parameters it satisfies, and a factory wins over the default request binding. The
model's ``inject << T`` attributes are resolved too and given to the models it returns
**per request** -- on the instances, and through a context variable for code that runs in
the same request -- never as class attributes (the original assigned them on the class,
so concurrent requests saw each other's values).
"""

import inspect
from typing import Any

from .components import Component
from .service import injected_attributes, request_injections

__all__ = ["ModelFactory"]


class ModelFactory(Component):
    """Base class of model factories (see the module docstring)."""

    model: Any = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "resolve" in cls.__dict__:
            raise AssertionError("Cannot overwrite resolve method!")
        product = cls.__dict__.get("product")
        if product is None:
            if any("product" in vars(base) for base in cls.__mro__[1:] if base is not ModelFactory):
                product = next(vars(b)["product"] for b in cls.__mro__ if "product" in vars(b))
            else:
                raise AssertionError("Need to implement product method!")
        product_signature = inspect.signature(product)
        parameters = list(product_signature.parameters.values())
        names = {p.name for p in parameters}
        injected = injected_attributes(cls.model) if cls.model is not None else {}
        extra = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=item.annotation,
                default=item.default,
            )
            for name, item in injected.items()
            if name not in names
        ]
        positional = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters[1:]]
        ordered = sorted(positional + extra, key=lambda p: p.default is not inspect.Parameter.empty)
        signature = inspect.Signature(
            [parameters[0], *ordered], return_annotation=product_signature.return_annotation
        )
        injected_names = set(injected)
        product_names = {p.name for p in parameters[1:]}
        defaults = {p.name: p.default for p in ordered if p.default is not inspect.Parameter.empty}
        # Called by hand, ``resolve`` also takes its values by position, as the original's
        # generated one did: the model's injections first, then product's other parameters.
        by_position = [*injected, *(p.name for p in parameters[1:] if p.name not in injected)]

        async def resolve(self: Any, *args: Any, **values: Any) -> Any:
            if len(args) > len(by_position):
                msg = f"{cls.__qualname__}.resolve() takes at most {len(by_position)} values"
                raise TypeError(msg)
            values = {**defaults, **dict(zip(by_position, args, strict=False)), **values}
            injections = {name: values[name] for name in injected_names if name in values}
            current = request_injections.get() or {}
            request_injections.set(
                {**current, **{(self.model, n): v for n, v in injections.items()}}
            )
            result = self.product(
                **{name: values[name] for name in product_names if name in values}
            )
            if inspect.isawaitable(result):
                result = await result
            for item in result if isinstance(result, list | tuple) else [result]:
                if self.model is not None and isinstance(item, self.model):
                    item.__dict__.update(injections)
            return result

        resolve.__signature__ = signature  # type: ignore[attr-defined]
        resolve.__qualname__ = f"{cls.__qualname__}.resolve"
        resolve.__annotations__ = {"return": product_signature.return_annotation}
        cls.resolve = resolve  # type: ignore[method-assign]

    def provides(self) -> tuple[Any, ...]:
        """The annotation ``product`` returns."""
        return (inspect.signature(self.product).return_annotation,)
