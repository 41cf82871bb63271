"""The capacity dock through the real widgets: its charts follow an edit with the SZ findings,
a what-if drag of a WAN link's bandwidth moves the RPO and is one undo step, a click on a bar
selects its VM on the canvas, a chart exports to PNG, and the inspector shows the figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QSlider, QStyle, QStyleOptionSlider

from hvdesigner.capacity.model import wan_link_capacity
from hvdesigner.editing import edits
from hvdesigner.ui.capacity_dock import BANDWIDTH_RANGE, CapacityPanel, from_slider, to_slider
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import open_example, rules, shown


def dock(window: MainWindow, qtbot: Any) -> CapacityPanel:
    """The capacity tab brought to the front, its chart drawn."""
    window.capacity_dock.raise_()
    panel = window.capacity_panel
    qtbot.waitUntil(panel.isVisible)
    qtbot.waitUntil(lambda: panel.chart is not None and panel.chart.chart is not None)
    return panel


def row(panel: CapacityPanel, wan_id: str) -> Any:
    assert panel.chart.chart is not None
    return next(r for r in panel.chart.chart.rows if r.id == wan_id)


def test_a_disk_churn_edit_moves_the_wan_bar_and_the_sz_findings(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    panel = dock(window, qtbot)
    before = sum(s.value for s in row(panel, "wan-pdx-den").segments)
    assert "SZ-01" not in {f.rule for f in window.findings_panel.model.all_findings
                           if "wan-pdx-den" in f.subjects}
    window.document.do(edits.set_fields, "pdxfs01-data", churn_mb_s=8)
    qtbot.waitUntil(lambda: sum(s.value for s in row(panel, "wan-pdx-den").segments) > before)
    load = sum(s.value for s in row(panel, "wan-pdx-den").segments)
    figures = wan_link_capacity(window.document.design, "wan-pdx-den")
    assert abs(load - figures.load_mbps) < 1e-6 and figures.over_bandwidth
    assert row(panel, "wan-pdx-den").state == "error"
    rules(window)
    assert "SZ-01" in {f.rule for f in window.findings_panel.model.all_findings
                       if "wan-pdx-den" in f.subjects}


def handle_centre(slider: QSlider) -> QPoint:
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    rect = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                         QStyle.SubControl.SC_SliderHandle, slider)
    return rect.center()


def test_dragging_the_what_if_bandwidth_moves_the_rpo_in_one_undo_step(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    panel = dock(window, qtbot)
    panel.wan.setCurrentIndex(panel.wan.findData("wan-sea-den"))  # 50 Mbps, 291 %: over
    assert "unbounded" in panel.readout.text()
    steps = window.document.undo_stack.count()
    slider = panel.bandwidth
    start = handle_centre(slider)
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for dx in (20, 60, 120, 180):  # dragged right, through several values
        QTest.mouseMove(slider, start + QPoint(dx, 0))
        qtbot.wait(5)
    QTest.mouseRelease(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       start + QPoint(180, 0))
    qtbot.wait(20)
    bandwidth = window.document.design.wan_links["wan-sea-den"].bandwidth_mbps
    assert bandwidth > 145.6 / 0.8  # dragged past the load and the ceiling
    assert bandwidth == from_slider(slider.value(), BANDWIDTH_RANGE)
    assert window.document.undo_stack.count() == steps + 1
    assert "unbounded" not in panel.readout.text() and "worst RPO" in panel.readout.text()
    rules(window)
    assert "SZ-01" not in {f.rule for f in window.findings_panel.model.all_findings}
    window.document.undo_stack.undo()
    assert window.document.design.wan_links["wan-sea-den"].bandwidth_mbps == 50
    qtbot.waitUntil(lambda: "unbounded" in panel.readout.text())
    assert slider.value() == to_slider(50, BANDWIDTH_RANGE)


def test_clicking_a_bar_selects_its_vm_on_the_canvas(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    panel = dock(window, qtbot)
    chart = panel.chart
    (sea,) = [r for r in chart.chart.rows if r.id == "wan-sea-den"]
    biggest = sea.segments[0]
    assert window.document.design.vms[biggest.id].name == "CON-SQL01"
    y = len(chart.chart.rows) - 1 - chart.chart.rows.index(sea)
    at = chart.view_point(biggest.value / 2, y)
    QTest.mouseClick(chart.plot.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    qtbot.waitUntil(lambda: biggest.id in window.selected_ids())
    assert panel.vm_label.text() == "CON-SQL01"  # the what-if's VM follows the selection
    assert shown(window.inspector, QLabel, "inspector-capacity").text().startswith("Needs")


def test_a_chart_exports_to_png(window: MainWindow, example: Any, qtbot: Any, tmp_path: Path) -> None:
    open_example(window, example, "training.hvd")
    panel = dock(window, qtbot)
    for index in range(panel.which.count()):
        panel.which.setCurrentIndex(index)
        target = tmp_path / f"chart-{index}.png"
        panel.chart.export_png(str(target))
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 2000


def test_the_inspector_shows_a_wan_links_capacity_and_follows_edits(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    window.scene.select_ids(["wan-pdx-den"])
    label = shown(window.inspector, QLabel, "inspector-capacity")
    assert label.text().startswith("Load 13.5 of 20 Mbps (68%)")
    window.document.do(edits.set_fields, "wan-pdx-den", bandwidth_mbps=40)
    assert label.text().startswith("Load 13.5 of 40 Mbps (34%)")


def test_the_dock_agrees_with_the_capacity_command_on_every_example(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    """The dock, the capacity model (what `hvdesigner capacity` prints) and SZ-01 agree."""
    from hvdesigner.capacity.model import capacity
    from tests.ui.conftest import EXAMPLES

    for path in sorted(EXAMPLES.glob("*.hvd")):
        open_example(window, example, path.name)
        panel = dock(window, qtbot)
        panel.refresh()
        design = window.document.design
        expected = {w.id: w for w in capacity(design, panel.window_hours.value()).wan_links}
        assert panel.figures == expected
        over = {r.id for r in panel.chart.chart.rows if r.state == "error"}
        rules(window)
        sz01 = {s for f in window.findings_panel.model.all_findings if f.rule == "SZ-01"
                for s in f.subjects if s in design.wan_links}
        assert over == sz01 == {w for w, c in expected.items() if c.over_bandwidth}


def test_dragging_the_selected_vms_churn_is_one_step_that_keeps_each_disks_share(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    panel = dock(window, qtbot)
    window.scene.select_ids(["sql01"])
    assert panel.vm_label.text() == "CON-SQL01" and panel.churn.isEnabled()
    design = window.document.design
    shares = {d.id: d.churn_mb_s for d in design.vms["sql01"].disks if d.replicate}
    steps = window.document.undo_stack.count()
    slider = panel.churn
    start = handle_centre(slider)
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for dx in (-30, -90, -160):  # less churn
        QTest.mouseMove(slider, start + QPoint(dx, 0))
        qtbot.wait(5)
    QTest.mouseRelease(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       start + QPoint(-160, 0))
    disks = {d.id: d.churn_mb_s for d in design.vms["sql01"].disks if d.replicate}
    total, before = sum(disks.values()), sum(shares.values())
    assert 0 < total < before
    for id, churn in shares.items():  # each replicated disk keeps its share
        assert abs(disks[id] / total - churn / before) < 1e-3
    assert window.document.undo_stack.count() == steps + 1
    assert window.document.undo_stack.undoText() == "Change churn of CON-SQL01"
    window.document.undo_stack.undo()
    assert {d.id: d.churn_mb_s for d in design.vms["sql01"].disks if d.replicate} == shares


def test_the_wheel_over_a_what_if_slider_edits_nothing_until_it_has_the_focus(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    open_example(window, example, "training.hvd")
    panel = dock(window, qtbot)
    slider = panel.bandwidth
    steps = window.document.undo_stack.count()

    def wheel() -> None:
        centre = QPointF(handle_centre(slider))
        QApplication.sendEvent(slider, QWheelEvent(
            centre, QPointF(slider.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
            False))

    slider.clearFocus()
    wheel()
    assert window.document.undo_stack.count() == steps  # scrolling past it
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus)
    wheel()
    assert window.document.undo_stack.count() == steps + 1


def test_the_inspector_follows_the_planned_window(window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    window.scene.select_ids(["app01"])  # 6.1 h of initial replication
    label = shown(window.inspector, QLabel, "inspector-capacity")
    assert "Initial replication 6.1 h" in label.text() and "seed by media" not in label.text()
    window.capacity_panel.window_hours.setValue(4)
    assert "Initial replication 6.1 h (seed by media)" in label.text()


def test_a_vm_without_a_replication_reads_not_replicated(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    panel = dock(window, qtbot)
    window.document.do(edits.set_fields, "rep-web", vms=("web01",))  # WEB02 left out
    window.scene.select_ids(["web02"])
    qtbot.waitUntil(lambda: "CON-WEB02: not replicated" in panel.readout.text())
    panel.wan.setCurrentIndex(panel.wan.findData("wan-pdx-den"))  # a link that keeps up
    assert "unbounded" not in panel.readout.text() and panel.readout.styleSheet() == ""
    assert shown(window.inspector, QLabel, "inspector-capacity").text().startswith("Not replicated")


def test_behind_the_findings_tab_the_dock_works_nothing_out_until_shown(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    panel = window.capacity_panel
    assert not panel.shown and panel.chart is None  # (Findings is in front)
    window.document.do(edits.set_fields, "wan-pdx-den", bandwidth_mbps=5)
    qtbot.wait(20)
    assert panel.chart is None
    panel = dock(window, qtbot)
    assert row(panel, "wan-pdx-den").available == 5


def test_the_designer_starts_without_pyqtgraph_until_the_dock_is_shown() -> None:
    """pyqtgraph and numpy cost a quarter of a second and 38 MB at start-up."""
    import os
    import subprocess
    import sys

    code = ("import sys; import hvdesigner.ui.main_window; "
            "print('pyqtgraph' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.split() == ["False", "False"]
