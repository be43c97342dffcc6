"""``apistellar.types``, the original module path of the model layer
(``from apistellar.types import Type, validators``).

Re-exports only: the names live in :mod:`apistellar_web.types` and
:mod:`apistellar_web.persistence`; ``apistellar.types.formats`` and
``apistellar.types.validators`` are the original's submodule paths.
"""

from apistellar_web.persistence import PersistentType
from apistellar_web.types import AsyncType, Type, TypeEncoder

from . import formats, validators

__all__ = [
    "AsyncType",
    "PersistentType",
    "Type",
    "TypeEncoder",
    "formats",
    "validators",
]
