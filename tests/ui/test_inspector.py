"""The inspector as a component (no main window): its forms follow the model, undo included,
and every change it makes is one intent through the Document."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from hvdesigner.editing import edits
from hvdesigner.editing.document import Document
from hvdesigner.ui.inspector import Inspector
from tests.designs import load_dict, rich_design
from tests.ui.conftest import type_at_end


@pytest.fixture
def inspector(qapp: QApplication, qtbot: Any) -> Inspector:
    widget = Inspector(Document(load_dict(rich_design())))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_enumerated_values_are_hyper_vs_choices_and_a_hand_written_one_is_shown(
        inspector: Inspector) -> None:
    document = inspector.document
    inspector.show_entity("r2")
    frequency = inspector.form.editors["frequency_s"]
    assert [v for _, v in frequency.choices] == [30, 300, 900]
    index = [v for _, v in frequency.choices].index(900)
    frequency.combo.setCurrentIndex(index)
    frequency.combo.activated.emit(index)
    frequency.combo.setCurrentIndex(1)
    frequency.combo.activated.emit(1)
    assert document.design.replications["r2"].frequency_s == 300
    assert document.undo_stack.count() == 2  # separate edits of one field: separate steps
    assert document.undo_stack.text(0) == "Change Replication frequency of Tier 1"
    document.undo_stack.undo()
    assert frequency.value() == 900  # the form follows undo
    document.design.update("r2", frequency_s=600)  # as a file written by hand could say
    assert frequency.combo.currentText() == "600 (not allowed)"
    points = inspector.form.editors["recovery_points"]
    assert [v for _, v in points.choices][:25] == list(range(25))
    vss = inspector.form.editors["vss_hours"]
    assert [v for _, v in vss.choices] == [None, *range(1, 13)]


def test_typing_a_name_is_one_step_until_the_field_loses_focus(inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    inspector.show_entity("hv1")
    line = inspector.form.editors["name"].line
    type_at_end(qtbot, line, "-A")
    assert document.design.hosts["hv1"].name == "HV1-A" and document.undo_stack.count() == 1
    line.editingFinished.emit()  # focus leaves the field
    qtbot.keyClicks(line, "B")
    assert document.undo_stack.count() == 2


def test_every_field_has_a_human_label_and_a_tooltip(inspector: Inspector) -> None:
    for id in ("hv1", "cla", "sql1", "r2", "fw1", "wan1", "corp", "hq"):
        inspector.show_entity(id)
        for key, editor in inspector.form.editors.items():
            assert editor.toolTip(), (id, key)
    inspector.show_entity("r2")
    from PySide6.QtWidgets import QLabel
    texts = {label.text() for label in inspector.form.findChildren(QLabel)}
    assert {"Replication frequency", "Replica server", "Primary server"} <= texts
    inspector.show_entity("wan1")
    texts = {label.text() for label in inspector.form.findChildren(QLabel)}
    assert "Bandwidth (Mbps)" in texts


def test_a_clusters_nodes_are_listed_and_a_node_can_be_added_and_removed(
        inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    inspector.show_entity("cla")
    nodes = inspector.lists["nodes"]
    assert {nodes.item(i).data(Qt.ItemDataRole.UserRole) for i in range(nodes.count())} == {"na1", "na2"}
    inspector._add("nodes", "cla")
    assert len(document.design.nodes_of("cla")) == 3 and nodes.count() == 3
    new = nodes.currentItem().data(Qt.ItemDataRole.UserRole)
    assert document.design.hosts[new].os in ("2022", "2019")
    document.undo_stack.undo()
    assert nodes.count() == 2


def test_several_things_of_a_kind_share_their_common_fields(inspector: Inspector) -> None:
    document = inspector.document
    inspector.show_selection(["r1", "r2", "r3"])
    assert inspector.title.text().startswith("<b>3 items selected")
    assert "name" not in inspector.form.editors and "source" not in inspector.form.editors
    compression = inspector.form.editors["compression"]
    assert compression.box.isChecked()
    compression.box.click()
    assert not any(r.compression for r in document.design.replications.values())
    assert document.undo_stack.count() == 1


def test_a_node_offers_no_replica_settings_of_its_own(inspector: Inspector) -> None:
    inspector.show_entity("na1")
    assert "replica_server" not in inspector.form.editors and "windows_firewall" in inspector.form.editors
    inspector.show_selection(["na1", "na2"])
    assert "replica_server" not in inspector.form.editors
    inspector.show_selection(["hv1", "hv2"])
    assert "replica_server" in inspector.form.editors



def test_a_long_text_shows_from_its_start_unless_the_user_is_typing_in_it(
        inspector: Inspector, qtbot: Any) -> None:
    """(A field left its cursor at the end of what it was given: a long design title showed
    its last words, its first cut off.)"""
    document = inspector.document
    long_title = "Tailspin Toys: three tiers, Dallas → Houston → Northwind Hosting cloud"
    inspector.show_entity(None)
    line = inspector.design_title.line
    document.do(edits.set_attribute, "title", long_title)  # (an undo, a file opened)
    assert line.text() == long_title and line.cursorPosition() == 0
    inspector.show_entity("hv1")
    inspector.show_entity(None)  # (the design's form again, its fields kept)
    assert line.text() == long_title and line.cursorPosition() == 0
    type_at_end(qtbot, line, " (DR)")
    assert document.design.title == long_title + " (DR)"
    assert line.cursorPosition() == len(line.text())  # (where the user types, it stays)


def test_a_port_changed_for_two_hosts_changes_that_port_alone_on_each(
        inspector: Inspector, qtbot: Any) -> None:
    """(The Replica settings shown for several hosts are the first's: changing their port gave
    the other host the first's whole setup, the primaries it authorizes too.)"""
    design = inspector.document.design
    hc1 = design.hosts["hc1"]
    inspector.show_selection(["hv1", "hc1"])
    port = inspector.form.editors["replica_server"].form.editors["certificate_port"].spin
    qtbot.mouseClick(port, Qt.MouseButton.LeftButton, pos=port.rect().center())
    qtbot.keyClick(port, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(port, "8443")
    qtbot.keyClick(port, Qt.Key.Key_Return)
    assert design.hosts["hv1"].replica_server.certificate_port == 8443
    assert design.hosts["hc1"].replica_server == dataclasses.replace(
        hc1.replica_server, certificate_port=8443)
    assert inspector.document.undo_stack.count() == 1


def test_the_wheel_turned_over_a_field_changes_nothing_until_the_field_has_the_focus(
        inspector: Inspector, qtbot: Any) -> None:
    """(Turned over the inspector to scroll it, the wheel changed whichever field came under
    the pointer: a site's kind, a port.) The field leaves the wheel to the scroll area round
    it (Qt passes an ignored wheel on to the parents, as it does not an event sent in a
    test); once the field has the focus, the wheel steps it."""
    document, design = inspector.document, inspector.document.design

    def wheel(widget: QWidget) -> bool:
        """Whether the widget took a wheel turned over it."""
        at = QPointF(widget.rect().center())
        event = QWheelEvent(at, QPointF(widget.mapToGlobal(at.toPoint())), QPoint(0, 0),
                            QPoint(0, -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)
        return event.isAccepted()

    inspector.show_entity("hq")
    assert not wheel(inspector.form.editors["kind"].combo)
    assert design.sites["hq"].kind == "datacenter" and document.undo_stack.count() == 0
    inspector.show_entity("hv1")
    port = inspector.form.editors["replica_server"].form.editors["certificate_port"].spin
    assert not wheel(port)
    assert design.hosts["hv1"].replica_server.certificate_port == 443
    assert document.undo_stack.count() == 0
    port.setFocus()
    qtbot.waitUntil(port.hasFocus)
    assert wheel(port)
    assert design.hosts["hv1"].replica_server.certificate_port == 442
    assert document.undo_stack.count() == 1


def test_a_refused_value_is_said_by_its_field_and_gives_way_when_the_field_is_left(
        inspector: Inspector, qtbot: Any) -> None:
    """(An emptied name was refused as "/name: must not be empty", the file's path to it,
    and stayed empty in the field, as if taken, until something else was selected.)"""
    inspector.show_entity("hv1")
    line = inspector.form.editors["name"].line
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=line.rect().center())
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    assert line.text() == "" and inspector.document.design.hosts["hv1"].name == "HV1"
    assert inspector.error.text() == "Not changed: Name: must not be empty"
    line.editingFinished.emit()  # (the field is left)
    assert line.text() == "HV1"
