"""Attribute mocks behind the ``prop`` marker, the ini ``prop`` entries and ``prop_alias``."""

import functools
import importlib
import inspect
import types
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

__all__ = ["PropCascadeWarning", "apply_prop", "cascade", "prop_alias", "resolve"]


class PropCascadeWarning(UserWarning):
    """A ``prop`` target named attributes that did not exist; they were created for the test."""


#: Fixtures never passed to a ``fixture_inject`` factory (the plugin's own marker fixture).
_NOT_INJECTED = frozenset({"_apistellar_markers"})


def _module_prefix(parts: list[str]) -> tuple[Any, int] | None:
    """The longest importable module among the leading parts, and how many parts it used."""
    for split in range(len(parts) - 1, 0, -1):
        try:
            return importlib.import_module(".".join(parts[:split])), split
        except ImportError:
            continue
    return None


def resolve(dotted: str) -> tuple[Any, str]:
    """The object holding the last attribute of ``dotted``, and that attribute's name.

    Raises:
        pytest.UsageError: the path does not lead to an existing object.
    """
    parts = dotted.split(".")
    found = _module_prefix(parts)
    if found is not None:
        owner, split = found
        try:
            for part in parts[split:-1]:
                owner = getattr(owner, part)
        except AttributeError:
            pass
        else:
            if hasattr(owner, parts[-1]):
                return owner, parts[-1]
    msg = f"{dotted!r} does not name an existing attribute."
    raise pytest.UsageError(msg)


def cascade(monkeypatch: pytest.MonkeyPatch, dotted: str) -> tuple[Any, str]:
    """Like :func:`resolve`, creating missing attributes on the way (the original's cascade).

    Missing middle attributes become empty namespaces set through ``monkeypatch`` (so
    they are removed when it is undone) and a :class:`PropCascadeWarning` names them, as
    they are often a typo. The last attribute may be missing too; the caller sets it.

    Raises:
        pytest.UsageError: no leading part of ``dotted`` is an importable module.
    """
    parts = dotted.split(".")
    found = _module_prefix(parts)
    if found is None:
        msg = f"{dotted!r} does not start with an importable module."
        raise pytest.UsageError(msg)
    owner, split = found
    created: list[str] = []
    for index in range(split, len(parts) - 1):
        part = parts[index]
        if not hasattr(owner, part):
            monkeypatch.setattr(owner, part, types.SimpleNamespace(), raising=False)
            created.append(".".join(parts[: index + 1]))
        owner = getattr(owner, part)
    if not hasattr(owner, parts[-1]):
        created.append(dotted)
    if created:
        names = ", ".join(repr(name) for name in created)
        warnings.warn(
            f"prop {dotted!r}: created {names}, which did not exist, for this scope "
            "(removed afterwards); check the spelling if that was not meant.",
            PropCascadeWarning,
            stacklevel=2,
        )
    return owner, parts[-1]


def _stand_in(
    original: Any,
    produce: Callable[..., Any],
    asyncable: bool | None,
) -> Callable[..., Any]:
    is_async = inspect.iscoroutinefunction(original) if asyncable is None else asyncable

    async def async_stand_in(*args: Any, **kwargs: Any) -> Any:
        return produce(*args, **kwargs)

    def stand_in(*args: Any, **kwargs: Any) -> Any:
        return produce(*args, **kwargs)

    function: Any = async_stand_in if is_async else stand_in
    for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
        if hasattr(original, attribute):
            setattr(function, attribute, getattr(original, attribute))
    annotations = getattr(original, "__annotations__", None) or {}
    if "return" in annotations:  # the injector reads the return type, as in the original
        function.__signature__ = inspect.Signature(return_annotation=annotations["return"])
        function.__annotations__ = {"return": annotations["return"]}
    return function  # type: ignore[no-any-return]


