"""apistellar-web: the apistellar framework, built on API Star 0.5's dependency injection.

Importing this package makes API Star 0.5.42 importable on current dependencies (see
``apistellar_web._compat``), so ``from apistar import http, App`` keeps working inside
handlers.
"""

from . import _compat  # noqa: F401  (installs the compatibility layer before apistar)

__all__: list[str] = []
