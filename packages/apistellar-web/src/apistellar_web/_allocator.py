"""Allocator settings that keep large request bodies off the page-fault path (glibc only).

The server reads request bodies in pieces of up to 256 KiB. Under glibc's defaults, pieces
above the dynamic ``mmap`` threshold are mapped fresh and unmapped again, and the top of
the heap is trimmed as soon as it is free, so every piece is faulted in page by page:
about 200,000 minor faults per GiB uploaded, which halves upload throughput whatever the
application does with the bytes. Fixing the ``mmap`` threshold at 1 MiB and the trim
threshold at 4 MiB lets the same few heap blocks be reused instead.

:func:`tune_allocator` is called at application start-up unless the ``MALLOC_TUNING``
setting is false. It changes nothing when the process runs on another C library, or when
the operator already chose values through ``MALLOC_MMAP_THRESHOLD_``,
``MALLOC_TRIM_THRESHOLD_`` or ``GLIBC_TUNABLES``.
"""

import ctypes
import os

__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "tune_allocator"]

MMAP_THRESHOLD = 1024 * 1024
TRIM_THRESHOLD = 4 * 1024 * 1024
_M_TRIM_THRESHOLD = -1  # mallopt parameter numbers from glibc's malloc.h
_M_MMAP_THRESHOLD = -3
_OPERATOR_CHOICES = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES")


def tune_allocator() -> bool:
    """Set glibc's ``mmap`` and trim thresholds for streaming; whether they were set."""
    if any(name in os.environ for name in _OPERATOR_CHOICES):
        return False
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 - present on glibc only
        mallopt = libc.mallopt
    except (AttributeError, OSError, TypeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
        and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
    )
