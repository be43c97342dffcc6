"""Flask's tagged JSON: the serializer inside the session cookie, written here to the byte.

A tagged value is a one-key JSON object whose key is the tag. The tags, in the order they
are tried on dump, are Flask's: `` di`` (a one-item dict whose key is itself a tag),
plain dicts, `` t`` (tuple), plain lists, `` b`` (bytes, standard base64), `` m``
(anything with ``__html__``), `` u`` (UUID hex), `` d`` (datetime as an HTTP date, UTC).
Unknown tags are left as dicts on load, as Flask does. Custom tags register with
:meth:`TaggedJSONSerializer.register`, using the same ``JSONTag`` shape as Flask.
"""

import dataclasses
import decimal
import json
import uuid
from base64 import b64decode, b64encode
from datetime import date, datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

__all__ = ["JSONTag", "TaggedJSONSerializer"]


def http_date(value: date) -> str:
    """Format a date or datetime as an IMF-fixdate (naive datetimes are taken as UTC)."""
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
        moment = moment.astimezone(timezone.utc)
    else:
        moment = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    return format_datetime(moment.replace(microsecond=0), usegmt=True)


def _markup(text: str) -> Any:
    try:
        from markupsafe import Markup
    except ImportError:  # pragma: no cover - markupsafe is optional
        return text
    return Markup(text)


class JSONTag:
    """Base class of a tag; subclass it and register it to serialise another type.

    Attributes:
        key: the tag string (start it with a space, as Flask's do); empty for the
            pass-through tags that only walk containers.
    """

    __slots__ = ("serializer",)
    key: str = ""

    def __init__(self, serializer: "TaggedJSONSerializer") -> None:
        self.serializer = serializer

    def check(self, value: Any) -> bool:
        """Tell whether this tag handles ``value``."""
        raise NotImplementedError

    def to_json(self, value: Any) -> Any:
        """Convert ``value`` to a JSON-representable object (without the tag)."""
        raise NotImplementedError

    def to_python(self, value: Any) -> Any:
        """Convert the JSON form back to the Python value."""
        raise NotImplementedError

    def tag(self, value: Any) -> dict[str, Any]:
        """Return ``{key: to_json(value)}``."""
        return {self.key: self.to_json(value)}


class TagDict(JSONTag):
    """A one-item dict whose key is a registered tag (`` di``): the key gets a ``__`` suffix."""

    __slots__ = ()
    key = " di"

    def check(self, value: Any) -> bool:
        return (
            isinstance(value, dict)
            and len(value) == 1
            and next(iter(value)) in self.serializer.tags
        )

    def to_json(self, value: Any) -> Any:
        key = next(iter(value))
        return {f"{key}__": self.serializer.tag(value[key])}

    def to_python(self, value: Any) -> Any:
        key = next(iter(value))
        return {key[:-2]: value[key]}


class PassDict(JSONTag):
    """Plain dicts are walked, not tagged."""

    __slots__ = ()

    def check(self, value: Any) -> bool:
        return isinstance(value, dict)

    def to_json(self, value: Any) -> Any:
        return {k: self.serializer.tag(v) for k, v in value.items()}

    tag = to_json


class TagTuple(JSONTag):
    """Tuples (`` t``)."""

    __slots__ = ()
    key = " t"

    def check(self, value: Any) -> bool:
        return isinstance(value, tuple)

    def to_json(self, value: Any) -> Any:
        return [self.serializer.tag(item) for item in value]

    def to_python(self, value: Any) -> Any:
        return tuple(value)


class PassList(JSONTag):
    """Lists are walked, not tagged."""

    __slots__ = ()

    def check(self, value: Any) -> bool:
        return isinstance(value, list)

    def to_json(self, value: Any) -> Any:
        return [self.serializer.tag(item) for item in value]

    tag = to_json


