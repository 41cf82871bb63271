"""Canvas items that connect or surround others: replication links, WAN links, firewall
boundaries and the domain legend. Their geometry follows the items they join; it is
recomputed when those move (never inside ``paint``)."""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.glyphs import draw_badge, draw_padlock
from hvdesigner.canvas.items import DesignItem, lod
from hvdesigner.canvas.looks import FirewallLook, LinkLook, WanLook

PARALLEL_SPACING = 34.0


def _edge_point(rect: QRectF, toward: QPointF) -> QPointF:
    """Where the line from a rectangle's centre toward a point leaves the rectangle."""
    c = rect.center()
    dx, dy = toward.x() - c.x(), toward.y() - c.y()
    if dx == 0 and dy == 0:
        return c
    sx = (rect.width() / 2) / abs(dx) if dx else math.inf
    sy = (rect.height() / 2) / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return QPointF(c.x() + dx * s, c.y() + dy * s)


class ReplicationItem(DesignItem):
    """A directed link from primary to replica, styled by authentication and tier.

    Drawn with cosmetic pens (a wide antialiased curve across the screen is the most costly
    thing a canvas can paint) and a label prepared once per look; the bounding rectangle is
    tight, so a drag repaints little."""

    def __init__(self, rep_id: str, look: LinkLook) -> None:
        super().__init__(rep_id)
        self.setZValue(5)
        self.path = QPainterPath()
        self._shape: QPainterPath | None = None
        self._bounds = QRectF()
        self.label_pos = QPointF()
        self.angle = 0.0
        self.arrow = QPolygonF()
        self.set_look(look)

    def set_look(self, look: LinkLook) -> None:
        self.look = look
        self.label_text = ("EXT · " if look.extended else "") + look.label
        self._label = QStaticText(self.label_text)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label_width = t.detail_metrics().horizontalAdvance(self.label_text) + 30
        if not self.path.isEmpty():  # a new link gets its bounds with its route
            self._update_bounds()
        self.update()

    def label_box(self) -> QRectF:
        """The label's box in its own (rotated) frame, centred on the link's middle."""
        return QRectF(-self._label_width / 2, -19, self._label_width, 16)

    def _update_bounds(self) -> None:
        self.prepareGeometryChange()
        label = QTransform().translate(self.label_pos.x(), self.label_pos.y()).rotate(
            self.angle).mapRect(self.label_box().adjusted(0, 0, 20, 0))
        self._bounds = self.path.boundingRect().united(label).adjusted(-8, -8, 8, 8)

    def set_geometry(self, source: QRectF, target: QRectF, offset: float) -> None:
        """Route from ``source`` to ``target``; ``offset`` bends parallel links apart."""
        start = _edge_point(source, target.center())
        end = _edge_point(target, source.center())
        line = QLineF(start, end)
        mid = line.center()
        normal = QPointF(-line.dy(), line.dx())
        length = math.hypot(normal.x(), normal.y()) or 1.0
        control = mid + normal * (2 * offset / length)
        if offset:
            start = _edge_point(source, control)
            end = _edge_point(target, control)
        path = QPainterPath(start)
        path.quadTo(control, end)
        self.path = path
        self.label_pos = path.pointAtPercent(0.5)
        self.angle = ((-path.angleAtPercent(0.5) + 90) % 180) - 90  # keep labels upright
        end_angle = math.radians(path.angleAtPercent(0.99))
        back = QPointF(-math.cos(end_angle), math.sin(end_angle))
        side = QPointF(-back.y(), back.x())
        self.arrow = QPolygonF([end, end + back * 12 + side * 5, end + back * 12 - side * 5])
        self._shape = None  # made when first asked for (hit tests), not on every move
        self._update_bounds()
        scene = self.scene()
        if scene is not None:
            if self.entity_id in scene.far_links:  # type: ignore[attr-defined]
                scene.link_layer.invalidate()  # type: ignore[attr-defined]
            scene.refresh_far((self.entity_id,))  # type: ignore[attr-defined]

    def boundingRect(self) -> QRectF:
        return self._bounds

    def ends(self) -> tuple[QPointF, QPointF]:
        start = self.path.elementAt(0)
        return QPointF(start.x, start.y), self.path.currentPosition()

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(10)
            self._shape = stroker.createStroke(self.path)
        return self._shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme = self.design_scene().theme
        look = self.look
        warn = look.unencrypted_across_sites
        colour = theme.severity["warning"] if warn else theme.text
        if self.isSelected() and not theme.printing:
            colour = theme.highlight
        level = lod(painter, option)
        pen = QPen(colour, 2.2 if look.extended else 1.6)
        pen.setCosmetic(True)
        if warn:
            pen.setStyle(Qt.PenStyle.DashLine)
        elif look.extended:
            pen.setStyle(Qt.PenStyle.DashDotLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if level < t.LOD_BLOCK:  # (normally drawn by the link layer by then)
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.drawPath(self.path)
            painter.restore()
            return
        painter.drawPath(self.path)
        if level < t.LOD_SIMPLE:
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(colour))
        painter.drawPolygon(self.arrow)
        box = self.label_box()
        label_area = QTransform().translate(self.label_pos.x(), self.label_pos.y()).rotate(
            self.angle).mapRect(box.adjusted(0, 0, 20, 0))
        if not label_area.intersects(option.exposedRect):
            return
        painter.save()
        painter.translate(self.label_pos)
        painter.rotate(self.angle)
        painter.setFont(t.detail_font())
        background = QColor(theme.window if not theme.printing else QColor("#FFFFFF"))
        background.setAlpha(225)
        painter.setBrush(QBrush(background))
        painter.drawRoundedRect(box, 4, 4)
        closed = look.auth == "certificate"
        draw_padlock(painter, QPointF(box.left() + 10, box.center().y()), closed, colour)
        painter.setPen(colour if warn else theme.text)
        metrics = QFontMetricsF(painter.font())
        painter.drawStaticText(QPointF(box.left() + 20, box.center().y() - metrics.height() / 2),
                               self._label)
        if self.severity is not None:
            draw_badge(painter, QPointF(box.right() + 10, box.center().y()), self.severity,
                       theme.severity[self.severity])
        painter.restore()


