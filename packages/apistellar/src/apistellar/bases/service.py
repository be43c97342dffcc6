"""``apistellar.bases.service``, the original module path of ``Service`` (re-export)."""

from apistellar_web.service import Service

__all__ = ["Service"]
