"""Toolbar icons drawn in the canvas's own ink, where the style's stock ones mislead (its
back/forward arrows read as navigation, not as undo/redo)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QTransform,
)


def undo_icon(ink: QColor, redo: bool = False) -> QIcon:
    """A hooked arrow turning back (undo) or, mirrored, forward (redo)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if redo:
        p.setTransform(QTransform(-1, 0, 0, 1, 32, 0))
    p.setPen(QPen(ink, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    hook = QPainterPath(QPointF(10, 12))
    hook.lineTo(QPointF(19, 12))
    hook.arcTo(QRectF(12, 12, 14, 14), 90, -180)
    hook.lineTo(QPointF(12, 26))
    p.drawPath(hook)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(ink)
    p.drawPolygon(QPolygonF([QPointF(3, 12), QPointF(12, 5), QPointF(12, 19)]))
    p.end()
    return QIcon(pixmap)
