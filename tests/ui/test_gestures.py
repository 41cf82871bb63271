"""More gestures on the canvas and in the docks: VM moves, tagging by drops, arranging,
window state and recent files."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSettings, Qt
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QApplication, QListWidget, QPushButton

from hvdesigner.canvas.items import ServerItem
from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import (
    HeldDrag,
    click,
    drag,
    drop_from_palette,
    open_example,
    pixels_like,
    rules,
    shown,
    view_point,
)


def test_dragging_a_vm_row_onto_another_server_moves_the_vm(window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    source = next(s for s in scene.servers.values() if s.look.vms)
    target = next(s for s in scene.servers.values() if s is not source)
    source.set_expanded(True)
    vm = source.look.vms[0].id
    start = source.mapToScene(source.vm_row_rect(0).center())
    drag(window.view, start, target.sceneBoundingRect().center())
    assert design.vms[vm].placement == target.entity_id
    assert vm in {v.id for v in target.look.vms} and vm not in {v.id for v in source.look.vms}
    window.undo_action.trigger()
    assert design.vms[vm].placement == source.entity_id


def test_dropping_a_domain_on_a_cluster_puts_it_and_its_nodes_in_the_domain(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "cluster-to-cluster-csv.hvd")
    design, scene = window.document.design, window.scene
    cluster = next(iter(design.clusters))
    card = scene.servers[cluster].sceneBoundingRect().center()
    window.view.centerOn(card)
    before = set(design.domains)
    drop_from_palette(window.view, "domain", card)
    (new,) = set(design.domains) - before
    assert design.clusters[cluster].domain == new
    assert all(design.hosts[n].domain == new for n in design.nodes_of(cluster))
    assert "AUTH-01" not in rules(window)  # certificate links: no trust needed
    assert scene.servers[cluster].look.domain == design.domains[new].name
    assert window.document.undo_stack.count() == 1


def test_dropping_a_firewall_on_a_site_protects_it_and_closes_the_port(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    rep = next(iter(design.replications.values()))
    site = design.hosts[rep.target].site
    frame = scene.sites[site].sceneBoundingRect()
    spot = QPointF(frame.left() + 20, frame.bottom() - 15)
    window.view.centerOn(spot)
    drop_from_palette(window.view, "firewall", spot)
    (fw,) = design.firewalls.values()
    assert fw.protects == (site,) and fw.allow_inbound_tcp == ()
    assert "FW-02" in rules(window)
    assert scene.firewalls[fw.id].isVisible()
    scene.clearSelection()
    scene.firewalls[fw.id].setSelected(True)
    ports = window.inspector.form.editors["allow_inbound_tcp"]
    ports.line.setText("443")
    ports.line.editingFinished.emit()
    assert design.firewalls[fw.id].allow_inbound_tcp == (443,)
    assert "FW-02" not in rules(window)


def _arrange(window: MainWindow, text: str) -> None:
    menu = next(a for a in window.menuBar().actions() if a.text() == "&Arrange").menu()
    next(a for a in menu.actions() if a.text() == text).trigger()


def test_align_left_lines_up_the_selected_servers_in_one_step(window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design = window.document.design
    first = next(iter(window.scene.servers.values()))
    frame = first.parentItem().sceneBoundingRect()
    drop_from_palette(window.view, "host", QPointF(frame.right() - 90, frame.bottom() - 40))
    site = design.get(first.entity_id).site
    servers = [window.scene.servers[s] for s in sorted(design.servers_in_site(site))
               if s in window.scene.servers][:2]
    assert servers[0].scenePos().x() != servers[1].scenePos().x()
    steps = window.document.undo_stack.count()
    window.scene.clearSelection()
    for server in servers:
        server.setSelected(True)
    _arrange(window, "Align &Left")
    assert servers[0].scenePos().x() == servers[1].scenePos().x()
    assert window.document.undo_stack.count() == steps + 1


def test_aligning_servers_of_different_sites_keeps_each_in_its_frame(window: MainWindow,
                                                                     example: Any) -> None:
    open_example(window, example, "cluster-to-cluster-csv.hvd")
    scene = window.scene
    servers = list(scene.servers.values())
    assert len({s.parentItem() for s in servers}) > 1
    scene.clearSelection()
    for server in servers:
        server.setSelected(True)
    for how in ("Align &Left", "Align &Top"):
        _arrange(window, how)
        for server in servers:
            frame = server.parentItem().sceneBoundingRect()
            assert frame.contains(server.sceneBoundingRect().topLeft())
    assert window.document.undo_stack.count() >= 1


def test_adding_and_removing_vms_from_the_server_inspector(window: MainWindow, example: Any,
                                                            qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    server: ServerItem = next(iter(scene.servers.values()))
    scene.clearSelection()
    server.setSelected(True)
    before = set(design.vms_on(server.entity_id))
    qtbot.mouseClick(shown(window.inspector, QPushButton, "add-vm"), Qt.MouseButton.LeftButton)
    (new,) = set(design.vms_on(server.entity_id)) - before
    assert len(server.look.vms) == len(before) + 1
    vms: QListWidget = shown(window.inspector, QListWidget, "server-vms")
    row = next(i for i in range(vms.count()) if vms.item(i).data(256) == new)
    vms.setCurrentRow(row)
    qtbot.mouseClick(shown(window.inspector, QPushButton, "remove-vm"), Qt.MouseButton.LeftButton)
    assert new not in design


def test_a_replications_vms_are_ticked_in_its_inspector(window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    rep = next(r for r in design.replications.values() if len(r.vms) > 1)
    scene.clearSelection()
    scene.links[rep.id].setSelected(True)
    checklist = window.inspector.form.editors["vms"]
    listed = checklist.list
    ticked = {listed.item(i).data(Qt.ItemDataRole.UserRole) for i in range(listed.count())
              if listed.item(i).checkState() == Qt.CheckState.Checked}
    assert ticked == set(rep.vms)
    first = next(i for i in range(listed.count())
                 if listed.item(i).data(Qt.ItemDataRole.UserRole) == rep.vms[0])
    listed.item(first).setCheckState(Qt.CheckState.Unchecked)
    assert design.replications[rep.id].vms == rep.vms[1:]
    assert scene.links[rep.id].look.vm_count == len(rep.vms) - 1


def test_window_state_and_recent_files_are_remembered(qapp: Any, qtbot: Any, tmp_path: Path,
                                                      example: Any) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    first = MainWindow(settings, None)
    qtbot.addWidget(first)
    first.resize(700, 500)  # within the offscreen screen (800 x 600)
    path = example("training.hvd")
    assert first.open_path(str(path))
    first.close()
    second = MainWindow(settings, None)
    qtbot.addWidget(second)
    assert (second.size().width(), second.size().height()) == (700, 500)
    assert [a.text() for a in second.recent_menu.actions()] == [str(path)]
    second.recent_menu.actions()[0].trigger()
    assert second.document.path == str(path)
    second.close()


def test_clicking_the_vm_count_expands_the_card(window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    server = next(s for s in window.scene.servers.values() if s.look.vms)
    height = server.card_rect().height()
    click(window.view, server.mapToScene(server.toggle_rect().center()))
    assert server.expanded and server.card_rect().height() > height


def test_dragging_a_domain_from_the_legend_onto_a_host_tags_it(window: MainWindow, example: Any) -> None:
    open_example(window, example, "training.hvd")
    design, scene = window.document.design, window.scene
    host = next(h for h in design.hosts.values() if h.cluster is None and h.id in scene.servers)
    other = next(d for d in design.domains if d != host.domain)
    legend = scene.legend
    row = legend.domain_ids.index(other)
    start = legend.mapToScene(QPointF(40, 26 + 20 * row + 10))
    window.view.centerOn(start)
    drag(window.view, start, scene.servers[host.id].sceneBoundingRect().center())
    assert design.hosts[host.id].domain == other
    assert scene.servers[host.id].look.domain == design.domains[other].name


def test_a_server_dropped_outside_its_frame_grows_the_frame(window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    scene = window.scene
    server = next(iter(scene.servers.values()))
    site = server.parentItem()
    grab = server.mapToScene(QPointF(40, 10))
    below = QPointF(grab.x(), site.sceneBoundingRect().bottom() + 20)
    drag(window.view, grab, below)
    assert site.sceneBoundingRect().contains(server.sceneBoundingRect())


def test_quitting_with_a_copied_fragment_on_the_clipboard_exits_cleanly(tmp_path: Path) -> None:
    """PySide6 6.11 crashes at exit if the application's mime data is still on the clipboard."""
    import subprocess
    import sys
    script = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {str(Path(__file__).parents[2])!r})
