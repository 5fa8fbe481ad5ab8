"""Keep the memory one chunk frees for the next chunk, instead of handing it back to the system (glibc only).

Scoring a chunk allocates and frees arrays of a few megabytes. With glibc's
default settings much of that memory is returned to the operating system
and comes back as fresh, zeroed pages for the next chunk: a page fault for
every page, every chunk. The settings are global to a process and cannot be read back,
so only the scoring command's own processes apply them (the command and
its worker processes), never a program that imports asnclf.
"""

from __future__ import annotations

import os

# From glibc's <malloc.h>.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Blocks up to this size come from the heap, not from their own mapping (glibc's own dynamic maximum).
MMAP_THRESHOLD = 32 << 20
# Free memory kept at the top of the heap before any is returned.
TRIM_THRESHOLD = 128 << 20


def keep_freed_memory() -> bool:
    """Apply the settings to this process; False where the C library is not glibc (nothing is changed)."""
    try:
        if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
            return False
    except (AttributeError, ValueError, OSError):  # no confstr, or no such name: not glibc
        return False
    import ctypes

    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
