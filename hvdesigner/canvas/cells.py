"""Square cells of the scene, for the indexes that find what paints in a part of a layer's
picture (canvas/paintgrid.py: WAN pipes and firewall bounds; canvas/linkindex.py: links):
which cells a rectangle or a thick segment passes through, and where a segment crosses a
rectangle. Plain floats, no Qt: a drop asks this thousands of times.

A cell is ``(column, row)``: the square ``[column * size, (column + 1) * size)`` across and
likewise down.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

Cell = tuple[int, int]
What = TypeVar("What")


def rect_cells(x0: float, y0: float, x1: float, y1: float, size: float) -> list[Cell]:
    """The cells a rectangle (left, top, right, bottom) meets."""
    return [(i, j) for i in range(math.floor(x0 / size), math.floor(x1 / size) + 1)
            for j in range(math.floor(y0 / size), math.floor(y1 / size) + 1)]


def segment_cells(ax: float, ay: float, bx: float, by: float, half: float,
                  size: float) -> list[Cell]:
    """The cells within ``half`` of the segment from a to b: row by row of cells, those
    across the stretch of it within the row's reach (not every cell its bounds span)."""
    if ay > by:
        ax, ay, bx, by = bx, by, ax, ay
    rise, run = by - ay, bx - ax
    cells: list[Cell] = []
    for row in range(math.floor((ay - half) / size), math.floor((by + half) / size) + 1):
        low = max(0.0, (row * size - half - ay) / rise) if rise else 0.0
        high = min(1.0, ((row + 1) * size + half - ay) / rise) if rise else 1.0
        xa, xb = ax + run * low, ax + run * high
        if xa > xb:
            xa, xb = xb, xa
        cells += [(column, row) for column in range(math.floor((xa - half) / size),
                                                    math.floor((xb + half) / size) + 1)]
    return cells


def clip(ax: float, ay: float, bx: float, by: float, x0: float, y0: float, x1: float,
         y1: float) -> tuple[float, float] | None:
    """The stretch ``(t0, t1)`` of the segment ``a + t (b - a)``, ``0 <= t <= 1``, inside the
    rectangle (left, top, right, bottom); None when it stays outside (Liang-Barsky)."""
    low, high = 0.0, 1.0
    for delta, near, far in ((bx - ax, x0 - ax, x1 - ax), (by - ay, y0 - ay, y1 - ay)):
        if delta == 0:
            if near > 0 or far < 0:
                return None
            continue
        t0, t1 = near / delta, far / delta
        if t0 > t1:
            t0, t1 = t1, t0
        low, high = max(low, t0), min(high, t1)
        if low > high:
            return None
    return low, high


class CellFile(Generic[What]):
    """Members filed under the cells they take, each with what it was filed by (a label's
    box, a layer member's shapes): the labels' grid (canvas/labels.py) and the backdrop's
    (canvas/paintgrid.py)."""

    def __init__(self) -> None:
        self._cells: dict[Cell, set[Any]] = {}
        self._of: dict[Any, tuple[What, Iterable[Cell]]] = {}

    def _file(self, member: Any, what: What, cells: Iterable[Cell]) -> None:
        """File a member (again) under these cells, by ``what``."""
        self.drop(member)
        for cell in cells:
            self._cells.setdefault(cell, set()).add(member)
        self._of[member] = (what, cells)

    def drop(self, member: Any) -> None:
        old = self._of.pop(member, None)
        if old is not None:
            for key in old[1]:
                cell = self._cells[key]
                cell.discard(member)
                if not cell:
                    del self._cells[key]

    def clear(self) -> None:
        self._cells.clear()
        self._of.clear()
