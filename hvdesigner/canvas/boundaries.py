"""Firewall boundaries around what they protect: their geometry follows the frames and cards
they surround; the :class:`~hvdesigner.canvas.layers.BackdropLayer` paints them, then the WAN
pipes (canvas/pipes.py)."""

from __future__ import annotations

import itertools
import math
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)

from hvdesigner.canvas import theme as t
from hvdesigner.canvas import tokens
from hvdesigner.canvas.layers import LayerMember
from hvdesigner.canvas.looks import FirewallLook
from hvdesigner.canvas.paintgrid import Shape
from hvdesigner.canvas.pipes import thin_pair, thin_pen
from hvdesigner.canvas.theme import Theme
from hvdesigner.editing.layout import FIREWALL_MARGIN

FIREWALL_COLOUR = QColor(tokens.FIREWALL)
#: A firewall boundary's outline: this wide, dashed as Qt's DashLine (4 widths on, 2 off),
#: its corners rounded so.
DASH_WIDTH, CORNER, CORNER_STEPS = 2.0, 14.0, 8
#: Its dashes are made, and painted, in runs about this long (scene units, on the straight
#: edges): a paint fills the runs that meet what it paints. (A boundary round a large site
#: has a thousand dashes or more: filling them all, for the 65 boundaries a drop fitted to
#: 5,000 hosts repainted, took 225 ms.)
DASH_RUN = 480.0
#: The dash pattern's period along the outline, and the middle of its gap (scene units): a
#: dash from 0 to 8 with square ends of a half width, from -1 to 9, then a gap to 11.
DASH_PERIOD, MID_GAP = 6 * DASH_WIDTH, 5 * DASH_WIDTH


