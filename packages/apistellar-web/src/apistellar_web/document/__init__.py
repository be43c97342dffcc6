"""API documentation from handler docstrings: ``apistellar create document``.

:mod:`.parser` reads the docstring grammar, :mod:`.extract` turns routes into tables,
:mod:`.render` writes Markdown and builds HTML with Sphinx (MyST).
"""

from .parser import Doc, RstDocParser

__all__ = ["Doc", "RstDocParser"]
