"""``apistellar.bases.response``, where the original's wiki imported ``FileResponse`` from.

Re-exports only: the name lives in :mod:`apistellar_web.downloads`.
"""

from apistellar_web.downloads import FileResponse

__all__ = ["FileResponse"]
