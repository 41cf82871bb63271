"""A new user's whole way, through the real widgets only: from an empty canvas to an error-free
cluster-to-cluster design with a trust, a firewall and an excluded pagefile."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionGroupBox,
    QTableWidget,
)

from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import click, drag, drop_from_palette, shown


def errors(window: MainWindow) -> set[str]:
    assert window.document is not None
    window.document.check_now()
    return {f.rule for f in window.findings_panel.model.findings
            if f.severity == "error" and not f.suppressed}


def tick_group(qtbot: Any, group: QGroupBox) -> None:
    """Click a checkable group box's own check box, as a user does."""
    option = QStyleOptionGroupBox()
    group.initStyleOption(option)
    box = group.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                       QStyle.SubControl.SC_GroupBoxCheckBox, group)
    qtbot.mouseClick(group, Qt.MouseButton.LeftButton, pos=box.center())


def card_point(window: MainWindow, id: str) -> QPointF:
    card = window.scene.servers[id]
    return card.mapToScene(QPointF(card.card_rect().width() / 2, 12))


def test_a_new_cluster_design_can_be_made_error_free_in_the_designer(
        window: MainWindow, qtbot: Any) -> None:
    view, scene = window.view, window.scene
    design = window.document.design
    middle = view.mapToScene(view.viewport().rect().center())
    # two sites, a cluster in each, a replication between them
    drop_from_palette(view, "site", middle - QPointF(300, 0))
    drop_from_palette(view, "site", middle + QPointF(300, 0))
    primary_site, replica_site = sorted(design.sites, key=lambda s: scene.sites[s].x())
    for site in (primary_site, replica_site):
        drop_from_palette(view, "cluster", scene.sites[site].sceneBoundingRect().center())
    primary, replica = sorted(design.clusters, key=lambda c: scene.servers[c].scenePos().x())
    drag(view, card_point(window, primary), card_point(window, replica), Qt.KeyboardModifier.ShiftModifier)
    (rep,) = design.replications
    assert {"BRK-01", "RS-01", "FW-01", "AUTH-01"} <= errors(window)

    # a domain for each side, and a trust between them (the domain is edited from the legend)
    for cluster in (primary, replica):
        drop_from_palette(view, "domain", card_point(window, cluster))
    primary_domain, replica_domain = design.clusters[primary].domain, design.clusters[replica].domain
    assert primary_domain and replica_domain and primary_domain != replica_domain
    assert "AUTH-01" in errors(window)
    legend = scene.legend
    row = legend.domain_ids.index(primary_domain)
    click(view, legend.mapToScene(QPointF(60, 26 + 20 * row + 9)))
    assert window.inspector.entity_id == primary_domain
    trusts = window.inspector.form.editors["trusts"].list
    item = next(trusts.item(i) for i in range(trusts.count())
                if trusts.item(i).data(Qt.ItemDataRole.UserRole) == replica_domain)
    item.setCheckState(Qt.CheckState.Checked)  # what a click on its check box does
    assert design.domains[primary_domain].trusts == (replica_domain,)
    assert "AUTH-01" not in errors(window)

    # a broker on each cluster; the replica cluster becomes a Replica server
    for cluster in (primary, replica):
        click(view, card_point(window, cluster))
        assert window.inspector.entity_id == cluster
        tick_group(qtbot, window.inspector.form.editors["broker"].group)
    tick_group(qtbot, window.inspector.form.editors["replica_server"].group)
    assert "BRK-01" not in errors(window) and not {"RS-01", "RS-02"} & errors(window)

    # the HTTP listener rule on both replica nodes at once: click one chip, Ctrl-click the other
    card = scene.servers[replica]
    chips = [card.mapToScene(card.node_chip_rect(i).center()) for i in range(len(card.look.nodes))]
    click(view, chips[0])
    click(view, chips[1], Qt.KeyboardModifier.ControlModifier)
    assert window.inspector.title.text().startswith("<b>2 items selected")
    listener = window.inspector.form.editors["windows_firewall"].form.editors["http_listener"].box
    option = QStyleOptionButton()
    listener.initStyleOption(option)
    indicator = listener.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, listener)
    qtbot.mouseClick(listener, Qt.MouseButton.LeftButton, pos=indicator.center())
    assert all(design.hosts[n].windows_firewall.http_listener for n in design.nodes_of(replica))
    assert "FW-01" not in errors(window)

    # a firewall in front of the replica site, letting the listener's port in
    drop_from_palette(view, "firewall", scene.sites[replica_site].sceneBoundingRect().topLeft() + QPointF(200, 14))
    (firewall,) = design.firewalls
    assert "FW-02" in errors(window)
    assert window.inspector.entity_id == firewall  # what was dropped is selected
    inbound = window.inspector.form.editors["allow_inbound_tcp"].line
    qtbot.keyClicks(inbound, "80")
    qtbot.keyClick(inbound, Qt.Key.Key_Return)
    assert design.firewalls[firewall].allow_inbound_tcp == (80,)

    # a VM with an excluded pagefile, replicated by the link
    click(view, card_point(window, primary))
    qtbot.mouseClick(shown(window.inspector, QPushButton, "add-vm"), Qt.MouseButton.LeftButton)
    (vm,) = design.vms
    scene.servers[primary].set_expanded(True)
    click(view, scene.servers[primary].mapToScene(scene.servers[primary].vm_row_rect(0).center()))
    assert window.inspector.entity_id == vm
    table: QTableWidget = shown(window.inspector, QTableWidget)
    qtbot.mouseClick(next(b for b in table.parentWidget().findChildren(QPushButton) if b.text() == "Add"),
                     Qt.MouseButton.LeftButton)
    table = shown(window.inspector, QTableWidget)
    columns = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    role = table.cellWidget(1, columns.index("Role"))
    role.setCurrentIndex(role.findText("Pagefile"))
    role.activated.emit(role.currentIndex())  # what picking it in the drop-down does
    table = shown(window.inspector, QTableWidget)
    table.item(1, columns.index("Replicate")).setCheckState(Qt.CheckState.Unchecked)
    pagefile = design.vms[vm].disks[1]
    assert pagefile.role == "pagefile" and not pagefile.replicate
    link = scene.links[rep]
    click(view, link.path.pointAtPercent(0.5))
    assert window.inspector.entity_id == rep
    vms = window.inspector.form.editors["vms"].list
    vms.item(0).setCheckState(Qt.CheckState.Checked)
    assert design.replications[rep].vms == (vm,)

    assert errors(window) == set()
    assert not any(item.severity == "error" for item in scene.all_items().values())
