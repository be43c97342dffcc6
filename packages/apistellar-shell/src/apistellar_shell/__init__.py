"""apistellar-shell: an IPython shell with apistellar injection and top-level await.

Not implemented yet: the package exports nothing so far.
"""

__all__: list[str] = []
