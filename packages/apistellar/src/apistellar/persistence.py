"""``apistellar.persistence``, the original module path of the persistence helpers
(``conn_asyncable``, ``conn_debug``... were importable only from here).

Re-exports only: the names live in :mod:`apistellar_web.persistence` (and ``proxy``,
which the original's persistence tests imported from here, in :mod:`apistellar_web.helpers`).
"""

from apistellar_web.helpers import proxy
from apistellar_web.persistence import (
    DriverMixin,
    PersistentType,
    conn_asyncable,
    conn_asyncgen,
    conn_debug,
    conn_ignore,
    conn_manager,
    conn_proxy_driver_names,
    contextmanager,
)
from apistellar_web.toolkit import get_callargs

__all__ = [
    "DriverMixin",
    "PersistentType",
    "conn_asyncable",
    "conn_asyncgen",
    "conn_debug",
    "conn_ignore",
    "conn_manager",
    "conn_proxy_driver_names",
    "contextmanager",
    "get_callargs",
    "proxy",
]
