"""Pausing Python's cyclic garbage collector around bulk work.

Loading or checking a large design creates hundreds of thousands of small containers and no
reference cycles; the collector's repeated full passes over them cost about a third of the
time. Pausing it for the duration (and restoring the caller's setting) is safe here.

What an open makes is long-lived (the design, its findings, the scene's items): once a design
is open and checked, :func:`keep_out_of_collections` moves everything alive out of the
collector's reach, so that its first passes do not walk all of it at once (a stall of up to a
second on a large design, paid in whatever the user does next); :func:`collect_again` undoes
that when the design is closed, so that what it leaves in reference cycles is freed.
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


def keep_out_of_collections() -> None:
    """Everything alive now is long-lived: the collector's passes skip it (``gc.freeze``)."""
    gc.freeze()


def collect_again() -> None:
    """What :func:`keep_out_of_collections` set aside is the collector's again."""
    gc.unfreeze()
