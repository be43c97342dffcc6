"""``apistellar.bases``: the original package of the framework's base classes (re-exports)."""
