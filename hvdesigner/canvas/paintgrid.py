"""Where a layer's members paint, by square cells of the scene: which of them paint in a
small part of the layer's picture, found in a few dictionary look-ups (plain floats, no Qt).

A drop fitted to 5,000 hosts grows a site frame and moves its WAN pipes; the backdrop then
paints again thin bands along them. It went through all 900 pipes and firewall boundaries
and painted every one whose bounds met the bands' bounds (700: the mesh of pipes'
rectangles covers most of the view). Here each member is filed under the cells its
strokes pass through, and a part asks its cells for the members whose strokes come within
it. (In that design still 535, 22 ms: its long pipes cross the moved ones, and each is
painted whole, for the same pixels as the whole picture's.)

A member paints *shapes*: rectangles ``(x0, y0, x1, y1)`` and thick segments ``(x0, y0, x1,
y1, half)`` (everything within ``half`` of the segment, round ends included).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

Rect = tuple[float, float, float, float]
Segment = tuple[float, float, float, float, float]
Shape = Rect | Segment


def meets(shape: Shape, rect: Rect) -> bool:
    """Whether a shape comes within a rectangle (a thick segment: if its ends were square,
    a hair more than it paints)."""
    x0, y0, x1, y1 = rect
    if len(shape) == 4:
        return shape[0] <= x1 and x0 <= shape[2] and shape[1] <= y1 and y0 <= shape[3]
    ax, ay, bx, by, half = shape  # type: ignore[misc]
    return _clips(ax, ay, bx, by, x0 - half, y0 - half, x1 + half, y1 + half)


def _clips(ax: float, ay: float, bx: float, by: float, x0: float, y0: float, x1: float,
           y1: float) -> bool:
    """Whether the segment from a to b meets the rectangle (Liang-Barsky)."""
    low, high = 0.0, 1.0
    for delta, near, far in ((bx - ax, x0 - ax, x1 - ax), (by - ay, y0 - ay, y1 - ay)):
        if delta == 0:
            if near > 0 or far < 0:
                return False
            continue
        t0, t1 = near / delta, far / delta
        if t0 > t1:
            t0, t1 = t1, t0
        low, high = max(low, t0), min(high, t1)
        if low > high:
            return False
    return True


class PaintGrid:
    """Members filed by the cells of ``cell`` scene units their shapes pass through."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self._cells: dict[tuple[int, int], set[Any]] = {}
        self._of: dict[Any, tuple[Sequence[Shape], set[tuple[int, int]]]] = {}

    def __len__(self) -> int:
        return len(self._of)

    def clear(self) -> None:
        self._cells.clear()
        self._of.clear()

    def __contains__(self, member: Any) -> bool:
        return member in self._of

    def members(self) -> list[Any]:
        return list(self._of)

    def file(self, member: Any, shapes: Sequence[Shape]) -> None:
        """File a member (again) by what it paints now."""
        old = self._of.get(member)
        if old is not None and old[0] == shapes:
            return  # (a new badge or selection: it paints where it did)
        self.drop(member)
        keys: set[tuple[int, int]] = set()
        for shape in shapes:
            keys.update(self._keys(shape))
        for key in keys:
            self._cells.setdefault(key, set()).add(member)
        self._of[member] = (shapes, keys)

    def drop(self, member: Any) -> None:
        old = self._of.pop(member, None)
        if old is not None:
            for key in old[1]:
                cell = self._cells[key]
                cell.discard(member)
                if not cell:
                    del self._cells[key]

    def meeting(self, rects: Iterable[Rect]) -> set[Any]:
        """The members a shape of which comes within one of these rectangles."""
        found: set[Any] = set()
        cells, of = self._cells, self._of
        for rect in rects:
            keys = self._rect_keys(*rect)
            for key in keys if len(keys) <= len(cells) else list(cells):  # (a part larger
                cell = cells.get(key)  # than the filled cells: go through them)
                if cell:
                    for member in cell - found:
                        for shape in of[member][0]:
                            if meets(shape, rect):
                                found.add(member)
                                break
        return found

    def _rect_keys(self, x0: float, y0: float, x1: float, y1: float) -> list[tuple[int, int]]:
        c = self.cell
        return [(i, j) for i in range(math.floor(x0 / c), math.floor(x1 / c) + 1)
                for j in range(math.floor(y0 / c), math.floor(y1 / c) + 1)]

    def _keys(self, shape: Shape) -> list[tuple[int, int]]:
        """The cells a shape passes through: a thick segment, row by row of cells, the
        stretch of it within the row's reach (not every cell its bounds span)."""
        if len(shape) == 4:
            return self._rect_keys(*shape)
        ax, ay, bx, by, half = shape  # type: ignore[misc]
        c = self.cell
        keys: list[tuple[int, int]] = []
        top, bottom = min(ay, by) - half, max(ay, by) + half
        for j in range(math.floor(top / c), math.floor(bottom / c) + 1):
            # the part of the segment whose y is within half of this row
            low, high = max(j * c - half, min(ay, by)), min((j + 1) * c + half, max(ay, by))
            if ay == by:
                xs = (ax, bx)
            else:
                xs = (ax + (bx - ax) * (low - ay) / (by - ay), ax + (bx - ax) * (high - ay) / (by - ay))
            left, right = min(xs) - half, max(xs) + half
            keys += [(i, j) for i in range(math.floor(left / c), math.floor(right / c) + 1)]
        return keys
