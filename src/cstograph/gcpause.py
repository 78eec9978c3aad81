"""Pausing Python's cyclic garbage collector while a bulk step makes many long-lived objects.

Each full collection walks every object alive; building an index of a million relation
records, or a year's snapshot, triggers many of them for nothing (those steps make no
garbage cycles). Reference counting still frees everything as usual while paused.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused"]


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored as it was afterwards).

    Examples
    --------
    >>> import gc
    >>> with paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
