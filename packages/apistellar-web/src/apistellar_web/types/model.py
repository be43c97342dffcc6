"""``Type``: the model class, ``AsyncType`` and ``TypeEncoder``.

A ``Type`` is a mutable mapping whose fields are validators declared as class attributes
(in definition order, inherited and overridable). A bare nested ``Type`` used as a field
works (it is wrapped in ``Proxy``, where the original crashed; ``allow_null`` when the
nested class has an ``allow_null()`` classmethod returning true). Construction keeps the
raw data; ``format()`` validates once, fills defaults (validated like given values) and
drops unknown keys (or rejects them when the class sets ``strict = True``). Options
``definitions``, ``allow_coerce`` and ``force_format`` are always options, never data keys.

``obj.name`` returns any stored value (a field's or an unknown key's), ``obj["name"]`` a
field's value (its default when unset; format fields as strings). Values that are not yet
validated -- before ``format()`` -- are shown as stored, by ``[]``, ``to_dict()`` and
``repr`` alike.
"""

import asyncio
import json
from abc import ABCMeta
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, ClassVar

from apistar.exceptions import ConfigurationError, ValidationError

from . import validators
from .messages import ErrorMessage

__all__ = ["AsyncType", "FieldValue", "Type", "TypeEncoder", "dict_builder"]

RESERVED = frozenset(
    {"keys", "items", "values", "get", "clear", "validator", "setdefault", "pop", "popitem"}
)
_OPTIONS = ("definitions", "allow_coerce", "force_format")


class TypeEncoder(json.JSONEncoder):
    """JSON encoder for models: models and mappings become objects; more with :meth:`register`.

    Use it as ``json.dumps(model, cls=TypeEncoder)``; ``cls=TypeEncoder()`` (an instance, as
    the original's wiki wrote it) works too.
    """

    options: ClassVar[dict[type, Callable[[Any], Any]]] = {}

    def __call__(self, **kwargs: Any) -> "TypeEncoder":
        """A new encoder with ``kwargs``: what ``json.dumps(..., cls=TypeEncoder())`` needs."""
        return type(self)(**kwargs)

    @classmethod
    def register(cls, converters: Mapping[type, Callable[[Any], Any]]) -> None:
        """Serialise more types: ``{SomeClass: converter}`` (checked before the mapping rule)."""
        cls.options = {**dict(converters), **cls.options}

    def default(self, o: Any) -> Any:
        for kind, convert in self.options.items():
            if isinstance(o, kind):
                return convert(o)
        if isinstance(o, Type):
            return o.__json__()
        if isinstance(o, Mapping):
            return dict(o)
        return super().default(o)


def _nested(model: type) -> validators.Proxy:
    """A bare nested model used as a field: a ``Proxy``, nullable when the model says so."""
    allow_null = getattr(model, "allow_null", None)
    return validators.Proxy(model, allow_null=bool(callable(allow_null) and allow_null()))


def _shown(formatter: Any, value: Any) -> Any:
    """A format field's value as ``[]`` gives it: native values as strings, others as stored."""
    if formatter is not None and value is not None and formatter.is_native_type(value):
        return formatter.to_string(value)
    return value


def _is_field(value: Any) -> bool:
    return isinstance(value, validators.Validator) or (
        isinstance(value, type) and issubclass(value, Type) and value is not Type
    )


