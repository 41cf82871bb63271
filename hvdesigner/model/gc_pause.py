"""Pausing Python's cyclic garbage collector around bulk work.

Loading or checking a large design creates hundreds of thousands of small containers and no
reference cycles; the collector's repeated full passes over them cost about a third of the
time. Pausing it for the duration (and restoring the caller's setting) is safe here.

What bulk work makes is long-lived (a loaded design, its findings, a scene's items), so when it
ends those objects are frozen out of the collector's reach (``gc.freeze``): otherwise the
first collection after the pause walks all of them at once, a stall of a second on a large
design, paid in whatever the user does next (a sort, a click). They are still freed when no
longer referenced; only a reference cycle among them would outlive its use, and the model and
the findings make none.
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
            gc.freeze()
            gc.enable()
