"""The designer driven through its real widgets: the canvas, the palette, the inspector, the
findings dock, menus and shortcuts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QStyle, QStyleOptionGroupBox, QTableWidget

from hvdesigner.canvas.view import PALETTE_MIME
from hvdesigner.editing import edits
from hvdesigner.model.entities import Cluster, Replication
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import (
    Answers,
    HeldDrag,
    click,
    drag,
    drop_from_palette,
    open_example,
    rules,
    shown,
)


def press(window: MainWindow, qtbot: Any, action: Any) -> None:
    """Type an action's first shortcut (the platform's own key for Undo, Redo...)."""
    combo = action.shortcuts()[0][0]
    qtbot.keyClick(window.view.viewport(), combo.key(), combo.keyboardModifiers())


def undo(window: MainWindow, qtbot: Any) -> None:
    press(window, qtbot, window.undo_action)


def redo(window: MainWindow, qtbot: Any) -> None:
    press(window, qtbot, window.redo_action)


def test_dragging_a_host_from_the_palette_into_a_site_adds_it_there(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene, view = window.document.design, window.scene, window.view
    site_id = next(iter(design.sites))
    frame = scene.sites[site_id].sceneBoundingRect()
    target = QPointF(frame.center().x(), frame.bottom() - 40)
    palette = window.palette_widget
    row = next(i for i in range(palette.count()) if palette.kind_at_row(i) == "host")
    data: QMimeData = palette.mimeData([palette.item(row)])
    assert bytes(data.data(PALETTE_MIME).data()) == b"host"  # what dragging the entry carries
    hosts_before = set(design.hosts)
    drop_from_palette(view, "host", target)
    (new,) = set(design.hosts) - hosts_before
    assert design.hosts[new].site == site_id
    item = scene.servers[new]
    assert item.parentItem() is scene.sites[site_id]
    assert item.sceneBoundingRect().contains(target) or abs(item.scenePos().x() - (target.x() - 80)) < 11
    undo(window, qtbot)
    assert new not in design
    redo(window, qtbot)
    assert new in design.hosts and new in scene.servers


def test_a_host_dropped_outside_any_site_is_refused_with_a_message(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    far = QPointF(-5000, -5000)
    window.view.centerOn(far)
    count = len(window.document.design.hosts)
    drop_from_palette(window.view, "host", far)
    assert len(window.document.design.hosts) == count
    assert "inside a site" in window.statusBar().currentMessage()


def _two_clusters(window: MainWindow) -> tuple[str, str]:
    """Clusters without brokers in two sites of the current design, drawn on the canvas."""
    design, scene = window.document.design, window.scene
    sites = sorted(design.sites)
    made = []
    for site_id in sites[:2]:
        frame = scene.sites[site_id].sceneBoundingRect()
        before = set(design.clusters)
        spot = QPointF(frame.left() + 120, frame.bottom() - 60)
        window.view.centerOn(spot)
        drop_from_palette(window.view, "cluster", spot)
        (new,) = set(design.clusters) - before
        made.append(new)
    return made[0], made[1]


def test_drawing_a_replication_between_clusters_shows_brk01_until_a_broker_is_added(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    source, target = _two_clusters(window)
    scene, view, design = window.scene, window.view, window.document.design
    window.view.fit_content()
    start = scene.servers[source].sceneBoundingRect().center()
    end = scene.servers[target].sceneBoundingRect().center()
    drag(view, start, end, Qt.KeyboardModifier.ShiftModifier)
    (rep,) = [r for r in design.replications.values() if (r.source, r.target) == (source, target)]
    assert rep.id in scene.links
    qtbot.waitUntil(lambda: "BRK-01" in {f.rule for f in window.findings_panel.model.findings},
                    timeout=2000)  # the live check, after its quiet period
    brk = [f for f in window.findings_panel.model.findings if f.rule == "BRK-01"]
    assert {f.subjects for f in brk} == {(source,), (target,)}
    assert scene.servers[source].severity == "error"

    scene.clearSelection()
    scene.servers[source].setSelected(True)
    broker_box = window.inspector.form.editors["broker"].group
    assert broker_box.title() == "Replica Broker"
    option = QStyleOptionGroupBox()
    broker_box.initStyleOption(option)
    check = broker_box.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                              QStyle.SubControl.SC_GroupBoxCheckBox, broker_box)
    qtbot.mouseClick(broker_box, Qt.MouseButton.LeftButton, pos=check.center())
    assert design.clusters[source].broker is not None
    assert {f.subjects for f in _findings(window, "BRK-01")} == {(target,)}
    undo(window, qtbot)
    assert design.clusters[source].broker is None
    assert (source,) in {f.subjects for f in _findings(window, "BRK-01")}
    redo(window, qtbot)
    assert design.clusters[source].broker is not None


def _findings(window: MainWindow, rule: str) -> list[Any]:
    rules(window)
    return [f for f in window.findings_panel.model.findings if f.rule == rule]


def test_unticking_a_replicated_pagefile_disk_clears_dsk04(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design = window.document.design
    vm, disk = next((vm, d) for vm in design.vms.values() for d in vm.disks
                    if d.role == "pagefile" and design.replications_listing(vm.id))
    window.document.do(edits.set_fields, disk.id, replicate=True)
    assert "DSK-04" in rules(window)
    (card,) = window.scene.badge_targets(_findings(window, "DSK-04")[0]).items
    server = window.scene.servers[card]
    server.set_expanded(True)
    row = [v.id for v in server.look.vms].index(vm.id)
    click(window.view, server.mapToScene(server.vm_row_rect(row).center()))
    assert window.scene.selected_parts == {vm.id}
    assert window.inspector.entity_id == vm.id
    table = shown(window.inspector, QTableWidget)
    columns = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    row_of_disk = [d.id for d in design.vms[vm.id].disks].index(disk.id)
    cell = table.item(row_of_disk, columns.index("Replicate"))
    assert cell.checkState() == Qt.CheckState.Checked
    cell.setCheckState(Qt.CheckState.Unchecked)  # what a click on the checkbox does
    assert design.get(disk.id).replicate is False
    assert "DSK-04" not in rules(window)
    undo(window, qtbot)
    assert design.get(disk.id).replicate is True and "DSK-04" in rules(window)
    redo(window, qtbot)
    assert design.get(disk.id).replicate is False and "DSK-04" not in rules(window)


def test_switching_a_cross_site_link_to_kerberos_shows_auth04_and_an_open_padlock(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    rep: Replication = next(iter(design.replications.values()))
    link = scene.links[rep.id]
    assert not link.look.unencrypted_across_sites
    link.setSelected(True)
    assert window.inspector.entity_id == rep.id
    editor = window.inspector.form.editors["auth"]
    editor.combo.setCurrentIndex([v for _, v in editor.choices].index("kerberos"))
    editor.combo.activated.emit(editor.combo.currentIndex())
    assert design.replications[rep.id].auth == "kerberos"
    assert link.look.unencrypted_across_sites and link.look.label.startswith("HTTP 80")
    assert "AUTH-04" in rules(window)
    undo(window, qtbot)
    assert design.replications[rep.id].auth == "certificate"
    assert not link.look.unencrypted_across_sites and "AUTH-04" not in rules(window)
    redo(window, qtbot)
    assert link.look.unencrypted_across_sites and "AUTH-04" in rules(window)


def test_opening_a_broken_file_shows_the_problems_and_keeps_the_current_design(
        window: MainWindow, example: Any, tmp_path: Path) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    before = window.document
    title = before.design.title
    broken = tmp_path / "broken.hvd"
    broken.write_text('{"format": "hvdesigner", "version": 1, "hosts": [{"id": "x"}]}')
    assert not window.open_path(str(broken))
    assert window.document is before and window.document.design.title == title
    box = window.last_error
    assert box is not None and box.isVisible()
    assert "/hosts/0: missing required key 'name'" in box.text()
    box.close()


def test_a_crash_leaves_an_autosave_that_opening_the_design_offers_back(
        window: MainWindow, example: Any, answers: Answers, qtbot: Any) -> None:
    path = open_example(window, example, "two-sites-certificates.hvd")
    rep = next(iter(window.document.design.replications))
    window.document.do(edits.set_fields, rep, frequency_s=900)
    window.document.autosave()
    sidecar = window.document.sidecar()
    assert sidecar is not None and Path(sidecar).exists()
    window.document.undo_stack.setClean()  # the "crash": the window goes without a clean close
    window.document = None
    answers.queue.append(QMessageBox.StandardButton.Yes)
    assert window.open_path(str(path))
    assert answers.asked[-1] == "Recover unsaved work"
    assert window.document.design.replications[rep].frequency_s == 900
    assert window.document.dirty and window.isWindowModified()
    window.save()
    assert not Path(sidecar).exists()
    assert json.loads(path.read_text())["replications"][0]["frequency_s"] == 900


def test_autosave_waits_for_a_drag_to_end(window: MainWindow, example: Any, qtbot: Any) -> None:
    """Writing a large design takes tenths of a second: not in the middle of a drag."""
    open_example(window, example, "two-sites-certificates.hvd")
    document, view = window.document, window.view
    document.do(edits.set_fields, next(iter(document.design.sites)), name="Renamed")
    sidecar = Path(document.sidecar())
    server = next(iter(window.scene.servers.values()))
    held = HeldDrag(view, server.mapToScene(QPointF(40, 10)))
    held.move_by(30, 20)
    document.autosave()  # the timer fires mid-drag
    assert not sidecar.exists()
    window.document.set_delays(autosave_idle_ms=50)  # (the real quiet period is 5 s)
    held.release()
    qtbot.waitUntil(sidecar.exists, timeout=2000)


def test_a_clean_close_removes_the_autosave(window: MainWindow, example: Any, answers: Answers) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    window.document.do(edits.set_fields, next(iter(window.document.design.sites)), name="Renamed")
    window.document.autosave()
    sidecar = Path(window.document.sidecar())
    assert sidecar.exists()
    answers.queue.append(QMessageBox.StandardButton.Discard)
    assert window.close()
    assert answers.asked == ["Unsaved changes"] and not sidecar.exists()


def test_closing_with_unsaved_changes_can_be_cancelled(window: MainWindow, example: Any,
                                                        answers: Answers) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    window.document.do(edits.set_fields, next(iter(window.document.design.sites)), name="Renamed")
    assert window.windowTitle().startswith("two-sites-certificates.hvd")
    assert window.isWindowModified()
    answers.queue.append(None)  # Cancel
    assert not window.close()
    assert window.isVisible()


def test_copy_paste_keeps_internal_links_with_new_ids(window: MainWindow, example: Any,
                                                      qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    rep = next(iter(design.replications.values()))
    scene.clearSelection()
    scene.servers[rep.source].setSelected(True)
    scene.servers[rep.target].setSelected(True)
    window.view.setFocus()
    qtbot.keyClick(window.view.viewport(), Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    before = set(design.replications)
    qtbot.keyClick(window.view.viewport(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    new_reps = [design.replications[r] for r in set(design.replications) - before]
    assert len(new_reps) == len([r for r in before if {design.replications[r].source,
                                 design.replications[r].target} == {rep.source, rep.target}])
    copy = next(r for r in new_reps if r.name == rep.name)
    assert copy.source not in (rep.source, rep.target) and copy.source in design.hosts
    assert set(copy.vms).isdisjoint(rep.vms) and len(copy.vms) == len(rep.vms)
    assert copy.id in scene.links and copy.source in scene.servers
    undo(window, qtbot)
    assert copy.id not in design


def test_moving_a_server_by_drag_is_one_undo_step_and_snaps_to_the_grid(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    server = next(iter(window.scene.servers.values()))
    start = server.scenePos()
    grab = server.mapToScene(QPointF(40, 10))
    drag(window.view, grab, grab + QPointF(53, 27))
    moved = server.scenePos()
    assert moved != start and moved.x() % 10 == 0 and moved.y() % 10 == 0
    assert window.document.design.layout["servers"][server.entity_id] == [moved.x(), moved.y()]
    assert window.document.undo_stack.count() == 1
    undo(window, qtbot)
    assert server.scenePos() == start


def test_holding_alt_while_dragging_places_a_server_off_the_grid(window: MainWindow,
                                                                  example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    server = next(iter(window.scene.servers.values()))
    start = server.scenePos()
    grab = server.mapToScene(QPointF(40, 10))
    drag(window.view, grab, grab + QPointF(53, 27), Qt.KeyboardModifier.AltModifier)
    moved = server.scenePos()  # (the mouse moves in whole screen pixels at the fitted zoom)
    assert abs(moved.x() - start.x() - 53) < 2 and abs(moved.y() - start.y() - 27) < 2
    assert moved.x() % 10 or moved.y() % 10
    assert window.document.design.layout["servers"][server.entity_id] == [moved.x(), moved.y()]


def test_dragging_a_site_frame_moves_its_servers_and_their_links_with_it(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    scene = window.scene
    site = next(iter(scene.sites.values()))
    inside = [s for s in scene.servers.values() if s.parentItem() is site]
    before = {s.entity_id: s.scenePos() for s in inside}
    link = next(iter(scene.links.values()))
    route = link.ends()
    grab = site.mapToScene(QPointF(60, 10))  # the title bar
    drag(window.view, grab, grab + QPointF(0, 100))
    assert inside and all(s.scenePos() == before[s.entity_id] + QPointF(0, 100) for s in inside)
    assert link.ends() != route
    assert window.document.undo_stack.count() == 1


def test_deleting_a_cluster_removes_its_links_and_undo_brings_everything_back(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "cluster-to-cluster-csv.hvd")
    design, scene = window.document.design, window.scene
    cluster = next(c for c in design.clusters.values() if isinstance(c, Cluster))
    links = set(design.replications_at(cluster.id))
    scene.clearSelection()
    scene.servers[cluster.id].setSelected(True)
    window.view.setFocus()
    qtbot.keyClick(window.view.viewport(), Qt.Key.Key_Delete)
    assert cluster.id not in design and not (links & set(scene.links))
    undo(window, qtbot)
    assert cluster.id in design and links <= set(scene.links)


def test_clicking_a_finding_selects_and_centres_its_subject(window: MainWindow, example: Any,
                                                            qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    panel = window.findings_panel
    qtbot.waitUntil(lambda: bool(panel.model.findings), timeout=3000)  # checked after painting
    row = next(i for i, f in enumerate(panel.model.findings) if f.rule == "BRK-01")
    panel.table.clicked.emit(panel.model.index(row, 2))
    (cluster,) = panel.model.findings[row].subjects
    assert window.scene.servers[cluster].isSelected()
    assert window.inspector.entity_id == cluster
    center = window.view.mapToScene(window.view.viewport().rect().center())
    assert window.scene.servers[cluster].sceneBoundingRect().adjusted(-50, -50, 50, 50).contains(center)


def test_a_refused_value_in_the_inspector_says_why_and_changes_nothing(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    site = next(iter(window.scene.sites.values()))
    site.setSelected(True)
    name = window.inspector.form.editors["name"]
    before = window.document.design.sites[site.entity_id].name
    name.line.selectAll()
    qtbot.keyClick(name.line, Qt.Key.Key_Delete)
    assert window.document.design.sites[site.entity_id].name == before
    assert "must not be empty" in window.inspector.error.text()
    qtbot.keyClicks(name.line, "Zurich")
    assert window.document.design.sites[site.entity_id].name == "Zurich"
    assert window.document.undo_stack.count() == 1  # typing is one step


def test_hovering_an_item_with_findings_lists_them(window: MainWindow, example: Any) -> None:
    open_example(window, example, "training.hvd")
    rules(window)
    scene = window.scene
    cluster = next(c for c in window.document.design.clusters if c in scene.servers)
    tip = scene.tooltip_for(scene.servers[cluster])
    assert "BRK-01" in tip and "has no Hyper-V Replica Broker" in tip
    assert scene.servers[cluster].severity == "error"


def test_the_findings_list_patched_after_edits_equals_a_fresh_listing(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "training.hvd")
    document = window.document
    rules(window)
    rep = next(iter(document.design.replications))
    document.do(edits.set_fields, rep, compression=False)
    rules(window)
    document.do(edits.set_fields, rep, auth="certificate")
    document.do(edits.set_fields, next(iter(document.design.hosts)), os="2012")
    rules(window)
    assert window.findings_panel.model.findings == document.checker.findings()
    assert window.counts.text().startswith(
        f"✖ {sum(f.severity == 'error' and not f.suppressed for f in document.checker.findings())} errors")


def test_edits_after_the_first_check_are_still_debounced(window: MainWindow, example: Any,
                                                         qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    document = window.document
    qtbot.waitUntil(lambda: document._first_check_done, timeout=3000)
    rep = next(iter(document.design.replications))
    document.do(edits.set_fields, rep, compression=False)
    assert "VM-04" not in {f.rule for f in window.findings_panel.model.findings}  # not yet
    qtbot.waitUntil(lambda: "VM-04" in {f.rule for f in window.findings_panel.model.findings},
                    timeout=2000)


def test_a_failing_autosave_says_so_and_keeps_the_work(window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    window.document.do(edits.set_fields, next(iter(window.document.design.sites)), name="Renamed")
    Path(window.document.sidecar()).mkdir()  # something in the way: the write must fail
    window.document.autosave()
    assert window.statusBar().currentMessage().startswith("Autosave failed. Could not save")
    assert window.document.dirty and window.document.design.sites


def test_a_new_window_drops_the_module_sources_pyside6_had_read(qapp: Any, tmp_path: Path) -> None:
    """PySide6 reads every imported module's source and linecache keeps it (17 MB at start):
    the window lets it go."""
    import linecache

    from hvdesigner.ui import inspector

    linecache.getlines(inspector.__file__)  # as PySide6's check of the import left it
    assert inspector.__file__ in linecache.cache
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        assert inspector.__file__ not in linecache.cache
    finally:
        window.close()