class TypeMeta(ABCMeta):
    """Collects fields and builds ``cls.validator`` when a model class is created."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any
    ) -> Any:
        fields: dict[str, Any] = {}
        for base in reversed(bases):
            fields.update(getattr(base, "fields", {}))
        own = []
        for key, value in list(namespace.items()):
            if key in RESERVED and (callable(value) or _is_field(value)):
                msg = (
                    f'Cannot use reserved name "{key}" on Type "{name}", '
                    "as it clashes with the class interface."
                )
                raise ConfigurationError(msg)
            if _is_field(value):
                if isinstance(value, type):  # a bare nested model: make it a field
                    value = _nested(value)
                own.append((key, value))
                namespace.pop(key)
        for key, value in own:
            fields[key] = value  # an override keeps the inherited field's position
        namespace["fields"] = fields
        namespace["_format_fields"] = tuple(
            key for key, field in fields.items() if isinstance(field, validators.String)
        )
        namespace["_labels"] = {key: field.title or key for key, field in fields.items()}
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        strict = bool(namespace.get("strict", getattr(cls, "strict", False)))
        cls.validator = validators.Object(  # type: ignore[attr-defined]
            properties=fields,
            required=[key for key, field in fields.items() if not field.has_default()],
            additional_properties=False if strict else None,
            def_name=name,
            model=cls,
        )
        return cls


class Type(MutableMapping[str, Any], metaclass=TypeMeta):
    """A model: declare fields as validators (``title = validators.String(max_length=100)``)."""

    fields: ClassVar[dict[str, Any]] = {}
    _format_fields: ClassVar[tuple[str, ...]] = ()
    _labels: ClassVar[dict[str, str]] = {}
    validator: ClassVar[validators.Object]
    strict: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        options = {key: kwargs.pop(key) for key in _OPTIONS if key in kwargs}
        if len(args) > 1:
            raise TypeError(f"{type(self).__name__}() takes at most one positional argument")
        if args:
            source = args[0]
            if source is None or isinstance(source, bool | int | float | str | bytes | list):
                raise ValidationError(ErrorMessage("Must be an object.", "type"))
            if isinstance(source, Mapping):
                data = dict(source)
            else:
                data = {key: getattr(source, key) for key in self.fields if hasattr(source, key)}
            data.update(kwargs)
        else:
            data = dict(kwargs)
        object.__setattr__(self, "_dict", data)
        object.__setattr__(self, "formatted", False)
        if options.get("force_format"):
            self.format(
                allow_coerce=options.get("allow_coerce", False),
                definitions=options.get("definitions"),
            )

    # -- validation -------------------------------------------------------------------------
    def format(
        self, allow_coerce: bool = False, definitions: dict[str, Any] | None = None
    ) -> "Type":
        """Validate the whole object once: defaults filled, unknown keys dropped."""
        if self.formatted:
            return self
        definitions = dict(definitions or {})
        definitions[type(self).__name__] = self.validator
        validated = self.validator.validate(
            self._dict, definitions=definitions, allow_coerce=allow_coerce
        )
        object.__setattr__(self, "_dict", validated)
        object.__setattr__(self, "formatted", True)
        return self

    @classmethod
    def validate(
        cls,
        value: Any,
        definitions: dict[str, Any] | None = None,
        allow_coerce: bool = False,
        force_format: bool = True,
    ) -> "Type":
        """Build a (formatted) instance: also what lets a model act as a validator."""
        if type(value) is not dict and isinstance(value, cls):
            if value.formatted or not force_format:
                return value
        elif force_format and type(value) is dict and _plain_construction(cls):
            # what cls(value).format(...) does, without its generic steps
            definitions = dict(definitions or {})
            definitions[cls.__name__] = cls.validator
            validated = cls.validator.validate(
                value, definitions=definitions, allow_coerce=allow_coerce
            )
            instance = object.__new__(cls)
            object.__setattr__(instance, "_dict", validated)
            object.__setattr__(instance, "formatted", True)
            return instance
        instance = cls(value if isinstance(value, Mapping) else value)
        if force_format:
            instance.format(allow_coerce=allow_coerce, definitions=definitions)
        return instance

    @classmethod
    def has_default(cls) -> bool:
        """Models used as fields are required unless wrapped with a default."""
        return False

    def _validate_field(self, key: str, value: Any, allow_coerce: bool = False) -> Any:
        return self.fields[key].validate(
            value, definitions={type(self).__name__: self.validator}, allow_coerce=allow_coerce
        )

    def reformat(self, field_name: str, value: Any = None, allow_coerce: bool = False) -> Any:
        """Re-validate one field (its current value when ``value`` is ``None``) and store it."""
        current = self._dict.get(field_name) if value is None else value
        try:
            validated = self._validate_field(field_name, current, allow_coerce)
        except ValidationError as error:
            raise ValidationError({self._labels[field_name]: error.detail}) from None
        self._dict[field_name] = validated
        return validated

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Known fields are validated on assignment; unknown keys are stored raw."""
        for key, value in dict(*args, **kwargs).items():
            if key in self.fields:
                setattr(self, key, value)
            else:
                self._dict[key] = value

    @classmethod
    def init(cls, **kwargs: Any) -> None:
        """Set class attributes (for example injected collaborators)."""
        for key, value in kwargs.items():
            setattr(cls, key, value)

    def __json__(self) -> dict[str, Any]:
        """The stored values as ``[]`` returns them (format fields as strings), for JSON."""
        data = dict(self._dict)
        fields = self.fields
        for key in self._format_fields:
            if key in data:
                formatter = fields[key].formatter
                if formatter is not None:  # without one, the value is shown as stored
                    data[key] = _shown(formatter, data[key])
        return data

    def to_dict(self) -> Any:
        """A plain JSON-shaped copy (format fields as strings, nested models as dicts)."""
        return json.loads(json.dumps(self, cls=TypeEncoder))

    to_json = to_dict

    # -- attribute access -----------------------------------------------------------------------
    def __getattr__(self, key: str) -> Any:
        try:
            data = object.__getattribute__(self, "_dict")
        except AttributeError:  # not initialised yet (copy, pickle)
            raise AttributeError(key) from None
        if key in data:
            return data[key]
        raise AttributeError(f'Invalid attribute "{key}"')

    def __setattr__(self, key: str, value: Any) -> None:
        if key not in self.fields:
            # class attributes a model or its mixins declare (``TABLE``, a driver
            # placeholder) may be set per instance; the mapping interface may not
            if key == "formatted" or (hasattr(type(self), key) and key not in _INTERFACE):
                object.__setattr__(self, key, value)
                return
            raise AttributeError(f'Invalid attribute "{key}"')
        try:
            self._dict[key] = self._validate_field(key, value)
        except ValidationError as error:
            raise ValidationError({self._labels[key]: error.detail}) from None

    def __delattr__(self, key: str) -> None:
        if key in self.fields or key in self._dict:
            self._remove(key)
        elif key in self.__dict__:  # an instance value of a declared class attribute
            object.__delattr__(self, key)
        else:
            raise AttributeError(f'Invalid attribute "{key}"')

    def _remove(self, key: str) -> None:
        self._dict.pop(key, None)
        if self.formatted and key in self.fields:
            self._dict[key] = self._validate_field(key, None)

    # -- item access --------------------------------------------------------------------------
    def __getitem__(self, key: str) -> Any:
        if key not in self._dict:
            field = self.fields.get(key)
            if field is None or not field.has_default():
                raise KeyError(key)
            self._dict[key] = self._validate_field(key, None)
        value = self._dict[key]
        field = self.fields.get(key)
        if isinstance(field, validators.String):
            return _shown(field.formatter, value)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in self.fields:
            raise KeyError(f'Invalid key "{key}"')
        self._dict[key] = self._validate_field(key, value)

    def __delitem__(self, key: str) -> None:
        self._remove(key)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._dict))

    def __len__(self) -> int:
        return len(self._dict)

    def __contains__(self, key: object) -> bool:
        return key in self._dict

    def __bool__(self) -> bool:
        return bool(self._dict)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Type):
            return type(other) is type(self) and dict(self.items()) == dict(other.items())
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{key}={self[key] if key in self.fields else self._dict[key]!r}" for key in self._dict
        )
        return f"<{type(self).__name__}({shown})>"

    __str__ = __repr__


