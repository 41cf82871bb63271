"""Square cells of the scene, for the indexes that find what paints in a part of a layer's
picture (canvas/paintgrid.py: WAN pipes and firewall bounds; canvas/linkindex.py: links):
which cells a rectangle or a thick segment passes through, and where a segment crosses a
rectangle. Plain floats, no Qt: a drop asks this thousands of times.

A cell is ``(column, row)``: the square ``[column * size, (column + 1) * size)`` across and
likewise down.
"""

from __future__ import annotations

import math

Cell = tuple[int, int]


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
