"""Keeping Python's cyclic garbage collector off the design's objects.

Loading or checking a large design creates hundreds of thousands of small containers and no
reference cycles; the collector's repeated full passes over them cost about a third of the
time. Pausing it for the duration (and restoring the caller's setting) is safe here.

Once a design is open and checked, its objects live as long as it stays open, yet every full
pass of the collector went through all of them again: 50-110 ms at 1,000 hosts, landing
inside whatever the user did next (a drop, an undo). :func:`settle` leaves the objects that
exist then out of all later passes (``gc.freeze``); :func:`unsettle` takes them back, so a
design closed for another is collected as before.
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


def settle() -> None:
    """Leave every object that exists now out of the collector's later passes (a design just
    opened and checked: what it made lives while it is open). Not collected in full first: a
    full pass then would be the very pause this avoids; what garbage was left is taken back
    and collected after :func:`unsettle`.

    The collector's list keeps the order in which objects came, oldest first, as it does
    without a freeze: ``gc.freeze`` alone puts the youngest generation first, and
    ``gc.unfreeze`` puts what was left out after everything that came since. The order is the
    one in which a collection clears a garbage cycle, and PySide6 (6.11) crashes when it
    clears an undo command pushed on a QUndoStack before the QObject that owns the stack: the
    command's wrapper takes the C++ command back and deletes it, and the stack, deleted
    after, deletes it again (a document closed after edits, collected after a freeze and an
    unfreeze: a segmentation fault). The young generations are collected first (a short pass
    over what came since the last one), so everything is in the oldest, in order."""
    gc.collect(1)
    gc.freeze()


def unsettle() -> None:
    """Take the objects :func:`settle` left out back into the collector's passes (another
    design is about to replace the open one), ahead of what came since, as they came."""
    gc.collect(1)
    gc.freeze()  # (what came since, oldest first, after what was left out before)
    gc.unfreeze()