class FirewallItem(LayerMember):
    """A dashed boundary with a brick edge around what a firewall protects."""

    layer_name = "backdrop"

    def __init__(self, fw_id: str, look: FirewallLook) -> None:
        super().__init__(fw_id, z=-8)
        self.look = look
        self.rect = QRectF()
        self._painted = QRectF()  # (the boundary as the layer last heard of it)
        self._outlined: tuple[QRectF, list[QPointF]] = (QRectF(), [])  # (for that rect)
        self._dashed: tuple[QRectF, list[DashRun]] = (QRectF(), [])

    def set_look(self, look: FirewallLook) -> None:
        self.look = look
        self.repaint_layer(self.boundingRect())

    def set_geometry(self, rect: QRectF) -> None:
        left, top, right, bottom = FIREWALL_MARGIN
        rect = rect.adjusted(-left, -top, right, bottom) if not rect.isNull() else QRectF()
        if rect == self.rect and self.isVisible() != rect.isNull():
            return  # (re-routed in place: nothing to repaint)
        old = self.boundingRect()
        self.prepareGeometryChange()
        self.rect = rect
        self.setVisible(not rect.isNull())
        self.repaint_layer(old)

    def _outline(self) -> list[QPointF]:
        """Its outline's points (made again when it moved)."""
        if self._outlined[0] != self.rect:
            self._outlined = (QRectF(self.rect), rounded_outline(self.rect))
        return self._outlined[1]

    def _dash_runs(self) -> list[DashRun]:
        """Its dashes' runs (made again when it moved)."""
        if self._dashed[0] != self.rect:
            self._dashed = (QRectF(self.rect), dash_runs(self._outline()))
        return self._dashed[1]

    def repaint_layer(self, old: QRectF, restyle: bool = True) -> None:
        """Repaint its edges where they were and are, not what they surround (a boundary
        round a site, its frame grown by a drop, held a hundred pipes and boundaries)."""
        scene: Any = self.scene()
        if scene is not None:
            scene.backdrop.member_changed(self, old, restyle,
                                          areas=[*_ring(self._painted), *_ring(self.rect)])
        self._painted = QRectF(self.rect)

    def shapes(self) -> list[Shape]:
        """What it paints, for the backdrop's index: its edges."""
        return [(r.left(), r.top(), r.right(), r.bottom()) for r in _ring(self.rect)]

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-4, -4, 20, 4)

    def shape(self) -> QPainterPath:
        outer = QPainterPath()
        outer.addRoundedRect(self.rect.adjusted(-4, -4, 4, 4), 14, 14)
        inner = QPainterPath()
        inner.addRoundedRect(self.rect.adjusted(6, 22, -6, -6), 10, 10)
        return outer.subtracted(inner)

    def paint_into(self, painter: QPainter, theme: Theme, level: float, area: QRectF) -> None:
        selected = self.isSelected() and not theme.printing
        colour = theme.highlight if selected else FIREWALL_COLOUR
        if theme.printing:  # (one paint, of the whole: a dashed pen, as a print reader dashes)
            painter.setPen(QPen(colour, DASH_WIDTH, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self.rect, CORNER, CORNER)
        elif level < t.LOD_BLOCK:  # (dashes under two pixels apart: see merged_outline_pen)
            painter.setPen(merged_outline_pen(colour, theme.base))
            painter.drawPolyline(self._outline())
        else:
            # (its dashes filled as shapes made in scene units, not stroked with a dashed
            # pen: Qt starts a dashed pen's pattern afresh where the outline enters the
            # picture, so a picture panned along kept dashes out of step with a fresh paint)
            dashes = QPainterPath()
            dashes.setFillRule(Qt.FillRule.WindingFill)  # (see stroke_run)
            for run in self._dash_runs():
                if run[0].intersects(area):
                    dashes.addPath(stroke_run(run))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawPath(dashes)
        # a short run of bricks on the top edge, so the boundary reads as a firewall in grey too
        x0 = self.rect.left() + 20
        draw_bricks(painter, x0, self.rect.top() - 5, level)
        if level < t.LOD_SIMPLE:
            return
        painter.setFont(t.detail_font())
        painter.setPen(theme.text)
        text = QRectF(x0 + 72, self.rect.top() + 2, self.rect.right() - 18 - (x0 + 72), 18)
        painter.drawText(text, Qt.AlignmentFlag.AlignVCenter,
                         t.elided(self.look.label, text.width()))
        self.paint_badge(painter, QPointF(self.rect.right() - 6, self.rect.top() + 10))


def _ring(rect: QRectF) -> list[QRectF]:
    """Where a boundary round ``rect`` paints (none for a null one): four strips along its
    edges, as wide as its dashed outline and rounded corners reach in, the top one wide
    enough for its bricks, label and badge."""
    if rect.isNull():
        return []
    outer = rect.adjusted(-1, -6, 3, 1)
    outer.setRight(max(outer.right(), rect.left() + 20 + 66 + 1))  # (the bricks: paint_into)
    hole = rect.adjusted(5, 22, -5, -5)  # (the corners' arcs are within 4.1 of the edges)
    if hole.width() <= 0 or hole.height() <= 0:
        return [outer]
    return [QRectF(QPointF(outer.left(), outer.top()), QPointF(outer.right(), hole.top())),
            QRectF(QPointF(outer.left(), hole.bottom()), QPointF(outer.right(), outer.bottom())),
            QRectF(QPointF(outer.left(), hole.top()), QPointF(hole.left(), hole.bottom())),
            QRectF(QPointF(hole.right(), hole.top()), QPointF(outer.right(), hole.bottom()))]


#: A run of a boundary's dashes: its bounds, the points of its stretch of the outline and
#: where along the outline its pattern starts (in pen widths: see stroke_run).
DashRun = tuple[QRectF, list[QPointF], float]


def dash_runs(outline: list[QPointF]) -> list[DashRun]:
    """A boundary's dashed ``outline`` (``rounded_outline``) in runs of about DASH_RUN, cut on
    its straight edges, each dashed on from where the one before left off. Stroked
    (``stroke_run``) and filled together, the runs are what a dashed pen strokes along the
    outline. (Runs, not their dashes: a thousand dashes round a large site, for 36
    boundaries about a view at 1:1, held 46 MB.)

    (Its corners are short polylines, so that where a run ends along the outline is where
    the dasher found it: it measures a curve by lines of its own, a shade shorter.)"""
    runs: list[DashRun] = []
    run, run_from = [outline[0]], 0.0  # (and where along the outline it began)

    def cut(at: QPointF, along: float) -> None:
        nonlocal run, run_from
        if at != run[-1]:
            run.append(at)
        bounds = QPolygonF(run).boundingRect()
        runs.append((bounds.adjusted(-DASH_WIDTH, -DASH_WIDTH, DASH_WIDTH, DASH_WIDTH), run,
                     run_from / DASH_WIDTH))
        run, run_from = [at], along

    along = 0.0
    for begin, end in itertools.pairwise(outline):
        length = QLineF(begin, end).length()
        # (cut once a run is DASH_RUN long, in the middle of a gap, so that no dash is cut,
        # unless what is left of this line would make a run under half that)
        while along + length - run_from > DASH_RUN * 1.5:
            at = max(run_from + DASH_RUN, along)
            at += (MID_GAP - at) % DASH_PERIOD
            if at >= along + length:
                break
            cut(begin + (end - begin) * ((at - along) / length), at)
        along += length
        run.append(end)
    cut(outline[-1], along)
    return runs


def stroke_run(run: DashRun) -> QPainterPath:
    """A run's dashes, as a shape to fill (with the winding rule: a dash bent round a
    corner overlaps itself)."""
    _, points, offset = run
    path = QPainterPath()
    path.addPolygon(QPolygonF(points))
    _DASHER.setDashOffset(offset)
    return _DASHER.createStroke(path)


_DASHER = QPainterPathStroker()
_DASHER.setWidth(DASH_WIDTH)
_DASHER.setDashPattern(Qt.PenStyle.DashLine)


def rounded_outline(rect: QRectF) -> list[QPointF]:
    """The points of a boundary's outline round ``rect``, closed (the last is the first):
    from its left edge's top, clockwise, each corner an arc of CORNER_STEPS lines."""
    x, y, w, h = rect.getRect()
    r = min(CORNER, w / 2, h / 2)
    centres = [(x + r, y + r), (x + w - r, y + r), (x + w - r, y + h - r), (x + r, y + h - r)]
    points = []
    for corner, (cx, cy) in enumerate(centres):
        for step in range(CORNER_STEPS + 1):
            angle = math.pi * (1 + (corner + step / CORNER_STEPS) / 2)  # (from the left, clockwise)
            points.append(QPointF(cx + r * math.cos(angle), cy + r * math.sin(angle)))
    points.append(QPointF(points[0]))
    return points


def merged_outline_pen(colour: QColor, base: QColor) -> QPen:
    """Zoomed out below LOD_BLOCK a boundary's dashes come under two pixels apart and fill
    less than a pixel: it is drawn as one faint line, with as much ink as its dashes have at
    LOD_BLOCK (their width there, times the part of the outline they cover: ten of twelve,
    with their square ends), at a fraction of the cost. Its colour is that ink on the
    canvas (``base``), opaque: Qt draws a translucent thin line ten times slower."""
    ink = min(1.0, DASH_WIDTH * t.LOD_BLOCK) * (DASH_PERIOD - DASH_WIDTH) / DASH_PERIOD
    faint = QColor.fromRgbF(*(ink * c + (1 - ink) * b for c, b in zip(
        colour.getRgbF()[:3], base.getRgbF()[:3], strict=True)))
    pen = QPen(faint, 1)
    pen.setCosmetic(True)
    return pen


def draw_bricks(painter: QPainter, x: float, y: float, level: float = 1.0) -> None:
    """A short run of bricks (66 x 10 from its top left corner) astride a firewall's edge;
    below LOD_BLOCK, where they are under two pixels high, a short thin bar in their colour
    (Qt fills a rectangle that small, clipped, a shade off from unclipped: see FAR_APART)."""
    if level < t.LOD_BLOCK:
        painter.setPen(thin_pen(FIREWALL_COLOUR.lighter(140)))  # (about the bricks' ink)
        painter.drawLines(thin_pair(QLineF(x, y + 5, x + 66, y + 5), level))
        return
    painter.setPen(QPen(FIREWALL_COLOUR, 1))
    painter.setBrush(QBrush(FIREWALL_COLOUR.lighter(140)))
    for i in range(6):
        painter.drawRect(QRectF(x + i * 11, y + (5 if i % 2 else 0), 10, 5))
