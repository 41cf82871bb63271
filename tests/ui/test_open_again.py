"""Opening one design after another in the same window: the designs opened before, with
everything drawn and listed for them, are let go, so memory does not grow with every file."""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from bench.generate import generate_design
from hvdesigner.editing.document import Document
from hvdesigner.fileformat.loader import load
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import EXAMPLES, Answers


def test_a_design_opened_before_is_let_go_once_another_is_opened(
        window: MainWindow, answers: Answers, qtbot: Any) -> None:
    earlier: list[tuple[str, weakref.ref[Any]]] = []
    for name in ("training.hvd", "three-tier-hosting.hvd", "two-sites-certificates.hvd"):
        answers.queue.append(QMessageBox.StandardButton.Discard)  # the last design was edited
        assert window.open_path(str(EXAMPLES / name))
        document = window.document
        assert document is not None
        # an edit through the inspector, as the user makes one before opening the next file
        site = next(iter(window.scene.sites.values()))
        site.setSelected(True)
        qtbot.keyClicks(window.inspector.form.editors["name"].line, " renamed")
        assert document.undo_stack.count() == 1
        earlier += [(f"{name}: {what}", weakref.ref(held)) for what, held in (
            ("document", document), ("design", document.design), ("canvas", window.scene),
            ("inspector", window.inspector))]
        del document, site
    QApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # what deleteLater left
    gc.collect()
    assert [what for what, ref in earlier[:-4] if ref() is not None] == []
    assert all(ref() is not None for _, ref in earlier[-4:])  # (the open design is kept, of course)
    assert window.document is not None and window.document.undo_stack.count() == 1
    assert window.undo_action.isEnabled()  # (clearing the old undo steps left this design's)


def test_the_collector_waits_while_a_design_is_put_in_the_window_and_is_on_again_after(
        window: MainWindow, tmp_path: Path) -> None:
    """(The canvas of a large design makes its items, looks and routes by the hundred
    thousand, none of them garbage: the collector's passes over them as they came cost a
    fifth of opening 5,000 hosts.)"""
    path = tmp_path / "estate.hvd"
    path.write_text(json.dumps(generate_design(1, sites=20, hosts=200, clusters=10, vms=600,
                                               replications=300, firewalls=4)))
    document = Document(load(path), str(path), str(tmp_path))
    passes: list[int] = []

    def heard(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.callbacks.append(heard)
    try:
        window.set_document(document)
    finally:
        gc.callbacks.remove(heard)
    assert window.scene is not None and window.scene.servers
    # unsettle's pass over what the design open until now left, then the collector's own
    # once on again (over all that came while it waited), not one every 700 objects made
    # (fifteen in all with this design, without the pause)
    assert len(passes) <= 2
    assert gc.isenabled()
