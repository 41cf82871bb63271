"""WAN pipes between site frames: their geometry follows the frames they join; the
:class:`~hvdesigner.canvas.layers.BackdropLayer` paints them, over the firewall boundaries
(canvas/boundaries.py)."""

from __future__ import annotations

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
)

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.bands import nearest_on_segment
from hvdesigner.canvas.cells import clip
from hvdesigner.canvas.glyphs import BADGE
from hvdesigner.canvas.items import FRAME_RADIUS
from hvdesigner.canvas.labels import CELL, LABEL, TITLE, Box, oriented_box, rect_box
from hvdesigner.canvas.layers import LayerMember, draw_thin
from hvdesigner.canvas.looks import WanLook
from hvdesigner.canvas.paintgrid import Shape
from hvdesigner.canvas.theme import Theme

#: Half a WAN pipe's width.
PIPE_HALF = 5.0


class WanItem(LayerMember):
    """A thick pipe between two site frames, labelled with bandwidth and load."""

    layer_name = "backdrop"

    def __init__(self, wan_id: str, look: WanLook) -> None:
        super().__init__(wan_id, z=-5)
        self.line = QLineF()
        self.label_box = QRectF()
        self._obstacles: PipeObstacles | None = None  # (for this line and label)
        #: its thin lines below LOD_BLOCK, for a zoom, colour and line (a drop fitted to
        #: 5,000 hosts asks 470 pipes for them)
        self._thin: tuple[float, QColor, QLineF, QPen, list[QLineF]] | None = None
        self.set_look(look)

    def set_look(self, look: WanLook) -> None:
        old = self.boundingRect(), QLineF(self.line), QRectF(self.label_box)
        self.prepareGeometryChange()  # (a longer label widens the bounds)
        self.look = look
        self._place_label()
        self._repaint(*old)

    def _place_label(self) -> None:
        """Below the pipe (right of a vertical one), far enough along the pipe's normal that
        a slanted pipe doesn't run through the label."""
        width = t.detail_width(self.look.label) + 12
        line = self.line
        length = line.length()
        nx, ny = (-line.dy() / length, line.dx() / length) if length else (0.0, 1.0)
        if ny < 0 or (ny == 0 and nx < 0):
            nx, ny = -nx, -ny
        reach = PIPE_HALF + 3 + abs(nx) * (width + BADGE) / 2 + abs(ny) * 8
        center = line.center()
        self._obstacles = None
        self.label_box = QRectF(center.x() + nx * reach - width / 2,
                                center.y() + ny * reach - 8, width, 16)

    def set_geometry(self, a: QRectF, b: QRectF) -> None:
        """Join two site frames low down, below the server-to-server links that cross between
        them near their middles; the pipe starts and ends just outside each frame's outline
        (rounded corners included), or is not drawn if the frames overlap."""
        low_a = (a.center().x(), a.top() + a.height() * 0.85)
        low_b = (b.center().x(), b.top() + b.height() * 0.85)
        start = _leave(a, low_a, low_b)
        end = _leave(b, low_b, low_a)
        if start is None or end is None or math.dist(start, low_a) >= math.dist(end, low_a):
            line = QLineF()
        else:
            line = QLineF(QPointF(*start), QPointF(*end))
        if line == self.line:
            return  # (a frame that moved along its own pipe's line, or re-routed in place)
        old = self.boundingRect(), QLineF(self.line), QRectF(self.label_box)
        self.prepareGeometryChange()
        self.line = line
        self._place_label()
        self._repaint(*old)

    def set_severity(self, severity: str | None) -> None:
        self.severity = severity  # (its badge is by its label)
        self._repaint(self.boundingRect(), QLineF(self.line), QRectF(self.label_box))

    def repaint_selection(self) -> None:
        self._repaint(self.boundingRect(), QLineF(self.line), QRectF(self.label_box), True)

    def _repaint(self, old: QRectF, old_line: QLineF, old_label: QRectF,
                 along: bool = False) -> None:
        """Repaint where the pipe and its label were and are: thin boxes along the two lines,
        not the rectangle a long slanted pipe spans (a drop that grew a frame repainted most of
        the backdrop through its pipes' rectangles: 0.1 s at 5,000 hosts); the label alone
        when the line stayed (an edit changed the load it shows), unless ``along`` (its
        selection changed: it is drawn highlighted)."""
        scene: Any = self.scene()
        shown = None if scene is None else scene.backdrop.shown()
        if shown is None:
            self.repaint_layer(old)
            return
        zoom, area = shown
        areas = [r.adjusted(-2, -2, BADGE + 2, 2) for r in (old_label, self.label_box)
                 if zoom >= t.LOD_SIMPLE]  # (else the picture has no labels)
        if along or old_line != self.line:  # (else a new look: the label alone changed)
            areas += _pipe_bands(old_line, self.line, zoom, area)
        scene.backdrop.member_changed(self, old, areas=areas)

    def boundingRect(self) -> QRectF:
        pipe = QRectF(self.line.p1(), self.line.p2()).normalized().adjusted(-8, -8, 8, 8)
        return pipe.united(self.label_box.adjusted(-2, -2, BADGE + 2, 2))  # (the badge at its right)

    def shapes(self) -> list[Shape]:
        """What it paints, for the backdrop's index: the pipe (its edges a hair past its
        half-width) and its label with the badge."""
        box = self.label_box.adjusted(-1, -1, BADGE + 1, 1)
        found: list[Shape] = [(box.left(), box.top(), box.right(), box.bottom())]
        line = self.line
        if line.length():
            found.append((line.x1(), line.y1(), line.x2(), line.y2(), PIPE_HALF + 1))
        return found

    def shape(self) -> QPainterPath:
        """The pipe, and its label with the badge (a few pixels more come from the view)."""
        path = QPainterPath(self.line.p1())
        path.lineTo(self.line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(2 * PIPE_HALF)
        shape = stroker.createStroke(path)
        shape.addRect(self.label_box.adjusted(0, 0, BADGE, 0))
        return shape

    def nearest(self, x: float, y: float) -> tuple[float, QPointF]:
        """How far a scene point is from the pipe's middle line, and the line's nearest point."""
        p1, p2 = self.line.p1(), self.line.p2()
        distance, point = nearest_on_segment(p1.x(), p1.y(), p2.x(), p2.y(), x, y)
        return distance - PIPE_HALF, QPointF(*point)

    def obstacles(self, within: QRectF | None = None) -> list[tuple[Box, float]]:
        """The pipe and its label, for the link labels to keep clear of; ``within``: those
        whose bounds meet this area only (a long pipe is many boxes)."""
        kept = self.obstacle_set()
        return list(kept.boxes) if within is None else kept.within(within)

    def obstacle_set(self) -> PipeObstacles:
        """Its obstacles where it is, worked out once (labels placed again after an edit ask
        for them time after time)."""
        if self._obstacles is None:
            box = self.label_box
            found = [(rect_box(box.x(), box.y(), box.width() + BADGE, box.height()), LABEL)]
            line = self.line
            length = line.length()
            pieces = max(1, math.ceil(length / CELL))  # (one long slanted box would be
            ux, uy = (line.dx() / length, line.dy() / length) if length else (1.0, 0.0)
            for i in range(pieces if length else 0):  # filed in every cell its bounds span)
                centre = line.pointAt((i + 0.5) / pieces)
                found.append((oriented_box(centre.x(), centre.y(), ux, uy,
                                           length / pieces / 2 + PIPE_HALF, PIPE_HALF + 1),
                              TITLE))
            self._obstacles = PipeObstacles(found, line)
        return self._obstacles

    def thin_lines(self, theme: Theme, level: float) -> tuple[QPen, list[QLineF]] | None:
        """Below LOD_BLOCK, where cards are filled boxes, a pipe is narrower than two pixels
        and is one line about as wide as it is at LOD_BLOCK (its four strokes drew that, in
        twice the time): two thin lines half a pixel apart, which the backdrop may paint
        clipped (see FAR_APART). No label there: that is below LOD_SIMPLE."""
        if level >= t.LOD_BLOCK:
            return None
        colour, line = self._colour(theme), self.line
        kept = self._thin
        if kept is None or kept[0] != level or kept[1] is not colour or kept[2] != line:
            kept = self._thin = (level, colour, QLineF(line), _pipe_pens(colour, theme.base)[2],
                                 thin_pair(line, level))
        return kept[3], kept[4]

    def _colour(self, theme: Theme) -> QColor:
        return theme.highlight if self.isSelected() and not theme.printing else theme.mid

    def paint_into(self, painter: QPainter, theme: Theme, level: float, area: QRectF) -> None:
        thin = self.thin_lines(theme, level)
        if thin is not None:
            draw_thin(painter, *thin)
            return
        line = self.line
        length = line.length()
        if length:
            # A wide antialiased stroke costs ~2 ms a pipe across the view; the pipe is drawn
            # plain and its two long edges get thin antialiased lines (Qt's fast stroker).
            # (The pens are made once: 600 pipes repainted by a drop spent a quarter of
            # their time making them, and saving and restoring the painter.)
            outer, inner, edge = _pipe_pens(self._colour(theme), theme.base)
            antialiased = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(outer)
            painter.drawLine(line)
            painter.setPen(inner)
            painter.drawLine(line)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(edge)
            offset = QPointF(-line.dy(), line.dx()) * ((PIPE_HALF - 0.4) / length)
            painter.drawLine(line.translated(offset))
            painter.drawLine(line.translated(-offset))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialiased)
        box = self.label_box
        if level < t.LOD_SIMPLE or not box.adjusted(0, 0, BADGE, 0).intersects(area):
            return
        painter.setFont(t.detail_font())
        painter.setPen(QPen(theme.mid, 1))
        painter.setBrush(QBrush(theme.base))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(theme.text)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.look.label)
        self.paint_badge(painter, QPointF(box.right() + 8, box.center().y()))


