"""The palette dock: things to drag onto the canvas."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from hvdesigner.canvas.view import PALETTE_MIME

#: (kind, label, tooltip)
ENTRIES = [
    ("site", "Site", "A datacenter, branch or cloud: drop anywhere"),
    ("host", "Host", "A Hyper-V host: drop inside a site"),
    ("cluster", "Cluster", "A failover cluster with two nodes: drop inside a site"),
    ("firewall", "Firewall", "Drop on a site or server to put it behind a new firewall"),
    ("domain", "Domain", "Drop on a host or cluster to put it in a new domain"),
    ("wan", "WAN link", "Drop on a site to join it to the nearest other site"),
    ("replication", "Replication", "Shift-drag from one server to another to draw a link"),
]


class Palette(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("palette")
        self.setDragEnabled(True)
        self.setIconSize(QSize(20, 20))
        for kind, label, tip in ENTRIES:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, kind)
            item.setToolTip(tip)
            self.addItem(item)

    def kind_at_row(self, row: int) -> str:
        return str(self.item(row).data(Qt.ItemDataRole.UserRole))

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:  # noqa: N802 (Qt override)
        data = QMimeData()
        if items:
            data.setData(PALETTE_MIME, str(items[0].data(Qt.ItemDataRole.UserRole)).encode())
        return data

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [PALETTE_MIME]
