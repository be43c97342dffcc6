"""``apistellar.bases.model_factory``, the original module path of ``ModelFactory``."""

from apistellar_web.model_factory import ModelFactory

__all__ = ["ModelFactory"]