class WanItem(DesignItem):
    """A thick pipe between two site frames, labelled with bandwidth and load."""

    def __init__(self, wan_id: str, look: WanLook) -> None:
        super().__init__(wan_id)
        self.look = look
        self.line = QLineF()
        self.setZValue(-5)

    def set_look(self, look: WanLook) -> None:
        self.look = look
        self.update()

    def set_geometry(self, a: QRectF, b: QRectF) -> None:
        """Join the frames low down, below the server-to-server links that cross between
        them near their middles."""
        self.prepareGeometryChange()
        low_a = QPointF(a.center().x(), a.top() + a.height() * 0.85)
        low_b = QPointF(b.center().x(), b.top() + b.height() * 0.85)
        a_edge = _edge_point(QRectF(a.left(), a.top(), a.width(), a.height()), low_b)
        b_edge = _edge_point(b, low_a)
        self.line = QLineF(QPointF(a_edge.x(), low_a.y()) if abs(a_edge.x() - a.center().x()) > 1 else a_edge,
                           QPointF(b_edge.x(), low_b.y()) if abs(b_edge.x() - b.center().x()) > 1 else b_edge)

    def boundingRect(self) -> QRectF:
        return QRectF(self.line.p1(), self.line.p2()).normalized().adjusted(-120, -30, 120, 30)

    def shape(self) -> QPainterPath:
        path = QPainterPath(self.line.p1())
        path.lineTo(self.line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(14)
        return stroker.createStroke(path)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme = self.design_scene().theme
        selected = self.isSelected() and not theme.printing
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # long wide lines: costly
        painter.setPen(QPen(theme.highlight if selected else theme.mid, 10, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap))
        painter.drawLine(self.line)
        painter.setPen(QPen(theme.base, 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(self.line)
        painter.restore()
        if lod(painter, option) < t.LOD_SIMPLE:
            return
        painter.setFont(t.detail_font())
        metrics = QFontMetricsF(painter.font())
        width = metrics.horizontalAdvance(self.look.label) + 12
        center = self.line.center()
        box = QRectF(center.x() - width / 2, center.y() + 9, width, 16)
        painter.setPen(QPen(theme.mid, 1))
        painter.setBrush(QBrush(theme.base))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(theme.text)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.look.label)
        self.paint_badge(painter, QPointF(box.right() + 8, box.center().y()))


class FirewallItem(DesignItem):
    """A dashed boundary with a brick edge around what a firewall protects."""

    def __init__(self, fw_id: str, look: FirewallLook) -> None:
        super().__init__(fw_id)
        self.look = look
        self.rect = QRectF()
        self.setZValue(-8)

    def set_look(self, look: FirewallLook) -> None:
        self.look = look
        self.update()

    def set_geometry(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self.rect = rect.adjusted(-14, -30, 14, 14) if not rect.isNull() else QRectF()
        self.setVisible(not rect.isNull())

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-4, -4, 20, 4)

    def shape(self) -> QPainterPath:
        outer = QPainterPath()
        outer.addRoundedRect(self.rect.adjusted(-4, -4, 4, 4), 14, 14)
        inner = QPainterPath()
        inner.addRoundedRect(self.rect.adjusted(6, 22, -6, -6), 10, 10)
        return outer.subtracted(inner)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme = self.design_scene().theme
        colour = QColor("#B5523B")
        selected = self.isSelected() and not theme.printing
        pen = QPen(theme.highlight if selected else colour, 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self.rect, 14, 14)
        # a short run of bricks on the top edge, so the boundary reads as a firewall in grey too
        painter.setPen(QPen(colour, 1))
        painter.setBrush(QBrush(colour.lighter(140)))
        x0, y0 = self.rect.left() + 20, self.rect.top() - 5
        for i in range(6):
            painter.drawRect(QRectF(x0 + i * 11, y0 + (5 if i % 2 else 0), 10, 5))
        if lod(painter, option) < t.LOD_SIMPLE:
            return
        painter.setFont(t.detail_font())
        painter.setPen(theme.text)
        painter.drawText(QRectF(x0 + 72, self.rect.top() + 2, self.rect.width() - 100, 18),
                         Qt.AlignmentFlag.AlignVCenter, self.look.label)
        self.paint_badge(painter, QPointF(self.rect.right() - 6, self.rect.top() + 10))


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
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(theme.domain_colour(index)))
            painter.drawRoundedRect(QRectF(10, y + 3, 12, 12), 2, 2)
            if index >= 7:
                painter.setBrush(QBrush(theme.text, Qt.BrushStyle.BDiagPattern))
                painter.drawRoundedRect(QRectF(10, y + 3, 12, 12), 2, 2)
            painter.setPen(theme.text)
            painter.drawText(QRectF(28, y, rect.width() - 34, 18), Qt.AlignmentFlag.AlignVCenter,
                             f"{name}  {detail}")


class LinkLayer(QGraphicsItem):
    """The far links in one item: those with neither end in view, or all when zoomed far out.

    Such a link is a hairline without label or arrow, and painting thousands of them one Python
    call each is what makes a repaint slow. Their own items stop painting (the scene decides
    which are far) and this layer draws their paths grouped by style in a handful of calls;
    the groups are rebuilt only after a far link changed."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(5)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self._groups: dict[tuple[bool, bool, bool], QPainterPath] | None = None
        self._bounds = QRectF()

    def invalidate(self) -> None:
        """The far links changed: forget the groups (rebuilt when next painted or measured)."""
        if self._groups is not None:
            self.prepareGeometryChange()  # (reads the old bounds, so before forgetting them)
            self._groups = None

    def _rebuild(self) -> None:
        groups: dict[tuple[bool, bool, bool], QPainterPath] = {}
        bounds = QRectF()
        scene = self.scene()
        for rep_id in scene.far_links:  # type: ignore[attr-defined]
            item = scene.links[rep_id]  # type: ignore[attr-defined]
            look = item.look
            key = (look.unencrypted_across_sites, look.extended, item.isSelected())
            groups.setdefault(key, QPainterPath()).addPath(item.path)
            bounds = bounds.united(item.boundingRect())
        self._groups, self._bounds = groups, bounds

    def boundingRect(self) -> QRectF:
        if self._groups is None and self.scene() is not None:
            self._rebuild()
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if self._groups is None:
            self._rebuild()
        theme = self.scene().theme  # type: ignore[attr-defined]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for (warn, extended, selected), path in (self._groups or {}).items():
            colour = theme.highlight if selected and not theme.printing else (
                theme.severity["warning"] if warn else theme.text)
            pen = QPen(colour, 0)
            pen.setStyle(Qt.PenStyle.DashLine if warn else
                         Qt.PenStyle.DashDotLine if extended else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.drawPath(path)