#: How far apart (screen pixels) the two thin lines are that draw a pipe below LOD_BLOCK:
#: together as wide and dark as one line 1.5 pixels wide, the pipe's width at LOD_BLOCK.
#: (Qt draws a wider line through its general stroker, whose antialiased edges shift by a
#: shade where a clip cuts the line: a part of the backdrop repainted a crossing pipe along
#: all of its length, 470 of them for a drop fitted to 5,000 hosts. A line one pixel wide,
#: drawn by its cosmetic stroker, has the same pixels clipped or not, and a clipped one
#: costs a twentieth.)
FAR_APART = 0.5


class PipeObstacles:
    """A pipe's obstacles for link labels (its label, then boxes along it) as they were
    made, and which of them meet an area: a placing pass that files them a tile at a time
    keeps these, so that its tiles agree while the pipe moves or gets a new label."""

    __slots__ = ("boxes", "line", "bounds")

    def __init__(self, boxes: list[tuple[Box, float]], line: QLineF) -> None:
        self.boxes, self.line = boxes, QLineF(line)
        self.bounds = (min(b[6] for b, _ in boxes), min(b[7] for b, _ in boxes),
                       max(b[8] for b, _ in boxes), max(b[9] for b, _ in boxes))

    def within(self, area: QRectF) -> list[tuple[Box, float]]:
        """Those whose bounds meet an area."""
        left, top, right, bottom = area.getCoords()
        x0, y0, x1, y1 = self.bounds
        if x0 > right or x1 < left or y0 > bottom or y1 < top:
            return []
        found = self.boxes
        pieces = len(found) - 1
        first, last = 1, len(found)
        if pieces > 2:
            # (the pieces whose middles are within a piece's reach of the area, by where the
            # line crosses it widened so: those are the pieces that can meet it)
            line = self.line
            reach = line.length() / pieces / 2 + 2 * PIPE_HALF + 2
            crossed = clip(line.x1(), line.y1(), line.x2(), line.y2(), left - reach,
                           top - reach, right + reach, bottom + reach)
            first, last = (1, 1) if crossed is None else (
                1 + max(0, math.floor(crossed[0] * pieces - 1)),
                1 + min(pieces, math.ceil(crossed[1] * pieces + 1)))
        return [(b, w) for b, w in (found[0], *found[first:last])
                if b[6] <= right and b[8] >= left and b[7] <= bottom and b[9] >= top]


