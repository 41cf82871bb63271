"""The scenario view through the real widgets: "Lose HQ" chosen on the toolbar's switch greys
HQ, hangs load bars with the right figures under the surviving servers and lists the VMs
recovered onto them; the Recovery plan dock lists the start order by group, then the lost and
down VMs, and a click on a row selects the VM; an edit of a VM's memory moves the bar, undo
brings it back; the switch follows the sites; Normal draws nothing new."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from hvdesigner.canvas.items import Attachment
from hvdesigner.canvas.scenario_overlay import BAR_ROW_H, TAB_PAD, LoadPanel, LostVeil
from hvdesigner.canvas.tokens import SEVERITY_LIGHT
from hvdesigner.editing import edits
from hvdesigner.recovery.scenarios import Size
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import click, open_example, pixels_like
from tests.ui.scenario_design import scenario_design
from tests.ui.test_canvas_hits import hover

PLAN_LOSING_HQ = [
    ["Group 1 · 1 VM"],
    ["1", "DB1", "HV2", "primary (HV1 → HV2)", "≤ 10 min"],
    ["Group 2 · 2 VMs"],
    ["2", "APP1", "HV2", "primary (HV1 → HV2)", "≤ 10 min"],
    ["3", "WEB1", "HV2", "primary (HV1 → HV2)", "≤ 10 min"],
    ["No group (starts last) · 1 VM"],
    ["4", "MAIL1", "HV2", "primary (HV1 → HV2)", "≤ 10 min"],
    ["Lost: every copy was in the lost site · 1 VM"],
    ["", "ARCH1", "—", "no copy survives", "all since the loss"],
    ["Down: not replicated · 1 VM"],
    ["", "FILE1", "—", "not replicated", "—"],
]


def open_design(window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    path = tmp_path / "recovery.hvd"
    path.write_text(json.dumps(scenario_design()))
    assert window.open_path(str(path))
    QTest.qWait(10)  # the deferred fit to content, as after a real open
    window.plan_dock.raise_()
    qtbot.waitUntil(window.plan_panel.isVisible)


def choose_by_keyboard(window: MainWindow, text: str) -> None:
    """Focus the switch and press Down or Up until it shows ``text`` (as a user picks one)."""
    combo = window.scenarios.combo
    combo.setFocus()
    steps = combo.findText(text) - combo.currentIndex()
    for _ in range(abs(steps)):
        QTest.keyClick(combo, Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up)
    assert combo.currentText() == text


def panel(window: MainWindow, server: str) -> LoadPanel:
    assert window.scenarios.overlay is not None
    return window.scenarios.overlay.panels[server]


def attachments(window: MainWindow) -> list[Any]:
    assert window.scene is not None
    return [i for i in window.scene.items() if isinstance(i, (Attachment, LostVeil))]


def test_losing_hq_greys_it_shows_the_bars_and_lists_the_plan(
        window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    open_design(window, tmp_path, qtbot)
    assert attachments(window) == []  # Normal: the canvas as without scenarios
    assert window.plan_panel.hint.isVisible()
    choose_by_keyboard(window, "Lose HQ")

    overlay = window.scenarios.overlay
    assert overlay is not None
    hq = window.scene.sites["hq"]
    assert set(overlay.veils) == {"hq"} and overlay.veils["hq"].anchor.parentItem() is hq
    assert overlay.veils["hq"].sceneBoundingRect() == hq.scene_frame()
    assert set(overlay.panels) == {"hv2", "hv3"}  # the survivors; HQ's servers have none
    dr = panel(window, "hv2").look
    assert (dr.load.memory_demand_gb, dr.load.capacity.memory_gb, dr.load.vcpu_demand,
            dr.load.capacity.cpus) == (84, 64, 20, 24)
    assert dr.load.over_memory and not dr.load.over_cores
    assert dr.figures() == ("84/64 GB", "20/192")  # (24 cores × 8 vCPUs a core)
    assert [(r.position, r.name, r.rpo_s) for r in dr.recovered] == [
        (1, "DB1", 600), (2, "APP1", 600), (3, "WEB1", 600), (4, "MAIL1", 600)]
    assert panel(window, "hv3").look.figures() == ("0/32 GB", "0/64")

    # what the user sees: the RAM bar in the error colour, the vCPU bar not; hovering the
    # bars counts the VMs of unknown size
    window.view.set_zoom(1.0)
    card = panel(window, "hv2")
    window.view.centerOn(card)
    width = card.boundingRect().width()
    ram = card.mapToScene(QPointF(width * 0.45, TAB_PAD + BAR_ROW_H / 2))
    vcpu = card.mapToScene(QPointF(width * 0.45, TAB_PAD + BAR_ROW_H * 1.5))
    error = QColor(SEVERITY_LIGHT["error"])
    assert pixels_like(window.view, ram, error, radius=5) > 10
    assert pixels_like(window.view, vcpu, error, radius=5) == 0
    said = hover(window.view, vcpu)
    assert "Memory: 84 GB asked of 64 GB (over capacity)" in said
    assert "1 VM is of unknown size (counted as 0): UNK1" in said

    assert window.plan_panel.rows() == PLAN_LOSING_HQ
    assert window.plan_panel.summary.text() == (
        "Losing HQ: 4 VMs come back, 1 lost, 1 down. Over capacity: HV2.")


def test_a_click_on_a_plan_row_selects_the_vm_and_the_lost_site_stays_editable(
        window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    open_design(window, tmp_path, qtbot)
    choose_by_keyboard(window, "Lose HQ")
    tree = window.plan_panel.tree
    row = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).text(1) == "APP1")
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     tree.visualItemRect(row).center())
    assert window.scene.selected_parts == {"app1"}
    assert window.inspector is not None
    # the veil takes no clicks: HV1, in the lost site, is selected by a click on its card
    hv1 = window.scene.servers["hv1"]
    window.view.centerOn(hv1)
    click(window.view, hv1.mapToScene(QPointF(80, 12)))
    assert [i.entity_id for i in window.scene.selectedItems()] == ["hv1"]


def test_an_edit_moves_the_bar_undo_brings_it_back_and_the_switch_is_no_edit(
        window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    open_design(window, tmp_path, qtbot)
    document = window.document
    assert document is not None
    for _ in range(3):  # Normal → Lose Branch → Lose DR → Lose HQ
        QTest.keyClick(window, Qt.Key.Key_R,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.scenarios.combo.currentText() == "Lose HQ"
    assert document.undo_stack.count() == 0 and not document.dirty  # a view, not an edit

    document.do(edits.set_fields, "web1", memory_gb=40)  # as the inspector commits a field
    qtbot.waitUntil(lambda: panel(window, "hv2").look.load.memory_demand_gb == 116)
    assert panel(window, "hv2").look.figures()[0] == "116/64 GB"
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: panel(window, "hv2").look.load.memory_demand_gb == 84)
    # a drag (a change of the layout) changes no scenario: not worked out again, but the
    # veil goes with its frame
    shown = window.scenarios.scenario
    document.do(edits.nudge, ["hv2"], 10, 0)
    document.do(edits.nudge, ["hq"], 0, 50)
    QTest.qWait(250)
    assert window.scenarios.scenario is shown
    hq = window.scene.sites["hq"]
    assert window.scenarios.overlay.veils["hq"].sceneBoundingRect() == hq.scene_frame()
    # a VM of unknown size given one: the tooltip stops counting it
    document.do(edits.set_fields, "unk1", memory_gb=2, vcpus=1)
    qtbot.waitUntil(lambda: panel(window, "hv2").look.load.unknown_vms == 0)
    assert "unknown size" not in panel(window, "hv2").tooltip()
    # a card whose VMs are shown lists the recovered ones under its own, one row each
    card = window.scene.servers["hv2"]
    rows = panel(window, "hv2").rows
    assert not rows.isVisible()
    card.set_expanded(True)
    assert rows.isVisible() and rows.boundingRect().height() >= 4 * 16
    assert rows.sceneBoundingRect().top() >= card.mapRectToScene(card.card_rect()).bottom()
    assert panel(window, "hv2").sceneBoundingRect().bottom() <= card.scenePos().y()  # (the tab)


def test_the_switch_follows_the_sites_and_normal_draws_nothing(
        window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    open_design(window, tmp_path, qtbot)
    document = window.document
    assert document is not None
    combo = window.scenarios.combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Normal", "Lose Branch", "Lose DR", "Lose HQ"]
    width = combo.sizeHint().width()
    document.do(edits.rename, "dr", "Denver")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Normal", "Lose Branch", "Lose Denver", "Lose HQ"]
    document.do(edits.rename, "dr", "Denver " + "metropolitan disaster-recovery campus " * 3)
    assert combo.sizeHint().width() == width  # (a long name no longer fills the toolbar)
    document.do(edits.rename, "dr", "Denver")
    choose_by_keyboard(window, "Lose HQ")
    assert attachments(window)
    document.do(edits.delete, ["hq"])  # the lost site gone: back to Normal
    assert combo.currentText() == "Normal" and attachments(window) == []
    document.undo_stack.undo()
    assert "Lose HQ" in [combo.itemText(i) for i in range(combo.count())]
    choose_by_keyboard(window, "Lose HQ")
    assert attachments(window)
    document.do(edits.delete, ["hv3"])  # a surviving server deleted: its panel goes with it
    qtbot.waitUntil(lambda: set(window.scenarios.overlay.panels) == {"hv2"})
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: set(window.scenarios.overlay.panels) == {"hv2", "hv3"})
    choose_by_keyboard(window, "Normal")
    QApplication.processEvents()
    assert attachments(window) == []
    assert window.plan_panel.hint.isVisible()


def test_the_plan_dock_shown_right_after_a_recovered_vm_is_deleted_leaves_it_out(
        window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    """The dock keeps the scenario it was given while hidden; shown before the switch works
    the edit out (100 ms), it lists that scenario without the VM deleted since."""
    open_design(window, tmp_path, qtbot)
    window.capacity_dock.raise_()  # (tabbed with the plan: the plan hidden)
    qtbot.waitUntil(lambda: not window.plan_panel.shown)
    choose_by_keyboard(window, "Lose HQ")  # kept for when the dock is shown
    window.document.do(edits.delete, ["db1"])
    window.plan_dock.raise_()  # at once, before the switch's next scenario
    assert window.plan_panel.shown
    assert window.plan_panel.rows() == PLAN_LOSING_HQ[2:]  # (group 1 was DB1 alone)
    assert window.plan_panel.summary.text().startswith("Losing HQ: 3 VMs come back")
    # then the switch's scenario for the design as it is: DB1 gone, the others renumbered
    qtbot.waitUntil(lambda: window.plan_panel.rows()[1] == [
        "1", "APP1", "HV2", "primary (HV1 → HV2)", "≤ 10 min"])
    assert "DB1" not in str(window.plan_panel.rows())


def test_a_cluster_carries_one_tab_for_its_nodes_and_unknown_capacity_reads_as_such(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    choose_by_keyboard(window, "Lose Denver DR datacenter")
    overlay = window.scenarios.overlay
    assert overlay is not None and "hvc-sea" in overlay.panels
    assert not {"sea-hv01", "sea-hv02"} & set(overlay.panels)  # nodes count on their cluster
    tab = overlay.panels["hvc-sea"]
    assert tab.parentItem() is window.scene.servers["hvc-sea"]
    assert tab.look.load.running == ("app01", "fs01", "sql01")  # APP01 runs on node SEA-HV02
    assert tab.look.load.capacity == Size(736, 96)  # two nodes of 368 GB and 48 cores
    assert tab.look.figures() == ("112/736 GB", "16/768")
    # one node's memory unknown: the cluster's is unknown, and reads as such
    window.document.do(edits.set_fields, "sea-hv02", memory_gb=None)
    qtbot.waitUntil(lambda: overlay.panels["hvc-sea"].look.load.capacity == Size(None, 96))
    tab = overlay.panels["hvc-sea"]
    assert tab.look.figures() == ("112/? GB", "16/768")
    assert not tab.look.load.over_memory and not tab.look.load.over_cores


def test_an_inspector_edit_of_a_vms_memory_moves_the_bar_and_rcv01_and_undo_restores_them(
        window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    """The issue's walk: Lose HQ, HV2 short of memory (RCV-01); APP1's memory typed down in the
    inspector makes it fit: the bar and the finding follow; Ctrl+Z brings both back."""
    open_design(window, tmp_path, qtbot)
    choose_by_keyboard(window, "Lose HQ")

    def rcv01() -> bool:
        return any(f.rule == "RCV-01" and f.subjects == ("hv2", "hq")
                   for f in window.findings_panel.model.all_findings)

    qtbot.waitUntil(rcv01)
    assert panel(window, "hv2").look.load.over_memory
    tree = window.plan_panel.tree
    row = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).text(1) == "APP1")
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     tree.visualItemRect(row).center())
    assert window.inspector is not None
    memory = window.inspector.form.editors["memory_gb"].spin
    memory.setFocus()
    memory.selectAll()  # (the field as a user types over it)
    QTest.keyClicks(memory, "4")
    QTest.keyClick(memory, Qt.Key.Key_Return)
    assert window.document is not None and window.document.design.vms["app1"].memory_gb == 4
    qtbot.waitUntil(lambda: panel(window, "hv2").look.load.memory_demand_gb == 56)
    assert panel(window, "hv2").look.figures()[0] == "56/64 GB"
    assert not panel(window, "hv2").look.load.over_memory
    qtbot.waitUntil(lambda: not rcv01())

    window.view.setFocus()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel(window, "hv2").look.load.memory_demand_gb == 84)
    assert panel(window, "hv2").look.load.over_memory
    qtbot.waitUntil(rcv01)
