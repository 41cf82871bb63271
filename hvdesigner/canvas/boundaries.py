"""What frames the sites and servers: WAN pipes between site frames and firewall boundaries
around what they protect. The :class:`~hvdesigner.canvas.layers.BackdropLayer` paints them;
their geometry follows the frames and cards they join or surround."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPainterPathStroker, QPen

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.layers import LayerMember
from hvdesigner.canvas.links import edge_point
from hvdesigner.canvas.looks import FirewallLook, WanLook
from hvdesigner.canvas.theme import Theme

FIREWALL_COLOUR = QColor("#B5523B")


class WanItem(LayerMember):
    """A thick pipe between two site frames, labelled with bandwidth and load."""

    layer_name = "backdrop"

    def __init__(self, wan_id: str, look: WanLook) -> None:
        super().__init__(wan_id, z=-5)
        self.line = QLineF()
        self.label_box = QRectF()
        self.set_look(look)

    def set_look(self, look: WanLook) -> None:
        old = self.boundingRect()
        self.prepareGeometryChange()  # (a longer label widens the bounds)
        self.look = look
        self._place_label()
        self.repaint_layer(old)

    def _place_label(self) -> None:
        width = t.detail_width(self.look.label) + 12
        center = self.line.center()
        self.label_box = QRectF(center.x() - width / 2, center.y() + 9, width, 16)

    def set_geometry(self, a: QRectF, b: QRectF) -> None:
        """Join the frames low down, below the server-to-server links that cross between
        them near their middles."""
        old = self.boundingRect()
        self.prepareGeometryChange()
        low_a = QPointF(a.center().x(), a.top() + a.height() * 0.85)
        low_b = QPointF(b.center().x(), b.top() + b.height() * 0.85)
        a_edge = edge_point(a, low_b)
        b_edge = edge_point(b, low_a)
        self.line = QLineF(QPointF(a_edge.x(), low_a.y()) if abs(a_edge.x() - a.center().x()) > 1 else a_edge,
                           QPointF(b_edge.x(), low_b.y()) if abs(b_edge.x() - b.center().x()) > 1 else b_edge)
        self._place_label()
        self.repaint_layer(old)

    def boundingRect(self) -> QRectF:
        pipe = QRectF(self.line.p1(), self.line.p2()).normalized().adjusted(-8, -8, 8, 8)
        return pipe.united(self.label_box.adjusted(-2, -2, 18, 2))  # (the badge to its right)

    def shape(self) -> QPainterPath:
        path = QPainterPath(self.line.p1())
        path.lineTo(self.line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(14)
        return stroker.createStroke(path)

    def paint_into(self, painter: QPainter, theme: Theme, level: float, area: QRectF) -> None:
        selected = self.isSelected() and not theme.printing
        colour = theme.highlight if selected else theme.mid
        line = self.line
        painter.save()
        # A wide antialiased stroke costs ~2 ms a pipe across the view; the pipe is drawn
        # plain and its two long edges get thin antialiased lines (Qt's fast stroker) instead.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(colour, 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(line)
        painter.setPen(QPen(theme.base, 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(line)
        length = line.length()
        if length:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            edge = QPen(colour, 1)
            edge.setCosmetic(True)
            painter.setPen(edge)
            offset = QPointF(-line.dy(), line.dx()) * (4.6 / length)
            painter.drawLine(line.translated(offset))
            painter.drawLine(line.translated(-offset))
        painter.restore()
        box = self.label_box
        if level < t.LOD_SIMPLE or not box.adjusted(0, 0, 16, 0).intersects(area):
            return
        painter.setFont(t.detail_font())
        painter.setPen(QPen(theme.mid, 1))
        painter.setBrush(QBrush(theme.base))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(theme.text)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.look.label)
        self.paint_badge(painter, QPointF(box.right() + 8, box.center().y()))


class FirewallItem(LayerMember):
    """A dashed boundary with a brick edge around what a firewall protects."""

    layer_name = "backdrop"

    def __init__(self, fw_id: str, look: FirewallLook) -> None:
        super().__init__(fw_id, z=-8)
        self.look = look
        self.rect = QRectF()

    def set_look(self, look: FirewallLook) -> None:
        self.look = look
        self.repaint_layer(self.boundingRect())

    def set_geometry(self, rect: QRectF) -> None:
        old = self.boundingRect()
        self.prepareGeometryChange()
        self.rect = rect.adjusted(-14, -30, 14, 14) if not rect.isNull() else QRectF()
        self.setVisible(not rect.isNull())
        self.repaint_layer(old)

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-4, -4, 20, 4)

    def shape(self) -> QPainterPath:
        outer = QPainterPath()
        outer.addRoundedRect(self.rect.adjusted(-4, -4, 4, 4), 14, 14)
        inner = QPainterPath()
        inner.addRoundedRect(self.rect.adjusted(6, 22, -6, -6), 10, 10)
        return outer.subtracted(inner)

    def paint_into(self, painter: QPainter, theme: Theme, level: float, area: QRectF) -> None:
        colour = FIREWALL_COLOUR
        selected = self.isSelected() and not theme.printing
        painter.setPen(QPen(theme.highlight if selected else colour, 2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self.rect, 14, 14)
        # a short run of bricks on the top edge, so the boundary reads as a firewall in grey too
        painter.setPen(QPen(colour, 1))
        painter.setBrush(QBrush(colour.lighter(140)))
        x0, y0 = self.rect.left() + 20, self.rect.top() - 5
        for i in range(6):
            painter.drawRect(QRectF(x0 + i * 11, y0 + (5 if i % 2 else 0), 10, 5))
        if level < t.LOD_SIMPLE:
            return
        painter.setFont(t.detail_font())
        painter.setPen(theme.text)
        painter.drawText(QRectF(x0 + 72, self.rect.top() + 2, self.rect.width() - 100, 18),
                         Qt.AlignmentFlag.AlignVCenter, self.look.label)
        self.paint_badge(painter, QPointF(self.rect.right() - 6, self.rect.top() + 10))
