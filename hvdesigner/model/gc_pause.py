"""Pausing Python's cyclic garbage collector around bulk work.

Loading or checking a large design creates hundreds of thousands of small containers and no
reference cycles; the collector's repeated full passes over them cost about a third of the
time. Pausing it for the duration (and restoring the caller's setting) is safe here.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