_INTERFACE = frozenset(dir(Type)) - {"formatted"}
_PLAIN = "_apistellar_plain_construction"


def _plain_construction(cls: type) -> bool:
    """Whether ``cls(data).format()`` is Type's own (no override of how an instance is
    made, filled or formatted), so :meth:`Type.validate` may build it directly."""
    known = cls.__dict__.get(_PLAIN)
    if known is None:
        made: Any = cls
        known = (
            made.__init__ is Type.__init__
            and made.format is Type.format
            and made.__new__ is object.__new__
            and made.__setattr__ is Type.__setattr__
            and type(made).__call__ is type.__call__
            and not getattr(made, "__abstractmethods__", None)
        )
        setattr(cls, _PLAIN, known)
    return bool(known)


_BUILD = "_apistellar_dict_builder"
_UNBUILT: Any = object()
Builder = Callable[[dict[str, Any], bool], Type]


def dict_builder(cls: type[Type]) -> Builder | None:
    """``build(value, allow_coerce)``: what ``cls.validate(value, allow_coerce=...)`` gives
    for a plain ``dict``, made once per class: validated by the compiled walk, without a
    second pass (``None`` when the class changes how it validates, is made or formatted)."""
    found: Builder | None = cls.__dict__.get(_BUILD, _UNBUILT)
    if found is _UNBUILT:
        found = _make_builder(cls)
        setattr(cls, _BUILD, found)
    return found