from PySide6.QtCore import QSettings
from hvdesigner.app import make_application
from hvdesigner.ui.main_window import MainWindow
app = make_application("light")
window = MainWindow(QSettings({str(tmp_path / "s.ini")!r}, QSettings.Format.IniFormat), None)
window.open_path({str(Path(__file__).parents[2] / "resources" / "examples" / "training.hvd")!r})
for item in window.scene.servers.values():
    item.setSelected(True)
window.copy()
print("copied", bool(app.clipboard().mimeData().text()))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-500:]
    assert "copied True" in result.stdout


def cross_site_link(window: MainWindow) -> Any:
    design = window.document.design
    return next(r for r in design.replications.values()
                if design.get(r.source).site != design.get(r.target).site)


def test_a_link_switched_to_kerberos_across_sites_is_repainted_dashed_in_warning_colour(
        window: MainWindow, example: Any) -> None:
    """The links are painted from a cached picture: an edit must show at once, and undo too."""
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    rep = cross_site_link(window)
    view.set_zoom(1.0)
    on_link = scene.links[rep.id].path.pointAtPercent(0.3)
    view.centerOn(on_link)
    warning = scene.theme.severity["warning"]
    assert rep.auth == "certificate" and pixels_like(view, on_link, warning) == 0
    window.document.do(edits.set_fields, rep.id, auth="kerberos")
    assert pixels_like(view, scene.links[rep.id].path.pointAtPercent(0.3), warning) > 3
    window.undo_action.trigger()
    assert pixels_like(view, on_link, warning) == 0