def _with_fixtures(factory: Callable[..., Any], request: pytest.FixtureRequest) -> Any:
    """``factory`` with its parameters named after fixtures bound to their values.

    A factory taking ``**kwargs`` receives every fixture value of the requesting test,
    as the original did.
    """
    parameters = inspect.signature(factory).parameters
    takes_all = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    named = [
        name
        for name, p in parameters.items()
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    ]
    names = [*named, *(request.fixturenames if takes_all else ())]
    bound: dict[str, Any] = {}
    for name in dict.fromkeys(names):
        if name in _NOT_INJECTED or name in bound:
            continue
        try:
            bound[name] = request.getfixturevalue(name)
        except pytest.FixtureLookupError:
            continue
    return functools.partial(factory, **bound)


def apply_prop(
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    factory_args: Sequence[Any] = (),
    *,
    ret_val: Any = None,
    ret_factory: Callable[..., Any] | str | None = None,
    asyncable: bool | None = None,
    callable_: bool | None = None,
    fixture_inject: bool = False,
    request: pytest.FixtureRequest | None = None,
    factory_kwargs: Mapping[str, Any] | None = None,
) -> None:
    """Replace the attribute at ``target`` (the ``prop`` marker's semantics).

    A callable attribute (or any, with ``callable_=True``) becomes a stand-in, async when
    the original is a coroutine function or ``asyncable=True``, returning
    ``ret_factory(*call_args, *factory_args, **call_kwargs, **factory_kwargs)`` or
    ``ret_val``. On a class it is called without ``self``/``cls``, and its signature is
    the original's return annotation alone (so the injector sees the same return type and
    passes nothing), as in the original. Anything else (or with ``callable_=False``)
    becomes ``ret_val`` or ``ret_factory()``. ``ret_factory`` may be a dotted path; with
    ``fixture_inject`` its parameters named after fixtures receive their values (all of
    them with ``**kwargs``). Missing attributes on the path are created (see :func:`cascade`).
    """
    owner, name = cascade(monkeypatch, target)
    factory = getattr(*resolve(ret_factory)) if isinstance(ret_factory, str) else ret_factory
    if factory is not None and fixture_inject:
        if request is None:
            raise pytest.UsageError("fixture_inject=True needs a test: use it on markers.")
        factory = _with_fixtures(factory, request)
    original = inspect.getattr_static(owner, name, None)
    if not hasattr(owner, name) and callable_ is None:
        callable_ = False
    wrapped = original.__func__ if isinstance(original, classmethod | staticmethod) else original
    if callable_ is None:
        callable_ = callable(wrapped) and not inspect.isclass(wrapped)
    if not callable_:
        value = factory() if factory is not None else ret_val
        monkeypatch.setattr(owner, name, value, raising=False)
        return
    extra_kwargs = dict(factory_kwargs or {})

    def produce(*args: Any, **kwargs: Any) -> Any:
        if factory is None:
            return ret_val
        return factory(*args, *factory_args, **{**kwargs, **extra_kwargs})  # the marker's win

    replacement: Any = _stand_in(wrapped, produce, asyncable)
    if inspect.isclass(owner):  # called without self or cls, as the original's stand-in was
        replacement = staticmethod(replacement)
    monkeypatch.setattr(owner, name, replacement, raising=False)


def prop_alias(
    mock_obj_prefix: str | None = None, mock_factory_prefix: str | None = "factories"
) -> Callable[..., pytest.MarkDecorator]:
    """Shorter ``prop`` markers: targets under ``mock_obj_prefix``, factories by name.

    ``prop_alias("pkg.mod.Repo")("mongodb", ret_factory="mongo_factory")`` is
    ``pytest.mark.prop("pkg.mod.Repo.mongodb", ret_factory="factories.mongo_factory")``.
    """

    def prop(attribute: str, /, *args: Any, **kwargs: Any) -> pytest.MarkDecorator:
        # positional-only, so a factory keyword named like it still reaches the factory
        target = f"{mock_obj_prefix}.{attribute}" if mock_obj_prefix else attribute
        factory = kwargs.get("ret_factory")
        if isinstance(factory, str) and mock_factory_prefix:
            kwargs["ret_factory"] = f"{mock_factory_prefix}.{factory}"
        return pytest.mark.prop(target, *args, **kwargs)

    return prop
