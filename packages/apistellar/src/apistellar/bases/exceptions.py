"""``apistellar.bases.exceptions``, the original module path of ``Readonly`` (re-export)."""

from apistellar_web.exceptions import Readonly

__all__ = ["Readonly"]
