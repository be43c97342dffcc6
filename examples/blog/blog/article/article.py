"""The article model."""

from apistar import types, validators


class Article(types.Type):
    title = validators.String(max_length=120)
    body = validators.String(default="")
    tags = validators.Array(items=validators.String(), default=[])
