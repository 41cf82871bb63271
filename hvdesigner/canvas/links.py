"""Replication links and the layer that paints them. A link's route follows the cards it
joins; it is recomputed when those move (never inside ``paint``)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QStaticText,
)
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.bands import Point, Route, bands, nearest_on_curve
from hvdesigner.canvas.glyphs import draw_badge, draw_padlock
from hvdesigner.canvas.labels import (
    BADGE_ROOM,
    LABEL_H,
    Box,
    LabelPlacer,
    box_corners,
    label_box,
    rect_box,
    spot,
)
from hvdesigner.canvas.layers import CachedLayer, LayerMember
from hvdesigner.canvas.linkgroups import TILE, LinkGroups
from hvdesigner.canvas.linkindex import LinkIndex, made
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


class LinkLayer(CachedLayer):
    """Every replication link that is not live (see ``ReplicationItem``): the strokes grouped
    by style (a handful of calls), then arrowheads and labels where exposed and legible."""

    #: How long labels wait after the last zoom step: rotated text is four fifths of the
    #: cost of painting the links anew, and a wheel turn repaints at every step.
    LABELS_AFTER_MS = 150
    #: A part of the picture of more than one rectangle is painted as the one round them:
    #: Qt strokes the links' curves clipped to a few rectangles several times slower than
    #: to their bounds (a fitted drop at 5,000 hosts: 95 ms for bands covering two fifths
    #: of their bounds, 25 ms for the bounds). Where labels are drawn, the part is painted
    #: so on a scratch picture and copied through its rectangles (``scratch``), so that
    #: only the labels in them are drawn again, not every label round them (a drop at 1:1
    #: repainted fifty labels about a long link).
    CLIP_RECTS = 1
    #: A part with more links about it than this strokes the groups' paths (clipped to
    #: it): gathering thousands of long links' curves anew cost more than the whole view's.
    NEAR_MOST = 400
    #: A link handed back by a drag repaints at most this many bands along its route, else
    #: its rectangle (see link_moved).
    BANDS = 48
    #: The link index is made for a view this long after its last paint (the view held
    #: still), not at the first edit there: 50 ms at 5,000 hosts that drawing a link waited.
    INDEX_AFTER_MS = 300

    def __init__(self) -> None:
        super().__init__(5)
        self.groups = LinkGroups()  # the strokes, by style and tile (canvas/linkgroups.py)
        self.index = LinkIndex()  # where the links pass round the view (canvas/linkindex.py)
        self.labels = True  # False while zooming: pictures are made without labels
        self._picture_labels = "all"  # the picture has "all", "none" or ("mixed") some
        self._zoom = 0.0
        self._labels_timer: QTimer | None = None
        self._index_timer: QTimer | None = None
        #: whether labels are drawn at the view's zoom (and so can be clicked); not until a
        #: view says so
        self.legible = False
        self.placer = LabelPlacer(self)  # finds the labels their spots (canvas/labels.py)

    def zooming(self, zoom: float) -> None:
        """The view's zoom changed: leave labels out until it holds still."""
        self.legible = zoom >= t.LOD_SIMPLE
        scene = self.scene()
        if scene is None or zoom == self._zoom:
            return
        self._zoom = zoom
        if self._labels_timer is None:  # (the scene's child: it goes with the scene)
            self._labels_timer = QTimer(scene, singleShot=True, interval=self.LABELS_AFTER_MS)
            self._labels_timer.timeout.connect(self.show_labels)
        self.labels = False
        self._labels_timer.start()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        super().paint(painter, option, widget)
        scene = self.scene()
        if widget is not None and not scene.theme.printing:  # type: ignore[attr-defined]
            if self._index_timer is None:  # (the scene's child: it goes with the scene)
                self._index_timer = QTimer(scene, singleShot=True, interval=self.INDEX_AFTER_MS)
                self._index_timer.timeout.connect(self._index_view)
            self._index_timer.start()

    def _index_view(self) -> None:
        """Make the link index for the view, unless made: a part to paint again takes its
        links from it (zoomed out, the view holds most of the design, and the groups' paths
        paint it). The view holding still does, or an edit before that."""
        shown = self.shown()
        if shown is not None and not self.held:
            zoom, area = shown
            if area.width() * area.height() < TILE * TILE:
                self.index.cover(area, zoom, self._links_near)

    def show_labels(self) -> None:
        """The zoom held still: add the labels to the picture (the timer's doing)."""
        self.labels = True
        self.placer.settle()
        if self._picture_labels == "none":
            self.paint_over(self._paint_labels)
        elif self._picture_labels == "mixed":  # (labels in some places only: start afresh)
            self.forget_picture()
        self._picture_labels = "all"

    def members(self) -> Iterable[ReplicationItem]:
        return self.scene().links.values()  # type: ignore[attr-defined, no-any-return]

    def member_changed(self, member: LayerMember, old: QRectF, restyle: bool = True,
                       areas: Iterable[QRectF] | None = None) -> None:
        if restyle:  # the route, style, selection or liveness changed
            self.groups.changed(member)
        self.index.changed(member)  # (or its label)
        super().member_changed(member, old, restyle, areas)

    def link_moved(self, link: ReplicationItem, old: QRectF, old_route: Route | None,
                   old_areas: tuple[QRectF, ...] = (), most: int | None = None) -> None:
        """A link was routed anew, or handed to or taken back from the live painter: repaint
        thin bands along where it was and is, and its label and arrowhead, as a drag frame
        does (a drop at a fitted zoom repainted the rectangles the dropped card's links span:
        0.2 s of strokes at 5,000 hosts; drawing a link at 1:1, 20 ms). ``most``: its
        rectangle instead when that takes more bands (a drop hands many links back at once:
        their bands together make a clip Qt strokes across slowly)."""
        shown = self.shown()
        if shown is None:
            self.member_changed(link, old)
            return
        zoom, area = shown
        if most is None:  # (not for a drag's links, whose first frame would wait for it)
            self._index_view()  # (made already, unless edited before the view held still)
        thin = bands(old_route, link.route, zoom, area, most)
        if thin is None:  # (a long link across the view: its rectangle costs less)
            self.member_changed(link, old)
            return
        if zoom >= t.LOD_SIMPLE:  # (else the picture has no labels nor arrowheads)
            thin += [r for r in (link.label_area, link.arrow_area, *old_areas)
                     if r.intersects(area)]
        self.member_changed(link, old, areas=thin)

    def label_changed(self, link: ReplicationItem, old: QRectF, old_label: QRectF) -> None:
        """A link's label changed (its text, its badge), not its stroke: repaint where the
        label was and is, if the picture has labels."""
        shown = self.shown()
        legible = shown is None or shown[0] >= t.LOD_SIMPLE
        self.member_changed(link, old, restyle=False,
                            areas=(old_label, link.label_area) if legible else ())

    def refit(self, regroup: bool = True) -> None:
        """Shrink the bounds to the links; ``regroup``: group them afresh too (after a hold,
        routes may have changed unannounced; an export hides some)."""
        super().refit()
        if regroup:
            self.groups.regroup_all()
            self.index.forget()

    def reset(self) -> None:
        super().reset()
        self.groups.regroup_all()
        self.index.forget()
        self.placer.clear()

    def scratch(self, level: float) -> bool:
        # (see CLIP_RECTS: only where the part draws labels; below LOD_SIMPLE, or while the
        # zoom changes, it draws none)
        return level >= t.LOD_SIMPLE and self.labels

    def scratch_clip(self, level: float) -> bool:
        return True  # (unclipped, a part would stroke every link's whole length in view)

    def paint_part(self, painter: QPainter, theme: Theme, level: float, area: QRectF,
                   near: list[QRectF]) -> None:
        self.paint_members(painter, theme, level, area, parts=near)

    def paint_members(self, painter: QPainter, theme: Theme, level: float,
                      area: QRectF, parts: list[QRectF] | None = None) -> None:
        """Stroke the links that meet a scene area, then their arrowheads and labels there;
        ``parts``: only those that meet one of these areas (a part on a scratch picture)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, level >= t.LOD_BLOCK)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        near: list[ReplicationItem] | None = None  # (the links there, when looked up)
        if self.painting is None and painter.paintEngine().type() != QPaintEngine.Type.Pdf:
            self._stroke_each(painter, theme, area)  # an image: see there
        else:  # (a stroke reaches a pixel or two, antialiased, beyond its curve)
            margin = 8 + 3 / max(level, 1e-3)
            # (a part smaller than a tile: the links there alone; a larger one, zoomed out,
            # where the index would list thousands of items: the groups' paths)
            if self.painting == "part" and area.width() * area.height() < TILE * TILE:
                near = self._near(area.adjusted(-margin, -margin, margin, margin))
            if near is not None and len(near) <= self.NEAR_MOST:
                strokes = self.groups.part(self.scene().links, near)  # type: ignore[attr-defined]
            else:
                strokes = self.groups.strokes(self.scene().links,  # type: ignore[attr-defined]
                                              area, margin)
            style = None
            for key, path in strokes:
                if key != style:
                    style = key
                    warn, extended, selected = key
                    painter.setPen(link_pen(warn, extended, link_colour(theme, warn, selected),
                                            theme.printing))
                painter.drawPath(path)
        if level < t.LOD_SIMPLE:  # arrowheads and labels would be specks
            return
        labelled = self.labels or self.painting is None  # (an image or a print: always)
        if self.painting == "whole":
            self._picture_labels = "all" if labelled else "none"
        elif self.painting == "part" and self._picture_labels != ("all" if labelled else "none"):
            self._picture_labels = "mixed"
        if labelled:
            self._paint_labels(painter, theme, level, area, near, parts)

    def _stroke_each(self, painter: QPainter, theme: Theme, area: QRectF) -> None:
        """Stroke the links one by one, a style at a time: a picture of the view is small,
        but an exported image may be 10,000 pixels a side, and Qt's raster engine strokes
        one path of all the links across it twenty times slower than each link alone (a
        large design's PNG took minutes)."""
        keyed = sorted(((item.look.unencrypted_across_sites, item.look.extended), item.entity_id)
                       for item in self.members()
                       if not item.live and item.isVisible() and item._bounds.intersects(area))
        links = self.scene().links  # type: ignore[attr-defined]
        style = None
        for key, rep_id in keyed:
            if key != style:
                style = key
                painter.setPen(link_pen(*key, link_colour(theme, key[0], False), theme.printing))
            painter.drawPath(links[rep_id].path)

    def _near(self, area: QRectF) -> list[ReplicationItem]:
        """The links whose curve, label or arrowhead may come into a scene area of the
        picture, in the scene's order: from the link index where it reaches, else from the
        scene's, by their rectangles (a long diagonal link's covers most of the view)."""
        if self.index.covers(area):
            return self.index.near(self.scene().links, area)  # type: ignore[attr-defined]
        return self._links_near(area)

    def _links_near(self, area: QRectF) -> list[ReplicationItem]:
        """The links whose bounds (labels included) meet a scene area, from the scene's
        index, in the order they were added (its ascending order)."""
        scene: Any = self.scene()
        return [i for i in scene.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect,
                                       Qt.SortOrder.AscendingOrder)
                if isinstance(i, ReplicationItem)]

    def _paint_labels(self, painter: QPainter, theme: Theme, level: float, area: QRectF,
                      near: list[ReplicationItem] | None = None,
                      parts: list[QRectF] | None = None) -> None:
        """The arrowheads and labels that meet the area, links in the scene's order. The view
        asks the scene's index for the links there (it knows their bounds, labels included),
        not every link of the design, or takes ``near`` (the links around the area, asked
        for their strokes); an image or a print goes through them all. Of those, only the
        links whose label or arrowhead is there paint: thousands of long links cross a part
        of a large design, a handful of labels are in it. ``parts``: and in one of these."""
        candidates = self.members() if self.painting is None else \
            near if near is not None else self._links_near(area)
        for item in candidates:
            label, arrow = item.label_area, item.arrow_area
            if not item.live and (label.intersects(area) or arrow.intersects(area)) \
                    and item.isVisible() and (parts is None or any(
                        label.intersects(part) or arrow.intersects(part) for part in parts)):
                item.paint_into(painter, theme, level, area)