def _pipe_pens(colour: QColor, base: QColor) -> tuple[QPen, QPen, QPen]:
    """A pipe's pens: its body, the base-coloured core, and its thin edges (the thin lines
    it is below ``LOD_BLOCK``), made once for each pair of colours: a theme has a few."""
    key = (colour.spec(), colour.getRgbF(), base.spec(), base.getRgbF())
    pens = _PIPE_PENS.get(key)
    if pens is None:
        pens = _PIPE_PENS[key] = (
            QPen(colour, 2 * PIPE_HALF, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap),
            QPen(base, 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap), thin_pen(colour))
    return pens


_PIPE_PENS: dict[Any, tuple[QPen, QPen, QPen]] = {}


def thin_pen(colour: QColor) -> QPen:
    """A cosmetic pen one pixel wide (see FAR_APART)."""
    pen = QPen(colour, 1)
    pen.setCosmetic(True)
    return pen


#: How thick (screen pixels) the boxes along a moved pipe are across its slant.
BAND_PX = 16.0
#: The most boxes along one pipe.
BANDS_MOST = 64


def _pipe_bands(old: QLineF, new: QLineF, zoom: float, shown: QRectF) -> list[QRectF]:
    """Boxes that together cover a moved pipe where it was and is, in view: each line cut
    into pieces whose boxes are about BAND_PX thick on screen across its slant (one box for
    a level or upright pipe), widened by the pipe's half-width and a few pixels. The two
    lines share their boxes when the pipe moved less than that (a frame grown a little):
    the box of a piece holds both stretches.

    (Not the rectangle a slanted pipe spans, nor ``bands``' 200-pixel pieces: fitted to
    5,000 hosts a pipe is a few hundred pixels long, one such piece, and every pipe that
    crossed that rectangle was painted again.)"""
    lines = [line for line in (old, new) if line.length()]
    if not lines:
        return []
    moved = max((abs(a - b) for a, b in zip(_ends(old), _ends(new), strict=True)),
                default=0.0) if len(lines) == 2 else 0.0
    groups = [lines] if moved * zoom <= BAND_PX else [[line] for line in lines]
    reach = PIPE_HALF + 1 + 4 / max(zoom, 1e-3)
    boxes = []
    for group in groups:
        slant = max(min(abs(line.dx()), abs(line.dy())) for line in group)
        pieces = max(1, min(BANDS_MOST, math.ceil(slant * zoom / BAND_PX)))
        for i in range(pieces):
            ends = [line.pointAt(k / pieces) for line in group for k in (i, i + 1)]
            xs, ys = [p.x() for p in ends], [p.y() for p in ends]
            box = QRectF(min(xs) - reach, min(ys) - reach, max(xs) - min(xs) + 2 * reach,
                         max(ys) - min(ys) + 2 * reach)
            if box.intersects(shown):
                boxes.append(box)
    return boxes


