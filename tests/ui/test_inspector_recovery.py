"""The inspector's editors for recovery planning (format version 2), driven like a user:
addresses checked as they are typed (the model never hears of a wrong one), the failover IP
set and cleared, dependencies picked by name, switches and subnets edited as lists, the test
switch picked from the replica side's. Every change is one undo step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from hvdesigner.editing.document import Document
from hvdesigner.fileformat.loader import load
from hvdesigner.model.entities import FailoverIp
from hvdesigner.ui.inspector import Inspector
from hvdesigner.ui.main_window import MainWindow
from hvdesigner.ui.recovery_fields import Checked, DependenciesEditor, ListEditor, SwitchEditor
from tests.ui.conftest import open_example

EXAMPLES = Path(__file__).parents[2] / "resources" / "examples"
#: Where a group box's check box is, from its top left corner.
_CHECKBOX = QPoint(8, 8)
SQL_IP = FailoverIp("10.40.0.21", 24, "10.40.0.1", ("10.40.0.10", "10.40.0.11"))


@pytest.fixture
def inspector(qapp: QApplication, qtbot: Any) -> Inspector:
    """The training example, set as each test expects it: the SQL server with a failover IP,
    the file server without, no dependencies, one DR host without switches, a web server of
    unknown size."""
    design = load(str(EXAMPLES / "training.hvd"))
    design.update("sql01", failover_ip=SQL_IP, depends_on=(), test_switch=None)
    design.update("fs01", failover_ip=None)
    design.update("app01", depends_on=())
    design.update("web01", memory_gb=None, vcpus=None, recovery_group=None, depends_on=())
    design.update("den", subnets=("10.40.0.0/16",))
    design.update("den-hv01", switches=("vSwitch-Prod", "vSwitch-Test"))
    design.update("den-hv03", switches=())
    widget = Inspector(Document(design))
    qtbot.addWidget(widget)
    widget.resize(440, 900)
    widget.show()
    return widget


def failover_field(inspector: Inspector, key: str) -> Any:
    assert inspector.form is not None
    return inspector.form.editors["failover_ip"].form.editors[key]


def retype(qtbot: Any, line: QLineEdit, text: str, then: Qt.Key | None = Qt.Key.Key_Return) -> None:
    """Select what the field holds, type over it and press Enter, as a user does."""
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, text)
    if then is not None:
        qtbot.keyClick(line, then)


def show(inspector: Inspector, qtbot: Any, id: str) -> None:
    """Select a thing and let the new form's widgets show (the layout shows them queued)."""
    inspector.show_entity(id)
    assert inspector.form is not None
    qtbot.waitUntil(inspector.form.isVisible)
    QApplication.processEvents()


def message_of(editor: QWidget) -> str:
    label = editor.findChild(QWidget, "field-message")
    return label.text() if label.isVisible() else ""  # type: ignore[attr-defined]


