"""The findings on the canvas and in the findings dock, through the real widgets: badges that
follow a VM moved and moved back, the dock's context menu (show, suppress with a reason,
un-suppress) and its severity filters with counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMenu

from hvdesigner.editing import edits
from hvdesigner.rules.check import Finding
from hvdesigner.ui.findings_dock import FindingsPanel, ask_reason
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import drag, open_example, rules

REASON = "Lab machine, replaced in March"


def test_a_vm_moved_to_another_host_and_back_leaves_no_badge_there(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    scene, document = window.scene, window.document
    rules(window)
    source, target = scene.servers["hq-hv01"], scene.servers["dr-hv01"]
    assert target.severity is None
    source.set_expanded(True)
    row = [v.id for v in source.look.vms].index("app01")
    drag(window.view, source.mapToScene(source.vm_row_rect(row).center()),
         target.sceneBoundingRect().center())
    assert document.design.vms["app01"].placement == "dr-hv01"
    assert "TOP-03" in rules(window)  # a VM on a server its replication does not start from
    assert target.severity == "error" and target.vm_severity.get("app01") == "error"
    assert "TOP-03" in scene.tooltip_for(target)
    window.undo_action.trigger()
    assert "TOP-03" not in rules(window)
    assert target.severity is None and target.vm_severity == {}
    assert scene.tooltip_for(target) == ""
    assert source.vm_severity.get("app01") == "info"  # its own DSK-06, back on its card


def right_click(panel: FindingsPanel, rule: str) -> QMenu:
    """Right-click the first listed finding of a rule; the menu that pops up."""
    row = next(i for i, f in enumerate(panel.model.findings) if f.rule == rule)
    index = panel.model.index(row, 2)
    panel.table.scrollTo(index)
    pos = panel.table.visualRect(index).center()
    viewport = panel.table.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                       viewport.mapToGlobal(pos)))
    assert panel.menu is not None and panel.menu.isVisible()
    return panel.menu


def pick(menu: QMenu, text: str, qtbot: Any) -> None:
    (action,) = [a for a in menu.actions() if a.text() == text]
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def listed(panel: FindingsPanel, rule: str) -> Finding:
    return next(f for f in panel.model.all_findings if f.rule == rule)


def test_suppressing_a_finding_from_its_context_menu_and_undoing_it(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    panel, scene, design = window.findings_panel, window.scene, window.document.design
    rules(window)
    errors = panel.model.counts["error"]
    pipe = scene.wans["wan-sea-den"]  # SZ-01, an error, is its only finding
    assert pipe.severity == "error"
    asked: list[str] = []
    panel.ask_reason = lambda parent, finding: asked.append(finding.rule) or REASON

    menu = right_click(panel, "SZ-01")
    assert [a.text() for a in menu.actions()] == ["Show on canvas", "Suppress…"]
    pick(menu, "Suppress…", qtbot)
    assert asked == ["SZ-01"]
    assert [(s.rule, s.subject, s.reason) for s in design.suppressions] == [
        ("SZ-01", "wan-sea-den", REASON)]
    assert pipe.severity is None  # at once, before the check
    assert scene.tooltip_for(pipe) == ""
    rules(window)
    finding = listed(panel, "SZ-01")
    assert finding.suppressed and finding.reason == REASON
    assert panel.model.counts["error"] == errors - 1 and panel.model.counts["suppressed"] == 1
    assert panel.toggles["error"].text() == f"✖ {errors - 1} errors"
    assert panel.toggles["suppressed"].text() == "1 suppressed"
    assert window.counts.text().startswith(f"✖ {errors - 1} errors")

    window.undo_action.trigger()
    assert pipe.severity == "error" and not design.suppressions
    rules(window)
    assert not listed(panel, "SZ-01").suppressed
    assert panel.model.counts["error"] == errors and panel.model.counts["suppressed"] == 0

    window.redo_action.trigger()
    rules(window)
    menu = right_click(panel, "SZ-01")
    assert [a.text() for a in menu.actions()] == ["Show on canvas", "Un-suppress"]
    pick(menu, "Un-suppress", qtbot)
    assert not design.suppressions and pipe.severity == "error"
    rules(window)
    assert not listed(panel, "SZ-01").suppressed


def test_a_suppression_cancelled_or_without_a_reason_changes_nothing(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    panel = window.findings_panel
    rules(window)
    panel.ask_reason = lambda parent, finding: None  # cancelled
    pick(right_click(panel, "SZ-01"), "Suppress…", qtbot)
    panel.ask_reason = lambda parent, finding: "  "
    pick(right_click(panel, "SZ-01"), "Suppress…", qtbot)
    assert not window.document.design.suppressions and window.document.undo_stack.count() == 0
    assert "needs a reason" in window.statusBar().currentMessage()


def test_show_on_canvas_selects_the_findings_subjects(window: MainWindow, example: Any,
                                                      qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    rules(window)
    pick(right_click(window.findings_panel, "SZ-01"), "Show on canvas", qtbot)
    assert window.scene.wans["wan-sea-den"].isSelected()


def test_severity_toggles_filter_the_list_and_show_counts(window: MainWindow, example: Any,
                                                          qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    panel = window.findings_panel
    rules(window)
    everything = list(panel.model.findings)
    counts = panel.model.counts
    assert counts == {"error": 18, "warning": 12, "info": 1, "suppressed": 0}
    assert [panel.toggles[s].text() for s in ("error", "warning", "info")] == [
        "✖ 18 errors", "▲ 12 warnings", "ℹ 1 info"]
    qtbot.mouseClick(panel.toggles["error"], Qt.MouseButton.LeftButton)
    assert panel.model.findings and all(f.severity != "error" for f in panel.model.findings)
    assert panel.model.rowCount() == 13 and panel.model.counts == counts
    qtbot.mouseClick(panel.toggles["info"], Qt.MouseButton.LeftButton)
    assert {f.severity for f in panel.model.findings} == {"warning"}
    qtbot.mouseClick(panel.toggles["error"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.toggles["info"], Qt.MouseButton.LeftButton)
    assert panel.model.findings == everything

    panel.ask_reason = lambda parent, finding: REASON
    pick(right_click(panel, "SZ-01"), "Suppress…", qtbot)
    rules(window)
    assert listed(panel, "SZ-01") in panel.model.findings  # listed (greyed) by default
    qtbot.mouseClick(panel.toggles["suppressed"], Qt.MouseButton.LeftButton)
    assert all(not f.suppressed for f in panel.model.findings)
    assert len(panel.model.findings) == len(everything) - 1
    # the filter holds while edits patch the list
    window.document.do(edits.set_fields, "sea-hv03", certificates=())
    rules(window)
    assert all(not f.suppressed for f in panel.model.findings)


def test_the_reason_dialog_shows_the_finding_as_plain_text(qapp: QApplication) -> None:
    """(Markup shown as typed; and an "&", which Qt reads in the text box's label as marking
    a shortcut key, doubled: shown as one, no letter underlined.)"""
    finding = Finding("SZ-01", "error", "WAN link <b>Sea</b> & R&D is too small", ("wan1",),
                      "Buy more")
    seen: list[tuple[str, str]] = []

    def answer() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, QInputDialog) and w.isVisible())
        labels = [label for label in dialog.findChildren(QLabel) if "<b>Sea</b>" in label.text()]
        seen.extend((str(label.textFormat()), label.text().replace("&&", "and"))
                    for label in labels if label.buddy() is not None)
        dialog.setTextValue(REASON)
        dialog.accept()

    QTimer.singleShot(0, answer)
    assert ask_reason(None, finding) == REASON  # type: ignore[arg-type]
    ((text_format, shown),) = seen
    assert text_format == str(Qt.TextFormat.PlainText)
    assert "WAN link <b>Sea</b> and RandD is too small" in shown and "&" not in shown
    QTimer.singleShot(0, lambda: next(w for w in QApplication.topLevelWidgets()
                                      if isinstance(w, QInputDialog) and w.isVisible()).reject())
    assert ask_reason(None, finding) is None  # type: ignore[arg-type]


def test_the_selected_finding_stays_selected_while_edits_patch_the_list(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "training.hvd")
    panel = window.findings_panel
    rules(window)
    row = next(i for i, f in enumerate(panel.model.findings) if f.rule == "SZ-01")
    panel.table.selectRow(row)
    window.document.do(edits.set_fields, "sea-hv03", certificates=())
    rules(window)
    selected = panel.selected_finding()
    assert selected is not None and selected.rule == "SZ-01"


def test_a_suppression_checked_together_with_another_edit_is_marked_in_the_list(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "training.hvd")
    document = window.document
    rules(window)
    document.do(edits.suppress, "SZ-01", "wan-sea-den", REASON)
    document.do(edits.set_fields, "sea-hv03", certificates=())  # (within the quiet period)
    rules(window)
    document.undo_stack.undo()
    document.undo_stack.undo()
    rules(window)
    assert window.findings_panel.model.all_findings == document.checker.findings()
    document.undo_stack.redo()
    document.undo_stack.redo()
    rules(window)
    assert window.findings_panel.model.all_findings == document.checker.findings()
    assert listed(window.findings_panel, "SZ-01").suppressed


def test_the_list_patched_edit_by_edit_equals_one_built_anew_under_any_filter(
        window: MainWindow, example: Any) -> None:
    """The dock follows the checker's deltas row by row; after every edit (and undo) its rows,
    counts and selection are those of a list built from scratch."""
    open_example(window, example, "training.hvd")
    panel, document = window.findings_panel, window.document
    rules(window)
    panel.toggles["info"].setChecked(False)
    row = next(i for i, f in enumerate(panel.model.findings) if f.rule == "SZ-01")
    panel.table.selectRow(row)
    chosen = panel.selected_finding()
    assert chosen is not None and chosen.rule == "SZ-01"
    steps = [
        lambda: document.do(edits.set_fields, "sea-hv03", certificates=()),
        lambda: document.do(edits.suppress, "SZ-01", "wan-sea-den", REASON),
        lambda: panel.toggles["suppressed"].setChecked(False),
        lambda: document.undo_stack.undo(),
        lambda: panel.toggles["suppressed"].setChecked(True),
        lambda: document.undo_stack.undo(),
        lambda: document.undo_stack.redo(),
    ]
    for step in steps:
        step()
        rules(window)
        fresh = document.checker.findings()
        assert panel.model.all_findings == fresh
        assert panel.model.findings == [f for f in fresh if f.severity != "info" and (
            panel.toggles["suppressed"].isChecked() or not f.suppressed)]
        counts = {s: sum(1 for f in fresh if not f.suppressed and f.severity == s)
                  for s in ("error", "warning", "info")}
        assert {s: panel.model.counts[s] for s in counts} == counts
        assert panel.model.counts["suppressed"] == sum(f.suppressed for f in fresh)
        selected = panel.selected_finding()
        if chosen is not None and any(f.key == chosen.key for f in panel.model.findings):
            assert selected is not None and selected.key == chosen.key
        else:  # (hidden by a filter, the selection goes and does not come back)
            chosen = None


def test_an_edit_patches_the_rows_it_changed_without_listing_anew(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    panel, document = window.findings_panel, window.document
    rules(window)
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(panel.model.rowsInserted, timeout=2000):
        document.do(edits.set_fields, "sea-hv03", certificates=())
        rules(window)
    assert resets == []
    assert panel.model.all_findings == document.checker.findings()