class TagBytes(JSONTag):
    """Bytes (`` b``), as standard padded base64."""

    __slots__ = ()
    key = " b"

    def check(self, value: Any) -> bool:
        return isinstance(value, bytes)

    def to_json(self, value: Any) -> Any:
        return b64encode(value).decode("ascii")

    def to_python(self, value: Any) -> Any:
        return b64decode(value)


class TagMarkup(JSONTag):
    """Objects with ``__html__`` (`` m``); loads back as ``markupsafe.Markup`` when installed."""

    __slots__ = ()
    key = " m"

    def check(self, value: Any) -> bool:
        return callable(getattr(value, "__html__", None))

    def to_json(self, value: Any) -> Any:
        return str(value.__html__())

    def to_python(self, value: Any) -> Any:
        return _markup(value)


class TagUUID(JSONTag):
    """UUIDs (`` u``), as 32 lower-case hex digits."""

    __slots__ = ()
    key = " u"

    def check(self, value: Any) -> bool:
        return isinstance(value, uuid.UUID)

    def to_json(self, value: Any) -> Any:
        return value.hex

    def to_python(self, value: Any) -> Any:
        return uuid.UUID(value)


class TagDateTime(JSONTag):
    """Datetimes (`` d``), as an HTTP date in UTC; microseconds are lost, as in Flask."""

    __slots__ = ()
    key = " d"

    def check(self, value: Any) -> bool:
        return isinstance(value, datetime)

    def to_json(self, value: Any) -> Any:
        return http_date(value)

    def to_python(self, value: Any) -> Any:
        return parsedate_to_datetime(value).astimezone(timezone.utc)


def _default(value: Any) -> Any:
    """Flask's JSON fallback: dates become HTTP-date strings (untagged), Decimals strings."""
    if isinstance(value, date):
        return http_date(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    msg = f"Object of type {type(value).__name__} is not JSON serializable"
    raise TypeError(msg)


class TaggedJSONSerializer:
    """Compact, key-sorted, ASCII-escaped tagged JSON, byte-identical to Flask's."""

    default_tags: tuple[type[JSONTag], ...] = (
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    )

    def __init__(self) -> None:
        self.tags: dict[str, JSONTag] = {}
        self.order: list[JSONTag] = []
        for tag_class in self.default_tags:
            self.register(tag_class)

    def register(
        self, tag_class: type[JSONTag], force: bool = False, index: int | None = None
    ) -> None:
        """Register a tag class; ``index`` puts it earlier in the dump order (Flask's API).

        Raises:
            KeyError: the tag key is taken and ``force`` is false.
        """
        tag = tag_class(self)
        key = tag.key
        if key:
            if not force and key in self.tags:
                msg = f"Tag {key!r} is already registered."
                raise KeyError(msg)
            self.tags[key] = tag
        if index is None:
            self.order.append(tag)
        else:
            self.order.insert(index, tag)

    def tag(self, value: Any) -> Any:
        """Convert ``value`` to its tagged JSON-ready form."""
        for tag in self.order:
            if tag.check(value):
                return tag.tag(value)
        return value

    def untag(self, value: dict[str, Any]) -> Any:
        """Convert a one-key dict with a registered tag back to its value."""
        if len(value) != 1:
            return value
        key = next(iter(value))
        if key not in self.tags:
            return value
        return self.tags[key].to_python(value[key])

    def _untag_scan(self, value: Any) -> Any:
        if isinstance(value, dict):
            value = {k: self._untag_scan(v) for k, v in value.items()}
            value = self.untag(value)
        elif isinstance(value, list):
            value = [self._untag_scan(item) for item in value]
        return value

    def dumps(self, value: Any) -> str:
        """Tag ``value`` and dump it as compact JSON with sorted keys."""
        return json.dumps(
            self.tag(value),
            separators=(",", ":"),
            sort_keys=True,
            ensure_ascii=True,
            default=_default,
        )

    def loads(self, value: str | bytes) -> Any:
        """Load JSON and untag it bottom-up."""
        return self._untag_scan(json.loads(value))
