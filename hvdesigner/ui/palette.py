"""The palette dock: things to drag onto the canvas."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from hvdesigner.canvas.glyphs import draw_site_icon
from hvdesigner.canvas.theme import DOMAIN_COLOURS
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


def palette_icon(kind: str, ink: QColor) -> QIcon:
    """A small drawing of each palette entry in the canvas's own visual language."""
    pixmap = QPixmap(40, 40)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(ink, 2.5))
    if kind == "site":
        draw_site_icon(p, QRectF(6, 6, 28, 28), "datacenter", ink)
    elif kind == "host":
        p.drawRoundedRect(QRectF(4, 10, 32, 20), 4, 4)
    elif kind == "cluster":
        p.drawRoundedRect(QRectF(3, 6, 34, 28), 4, 4)
        p.drawRect(QRectF(8, 18, 10, 10))
        p.drawRect(QRectF(22, 18, 10, 10))
    elif kind == "firewall":
        p.setPen(QPen(QColor("#B5523B"), 2))
        p.setBrush(QColor("#B5523B").lighter(140))
        for row in range(3):
            shift = 6 if row % 2 else 0  # bricks in running bond
            for col in range(2):
                p.drawRect(QRectF(2 + shift + col * 16, 6 + row * 10, 14, 8))
    elif kind == "domain":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(DOMAIN_COLOURS[0]))
        p.drawRoundedRect(QRectF(8, 8, 24, 24), 4, 4)
    elif kind == "wan":
        p.setPen(QPen(ink, 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(8, 30), QPointF(32, 10))
    else:
        p.drawLine(QPointF(6, 30), QPointF(30, 12))
        p.setBrush(ink)
        p.drawPolygon(QPolygonF([QPointF(34, 8), QPointF(24, 11), QPointF(30, 18)]))
    p.end()
    return QIcon(pixmap)


class Palette(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("palette")
        self.setDragEnabled(True)
        self.setIconSize(QSize(24, 24))
        self.setSpacing(2)
        for kind, label, tip in ENTRIES:
            item = QListWidgetItem(palette_icon(kind, self.palette().color(self.foregroundRole())), label)
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