def _make_builder(cls: type[Type]) -> Builder | None:
    validate = getattr(cls.validate, "__func__", None)
    if validate is not Type.validate.__func__ or not _plain_construction(cls):  # type: ignore[attr-defined]
        return None
    validator = cls.validator
    check = validator.dict_check()
    if check is None:
        return None
    definitions = {cls.__name__: validator}  # as Type.validate passes them (only read)

    def build(value: dict[str, Any], allow_coerce: bool) -> Type:
        if cls.validator is not validator:  # replaced since: validated the generic way
            return cls.validate(value, allow_coerce=allow_coerce)
        validated = check(value, definitions, allow_coerce)
        instance = object.__new__(cls)
        attributes = instance.__dict__  # what object.__setattr__ would set
        attributes["_dict"] = validated
        attributes["formatted"] = True
        return instance

    return build


class AsyncType(Type):
    """A model whose missing fields are loaded on demand: ``await obj.name``.

    Implement ``async def load(self) -> Mapping``; its result is merged into the data.
    ``obj.name`` of a declared field (or a stored key) is an awaitable that gives the value,
    calling :meth:`load` first when it is missing; an unknown name raises ``AttributeError``
    at once (the original returned a failed future, so ``hasattr`` was always true).
    :meth:`load_field` does the same as a method.
    """

    async def load(self) -> Mapping[str, Any]:
        """Return more data for this object (override)."""
        raise NotImplementedError(f"{type(self).__name__}.load() is not implemented.")

    async def load_field(self, key: str) -> Any:
        """The value of ``key``, calling :meth:`load` first when it is missing.

        Raises:
            AttributeError: ``key`` is not a field, or :meth:`load` did not provide it and
                the field has no default.
        """
        data = self._dict
        if key not in self.fields and key not in data:
            raise AttributeError(f'Invalid attribute "{key}"')
        if key not in data:
            loaded = await self.load()
            data.update(dict(loaded))
        if key not in data:
            field = self.fields[key]
            if not field.has_default():
                raise AttributeError(f'Invalid attribute "{key}": load() did not provide it')
            data[key] = self._validate_field(key, None)
        return data[key]

    def __getattr__(self, key: str) -> Any:
        try:
            data = object.__getattribute__(self, "_dict")
        except AttributeError:
            raise AttributeError(key) from None
        if key in type(self).fields or key in data:
            return FieldValue(self, key)
        raise AttributeError(f'Invalid attribute "{key}"')

    def __await__(self) -> Any:
        return asyncio.sleep(0, result=self).__await__()


class FieldValue:
    """``await`` it for the value of one field of an :class:`AsyncType` (loaded if missing)."""

    __slots__ = ("key", "model")

    def __init__(self, model: AsyncType, key: str) -> None:
        self.model = model
        self.key = key

    def __await__(self) -> Any:
        return self.model.load_field(self.key).__await__()

    def __repr__(self) -> str:
        return f"<FieldValue {type(self.model).__name__}.{self.key}>"
