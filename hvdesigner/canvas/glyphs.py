"""Small drawn symbols shared by the items: severity badges, padlocks, site-kind icons.

Meaning never rests on colour alone: each severity has its shape (error a filled circle with
"!", warning a triangle, info an "i" in a circle), and a padlock is open or closed.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
#: Text symbols for severities (in lists and tooltips), in glyphs common UI fonts have.
SEVERITY_SYMBOL = {"error": "✖", "warning": "▲", "info": "ℹ"}
BADGE = 16.0


def draw_badge(painter: QPainter, center: QPointF, severity: str, colour: QColor) -> None:
    r = BADGE / 2
    painter.save()
    painter.setPen(QPen(QColor("#FFFFFF"), 1.2))
    painter.setBrush(QBrush(colour))
    if severity == "warning":
        painter.drawPolygon(QPolygonF([
            QPointF(center.x(), center.y() - r), QPointF(center.x() + r, center.y() + r * 0.85),
            QPointF(center.x() - r, center.y() + r * 0.85)]))
        glyph, rect = "!", QRectF(center.x() - r, center.y() - r * 0.55, 2 * r, 1.6 * r)
    else:
        painter.drawEllipse(center, r, r)
        glyph, rect = ("!" if severity == "error" else "i"), QRectF(center.x() - r, center.y() - r, 2 * r, 2 * r)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(BADGE * 0.7))
    painter.setFont(font)
    painter.setPen(glyph_colour(colour))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, glyph)
    painter.restore()


def glyph_colour(fill: QColor) -> QColor:
    """Black on a light badge, white on a dark one: the dark theme's severity tones are light
    (a white "!" on its pink error badge all but vanished), the light theme's warning is a
    dark brown."""
    luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF()
    return QColor("#000000") if luminance > 0.45 else QColor("#FFFFFF")


def draw_padlock(painter: QPainter, center: QPointF, closed: bool, colour: QColor) -> None:
    """A 10 x 12 padlock; an open one has its shackle lifted to the side."""
    painter.save()
    painter.setPen(QPen(colour, 1.6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    shackle = QPainterPath()
    left, top = center.x() - 3.5, center.y() - 7
    if closed:
        shackle.moveTo(left, center.y() - 1)
        shackle.arcTo(QRectF(left, top, 7, 8), 180, -180)
        shackle.lineTo(left + 7, center.y() - 1)
    else:
        shackle.moveTo(left, center.y() - 1)
        shackle.lineTo(left, top + 2)
        shackle.arcTo(QRectF(left - 6, top - 1, 7, 8), 0, 180)
    painter.drawPath(shackle)
    painter.setBrush(QBrush(colour))
    painter.drawRoundedRect(QRectF(center.x() - 5, center.y() - 1, 10, 8), 1.5, 1.5)
    painter.restore()


def draw_site_icon(painter: QPainter, rect: QRectF, kind: str, colour: QColor) -> None:
    """Building (datacenter), small house (branch) or cloud, in a 16 px square."""
    painter.save()
    painter.setPen(QPen(colour, 1.4))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
    if kind == "cloud":
        path = QPainterPath()
        path.addEllipse(QRectF(x + w * 0.05, y + h * 0.35, w * 0.45, h * 0.5))
        path.addEllipse(QRectF(x + w * 0.3, y + h * 0.15, w * 0.45, h * 0.6))
        path.addEllipse(QRectF(x + w * 0.5, y + h * 0.38, w * 0.45, h * 0.47))
        painter.drawPath(path.simplified())
    elif kind == "branch":
        painter.drawPolyline(QPolygonF([QPointF(x + 1, y + h * 0.5), QPointF(x + w / 2, y + 2),
                                        QPointF(x + w - 1, y + h * 0.5)]))
        painter.drawRect(QRectF(x + w * 0.2, y + h * 0.5, w * 0.6, h * 0.45))
    else:
        painter.drawRect(QRectF(x + w * 0.2, y + 1, w * 0.6, h - 2))
        for row in range(3):
            for col in range(2):
                painter.drawPoint(QPointF(x + w * (0.38 + col * 0.25), y + h * (0.25 + row * 0.22)))
    painter.restore()


def draw_domain_chip(painter: QPainter, rect: QRectF, colour: QColor, hatch: QColor | None) -> None:
    """A domain's chip: its colour, and a hatch over it (``hatch``: the hatch's colour) once
    the seven colours repeat."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(colour))
    painter.drawRoundedRect(rect, 2, 2)
    if hatch is not None:
        painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        painter.drawRoundedRect(rect, 2, 2)
