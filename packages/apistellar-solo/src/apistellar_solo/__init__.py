"""apistellar-solo: offline tasks that reuse an apistellar web app's injectables.

``Solo`` subclasses in the project package are discovered; ``SoloManager`` runs one from
the command line, and ``apistellar solo`` does the same from the project folder.
"""

from ._solo import Solo, SoloManager

__all__ = ["Solo", "SoloManager"]
