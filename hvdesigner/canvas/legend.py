"""The floating domain legend on the canvas."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.glyphs import draw_domain_chip


class LegendItem(QGraphicsItem):
    """The floating domain legend: each domain's chip, and the trusts between domains. A row
    dragged onto a server puts that server in the domain."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[tuple[str, int, str]] = []  # (name, colour index, detail)
        self.width = 160.0
        self.domain_ids: list[str] = []
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setZValue(20)

    def set_entries(self, entries: list[tuple[str, int, str]], domain_ids: list[str]) -> None:
        self.prepareGeometryChange()
        self.entries = entries
        self.domain_ids = domain_ids
        metrics = t.detail_metrics()
        self.width = max([160.0] + [metrics.horizontalAdvance(f"{name}  {detail}") + 44
                                    for name, _, detail in entries])
        self.setVisible(bool(entries))

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.width, 30 + 20 * len(self.entries))

    def domain_at(self, pos: QPointF) -> str | None:
        """The domain whose row is under a point (drag it onto a server to tag the server)."""
        row = int((pos.y() - 26) // 20)
        return self.domain_ids[row] if pos.y() >= 26 and 0 <= row < len(self.domain_ids) else None

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme = self.scene().theme  # type: ignore[attr-defined]
        rect = self.boundingRect()
        painter.setPen(QPen(theme.mid, 1))
        painter.setBrush(QBrush(theme.base))
        painter.drawRoundedRect(rect, 6, 6)
        painter.setFont(t.name_font())
        painter.setPen(theme.text)
        painter.drawText(QRectF(10, 4, rect.width() - 20, 20), Qt.AlignmentFlag.AlignVCenter, "Domains")
        painter.setFont(t.detail_font())
        for i, (name, index, detail) in enumerate(self.entries):
            y = 26 + 20 * i
            draw_domain_chip(painter, QRectF(10, y + 3, 12, 12), theme.domain_colour(index),
                             theme.text if index >= 7 else None)
            painter.setPen(theme.text)
            painter.drawText(QRectF(28, y, rect.width() - 34, 18), Qt.AlignmentFlag.AlignVCenter,
                             f"{name}  {detail}")


