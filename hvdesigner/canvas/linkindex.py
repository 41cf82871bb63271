"""Which links pass where around the view: the link layer paints a part of its picture (what
an edit, a drop or a new label changed) with the links whose curve, label or arrowhead come
there, not with every link whose rectangle covers it.

The scene's index knows a link by its rectangle, and a long diagonal link's covers most of
the view: at 5,000 hosts 2,400 links' rectangles meet a 1:1 view, a quarter of their curves
pass through it, and the part painted again after deleting a long link was stroked with all
of them (asking the scene's index for 2,400 items cost 8 ms, stroking them 9 more). Here a
grid over the view, a little larger, files each link in the cells its curve passes (a
quadratic curve strays from its chord by at most a quarter of ``start - 2 control + end``:
the cells within that of the chord) and in those of its label and arrowhead.

The grid is made for a view when a link there is first drawn, deleted or re-routed by an
edit (only the links whose rectangles meet it are looked at: 50 ms at 5,000 hosts, 30 at
1,000, once a view), not while painting (a pan paints strips of the view: those use it where
it reaches) nor for a drag (its first frame would wait); it is kept up to date from the links
said to have changed, and made again at an edit after the view moved on.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QRectF

from hvdesigner.canvas.bands import Route
from hvdesigner.canvas.cells import Cell, clip, rect_cells, segment_cells

#: A cell's side, in pixels on screen at the view's zoom: a part to paint lists the links
#: of the cells it meets, and few of them pass there without coming into the part.
CELL_PX = 128.0
#: How far round the view the grid reaches, in views (a small pan stays inside it).
REACH = 0.25
#: Where an arrowhead can reach from its link's end (see ``ReplicationItem.set_geometry``).
ARROW_REACH = 13.0


#: The order links were made in: the scene's order among them (each is added to the scene
#: as it is made), which labels paint in.
made = itertools.count()


class LinkIndex:
    """The grid of one area round the view (see the module)."""

    def __init__(self) -> None:
        self.area = QRectF()  # what the grid covers (scene); empty: no grid
        self._cell = 1.0
        self._cells: dict[Cell, dict[Any, None]] = {}
        self._filed: dict[Any, list[Cell]] = {}  # each link's cells
        self._changed: set[Any] = set()

    def forget(self) -> None:
        """Make the grid again when next asked (links hidden or re-routed unannounced)."""
        self.area = QRectF()
        self._cells, self._filed = {}, {}
        self._changed.clear()

    def changed(self, item: Any) -> None:
        """The link's route, label, look or liveness changed, or it is gone."""
        if not self.area.isEmpty():
            self._changed.add(item)

    def covers(self, part: QRectF) -> bool:
        return self.area.contains(part)

    def cover(self, shown: QRectF, zoom: float,
              links_near: Callable[[QRectF], Iterable[Any]]) -> None:
        """Make the grid for the view ``shown`` (at ``zoom``) unless it covers it, from
        ``links_near(area)`` (the links whose rectangles meet an area)."""
        if not self.area.contains(shown):
            reach_x, reach_y = shown.width() * REACH, shown.height() * REACH
            self._make(shown.adjusted(-reach_x, -reach_y, reach_x, reach_y), zoom, links_near)

    def near(self, links: dict[str, Any], rect: QRectF) -> list[Any]:
        """The links whose curve, label or arrowhead may come into ``rect`` (inside the
        grid's area), in the order they were made: those of the cells it meets whose
        rectangles meet it too (a cell is larger than a short link: a small design's links
        there were more than the scene's index finds)."""
        self._catch_up(links)
        size = self._cell
        found: dict[Any, None] = {}
        cells = self._cells
        for x in range(math.floor(rect.left() / size), math.floor(rect.right() / size) + 1):
            for y in range(math.floor(rect.top() / size), math.floor(rect.bottom() / size) + 1):
                found.update(cells.get((x, y), ()))
        return sorted((item for item in found if item.extent.intersects(rect)),
                      key=lambda item: item.made)

    def _make(self, area: QRectF, zoom: float,
              links_near: Callable[[QRectF], Iterable[Any]]) -> None:
        self.area, self._cell = area, CELL_PX / max(zoom, 1e-3)
        self._cells, self._filed = {}, {}
        self._changed.clear()
        for item in links_near(area):
            self._file(item)

    def _catch_up(self, links: dict[str, Any]) -> None:
        changed, self._changed = self._changed, set()
        for item in changed:
            for cell in self._filed.pop(item, ()):
                members = self._cells[cell]
                del members[item]
                if not members:
                    del self._cells[cell]
            if links.get(item.entity_id) is item:
                self._file(item)

    def _file(self, item: Any) -> None:
        """Put a link (not live, shown) in the cells of its curve, label and arrowhead."""
        if item.live or item.route is None or not item.isVisible():
            return
        area = self.area
        view = (area.left(), area.top(), area.right(), area.bottom())
        cells: set[Cell] = set()
        _curve_cells(item.route, view, self._cell, cells)
        box = item.label_box_scene  # (its bounds: see labels.label_box)
        ex, ey = item.route[2]
        for x0, y0, x1, y1 in ((box[6], box[7], box[8], box[9]),
                               (ex - ARROW_REACH, ey - ARROW_REACH,
                                ex + ARROW_REACH, ey + ARROW_REACH)):
            _box_cells(x0, y0, x1, y1, view, self._cell, cells)
        if cells:
            filed = self._filed[item] = list(cells)
            for cell in filed:
                self._cells.setdefault(cell, {})[item] = None


def _box_cells(x0: float, y0: float, x1: float, y1: float,
               view: tuple[float, float, float, float], size: float, cells: set[Cell]) -> None:
    """The cells of a rectangle's part in view."""
    left, top, right, bottom = view
    x0, y0, x1, y1 = max(x0, left), max(y0, top), min(x1, right), min(y1, bottom)
    if x0 <= x1 and y0 <= y1:
        cells.update(rect_cells(x0, y0, x1, y1, size))


def _curve_cells(route: Route, view: tuple[float, float, float, float], size: float,
                 cells: set[Cell]) -> None:
    """The cells within reach of a quadratic curve's part in view: those within ``stray``
    of its chord's part in view, ``stray`` being how far the curve can be from the chord at
    the same parameter (a curve bowed more than half a cell is cut in two first)."""
    (sx, sy), (cx, cy), (ex, ey) = route
    stray = math.hypot(sx - 2 * cx + ex, sy - 2 * cy + ey) / 4
    if stray > size / 2:
        m1, m2 = ((sx + cx) / 2, (sy + cy) / 2), ((cx + ex) / 2, (cy + ey) / 2)
        mid = ((m1[0] + m2[0]) / 2, (m1[1] + m2[1]) / 2)
        _curve_cells(((sx, sy), m1, mid), view, size, cells)
        _curve_cells((mid, m2, (ex, ey)), view, size, cells)
        return
    # the chord's part within the view widened by stray: where the curve is in view, the
    # chord at the same parameter is within stray of it
    left, top, right, bottom = view
    inside = clip(sx, sy, ex, ey, left - stray, top - stray, right + stray, bottom + stray)
    if inside is not None:
        (t0, t1), dx, dy = inside, ex - sx, ey - sy
        cells.update(segment_cells(sx + dx * t0, sy + dy * t0, sx + dx * t1, sy + dy * t1,
                                   stray, size))
