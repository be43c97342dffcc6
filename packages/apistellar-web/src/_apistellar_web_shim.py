"""Loaded at interpreter start-up by ``apistellar_web.pth``: lets API Star 0.5.42 import.

API Star imports ``werkzeug.urls.url_decode`` (removed in werkzeug 2.3) and, while
importing, emits ``SyntaxWarning``/``DeprecationWarning`` (invalid escapes, ``cgi``). A
module that does ``from apistar import http`` before importing apistellar would fail, or
fail under ``-W error``. This module only registers a one-shot import hook -- nothing is
imported at start-up. When ``werkzeug.urls`` is first imported, ``url_decode`` is added to
it; when ``apistar`` is first imported, its import runs with those two warnings silenced.
See ``apistellar_web._compat`` for the full list of patched points.
"""

import sys
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType

__all__ = ["install", "url_decode"]


def url_decode(
    s: "str | bytes",
    charset: str = "utf-8",
    include_empty: bool = True,
    errors: str = "replace",
    separator: str = "&",
    cls: "type | None" = None,
    **_: object,
) -> object:
    """Parse a query string into a ``MultiDict`` (werkzeug 2.2's ``url_decode``)."""
    from urllib.parse import parse_qsl

    from werkzeug.datastructures import MultiDict

    if isinstance(s, bytes):
        s = s.decode(charset, errors)
    pairs = parse_qsl(
        s, keep_blank_values=include_empty, encoding=charset, errors=errors, separator=separator
    )
    return (cls or MultiDict)(list(pairs))


class _PatchingLoader:
    def __init__(self, inner: "object", name: str) -> None:
        self.inner = inner
        self.name = name

    def create_module(self, spec: ModuleSpec) -> "ModuleType | None":
        return self.inner.create_module(spec)  # type: ignore[attr-defined,no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        if self.name == "apistar":
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SyntaxWarning)
                warnings.simplefilter("ignore", DeprecationWarning)
                self.inner.exec_module(module)  # type: ignore[attr-defined]
            return
        self.inner.exec_module(module)  # type: ignore[attr-defined]
        if not hasattr(module, "url_decode"):
            module.url_decode = url_decode  # type: ignore[attr-defined]


class _Finder:
    """Meta-path finder that wraps the loaders of ``werkzeug.urls`` and ``apistar``."""

    names = ("werkzeug.urls", "apistar")

    @classmethod
    def find_spec(
        cls, name: str, path: object = None, target: object = None
    ) -> "ModuleSpec | None":
        if name not in cls.names:
            return None
        spec = PathFinder.find_spec(name, path)  # type: ignore[arg-type]
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchingLoader(spec.loader, name)  # type: ignore[assignment]
        return spec


def install() -> None:
    """Register the hook, or patch ``werkzeug.urls`` at once if it is already imported."""
    module = sys.modules.get("werkzeug.urls")
    if module is not None and not hasattr(module, "url_decode"):
        setattr(module, "url_decode", url_decode)  # noqa: B010
    if not any(finder is _Finder for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder)


install()
