"""``apistellar.bases.hooks``, where the original's wiki imported ``ErrorHook`` from.

Re-exports only: the names live in :mod:`apistellar_web.hooks`.
"""

from apistellar_web.hooks import ErrorHook, Hook, Return

__all__ = ["ErrorHook", "Hook", "Return"]
