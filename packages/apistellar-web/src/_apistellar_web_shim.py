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
from importlib.machinery import PathFinder

__all__ = ["install", "url_decode"]


def url_decode(s, charset="utf-8", include_empty=True, errors="replace", separator="&", cls=None, **_):  # type: ignore[no-untyped-def]
    """Parse a query string into a ``MultiDict`` (werkzeug 2.2's ``url_decode``)."""
    from urllib.parse import parse_qsl

    from werkzeug.datastructures import MultiDict

    if isinstance(s, bytes):
        s = s.decode(charset, errors)
    pairs = parse_qsl(s, keep_blank_values=include_empty, encoding=charset, errors=errors, separator=separator)
    return (cls or MultiDict)(list(pairs))


class _PatchingLoader:
    def __init__(self, inner, name):  # type: ignore[no-untyped-def]
        self.inner = inner
        self.name = name

    def create_module(self, spec):  # type: ignore[no-untyped-def]
        return self.inner.create_module(spec)

    def exec_module(self, module):  # type: ignore[no-untyped-def]
        if self.name == "apistar":
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SyntaxWarning)
                warnings.simplefilter("ignore", DeprecationWarning)
                self.inner.exec_module(module)
            return
        self.inner.exec_module(module)
        if not hasattr(module, "url_decode"):
            module.url_decode = url_decode


class _Finder:
    """Meta-path finder that wraps the loaders of ``werkzeug.urls`` and ``apistar``."""

    names = ("werkzeug.urls", "apistar")

    @classmethod
    def find_spec(cls, name, path=None, target=None):  # type: ignore[no-untyped-def]
        if name not in cls.names:
            return None
        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchingLoader(spec.loader, name)
        return spec


def install() -> None:
    """Register the hook, or patch ``werkzeug.urls`` at once if it is already imported."""
    module = sys.modules.get("werkzeug.urls")
    if module is not None and not hasattr(module, "url_decode"):
        module.url_decode = url_decode  # type: ignore[attr-defined]
    if not any(finder is _Finder for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder)  # type: ignore[arg-type]


install()
