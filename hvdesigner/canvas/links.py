"""Replication links (their layer paints them: canvas/link_layer.py). A link's route follows
the cards it joins; it is recomputed when those move (never inside ``paint``)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QStaticText,
)

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.bands import Point, Route, nearest_on_curve
from hvdesigner.canvas.glyphs import draw_badge, draw_padlock
from hvdesigner.canvas.labels import (
    BADGE_ROOM,
    LABEL_H,
    Box,
    box_corners,
    label_box,
    rect_box,
    spot,
)
from hvdesigner.canvas.layers import LayerMember
from hvdesigner.canvas.linkindex import made
from hvdesigner.canvas.looks import LinkLook
from hvdesigner.canvas.theme import Theme

#: How wide a link's own hit area is (scene units); the view adds a few screen pixels to it
#: at any zoom (``CanvasView.member_near``).
HIT_WIDTH = 2.0


def _edge(rect: tuple[float, float, float, float], toward: Point) -> Point:
    left, top, width, height = rect
    cx, cy = left + width / 2, top + height / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    s = min((width / 2) / abs(dx) if dx else math.inf, (height / 2) / abs(dy) if dy else math.inf)
    return cx + dx * s, cy + dy * s


def route_between(source: QRectF, target: QRectF, offset: float) -> Route:
    """A link's curve from card to card: straight between their edges, or bowed sideways by
    ``offset`` (parallel links bend apart), leaving each card toward the control point.
    (Plain float arithmetic: opening a large design routes thousands of links.)"""
    a, b = source.getRect(), target.getRect()
    a_centre, b_centre = (a[0] + a[2] / 2, a[1] + a[3] / 2), (b[0] + b[2] / 2, b[1] + b[3] / 2)
    start, end = _edge(a, b_centre), _edge(b, a_centre)
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1.0
    bow = 2 * offset / length
    control = ((start[0] + end[0]) / 2 - dy * bow, (start[1] + end[1]) / 2 + dx * bow)
    if offset:
        start, end = _edge(a, control), _edge(b, control)
    return start, control, end


class ReplicationItem(LayerMember):
    """A directed link from primary to replica, styled by authentication and tier.

    The :class:`LinkLayer` paints it with all the others. While a drag moves one of its ends
    the link is "live": :class:`~hvdesigner.canvas.live_links.LiveLinks` paints it instead, so that a drag frame leaves the
    layer's picture alone and repaints only a thin band along the link."""

    layer_name = "link_layer"

    def __init__(self, rep_id: str, look: LinkLook) -> None:
        super().__init__(rep_id, z=5)
        self.made = next(made)  # (the scene's order: see canvas/linkindex.py)
        self.live = False
        self.path = QPainterPath()
        self.route: Route | None = None
        self._shape: QPainterPath | None = None
        self._bounds = QRectF()
        self.extent = QRectF()  # the bounds; while live, ahead of what the index knows
        self.label_pos: Point = (0.0, 0.0)  # the label's centre (see canvas/labels.py)
        self.angle = 0.0  # and its angle, upright
        self.label_box_scene: Box = rect_box(0, 0, 0, 0)  # (badge room included)
        self.label_area = QRectF()  # its bounds
        self._shape_legible = True
        self._placed = False  # the label's spot is the placing pass's (canvas/labels.py)
        self.arrow = QPolygonF()
        self.arrow_area = QRectF()
        self.set_look(look)

    def set_look(self, look: LinkLook) -> None:
        old: LinkLook | None = getattr(self, "look", None)
        if old == look:
            return  # (an edit's neighbours are looked at again: deleting a link relooked
            # the other links of its VMs, and repainted the rectangles they span)
        self.look = look
        self.label_text = look.text
        self._label: QStaticText | None = None  # laid out when first painted
        self.label_width = t.detail_width(self.label_text) + 30
        self._label_resized(restyle=old is None or _stroke(old) != _stroke(look))

    def set_severity(self, severity: str | None) -> None:
        badged = self.severity is not None
        self.severity = severity
        if badged != (severity is not None):  # the badge takes room, or gives it back
            self._label_resized(restyle=False)
        elif not self.live and self.scene() is not None:  # (its colour: the label alone)
            self.scene().link_layer.label_changed(self, self._bounds, self.label_area)  # type: ignore[attr-defined]

    def badge_room(self) -> float:
        return BADGE_ROOM if self.severity is not None else 0.0

    def _label_resized(self, restyle: bool) -> None:
        """The label's text or badge changed: the label grows or shrinks where it is, and
        looks for a better spot soon (with the others that changed meanwhile); ``restyle``:
        the stroke changed too (a new look): it repaints along its route, else the label
        alone does (a badge or a new VM count repainted the rectangle a long link spans)."""
        old, old_areas = QRectF(self._bounds), (QRectF(self.label_area), self.arrow_area)
        if self.route is not None:  # (a new link gets its label and bounds with its route)
            self._put_label(self.label_pos, self.angle, placed=self._placed)
            self._update_bounds()
            scene = self.scene()
            if scene is not None:
                scene.link_layer.placer.soon(self.entity_id)  # type: ignore[attr-defined]
        scene = self.scene()
        if self.live:
            if scene is not None:
                scene.update(old.united(self._bounds))
        elif scene is None or self.route is None:
            self.repaint_layer(old, restyle)
        elif restyle:
            scene.link_layer.link_moved(self, old, self.route, old_areas)  # type: ignore[attr-defined]
        else:
            scene.link_layer.label_changed(self, old, old_areas[0])  # type: ignore[attr-defined]

    def set_live(self, live: bool) -> None:
        """Hand this link to the live painter (while a drag moves it) or back to the layer."""
        if live != self.live:
            self.live = live
            if not live:
                self._index_extent()
            scene = self.scene()
            if scene is not None:  # (not through repaint_layer: the layer must drop or take it)
                scene.link_layer.link_moved(  # type: ignore[attr-defined]
                    self, self._bounds, self.route, most=scene.link_layer.BANDS)  # type: ignore[attr-defined]
                scene.live_links.moved(self, self.route)  # type: ignore[attr-defined]
                if not live:  # (its label rode at the middle while it moved)
                    scene.link_layer.placer.soon(self.entity_id)  # type: ignore[attr-defined]

    def repaint_layer(self, old: QRectF, restyle: bool = True) -> None:
        if not self.live:
            super().repaint_layer(old, restyle)

    def repaint_selection(self) -> None:
        """Along its route, as a move does, not the rectangle it spans: a long link clicked
        at 1:1 repainted much of the view and every label there, and again when the click
        went elsewhere. (Below LOD_SIMPLE the layer paints the rectangle round the bands all
        the same: see CLIP_RECTS.)"""
        scene = self.scene()
        if scene is None or self.route is None:
            self.repaint_layer(self._bounds)
        elif not self.live:
            scene.link_layer.link_moved(self, self._bounds, self.route)  # type: ignore[attr-defined]

    def label_box(self) -> QRectF:
        """The label's box in its own (rotated) frame, around ``label_pos``."""
        return QRectF(-self.label_width / 2, -LABEL_H / 2, self.label_width, LABEL_H)

    def badge_centre(self) -> QPointF:
        """Where the label's badge goes, past its right end (drawn upright, unlike the label:
        a "!" turned with a vertical link reads as a "-")."""
        a = math.radians(self.angle)
        reach = self.label_width / 2 + 10
        return QPointF(self.label_pos[0] + reach * math.cos(a), self.label_pos[1] + reach * math.sin(a))

    def _put_label(self, pos: Point, angle: float, box: Box | None = None,
                   placed: bool = False) -> None:
        """Put the label there; ``placed``: by the placing pass (other labels then keep
        clear of it; one that is not, say at the middle of a link just moved, may yet go)."""
        self.label_pos, self.angle = pos, angle
        if box is None:
            box = label_box(pos[0], pos[1], angle, self.label_width, self.badge_room())
        self.label_box_scene = box
        self.label_area = QRectF(box[6], box[7], box[8] - box[6], box[9] - box[7])
        self._shape = None
        if placed or self._placed:
            scene = self.scene()
            if scene is not None:
                grid = scene.link_layer.placer.grid  # type: ignore[attr-defined]
                if placed:
                    grid.put(self, box)
                else:
                    grid.drop(self)
            self._placed = placed

    def set_label(self, pos: Point, angle: float, box: Box) -> None:
        """Move the label (the placing pass found it a better spot than the middle)."""
        if pos == self.label_pos and angle == self.angle and box == self.label_box_scene:
            if not self._placed:
                self._put_label(pos, angle, box, placed=True)
            return
        old_area, old = QRectF(self.label_area), QRectF(self._bounds)
        self._put_label(pos, angle, box, placed=True)
        self._update_bounds()
        scene = self.scene()
        if self.live:  # (the live painter paints it: repaint where the label was and is)
            if scene is not None:
                scene.update(old_area)
                scene.update(self.label_area)
        elif scene is None or not scene.link_layer.placer.quiet:  # type: ignore[attr-defined]
            self.repaint_layer(old, restyle=False)  # (else the placer repaints all at the end)
        else:  # (but the link index must know where the label went)
            scene.link_layer.index.changed(self)  # type: ignore[attr-defined]

    def _update_bounds(self) -> None:
        xs, ys = zip(*self.route, strict=True) if self.route else ((0.0,), (0.0,))
        curve = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))  # (the hull)
        self.extent = curve.united(self.label_area).adjusted(-8, -8, 8, 8)
        if not self.live:  # (while live, the scene's index catches up when the drag ends)
            self._index_extent()

    def _index_extent(self) -> None:
        """Tell the scene's index the link's bounds (reindexing a long link costs)."""
        if self._bounds != self.extent:
            self.prepareGeometryChange()
            self._bounds = self.extent

    def set_geometry(self, source: QRectF, target: QRectF, offset: float) -> None:
        """Route from ``source`` to ``target``; ``offset`` bends parallel links apart."""
        old, old_areas = QRectF(self._bounds), (self.label_area, self.arrow_area)
        old_route = self.route
        route = route_between(source, target, offset)
        if route == old_route and not self.live:
            return  # (a card in a frame that grew: its label keeps its spot, and the
            # placing pass that follows looks again; sending it back to the middle first
            # repainted every label and arrowhead of the frame's links at a drop)
        self.route = (start, control, end) = route
        path = QPainterPath(QPointF(*start))
        path.quadTo(QPointF(*control), QPointF(*end))
        self.path = path
        # the label's first choice: the middle, outside the bend (the placing pass that
        # follows moves it if that spot is taken)
        x, y, angle, box = spot(self.route, 0.5, True, self.label_width, self.badge_room())
        self._put_label((x, y), angle, box)
        # the arrowhead points along the curve's last stretch (from the control point)
        bx, by = control[0] - end[0], control[1] - end[1]
        norm = math.hypot(bx, by) or 1.0
        bx, by = bx / norm, by / norm
        tip = QPointF(*end)
        self.arrow = QPolygonF([tip, QPointF(end[0] + bx * 12 - by * 5, end[1] + by * 12 + bx * 5),
                                QPointF(end[0] + bx * 12 + by * 5, end[1] + by * 12 - bx * 5)])
        self.arrow_area = self.arrow.boundingRect()
        self._shape = None  # made when first asked for (hit tests), not on every move
        self._update_bounds()
        scene = self.scene()
        if self.live and scene is not None:
            scene.live_links.moved(self, old_route, old_areas)  # type: ignore[attr-defined]
        elif scene is not None:
            scene.link_layer.link_moved(self, old, old_route, old_areas)  # type: ignore[attr-defined]

    def boundingRect(self) -> QRectF:
        return self._bounds

    def ends(self) -> tuple[QPointF, QPointF]:
        start = self.path.elementAt(0)
        return QPointF(start.x, start.y), self.path.currentPosition()

    def shape(self) -> QPainterPath:
        """The line (a few pixels more come from the view) and, where labels are drawn at
        the view's zoom, the label with its badge: clicking it selects the link, hovering it
        shows the badge's tooltip."""
        scene = self.scene()
        legible = scene is None or scene.link_layer.legible  # type: ignore[attr-defined]
        if self._shape is None or legible != self._shape_legible:
            stroker = QPainterPathStroker()
            stroker.setWidth(HIT_WIDTH)
            shape = stroker.createStroke(self.path)
            if legible:  # (beside the line, never across it: the two don't cancel out)
                shape.addPolygon(QPolygonF([QPointF(x, y) for x, y in box_corners(self.label_box_scene)]))
                shape.closeSubpath()
            self._shape, self._shape_legible = shape, legible
        return self._shape

    def nearest(self, x: float, y: float) -> tuple[float, QPointF]:
        """How far a scene point is from the line, and the line's nearest point to it."""
        return nearest_on_curve(self.route, x, y) if self.route is not None else (math.inf, QPointF())

    def colour(self, theme: Theme) -> QColor:
        return link_colour(theme, self.look.unencrypted_across_sites, self.isSelected())

    def paint_into(self, painter: QPainter, theme: Theme, level: float, area: QRectF) -> None:
        """The arrowhead and the label (padlock, text, badge), where they meet ``area``; the
        strokes are grouped by the layer."""
        colour = self.colour(theme)
        if self.arrow_area.intersects(area):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(colour))
            painter.drawPolygon(self.arrow)
        if not self.label_area.intersects(area):
            return
        box = self.label_box()
        painter.save()
        painter.translate(*self.label_pos)
        painter.rotate(self.angle)
        painter.setFont(t.detail_font())
        # (opaque: Qt fills a translucent turned box ten times slower, and a drop at 1:1
        # repainted fifty labels; a print's is the page's colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(theme.base if theme.printing else theme.window))
        painter.drawRoundedRect(box, 4, 4)
        look = self.look
        if look.auth == "certificate" or look.unencrypted_across_sites:
            # (visual-language.md: a closed padlock on HTTPS, an open one on Kerberos across
            # sites, none on Kerberos within a site)
            draw_padlock(painter, QPointF(box.left() + 10, box.center().y()),
                         look.auth == "certificate", colour)
        painter.setPen(colour if look.unencrypted_across_sites else theme.text)
        if self._label is None:
            self._label = QStaticText(self.label_text)
            self._label.setTextFormat(Qt.TextFormat.PlainText)
        painter.drawStaticText(QPointF(box.left() + 20,
                                       box.center().y() - t.detail_metrics().height() / 2),
                               self._label)
        painter.restore()
        if self.severity is not None:
            draw_badge(painter, self.badge_centre(), self.severity, theme.severity[self.severity])


def _stroke(look: LinkLook) -> tuple[bool, bool]:
    """What of a link's look its stroke and arrowhead show."""
    return look.unencrypted_across_sites, look.extended


def link_colour(theme: Theme, unencrypted: bool, selected: bool) -> QColor:
    """Selection, else the warning colour for an unencrypted cross-site link, else text."""
    if selected and not theme.printing:
        return theme.highlight
    return theme.severity["warning"] if unencrypted else theme.text


def link_pen(unencrypted: bool, extended: bool, colour: QColor, printing: bool) -> QPen:
    """The stroke of a link: dashed when unencrypted across sites, dash-dot when extended.

    On screen it is a cosmetic 1 px pen: Qt strokes those with its fast cosmetic stroker,
    while a wider antialiased pen costs four to eight times as much per link. Prints (drawn
    once) get wider strokes in scene units, the extended tier wider still."""
    pen = QPen(colour, (2.2 if extended else 1.6) if printing else 1.0)
    pen.setCosmetic(not printing)  # (a print's strokes grow with its scale, as its text does)
    if unencrypted:
        pen.setStyle(Qt.PenStyle.DashLine)
    elif extended:
        pen.setStyle(Qt.PenStyle.DashDotLine)
    return pen
