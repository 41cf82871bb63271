"""The habits of draw.io and Visio, through the real widgets: rename in place (F2, double-click),
nudge with the arrow keys, Esc, right-click menus, a dropped item selected, paste at the cursor."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from hvdesigner.editing.layout import Layout
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import HeldDrag, drop_from_palette, open_example, type_at_end, view_point


def right_click(window: MainWindow, at: QPointF) -> Any:
    """Right-click a scene point; the menu that opens (its actions can be triggered)."""
    pos = view_point(window.view, at)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, window.view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(window.view.viewport(), event)
    menu = window.last_menu
    assert menu is not None
    return menu


def pick(menu: Any, text: str) -> None:
    for action in menu.actions():
        if action.menu() is not None:
            found = [a for a in action.menu().actions() if a.text() == text]
            if found:
                found[0].trigger()
                return
        elif action.text() == text:
            action.trigger()
            menu.close()
            return
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def key(window: MainWindow, qtbot: Any, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    window.view.setFocus()
    qtbot.keyClick(window.view.viewport(), k, mods)


def select(window: MainWindow, id: str) -> None:
    window.scene.select_ids([id])


def test_f2_renames_the_selection_in_place_and_esc_keeps_the_old_name(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    host = next(iter(window.scene.servers))
    select(window, host)
    key(window, qtbot, Qt.Key.Key_F2)
    editor = window.view.renaming
    assert editor is not None and editor.text() == window.document.design.hosts[host].name
    qtbot.keyClicks(editor, "SEA-HV09")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert window.document.design.hosts[host].name == "SEA-HV09"
    assert window.document.undo_stack.count() == 1
    key(window, qtbot, Qt.Key.Key_F2)
    qtbot.keyClicks(window.view.renaming, "Other")
    qtbot.keyClick(window.view.renaming, Qt.Key.Key_Escape)
    assert window.document.design.hosts[host].name == "SEA-HV09"
    assert window.document.undo_stack.count() == 1


def test_an_empty_name_is_refused_with_the_reason(window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    site = next(iter(window.scene.sites))
    before = window.document.design.sites[site].name
    select(window, site)
    key(window, qtbot, Qt.Key.Key_F2)
    editor = window.view.renaming
    editor.clear()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert window.document.design.sites[site].name == before
    assert "empty" in window.statusBar().currentMessage()
    assert window.document.undo_stack.count() == 0


def test_double_clicking_a_site_title_renames_the_site(window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    site = next(iter(window.scene.sites))
    title = window.scene.name_rect(site).center()
    pos = view_point(window.view, title)
    QTest.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    editor = window.view.renaming
    assert editor is not None
    editor.setText("Zurich")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert window.document.design.sites[site].name == "Zurich"


def test_arrow_keys_nudge_the_selection_shift_a_larger_step(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    host = next(iter(window.scene.servers))
    select(window, host)
    x, y = Layout.of(window.document.design).servers[host]
    key(window, qtbot, Qt.Key.Key_Right)
    key(window, qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert Layout.of(window.document.design).servers[host] == (x + 10, y + 50)
    assert window.scene.servers[host].scenePos() == QPointF(x + 10, y + 50)
    assert window.document.undo_stack.count() == 2


def test_esc_clears_the_selection_and_puts_a_dragged_card_back(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    host = next(iter(window.scene.servers))
    card = window.scene.servers[host]
    start = card.scenePos()
    card.setSelected(True)
    held = HeldDrag(window.view, card.sceneBoundingRect().center())
    held.move_by(30, 40)
    held.move_by(60, 80)
    assert card.scenePos() != start
    key(window, qtbot, Qt.Key.Key_Escape)
    assert card.scenePos() == start
    held.release()
    assert window.document.undo_stack.count() == 0
    assert card.scenePos() == start
    key(window, qtbot, Qt.Key.Key_Escape)
    assert not window.scene.selectedItems()


def test_the_card_menu_adds_a_vm_and_draws_a_replication_from_here(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    source, target = sorted(scene.servers)[:2]
    vms = set(design.vms_on(source))
    pick(right_click(window, scene.servers[source].sceneBoundingRect().center()), "Add VM")
    assert len(design.vms_on(source)) == len(vms) + 1
    reps = set(design.replications)
    pick(right_click(window, scene.servers[source].sceneBoundingRect().center()), "Draw replication from here…")
    target_point = view_point(window.view, scene.servers[target].sceneBoundingRect().center())
    QTest.mouseMove(window.view.viewport(), target_point)
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=target_point)
    (new,) = set(design.replications) - reps
    assert (design.replications[new].source, design.replications[new].target) == (source, target)
    assert scene.links[new].isSelected()


def test_the_empty_canvas_menu_adds_a_site_where_it_was_clicked(window: MainWindow, qtbot: Any) -> None:
    at = window.view.mapToScene(window.view.viewport().rect().center())
    pick(right_click(window, at), "Add site here")
    (site,) = window.document.design.sites
    frame = Layout.of(window.document.design).sites[site]
    assert abs(frame.center[0] - at.x()) <= 10 and abs(frame.center[1] - at.y()) <= 10
    assert window.scene.sites[site].isSelected()
    pick(right_click(window, window.scene.sites[site].sceneBoundingRect().center()), "Add cluster here")
    (cluster,) = window.document.design.clusters
    assert window.document.design.clusters[cluster].site == site
    assert window.scene.servers[cluster].isSelected()


def test_a_dropped_host_is_selected_and_centred_on_the_cursor(window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    frame = next(iter(window.scene.sites.values())).sceneBoundingRect()
    spot = QPointF(frame.center().x(), frame.bottom() - 50)
    drop_from_palette(window.view, "host", spot)
    (selected,) = window.scene.selectedItems()
    card = selected.sceneBoundingRect()
    assert frame.contains(card)
    assert abs(selected.mapToScene(selected.card_rect().center()).x() - spot.x()) <= 10


def test_paste_lands_at_the_cursor_with_new_names(window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    host = sorted(scene.servers)[0]
    select(window, host)
    window.copy()
    other_site = next(s for s in design.sites if s != design.hosts[host].site)
    frame = scene.sites[other_site].sceneBoundingRect()
    at = QPointF(frame.left() + 40, frame.top() + 60)
    before = set(design.hosts)
    pick(right_click(window, at), "Paste here")
    (copy,) = set(design.hosts) - before
    original = design.hosts[host]
    assert design.hosts[copy].name == f"{original.name} (copy)"
    first, _, rest = original.fqdn.partition(".")
    assert design.hosts[copy].fqdn == f"{first}-copy.{rest}"
    assert design.hosts[copy].site == other_site
    assert frame.contains(scene.servers[copy].sceneBoundingRect().topLeft())
    assert scene.servers[copy].isSelected()
    window.paste((at.x() + 200, at.y()))
    names = {h.name for h in design.hosts.values()}
    assert f"{original.name} (copy 2)" in names


def test_a_press_anywhere_while_drawing_from_the_menu_gives_up_on_empty_canvas(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    scene = window.scene
    source = sorted(scene.servers)[0]
    scene.start_link_from(source)
    far = view_point(window.view, QPointF(-9000, -9000))
    window.view.centerOn(QPointF(-9000, -9000))
    event = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(far), QPointF(window.view.viewport().mapToGlobal(far)),
                        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window.view.viewport(), event)
    assert window.document.undo_stack.count() == 0
    assert scene._link_line is None
    assert "another host" in window.statusBar().currentMessage()


def test_save_is_offered_only_when_something_changed(window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    assert not window.save_action.isEnabled()
    host = next(iter(window.scene.servers))
    select(window, host)
    key(window, qtbot, Qt.Key.Key_Right)
    assert window.save_action.isEnabled()
    window.document.undo_stack.undo()
    assert not window.save_action.isEnabled()
    assert "Ctrl+S" in window.save_action.toolTip() and "Ctrl+Z" in window.undo_action.toolTip()


def test_a_bundled_example_opens_as_a_template(window: MainWindow, qtbot: Any, tmp_path: Any,
                                               monkeypatch: Any) -> None:
    from hvdesigner.ui import main_window
    example = main_window.EXAMPLES / "two-sites-certificates.hvd"
    original = example.read_bytes()
    assert window.open_path(str(example))
    assert window.document.path is None and "(template)" in window.windowTitle()
    host = next(iter(window.scene.servers))
    select(window, host)
    key(window, qtbot, Qt.Key.Key_Right)
    window.document.autosave()
    assert not list(main_window.EXAMPLES.glob(".*autosave")) and not list(main_window.EXAMPLES.glob("*.autosave"))
    asked: list[str] = []
    target = tmp_path / "mine.hvd"

    def dialog(parent: Any, title: str, suggested: str, filters: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), filters

    monkeypatch.setattr(main_window.QFileDialog, "getSaveFileName", dialog)
    assert window.save()
    assert asked == ["two-sites-certificates.hvd"]
    assert target.exists() and example.read_bytes() == original
    assert window.document.path == str(target) and "(template)" not in window.windowTitle()


def test_a_refused_inspector_choice_twice_then_typing_neither_crashes_nor_leaves_steps(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    """Issue 8, point 1: a node's site picked in the inspector twice (refused: a node stands
    where its cluster does), then typing in a field."""
    open_example(window, example, "cluster-to-cluster-csv.hvd")
    design, scene = window.document.design, window.scene
    cluster = next(iter(design.clusters))
    node = sorted(design.nodes_of(cluster))[0]
    card = scene.servers[cluster]
    index = [n.id for n in card.look.nodes].index(node)
    from tests.ui.conftest import click
    click(window.view, card.mapToScene(card.node_chip_rect(index).center()))
    assert window.inspector.entity_id == node
    site = window.inspector.form.editors["site"]
    other = next(i for i, (_, v) in enumerate(site.choices) if v != design.hosts[node].site)
    for _ in range(2):
        site.combo.setCurrentIndex(other)
        site.combo.activated.emit(other)  # what picking it in the drop-down does
        assert "Not changed" in window.inspector.error.text()
        assert site.value() == design.hosts[node].site  # the drop-down shows what is in force
    assert window.document.undo_stack.count() == 0 and not window.document.dirty
    type_at_end(qtbot, window.inspector.form.editors["name"].line, "X")
    QTest.qWait(150)  # the live check runs
    assert design.hosts[node].name.endswith("X")
    assert window.document.undo_stack.count() == 1


def test_the_vm_list_follows_undo_and_remove_vm_works_on_what_it_shows(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    from PySide6.QtWidgets import QListWidget, QPushButton

    from tests.ui.conftest import shown
    open_example(window, example, "two-sites-certificates.hvd")
    design = window.document.design
    server = max(window.scene.servers, key=lambda s: len(design.vms_on(s)))
    assert design.vms_on(server)
    select(window, server)
    qtbot.mouseClick(shown(window.inspector, QPushButton, "add-vm"), Qt.MouseButton.LeftButton)
    vms: QListWidget = shown(window.inspector, QListWidget, "server-vms")
    count = vms.count()
    window.document.undo_stack.undo()
    assert vms.count() == count - 1 == len(design.vms_on(server))
    vms.setCurrentRow(0)
    gone = vms.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.mouseClick(shown(window.inspector, QPushButton, "remove-vm"), Qt.MouseButton.LeftButton)
    assert gone not in design and vms.count() == count - 2


def test_clicking_a_finding_about_a_node_selects_the_node_to_fix(window: MainWindow, qtbot: Any) -> None:
    from hvdesigner.editing import edits
    from tests.ui.conftest import rules
    document = window.document
    site = document.do(edits.add_site, (0, 0)).select[0]
    other = document.do(edits.add_site, (900, 0)).select[0]
    source = document.do(edits.add_server, "host", (0, 0), site).select[0]
    cluster = document.do(edits.add_server, "cluster", (900, 0), other).select[0]
    document.do(edits.draw_replication, source, cluster)
    assert "FW-01" in rules(window)
    row = next(i for i, f in enumerate(window.findings_panel.model.findings) if f.rule == "FW-01")
    finding = window.findings_panel.model.findings[row]
    node = next(s for s in finding.subjects if window.scene.is_node(s))
    table = window.findings_panel.table
    table.scrollTo(table.model().index(row, 1))
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.scene.selected_parts == {node}
    assert window.inspector.entity_id == node
    assert "windows_firewall" in window.inspector.form.editors


def test_the_legend_stays_where_it_is_dragged_and_undo_puts_it_back(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    from tests.ui.conftest import drag
    open_example(window, example, "two-sites-certificates.hvd")
    legend = window.scene.legend
    start = legend.pos()
    title = legend.mapToScene(QPointF(40, 10))  # its title bar, not a domain row
    drag(window.view, title, title + QPointF(200, 100))
    assert Layout.of(window.document.design).legend == (legend.pos().x(), legend.pos().y())
    assert legend.pos() != start and window.document.undo_stack.count() == 1
    window.document.undo_stack.undo()
    assert legend.pos() == start


def test_every_key_the_platform_gives_redo_redoes_and_no_two_actions_share_a_key(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    """Ctrl+Shift+Z, and Ctrl+Y where the platform binds it (not only the first key)."""
    open_example(window, example, "two-sites-certificates.hvd")
    document = window.document
    keys = [key.toString() for action in window.findChildren(QAction) for key in action.shortcuts()]
    assert len(keys) == len(set(keys)), "a key two actions share fires neither"
    redo_keys = [key[0] for key in window.redo_action.shortcuts()
                 if key[0].keyboardModifiers() & Qt.KeyboardModifier.ControlModifier]
    assert "Ctrl+Shift+Z" in [key.toString() for key in window.redo_action.shortcuts()]
    window.view.setFocus()
    for combo in redo_keys:
        server = next(iter(window.scene.servers.values()))
        before = server.scenePos()
        server.setSelected(True)
        qtbot.keyClick(window.view.viewport(), Qt.Key.Key_Right)  # a nudge: one undo step
        moved = server.scenePos()
        assert moved != before
        qtbot.keyClick(window.view.viewport(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert window.scene.servers[server.entity_id].scenePos() == before
        qtbot.keyClick(window.view.viewport(), combo.key(), combo.keyboardModifiers())
        assert window.scene.servers[server.entity_id].scenePos() == moved, combo.toString()
        assert document.undo_stack.canUndo() and not document.undo_stack.canRedo()