def _ends(line: QLineF) -> tuple[float, float, float, float]:
    return line.x1(), line.y1(), line.x2(), line.y2()


def _outside_by(rect: QRectF, x: float, y: float) -> float:
    """How far a point is outside a site frame (negative inside), rounded corners and all."""
    hx, hy = rect.width() / 2, rect.height() / 2
    qx = abs(x - rect.x() - hx) - hx + FRAME_RADIUS
    qy = abs(y - rect.y() - hy) - hy + FRAME_RADIUS
    return math.hypot(max(qx, 0.0), max(qy, 0.0)) + min(max(qx, qy), 0.0) - FRAME_RADIUS


def _leave(frame: QRectF, inside: tuple[float, float],
           toward: tuple[float, float]) -> tuple[float, float] | None:
    """Where the way from a point in a frame toward another point is first a pipe's
    half-width (and a hair) clear of the frame: the pipe's round end then touches the
    frame's outline, wherever it leaves it. None if the way never gets that clear."""
    (x0, y0), (x1, y1) = inside, toward
    clear = PIPE_HALF + 1
    if _outside_by(frame, x1, y1) < clear:
        return None
    low, high = 0.0, 1.0  # (the points closer than that to a convex frame are one stretch)
    for _ in range(14):  # (to a 16,000th of the way: a frame's gap to a hair)
        mid = (low + high) / 2
        if _outside_by(frame, x0 + (x1 - x0) * mid, y0 + (y1 - y0) * mid) < clear:
            low = mid
        else:
            high = mid
    return x0 + (x1 - x0) * high, y0 + (y1 - y0) * high


def thin_pair(line: QLineF, level: float) -> list[QLineF]:
    """A line about 1.5 pixels wide at ``level``, as two lines FAR_APART across it, to
    draw with a thin pen (see there); none for a line of no length."""
    length = line.length()
    if not length:
        return []
    offset = QPointF(-line.dy(), line.dx()) * (FAR_APART / 2 / level / length)
    return [line.translated(offset), line.translated(-offset)]
