"""A design open and checked is left out of the garbage collector's passes: each full pass
went through all of its objects again (50-110 ms at 1,000 hosts, 260-810 ms at 5,000),
landing inside whatever the user did next. Another design opened takes them back."""

from __future__ import annotations

import gc
from typing import Any

from hvdesigner.ui.main_window import MainWindow


def _watched(window: MainWindow) -> set[int]:
    """The ids of the open design's entities that the collector's passes go through."""
    assert window.document is not None
    entities = {id(e) for e in window.document.design.entities_by_id().values()}
    return entities & {id(o) for o in gc.get_objects()}


def test_an_open_checked_design_is_left_out_of_the_collectors_passes(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    assert window.open_path(str(example("training.hvd")))
    document = window.document
    assert document is not None
    qtbot.waitUntil(lambda: document._first_check_done, timeout=5000)
    assert gc.get_freeze_count() > len(document.design.entities_by_id())
    assert not _watched(window)

    assert window.open_path(str(example("three-tier-hosting.hvd")))
    assert gc.get_freeze_count() == 0  # the design closed may be collected
    assert _watched(window)  # (the new one is not checked yet)
    document = window.document
    assert document is not None
    qtbot.waitUntil(lambda: document._first_check_done, timeout=5000)
    assert not _watched(window)