def test_a_wrong_address_is_named_under_the_field_and_never_reaches_the_model(
        inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    show(inspector, qtbot, "sql01")
    address: Checked = failover_field(inspector, "address")
    retype(qtbot, address.line, "10.40.0.300", then=None)
    assert "'10.40.0.300' is not an IPv4 address" in message_of(address)  # as it is typed
    qtbot.keyClick(address.line, Qt.Key.Key_Tab)  # leaving the field keeps the text to correct
    assert address.line.text() == "10.40.0.300" and message_of(address)
    assert document.design.vms["sql01"].failover_ip == SQL_IP
    assert document.undo_stack.count() == 0

    retype(qtbot, address.line, "<b>10.40.0.25</b>", then=None)  # what was typed is text
    assert message_of(address).startswith("'<b>10.40.0.25</b>'")
    assert address.message.textFormat() == Qt.TextFormat.PlainText

    retype(qtbot, address.line, "10.40.0.25")
    assert message_of(address) == ""
    assert document.design.vms["sql01"].failover_ip.address == "10.40.0.25"
    assert document.undo_stack.count() == 1  # typing an address: one step
    document.undo_stack.undo()
    assert document.design.vms["sql01"].failover_ip == SQL_IP
    assert address.line.text() == "10.40.0.21"  # the field follows undo


def test_the_prefix_takes_a_length_or_a_mask_and_shows_the_mask(
        inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    show(inspector, qtbot, "sql01")
    prefix = failover_field(inspector, "prefix_length")
    retype(qtbot, prefix.line, "255.255.255.128")
    assert document.design.vms["sql01"].failover_ip.prefix_length == 25
    assert prefix.mask.text() == "= 255.255.255.128"
    retype(qtbot, prefix.line, "33")
    assert message_of(prefix) == "33 is out of range: must be at most 32"
    assert document.design.vms["sql01"].failover_ip.prefix_length == 25
    retype(qtbot, prefix.line, "255.0.255.0")
    assert "subnet mask" in message_of(prefix)
    assert document.design.vms["sql01"].failover_ip.prefix_length == 25


def test_the_gateway_may_be_cleared_and_dns_servers_are_checked_in_order(
        inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    show(inspector, qtbot, "sql01")
    gateway = failover_field(inspector, "gateway")
    retype(qtbot, gateway.line, "")
    assert document.design.vms["sql01"].failover_ip.gateway is None
    dns = failover_field(inspector, "dns")
    retype(qtbot, dns.line, "10.40.0.11, 10.40.0.x")
    assert "'10.40.0.x' is not an IPv4 address" in message_of(dns)
    assert document.design.vms["sql01"].failover_ip.dns == SQL_IP.dns
    retype(qtbot, dns.line, "10.40.0.11, 10.40.0.10")
    assert document.design.vms["sql01"].failover_ip.dns == ("10.40.0.11", "10.40.0.10")


def test_the_failover_ip_is_cleared_and_set_again_from_the_recovery_sites_subnet(
        inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    show(inspector, qtbot, "sql01")
    group = inspector.form.editors["failover_ip"].group
    qtbot.mouseClick(group, Qt.MouseButton.LeftButton, pos=group.rect().topLeft() + _CHECKBOX)
    assert document.design.vms["sql01"].failover_ip is None
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.design.vms["sql01"].failover_ip == SQL_IP and group.isChecked()

    # CON-FS01 recovers to Denver, where the other servers' failover addresses are in the
    # second of its networks
    document.design.update("den", subnets=("10.40.0.0/24", "10.40.10.0/24"))
    show(inspector, qtbot, "fs01")
    group = inspector.form.editors["failover_ip"].group
    assert not group.isChecked()
    qtbot.mouseClick(group, Qt.MouseButton.LeftButton, pos=group.rect().topLeft() + _CHECKBOX)
    ip = document.design.vms["fs01"].failover_ip
    taken = {vm.failover_ip.address for vm in document.design.vms.values()
             if vm.failover_ip is not None and vm.id != "fs01"}
    assert ip is not None and ip.address.startswith("10.40.10.") and ip.address not in taken
    assert (ip.prefix_length, ip.gateway, ip.dns) == (24, "10.40.10.1", SQL_IP.dns)
    assert failover_field(inspector, "address").line.text() == ip.address


def test_dependencies_are_picked_by_name_never_the_vm_itself(
        inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    show(inspector, qtbot, "app01")
    deps: DependenciesEditor = inspector.form.editors["depends_on"]
    assert deps.add.count() == 0  # (filled when the user reaches it, not with every form)
    deps.add.setFocus()
    offered = [deps.add.itemData(i) for i in range(deps.add.count())]
    assert "app01" not in offered and {"sql01", "fs01", "web01"} <= set(offered)
    assert deps.add.itemText(offered.index("sql01")) == "CON-SQL01 (on HVC-SEA)"
    qtbot.keyClicks(deps.add.lineEdit(), "CON-SQL01 (on HVC-SEA)")
    qtbot.keyClick(deps.add.lineEdit(), Qt.Key.Key_Return)
    assert document.design.vms["app01"].depends_on == ("sql01",)
    assert [deps.list.item(i).text() for i in range(deps.list.count())] == ["CON-SQL01 (on HVC-SEA)"]
    index = [deps.add.itemData(i) for i in range(deps.add.count())].index("fs01")
    deps.add.setCurrentIndex(index)
    deps.add.activated.emit(index)
    assert document.design.vms["app01"].depends_on == ("fs01", "sql01")
    assert document.undo_stack.count() == 2
    assert "sql01" not in [deps.add.itemData(i) for i in range(deps.add.count())]

    deps.list.setCurrentRow(1)  # (by name: CON-FS01, CON-SQL01)
    qtbot.mouseClick(deps.remove, Qt.MouseButton.LeftButton)
    assert document.design.vms["app01"].depends_on == ("fs01",)
    document.undo_stack.undo()
    assert document.design.vms["app01"].depends_on == ("fs01", "sql01")
    assert deps.list.count() == 2
    deps.list.setFocus()
    deps.list.setCurrentRow(0)
    qtbot.keyClick(deps.list, Qt.Key.Key_Delete)
    assert document.design.vms["app01"].depends_on == ("sql01",)


def test_a_dependency_renamed_elsewhere_shows_its_new_name(inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    document.design.update("app01", depends_on=("sql01",))
    show(inspector, qtbot, "app01")
    document.design.update("sql01", name="CON-SQL02")
    deps = inspector.form.editors["depends_on"]
    assert deps.list.item(0).text() == "CON-SQL02 (on HVC-SEA)"


def _edit_row(qtbot: Any, editor: ListEditor, row: int, text: str) -> None:
    """Double-click a row of a list editor, type, Enter."""
    item = editor.list.item(row)
    rect = editor.list.visualItemRect(item)
    qtbot.mouseClick(editor.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(editor.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    type_in_row(qtbot, editor, text)


def type_in_row(qtbot: Any, editor: ListEditor, text: str) -> None:
    """Type over the row being edited and press Enter (the list takes the text once the
    event loop turns). The row's editor is the one shown: a row edited before may have left
    its editor hidden, deleted only when Qt next runs its deferred deletions."""
    line = next(e for e in editor.list.findChildren(QLineEdit) if e.isVisible())
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.list.state() != editor.list.State.EditingState)


def test_a_hosts_switches_are_added_renamed_and_removed_and_a_repeat_is_refused(
        inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    show(inspector, qtbot, "den-hv03")
    switches: ListEditor = inspector.form.editors["switches"]
    qtbot.mouseClick(switches.findChild(QWidget, "list-add"), Qt.MouseButton.LeftButton)
    type_in_row(qtbot, switches, "vSwitch-Prod")
    assert document.design.hosts["den-hv03"].switches == ("vSwitch-Prod",)
    qtbot.mouseClick(switches.findChild(QWidget, "list-add"), Qt.MouseButton.LeftButton)
    type_in_row(qtbot, switches, "vSwitch-Prod")
    assert "listed twice" in message_of(switches)
    assert document.design.hosts["den-hv03"].switches == ("vSwitch-Prod",)
    _edit_row(qtbot, switches, 1, "vSwitch-Test")
    assert message_of(switches) == ""
    assert document.design.hosts["den-hv03"].switches == ("vSwitch-Prod", "vSwitch-Test")
    switches.list.setCurrentRow(0)
    qtbot.mouseClick(switches.findChild(QWidget, "list-remove"), Qt.MouseButton.LeftButton)
    assert document.design.hosts["den-hv03"].switches == ("vSwitch-Test",)
    assert document.undo_stack.count() == 3
    document.undo_stack.undo()
    assert [switches.list.item(i).text() for i in range(switches.list.count())] == [
        "vSwitch-Prod", "vSwitch-Test"]


def test_a_subnet_with_host_bits_says_which_network_was_meant(
        inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    show(inspector, qtbot, "den")
    subnets: ListEditor = inspector.form.editors["subnets"]
    _edit_row(qtbot, subnets, 0, "10.40.0.1/16")
    assert message_of(subnets) == "'10.40.0.1/16' has host bits set: the network is '10.40.0.0/16'"
    assert subnets.list.item(0).foreground().color().name() == "#c42b1c"  # the row it means
    assert document.design.sites["den"].subnets == ("10.40.0.0/16",)
    assert document.undo_stack.count() == 0
    _edit_row(qtbot, subnets, 0, "10.41.0.0/16")
    assert document.design.sites["den"].subnets == ("10.41.0.0/16",)


def test_the_test_switch_is_picked_from_the_replica_sides_switches_or_typed(
        inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    show(inspector, qtbot, "sql01")  # replicated to DEN-HV01
    switch: SwitchEditor = inspector.form.editors["test_switch"]
    switch.combo.showPopup()
    assert [switch.combo.itemText(i) for i in range(switch.combo.count())] == [
        "vSwitch-Prod", "vSwitch-Test"]
    switch.combo.hidePopup()
    switch.combo.setCurrentIndex(1)
    switch.combo.textActivated.emit("vSwitch-Test")
    assert document.design.vms["sql01"].test_switch == "vSwitch-Test"
    retype(qtbot, switch.line, "Isolated")
    assert document.design.vms["sql01"].test_switch == "Isolated"
    retype(qtbot, switch.line, "")
    assert document.design.vms["sql01"].test_switch is None
    assert switch.line.placeholderText() == "not connected"
    assert document.undo_stack.count() == 3


def test_sizes_and_the_recovery_group_say_unknown_and_after_the_numbered_groups(
        inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    show(inspector, qtbot, "web01")
    memory = inspector.form.editors["memory_gb"]
    group = inspector.form.editors["recovery_group"]
    assert memory.spin.text() == "unknown"
    assert group.spin.text() == "after the numbered groups"
    memory.spin.setFocus()
    qtbot.keyClick(memory.spin, Qt.Key.Key_Up)
    assert document.design.vms["web01"].memory_gb == 1  # (0 GB is no size: up from unknown is 1)
    group.spin.setFocus()
    for _ in range(3):
        qtbot.keyClick(group.spin, Qt.Key.Key_Up)
    assert document.design.vms["web01"].recovery_group == 3
    assert group.spin.maximum() == 9


def test_several_vms_get_a_recovery_group_and_test_switch_at_once_but_no_shared_address(
        inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    inspector.show_selection(["web01", "web02"])
    qtbot.waitUntil(inspector.form.isVisible)
    assert "failover_ip" not in inspector.form.editors  # (an address is one VM's own)
    assert "depends_on" not in inspector.form.editors
    switch: SwitchEditor = inspector.form.editors["test_switch"]
    retype(qtbot, switch.line, "vSwitch-Isolated")
    assert {document.design.vms[v].test_switch for v in ("web01", "web02")} == {"vSwitch-Isolated"}
    assert document.undo_stack.count() == 1


def test_a_cluster_says_what_its_nodes_give_vms_together(inspector: Inspector, qtbot: Any) -> None:
    document = inspector.document
    show(inspector, qtbot, "hvc-sea")
    box = inspector.lists["nodes"].parentWidget()
    assert box.title() == "Nodes (together: 96 logical processors, 736 GB for VMs)"
    document.design.update("sea-hv02", memory_gb=None)  # (an edit elsewhere: the title follows)
    assert box.title() == "Nodes (together: 96 logical processors, ? GB for VMs)"


def test_a_node_has_no_replica_storage_of_its_own_to_edit(inspector: Inspector, qtbot: Any) -> None:
    show(inspector, qtbot, "sea-hv01")  # a node of HVC-SEA: the cluster's storage counts
    assert "storage_gb" not in inspector.form.editors and "memory_gb" in inspector.form.editors
    show(inspector, qtbot, "hvc-sea")
    assert "storage_gb" in inspector.form.editors


def test_in_the_designer_a_vms_failover_address_is_typed_and_undone_from_the_menu(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "training.hvd")
    window.scene.select_ids(["sql01"])  # as a click on its row in the cluster's card
    inspector = window.inspector
    qtbot.waitUntil(lambda: inspector.form is not None and inspector.form.isVisible())
    group = inspector.form.editors["failover_ip"].group
    assert group.isChecked() and group.title() == "Failover IP"
    address = failover_field(inspector, "address")
    assert address.line.text() == "10.40.10.21"
    retype(qtbot, address.line, "10.40.10.22")
    assert window.document.design.vms["sql01"].failover_ip.address == "10.40.10.22"
    window.undo_action.trigger()
    assert window.document.design.vms["sql01"].failover_ip.address == "10.40.10.21"
    assert address.line.text() == "10.40.10.21"