def test_a_clicked_link_is_selected_and_drawn_in_the_highlight_colour(window: MainWindow,
                                                                     example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    link = scene.links[cross_site_link(window).id]
    view.set_zoom(1.0)
    on_link = link.path.pointAtPercent(0.3)
    view.centerOn(on_link)
    highlight = scene.theme.highlight
    assert pixels_like(view, on_link, highlight) == 0
    click(view, on_link)
    assert scene.selectedItems() == [link]
    assert pixels_like(view, on_link, highlight) > 3
    click(view, on_link + QPointF(0, 200))  # empty canvas: the selection goes
    assert pixels_like(view, on_link, highlight) == 0


def test_a_dragged_cards_links_follow_it_and_are_painted_where_they_now_run(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    link = scene.links[cross_site_link(window).id]
    card = scene.servers[scene._card_of(window.document.design.replications[link.entity_id].source)]
    view.set_zoom(1.0)
    view.centerOn(card.sceneBoundingRect().center() + QPointF(0, 125))  # room to move down
    scene.legend.setPos(-5000, -5000)  # (the legend would cover the link's start below)
    text = scene.theme.text
    AA = 300  # a 1 px antialiased line rarely covers a pixel whole: count half-tone pixels too
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    held.move_by(0, 10)
    was = link.path.pointAtPercent(0.2)  # (clear of the card and of the label)
    assert pixels_like(view, was, text, radius=5, tolerance=AA) > 0
    held.move_by(0, 250)
    moved = set(scene._card_links[card.entity_id])
    assert {r for r, item in scene.links.items() if item.live} == moved  # only those repaint
    near_card = link.path.pointAtPercent(0.05)
    assert pixels_like(view, near_card, text, radius=6, tolerance=AA) > 0  # drawn where it runs mid-drag
    assert pixels_like(view, was, text, radius=5, tolerance=AA) == 0  # and gone from where it ran
    held.release()  # (its links are painted live till a view has painted the drop)
    assert link.live and window.document.undo_stack.count() == 1
    qtbot.waitUntil(lambda: not any(item.live for item in scene.links.values()), timeout=2_000)
    assert link in scene.items(link.path.pointAtPercent(0.5))  # hit where it now runs
    assert pixels_like(view, link.path.pointAtPercent(0.05), text, radius=6, tolerance=AA) > 0
    window.undo_action.trigger()
    assert pixels_like(view, link.path.pointAtPercent(0.05), text, radius=6, tolerance=AA) > 0
    assert link.path.pointAtPercent(0.05) != near_card


def test_a_replica_servers_accepted_authentication_is_a_checklist(window: MainWindow,
                                                                   example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    rep = next(iter(design.replications.values()))
    scene.clearSelection()
    scene.servers[rep.target].setSelected(True)
    replica = window.inspector.form.editors["replica_server"]
    auth = replica.form.editors["auth"].list
    ticked = {auth.item(i).data(Qt.ItemDataRole.UserRole) for i in range(auth.count())
              if auth.item(i).checkState() == Qt.CheckState.Checked}
    assert ticked == set(design.hosts[rep.target].replica_server.auth)
    kerberos = next(auth.item(i) for i in range(auth.count()) if auth.item(i).data(Qt.ItemDataRole.UserRole) == "kerberos")
    kerberos.setCheckState(Qt.CheckState.Checked)
    assert set(design.hosts[rep.target].replica_server.auth) == ticked | {"kerberos"}


def test_a_drawn_replication_starts_with_what_the_target_accepts(window: MainWindow,
                                                                 example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    rep = next(iter(design.replications.values()))  # both hosts accept certificates only
    before = set(design.replications)
    drag(window.view, scene.servers[rep.target].sceneBoundingRect().center(),
         scene.servers[rep.source].sceneBoundingRect().center(), Qt.KeyboardModifier.ShiftModifier)
    (new,) = set(design.replications) - before
    assert design.replications[new].auth == "certificate"
    assert design.replications[new].effective_port == 443
    assert "AUTH-02" not in rules(window) and "AUTH-04" not in rules(window)


def test_what_is_under_the_mouse_is_a_design_item_never_a_painting_layer(
        window: MainWindow, example: Any) -> None:
    """The layers span the links they paint; a click or a tooltip must reach what is drawn."""
    from hvdesigner.canvas.items import DesignItem
    open_example(window, example, "three-tier-hosting.hvd")
    scene = window.scene
    for card in scene.servers.values():
        centre = card.mapToScene(card.card_rect().center())
        assert scene.itemAt(centre, window.view.transform()) is card
        assert all(isinstance(i, DesignItem) for i in scene.items(centre))


def test_link_labels_wait_until_the_zoom_holds_still(window: MainWindow, example: Any) -> None:
    """Each wheel step repaints the links; their rotated labels, most of that cost, come
    back once the zoom has held still for a moment."""
    from PySide6.QtTest import QTest

    from hvdesigner.canvas.link_layer import LinkLayer
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    link = scene.links[cross_site_link(window).id]
    view.set_zoom(1.0)
    view.centerOn(link.label_area.center())
    QTest.qWait(LinkLayer.LABELS_AFTER_MS + 100)
    label = link.label_area.center()
    assert pixels_like(view, label, scene.theme.text, radius=6, tolerance=300) > 0
    view.set_zoom(1.05)
    label = link.label_area.center()
    assert pixels_like(view, label, scene.theme.text, radius=6, tolerance=300) == 0
    QTest.qWait(LinkLayer.LABELS_AFTER_MS + 100)
    assert pixels_like(view, label, scene.theme.text, radius=6, tolerance=300) > 0


def test_a_drawn_link_beside_others_between_the_same_servers_bends_apart_and_undo_restores(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene, view = window.document.design, window.scene, window.view
    rep = cross_site_link(window)
    pair = [r for r in design.replications.values()
            if {r.source, r.target} == {rep.source, rep.target}]
    routes = {r.id: scene.links[r.id].route for r in pair}
    drag(view, scene.servers[rep.source].sceneBoundingRect().center(),
         scene.servers[rep.target].sceneBoundingRect().center(), Qt.KeyboardModifier.ShiftModifier)
    drawn = [r for r in design.replications.values()
             if {r.source, r.target} == {rep.source, rep.target} and r.id not in routes]
    assert len(drawn) == 1 and drawn[0].id in scene.links
    middles = {scene.links[r].label_pos for r in [*routes, drawn[0].id]}
    assert len(middles) == len(routes) + 1  # every link of the pair takes its own curve
    window.undo_action.trigger()
    assert drawn[0].id not in scene.links
    assert {r: scene.links[r].route for r in routes} == routes


def test_panning_moves_the_links_picture_along_without_leaving_traces(
        window: MainWindow, example: Any) -> None:
    """The links layer scrolls its picture when the view pans and paints what came into view;
    a pan must show every link where it is and nothing where none is."""
    from PySide6.QtTest import QTest
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    link = scene.links[cross_site_link(window).id]
    view.set_zoom(1.0)
    on_link = link.path.pointAtPercent(0.3)
    view.centerOn(on_link + QPointF(150, 0))
    text, AA = scene.theme.text, 300
    assert pixels_like(view, on_link, text, radius=5, tolerance=AA) > 0
    bar = view.horizontalScrollBar()
    for step in (-37, -61, 45, 120):  # pan left and right by odd amounts, like a drag does
        bar.setValue(bar.value() + step)
        view.viewport().update()  # (a pan itself repaints only the strip that came into view)
        assert pixels_like(view, on_link, text, radius=5, tolerance=AA) > 0
    view.centerOn(on_link + QPointF(view.viewport().width(), 0))  # the link out of view...
    QTest.qWait(40)
    for _ in range(4):  # ... panned back into view a strip at a time
        bar.setValue(bar.value() - view.viewport().width() // 4)
        QTest.qWait(40)
    view.viewport().update()
    assert pixels_like(view, on_link, text, radius=5, tolerance=AA) > 0
    empty = on_link + QPointF(0, 150)  # below the site frames' links: blank canvas
    assert not scene.items(QRectF(empty.x() - 6, empty.y() - 6, 12, 12))
    view.viewport().update()
    assert pixels_like(view, empty, text, radius=5, tolerance=AA) == 0


def test_bowed_parallel_links_keep_their_middle_while_a_card_is_dragged(
        window: MainWindow, example: Any) -> None:
    """A bowed link bulges past its chord; the repaint bands of a drag must cover the bulge."""
    open_example(window, example, "cluster-to-cluster-csv.hvd")
    scene, view = window.scene, window.view
    card = next(iter(scene.servers.values()))
    bowed = [scene.links[r] for r in scene._card_links[card.entity_id]
             if len(scene._pair_links[frozenset(scene._link_ends[r])]) > 1]
    assert bowed
    view.set_zoom(1.0)
    view.centerOn(card.sceneBoundingRect().center())
    text, AA = scene.theme.text, 300
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    for step in (10, 20):
        held.move_by(0, step)
        view.viewport().update()
    for link in bowed:
        if link.look.unencrypted_across_sites or link.look.extended:
            continue  # (a dash may fall on the sampled point)
        middle = link.path.pointAtPercent(0.35)
        if view.viewport().rect().contains(view_point(view, middle)):
            assert pixels_like(view, middle, text, radius=4, tolerance=AA) > 0, link.entity_id
    held.release()


def test_a_ctrl_rubber_band_or_a_press_on_a_link_does_not_move_the_selected_cards(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    card = next(iter(scene.servers.values()))
    scene.clearSelection()
    card.setSelected(True)
    before = card.scenePos()
    empty = card.sceneBoundingRect().bottomLeft() + QPointF(0, 200)
    assert not scene.items(empty)
    drag(view, empty, empty + QPointF(60, 40), Qt.KeyboardModifier.ControlModifier)
    link = scene.links[cross_site_link(window).id]
    on_link = link.path.pointAtPercent(0.5)
    link.setSelected(True)  # cards and a link selected; the drag starts on the link
    drag(view, on_link, on_link + QPointF(60, 40))
    assert card.scenePos() == before
    assert window.document.undo_stack.count() == 0


def test_a_link_deleted_in_the_middle_of_a_drag_leaves_no_trace(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view, document = window.scene, window.view, window.document
    rep = cross_site_link(window)
    card = scene.servers[rep.source]
    view.set_zoom(1.0)
    view.centerOn(card.sceneBoundingRect().center())
    scene.legend.setPos(-5000, -5000)
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    held.move_by(0, 10)
    assert scene.links[rep.id].live
    where = scene.links[rep.id].path.pointAtPercent(0.3)
    document.do(edits.delete, [rep.id])
    assert rep.id not in scene.links
    held.move_by(0, 20)
    held.release()
    qtbot.waitUntil(lambda: not scene.live_links.links, timeout=2_000)
    others = [r for r in scene.links.values() if r.extent.contains(where)]
    if not others:
        view.viewport().update()
        assert pixels_like(view, where, scene.theme.text, radius=4, tolerance=300) == 0


def test_a_node_that_leaves_its_cluster_and_comes_back_has_no_card_of_its_own(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "cluster-to-cluster-csv.hvd")
    design, scene = window.document.design, window.scene
    node = next(h for h in design.hosts.values() if h.cluster)
    window.document.do(edits.set_fields, node.id, cluster=None)
    assert node.id in scene.servers
    window.undo_action.trigger()
    assert node.id not in scene.servers
    scene.apply_layout()  # (a stale card made every later re-layout fail)


def test_undoing_the_dragged_card_away_mid_drag_ends_the_drag_quietly(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    site = next(iter(scene.sites.values()))
    before = set(scene.servers)
    drop_from_palette(view, "host", site.sceneBoundingRect().center())
    (new,) = [scene.servers[i] for i in set(scene.servers) - before]
    scene.clearSelection()
    new.setSelected(True)
    held = HeldDrag(view, new.mapToScene(QPointF(40, 10)))
    held.move_by(10, 10)
    window.undo_action.trigger()  # the host goes while it is being dragged
    assert new.entity_id not in scene.servers
    held.move_by(20, 20)
    held.release()
    assert not any(item.live for item in scene.links.values())


def test_a_press_after_a_lost_release_ends_the_old_drag_first(window: MainWindow,
                                                             example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view, document = window.scene, window.view, window.document
    card = scene.servers[cross_site_link(window).source]
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    held.move_by(10, 10)
    assert any(item.live for item in scene.links.values())
    # the release went to another window; the next press comes
    next_press = HeldDrag(view, card.sceneBoundingRect().bottomLeft() + QPointF(0, 300))
    assert not any(item.live for item in scene.links.values())
    assert not scene.live_links.links
    document.do(edits.set_fields, next(iter(document.design.sites)), name="Renamed")
    document.autosave()  # (no longer held by the lost drag)
    assert Path(document.sidecar()).exists()
    next_press.release()


def test_a_press_right_after_a_drop_hits_its_links_where_they_now_run(
        window: MainWindow, example: Any) -> None:
    """The layer takes a drop's links back once a view has painted it; a press before that
    (a quick second click) hands them back first: a link is hit and selected where it now
    runs, and a new drag of the card takes them live afresh."""
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    link = scene.links[cross_site_link(window).id]
    card = scene.servers[scene._card_of(window.document.design.replications[link.entity_id].source)]
    view.set_zoom(1.0)
    view.centerOn(card.sceneBoundingRect().center() + QPointF(0, 125))
    scene.legend.setPos(-5000, -5000)
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    was = QRectF(link.boundingRect())
    held.move_by(0, 10)
    held.move_by(0, 200)
    held.release()
    assert link.live  # (no turn of the event loop yet: the drop is not painted)
    beside = beside_link(link, was)  # (a click within reach, not on the line: aimed)
    click(view, beside)
    assert not link.live and not scene.live_links.links
    assert scene.selectedItems() == [link]
    scene.clearSelection()
    click(view, link.path.pointAtPercent(0.5))
    assert scene.selectedItems() == [link]
    drag(view, card.mapToScene(QPointF(40, 10)), card.mapToScene(QPointF(40, 50)))
    assert link.live and window.document.undo_stack.count() == 2
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))  # (and a drag right after it)
    held.move_by(0, 20)
    assert link.live and scene.live_links.links == {
        scene.links[r] for r in scene._card_links[card.entity_id]}
    held.release()


def beside_link(link: Any, away_from: QRectF, by: float = 3.0) -> QPointF:
    """A point ``by`` scene units off a link's curve (a few pixels at 1:1), outside an area
    (the link's bounds before it moved) and its label."""
    for step in range(4, 37):
        point = link.path.pointAtPercent(step / 40)
        angle = math.radians(link.path.angleAtPercent(step / 40))
        beside = point + QPointF(math.sin(angle), math.cos(angle)) * by  # (its normal)
        if not away_from.contains(beside) and \
                not link.label_area.adjusted(-4, -4, 4, 4).contains(beside):
            return beside
    raise AssertionError("the link runs inside that area all along")


def test_the_drop_is_painted_then_its_links_go_back_to_the_layer(
        window: MainWindow, example: Any) -> None:
    """(The link layer paints again along them with the links crossing there once the drop
    is on screen, not before: LiveLinks.dropped.)"""
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    link = scene.links[cross_site_link(window).id]
    card = scene.servers[scene._card_of(window.document.design.replications[link.entity_id].source)]
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    held.move_by(0, 10)
    held.move_by(0, 60)
    held.release()
    view.viewport().repaint()  # the drop, on screen
    assert link.live
    QApplication.processEvents()  # (the turn after it)
    assert not link.live and not scene.live_links.links


def test_a_held_press_takes_its_links_live_once_painted_and_a_release_gives_them_back(
        window: MainWindow, example: Any) -> None:
    """(So that the first frame of the drag it may begin does not wait while the link layer
    paints again along them: LiveLinks.after_paint.) Let go unmoved, nothing is edited and
    the links go back to the layer once the release is painted; the picture is as a fresh
    one."""
    from tests.ui.test_partial_paint import grab

    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    link = scene.links[cross_site_link(window).id]
    card = scene.servers[scene._card_of(window.document.design.replications[link.entity_id].source)]
    moving = {scene.links[r] for r in scene._card_links[card.entity_id]}
    grab(window)
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    assert not link.live  # (the press is not painted yet)
    grab(window)
    QApplication.processEvents()
    assert scene.live_links.links == moving
    picture = scene.link_layer._picture
    assert picture is not None and picture.dirty  # (along them, painted without them)
    grab(window)
    held.move_by(0, 10)  # the drag's first frame: the layer has nothing to paint again
    assert not picture.dirty and card.isSelected()
    held.move_by(0, 0)  # (back where it was)
    held.release()
    assert window.document.undo_stack.count() == 0
    grab(window)
    QApplication.processEvents()
    assert not scene.live_links.links and not link.live
    partly = grab(window)
    scene.link_layer.forget_picture()
    assert grab(window) == partly


def test_a_held_press_let_go_unmoved_gives_its_links_back(
        window: MainWindow, example: Any) -> None:
    from tests.ui.test_partial_paint import grab

    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    link = scene.links[cross_site_link(window).id]
    card = scene.servers[scene._card_of(window.document.design.replications[link.entity_id].source)]
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    grab(window)
    QApplication.processEvents()
    assert link.live and not scene._dragging
    held.release()
    assert link.live  # (until the release is painted)
    grab(window)
    QApplication.processEvents()
    assert not link.live and not scene.live_links.links
    assert window.document.undo_stack.count() == 0


def test_a_press_on_a_card_selected_already_takes_its_links_live_soon(
        window: MainWindow, example: Any) -> None:
    """(Such a press changes nothing on screen: the links waited for WAIT_MS, and a drag of
    the selection begun sooner gained nothing.)"""
    from PySide6.QtTest import QTest

    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    link = scene.links[cross_site_link(window).id]
    card = scene.servers[scene._card_of(window.document.design.replications[link.entity_id].source)]
    click(view, card.mapToScene(QPointF(40, 10)))
    QTest.qWait(400)
    assert card.isSelected() and not link.live
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    QTest.qWait(50)
    assert link.live
    held.release()


def test_a_press_whose_release_a_menu_takes_does_not_leave_its_links_live(
        window: MainWindow, example: Any) -> None:
    """The left button held on a card, its links taken live; a right-click opens the menu,
    which gets the left release. The links go back (and the labels placed in slices, which
    wait while links are live, go on)."""
    from PySide6.QtTest import QTest

    from tests.ui.conftest import view_point

    open_example(window, example, "training.hvd")
    scene, view, design = window.scene, window.view, window.document.design
    card = scene.servers[max((h.id for h in design.hosts.values() if h.cluster is None),
                             key=lambda h: len(design.replications_at(h)))]
    view.set_zoom(1.0)
    view.centerOn(card.sceneBoundingRect().center())
    scene.link_layer.show_labels()
    QTest.qWait(300)
    top, viewport = window.windowHandle(), view.viewport()
    at = viewport.mapTo(window, view_point(view, card.mapToScene(QPointF(40, 10))))
    none = Qt.KeyboardModifier.NoModifier
    QTest.mousePress(top, Qt.MouseButton.LeftButton, none, at)  # (as the window system)
    viewport.repaint()
    QApplication.processEvents()
    assert scene.live_links.links  # the press took its links live
    QTest.mousePress(top, Qt.MouseButton.RightButton, none, at)  # the menu, left still held
    QTest.mouseRelease(top, Qt.MouseButton.RightButton, none, at)
    QTest.qWait(50)
    assert window.last_menu is not None and window.last_menu.isVisible()
    QTest.mouseRelease(top, Qt.MouseButton.LeftButton, none, at)  # (the menu gets it)
    window.last_menu.close()
    QTest.qWait(400)
    assert not scene.live_links.links


def test_a_held_press_whose_window_loses_the_focus_gives_its_links_back(
        window: MainWindow, example: Any) -> None:
    """(Another window or a dialog comes up while the button is held: the release goes
    there, and no press may come to the canvas for a while.)"""
    from PySide6.QtTest import QTest

    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    link = scene.links[cross_site_link(window).id]
    card = scene.servers[scene._card_of(window.document.design.replications[link.entity_id].source)]
    view.setFocus()
    HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    view.viewport().repaint()
    QApplication.processEvents()
    assert link.live
    view.clearFocus()
    QTest.qWait(400)
    assert not link.live and not scene.live_links.links


def test_a_quick_click_or_a_large_selection_takes_no_link_live_before_a_drag(
        window: MainWindow, example: Any, monkeypatch: Any) -> None:
    from hvdesigner.canvas import gestures

    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    card = scene.servers[cross_site_link(window).source]
    click(view, card.mapToScene(QPointF(40, 10)))  # (let go before it was painted)
    assert card.isSelected()
    view.viewport().repaint()
    QApplication.processEvents()
    assert not scene.live_links.links
    monkeypatch.setattr(gestures, "PREPARE_MOST", 0)
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    view.viewport().repaint()
    QApplication.processEvents()
    assert not scene.live_links.links
    held.move_by(0, 10)  # (the drag takes them)
    assert scene.live_links.links
    held.release()


class Paints(QObject):
    """The regions of the paints a viewport gets, in turn (its event filter)."""

    def __init__(self) -> None:
        super().__init__()
        self.regions: list[QRegion] = []

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self.regions.append(QRegion(event.region()))
        return False


def test_a_drop_that_moves_the_legend_leaves_no_old_picture_of_it_on_screen(
        window: MainWindow, example: Any) -> None:
    """A card dragged below its frame: the frame grows at the drop and the legend below it
    moves down. What the window shows is what a full repaint shows (the drop once asked
    the scene to repaint bands along its live links, and Qt then left the legend's old
    lines on screen)."""
    from PySide6.QtTest import QTest

    def on_screen() -> Any:  # (what the window shows, not a fresh paint of it)
        top = view.viewport().window()
        return top.screen().grabWindow(top.winId()).toImage()

    window.resize(1600, 1000)
    open_example(window, example, "three-tier-hosting.hvd")
    scene, view = window.scene, window.view
    view.fit_content()
    QTest.qWait(200)
    design = window.document.design
    card = next(s for s in scene.servers.values() if design.get(s.entity_id).name == "HOU-HV01")
    legend = scene.legend.sceneBoundingRect()
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    QTest.qWait(50)
    for step in range(1, 11):
        held.move_by(0, step * 8)
        QTest.qWait(20)
    paints = Paints()
    view.viewport().installEventFilter(paints)
    held.release()
    QTest.qWait(300)
    view.viewport().removeEventFilter(paints)
    moved_to = view.mapFromScene(scene.legend.sceneBoundingRect()).boundingRect()
    assert scene.legend.sceneBoundingRect().top() > legend.bottom()  # (it moved clear)
    # the drop shown in one paint, its links going back to their layer in the next (the
    # bands along them were painted first alone, the drop's layout after)
    assert len(paints.regions) >= 2 and paints.regions[0].contains(moved_to)
    shown = on_screen()
    view.viewport().repaint()
    assert on_screen() == shown


def test_a_drop_no_view_paints_still_hands_its_links_back(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    """(The window hidden or minimised as the mouse comes up: no paint comes to say the
    drop is on screen, and the links go back to the layer all the same, a moment later.)"""
    from hvdesigner.canvas.live_links import LiveLinks

    open_example(window, example, "two-sites-certificates.hvd")
    scene, view = window.scene, window.view
    link = scene.links[cross_site_link(window).id]
    card = scene.servers[scene._card_of(window.document.design.replications[link.entity_id].source)]
    painted: list[int] = []
    view.painted.connect(lambda: painted.append(1))
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    held.move_by(0, 10)
    held.move_by(0, 60)
    held.release()
    view.hide()
    painted.clear()
    assert link.live
    qtbot.waitUntil(lambda: not link.live and not scene.live_links.links,
                    timeout=LiveLinks.WAIT_MS * 4)
    assert not painted


def test_a_wan_pipe_bounds_hold_its_label_and_badge(window: MainWindow, example: Any) -> None:
    """What is outside an item's bounds is never repainted when it changes or moves."""
    open_example(window, example, "training.hvd")
    wan = next(iter(window.document.design.wan_links))
    window.document.do(edits.set_fields, wan, name="Seattle to Denver carrier MPLS, second circuit, backup path "
                                    "through the Portland exchange, contract 2024-117 (renewal due)")
    for pipe in window.scene.wans.values():
        assert pipe.boundingRect().contains(pipe.label_box.adjusted(0, 0, 16, 0))


def test_a_drag_and_its_drop_repaint_where_things_moved_not_the_whole_view(
        window: MainWindow, example: Any) -> None:
    """(The live links' painter spans the scene; shown at the drag's first frame and hidden
    at its drop, it made Qt repaint the whole view both times: 40 ms of a drop fitted to
    5,000 hosts.)"""
    from PySide6.QtTest import QTest

    open_example(window, example, "training.hvd")
    view, scene = window.view, window.scene
    view.fit_content()
    QTest.qWait(50)
    viewport = view.viewport()
    paints = Paints()
    regions = paints.regions
    viewport.installEventFilter(paints)
    card = max(scene.servers.values(), key=lambda s: s.sceneBoundingRect().width())
    before = card.scenePos()
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    for step in range(1, 4):
        held.move_by(step * 6, 0)
        QTest.qWait(5)  # (the frame's repaint: of what it asked for)
    held.release()
    QTest.qWait(20)
    viewport.removeEventFilter(paints)
    assert card.scenePos() != before and len(regions) >= 4
    whole = viewport.width() * viewport.height()
    for region in regions:
        assert sum(r.width() * r.height() for r in region) < whole / 2


def _resting_mouse(view: Any, at: Any) -> None:
    """The mouse comes to rest over the canvas at a viewport point (as Qt learns of it)."""
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QCursor, QEnterEvent
    from PySide6.QtWidgets import QApplication

    from tests.ui.conftest import send_mouse

    viewport = view.viewport()
    QCursor.setPos(viewport.mapToGlobal(at))
    QApplication.sendEvent(viewport, QEnterEvent(QPointF(at), QPointF(at),
                                                 QPointF(viewport.mapToGlobal(at))))
    view.setAttribute(Qt.WidgetAttribute.WA_UnderMouse)  # (as the windowing system's enter)
    send_mouse(view, QEvent.Type.MouseMove, QPoint(at), Qt.MouseButton.NoButton,
               Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)


def test_actual_size_and_zoom_in_keep_the_middle_of_the_view_wherever_the_mouse_rests(
        window: MainWindow, example: Any) -> None:
    """(They zoomed about the mouse: from a view zoomed out, the mouse resting on empty
    canvas, Ctrl+1 showed that empty canvas.)"""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QAction

    open_example(window, example, "three-tier-hosting.hvd")
    view = window.view
    view.fit_content()
    view.set_zoom(0.15)
    viewport = view.viewport()
    middle = view.mapToScene(viewport.rect().center())
    _resting_mouse(view, QPoint(20, viewport.height() - 20))
    actions = {a.text().replace("&", ""): a for a in window.findChildren(QAction)}
    for name in ("Zoom In", "Actual Size"):
        actions[name].trigger()
        now = view.mapToScene(viewport.rect().center())
        assert abs(now.x() - middle.x()) < 2 / 0.15 and abs(now.y() - middle.y()) < 2 / 0.15
    assert view.zoom() == 1.0


def test_the_wheel_zooms_about_the_mouse(window: MainWindow, example: Any) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    open_example(window, example, "three-tier-hosting.hvd")
    view = window.view
    view.fit_content()
    viewport = view.viewport()
    at = QPoint(viewport.width() // 4, viewport.height() // 4)
    _resting_mouse(view, at)
    under, zoom = view.mapToScene(at), view.zoom()
    QApplication.sendEvent(viewport, QWheelEvent(
        QPointF(at), QPointF(viewport.mapToGlobal(at)), QPoint(0, 0), QPoint(0, 240),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False))
    assert view.zoom() > zoom
    still = view.mapToScene(at)
    assert abs(still.x() - under.x()) < 2 and abs(still.y() - under.y()) < 2
