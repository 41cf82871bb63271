"""A long drop-down in the inspector (a VM's "Runs on" offers every server) holds only the
chosen entry until the user reaches for it, then every choice, and choosing still edits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea

from hvdesigner.ui.fields import LAZY_CHOICES
from hvdesigner.ui.main_window import MainWindow


def many_hosts(n: int) -> dict[str, Any]:
    return {"format": "hvdesigner", "version": 2,
            "sites": [{"id": "hq", "name": "HQ"}],
            "hosts": [{"id": f"h{i:03}", "name": f"HV{i:03}", "fqdn": f"h{i}.x", "site": "hq"}
                      for i in range(n)],
            "vms": [{"id": "vm1", "name": "VM1", "placement": "h005"}]}


def test_runs_on_fills_when_reached_for_and_a_choice_by_keyboard_edits(
        window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    path = tmp_path / "many.hvd"
    path.write_text(json.dumps(many_hosts(LAZY_CHOICES + 30)))
    assert window.open_path(str(path))
    assert window.inspector is not None
    window.inspector.show_entity("vm1")
    assert window.inspector.form is not None
    combo = window.inspector.form.editors["placement"].combo
    assert combo.count() == 1 and combo.currentText() == "HV005 (h005)"  # (only the chosen)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    assert combo.count() == LAZY_CHOICES + 30 and combo.currentText() == "HV005 (h005)"
    QTest.keyClick(combo, Qt.Key.Key_Down)
    assert window.document is not None
    assert window.document.design.vms["vm1"].placement == "h006"
    assert window.document.undo_stack.count() == 1


def test_a_long_choice_does_not_widen_the_form_past_the_dock(
        window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    """A site named at length made every drop-down of a host as wide as its name, and the
    form with them: the fields ran off the dock's edge under a horizontal scroll bar. The
    field now takes the dock's width, and its list still shows the name whole."""
    design = many_hosts(6)
    design["sites"].append({"id": "nwh", "name": "Northwind Hosting cloud (South Central), "
                                                 "tenant 42, second region"})
    path = tmp_path / "long.hvd"
    path.write_text(json.dumps(design))
    assert window.open_path(str(path))
    inspector = window.inspector
    assert inspector is not None
    inspector.show_entity("h001")
    assert inspector.form is not None
    scroll = inspector.findChild(QScrollArea)
    qtbot.waitUntil(inspector.form.isVisible)
    assert inspector.body.minimumSizeHint().width() <= scroll.viewport().width()
    assert scroll.horizontalScrollBar().maximum() == 0
    combo = inspector.form.editors["site"].combo
    combo.showPopup()
    popup = combo.view()
    longest = max(popup.sizeHintForColumn(0), combo.fontMetrics().horizontalAdvance(
        "Northwind Hosting cloud (South Central), tenant 42, second region (nwh)"))
    assert popup.width() >= longest
    combo.hidePopup()
