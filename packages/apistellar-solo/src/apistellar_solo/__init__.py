"""apistellar-solo: offline tasks that reuse an apistellar web app's injectables.

``Solo`` subclasses in the project package are discovered; ``SoloManager`` runs one from
the command line, and ``apistellar solo`` does the same from the project folder.
"""

from importlib.metadata import version as _distribution_version

from ._solo import Solo, SoloManager

__version__ = _distribution_version("apistellar-solo")

__all__ = ["Solo", "SoloManager"]
