"""apistellar-solo: offline tasks that reuse an apistellar web app's injectables.

Not implemented yet: the package exports nothing so far.
"""

__all__: list[str] = []
