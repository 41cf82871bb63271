"""Clicking around a design shows each thing in the inspector with the widgets it already
has: a server, a VM, a link, a cluster selected again and again make no new widget.

Every new widget gets a palette of its own, so the style's pictures of it go into Qt's pixmap
cache under a key never used again (the canvas makes that cache large): a form made at every
click grew the process by about 0.4 MB a click, without end, in a design of any size."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from hvdesigner.ui.inspector import Inspector
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import click, open_example
from tests.ui.test_inspector_recovery import (  # noqa: F401 (the fixture)
    SQL_IP,
    failover_field,
    inspector,
    message_of,
    retype,
    show,
    type_in_row,
)

SEEN = "made-before"


def settle() -> None:
    """Turn the event loop, deferred deletions included (as the running application does)."""
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def spots(window: MainWindow) -> list[tuple[QPointF, str | None]]:
    """Where to click to select each server card, each VM row and each link label, and what
    each click selects; and the empty canvas (the design itself)."""
    scene, view = window.scene, window.view
    assert scene is not None and view is not None
    view.set_zoom(1.0)
    scene.link_layer.show_labels()
    found: list[tuple[QPointF, str | None]] = [
        (scene.content_rect().bottomRight() + QPointF(200, 200), None)]
    for server_id, card in sorted(scene.servers.items()):
        rect = card.card_rect()
        for spot in (rect.center(), QPointF(rect.left() + 40, rect.top() + 12)):
            at = card.mapToScene(spot)
            view.centerOn(at)
            scene.clearSelection()
            click(view, at)
            if [i.entity_id for i in scene.selectedItems()] == [server_id]:
                found.append((at, server_id))
                break
        card.set_expanded(True)
        for row, vm in enumerate(card.look.vms[:2]):
            found.append((card.mapToScene(card.vm_row_rect(row).center()), vm.id))
    for link_id, link in sorted(scene.links.items()):
        found.append((QPointF(*link.label_pos), link_id))
    return found


def select(window: MainWindow, at: QPointF, expected: str | None) -> None:
    """Click a spot on the canvas, as the user does, and check the inspector shows it."""
    assert window.view is not None and window.document is not None
    window.view.centerOn(at)
    click(window.view, at)
    settle()
    shown = window.inspector
    assert shown.entity_id == expected
    if expected is None:
        assert shown.design_title.isVisible()
        assert shown.design_title.line.text() == window.document.design.title
        return
    entity = window.document.design.get(expected)
    assert shown.form is not None and shown.form.isVisible()
    assert shown.form.current == entity  # (the form holds the thing clicked)
    name = shown.form.editors.get("name")
    if name is not None:
        assert name.line.text() == entity.name


def test_selecting_things_again_and_again_makes_no_new_inspector_widget(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "training.hvd")
    design = window.document.design
    targets = spots(window)
    kinds = {type(design.get(id)).__name__ for _, id in targets if id is not None}
    assert {"Host", "Cluster", "VM", "Replication"} <= kinds
    for at, id in targets:  # the first time each kind is shown: its widgets are made
        select(window, at, id)
    made = window.inspector.findChildren(QWidget)
    for widget in made:
        widget.setProperty(SEEN, True)
    for _ in range(3):
        for at, id in targets:
            select(window, at, id)
    widgets = window.inspector.findChildren(QWidget)
    new = [type(w).__name__ for w in widgets if not w.property(SEEN)]
    assert new == [] and len(widgets) == len(made)


def rows(listing: Any) -> list[str]:
    return [listing.item(i).text() for i in range(listing.count())]


def test_what_was_typed_for_one_thing_does_not_follow_to_the_next(
        inspector: Inspector, qtbot: Any) -> None:  # noqa: F811 (the fixture)
    """The editors shown again for another thing show that thing's values, and offer its
    choices, whatever was typed or offered for the one before."""
    design = inspector.document.design
    design.update("fs01", failover_ip=SQL_IP)  # (the same value as the one before: shown anew)
    show(inspector, qtbot, "sql01")
    retype(qtbot, failover_field(inspector, "address").line, "10.40.0.300", then=None)
    assert message_of(failover_field(inspector, "address"))  # (kept, to be corrected)
    show(inspector, qtbot, "fs01")
    address = failover_field(inspector, "address")
    assert address.line.text() == "10.40.0.21" and message_of(address) == ""

    show(inspector, qtbot, "den-hv03")
    switches = inspector.form.editors["switches"]
    for _ in range(2):
        qtbot.mouseClick(switches.findChild(QWidget, "list-add"), Qt.MouseButton.LeftButton)
        type_in_row(qtbot, switches, "vSwitch-Prod")
    assert "listed twice" in message_of(switches)
    show(inspector, qtbot, "sea-hv03")  # (its switches: the one den-hv03 has now)
    switches = inspector.form.editors["switches"]
    assert rows(switches.list) == ["vSwitch-Prod"] and message_of(switches) == ""

    show(inspector, qtbot, "app01")
    inspector.form.editors["depends_on"].add.setFocus()  # (filled: every VM but app01)
    show(inspector, qtbot, "sql01")
    deps = inspector.form.editors["depends_on"]
    assert deps.add.count() == 0  # (what it offered app01 let go, until reached for again)
    deps.add.setFocus()
    offered = [deps.add.itemData(i) for i in range(deps.add.count())]
    assert "sql01" not in offered and "app01" in offered


def test_a_disk_cell_being_typed_in_is_not_taken_into_the_next_vms_disks(
        inspector: Inspector, qtbot: Any) -> None:  # noqa: F811 (the fixture)
    document = inspector.document
    show(inspector, qtbot, "app01")
    disks = inspector.form.editors["disks"]
    column = [f.key for f in disks.columns].index("name")
    disks.table.editItem(disks.table.item(0, column))
    line = next(e for e in disks.table.findChildren(QLineEdit) if e.isVisible())
    qtbot.keyClicks(line, "typed for app01")
    before = document.design.vms["web01"].disks
    show(inspector, qtbot, "web01")
    QApplication.processEvents()
    disks = inspector.form.editors["disks"]
    assert document.design.vms["web01"].disks == before
    assert disks.table.item(0, column).text() == before[0].name
    assert document.undo_stack.count() == 0



def undo_keys(qtbot: Any, field: QWidget, then: Qt.Key | None = Qt.Key.Key_Return) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    if then is not None:
        qtbot.keyClick(field, then)
    QApplication.processEvents()


def test_ctrl_z_in_a_field_does_not_replay_the_thing_before(
        inspector: Inspector, qtbot: Any) -> None:  # noqa: F811 (the fixture)
    """A field shown again for another thing with the same text kept the undo history typed
    for the one before: Ctrl+Z there put the old text back, as an edit of the new thing."""
    document, design = inspector.document, inspector.document.design
    design.update("sql01", config_version="9.0")
    design.update("web01", config_version="10.0")
    show(inspector, qtbot, "sql01")
    config = inspector.form.editors["config_version"].line
    config.setFocus()
    config.selectAll()
    qtbot.keyClicks(config, "10.0")
    retype(qtbot, failover_field(inspector, "address").line, "10.40.0.77")
    design.update("fs01", config_version="10.0", failover_ip=design.vms["sql01"].failover_ip)
    inspector.show_entity(None)
    notes = inspector.design_notes.text
    notes.setFocus()
    qtbot.keyClicks(notes, "typed")
    steps = document.undo_stack.count()
    for vm in ("web01", "fs01"):
        show(inspector, qtbot, vm)
        before = design.vms[vm]
        undo_keys(qtbot, inspector.form.editors["config_version"].line)
        undo_keys(qtbot, failover_field(inspector, "address").line)
        assert design.vms[vm] == before
    inspector.show_entity(None)
    undo_keys(qtbot, inspector.design_notes.text, then=None)
    assert design.notes.startswith("typed")
    assert document.undo_stack.count() == steps


def test_remove_acts_only_on_a_row_chosen_for_the_thing_shown(
        inspector: Inspector, qtbot: Any) -> None:  # noqa: F811 (the fixture)
    """A row made current for one thing stayed current for the next (same rows, kept
    widgets): Remove then took a row of a thing the user had chosen none of."""
    design = inspector.document.design
    show(inspector, qtbot, "app01")
    inspector.form.editors["disks"].table.setCurrentCell(0, 1)
    show(inspector, qtbot, "den-hv03")
    inspector.form.editors["switches"].list.setCurrentRow(0)
    show(inspector, qtbot, "sea-hv03")
    switches, before = inspector.form.editors["switches"], design.hosts["sea-hv03"].switches
    qtbot.mouseClick(switches.findChild(QWidget, "list-remove"), Qt.MouseButton.LeftButton)
    assert design.hosts["sea-hv03"].switches == before != ()
    show(inspector, qtbot, "web01")
    disks, before = inspector.form.editors["disks"], design.vms["web01"].disks
    qtbot.mouseClick(disks.findChild(QWidget, "list-remove"), Qt.MouseButton.LeftButton)
    assert design.vms["web01"].disks == before != ()
    assert inspector.document.undo_stack.count() == 0
