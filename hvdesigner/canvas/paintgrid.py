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

from collections.abc import Iterable, Sequence
from typing import Any

from hvdesigner.canvas.cells import Cell, CellFile, clip, rect_cells, segment_cells

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
    return clip(ax, ay, bx, by, x0 - half, y0 - half, x1 + half, y1 + half) is not None


class PaintGrid(CellFile[Sequence[Shape]]):
    """Members filed by the cells of ``cell`` scene units their shapes pass through."""

    def __init__(self, cell: float) -> None:
        super().__init__()
        self.cell = cell

    def __len__(self) -> int:
        return len(self._of)

    def __contains__(self, member: Any) -> bool:
        return member in self._of

    def members(self) -> list[Any]:
        return list(self._of)

    def file(self, member: Any, shapes: Sequence[Shape]) -> None:
        """File a member (again) by what it paints now."""
        old = self._of.get(member)
        if old is not None and old[0] == shapes:
            return  # (a new badge or selection: it paints where it did)
        keys: set[Cell] = set()
        for shape in shapes:
            keys.update(self._keys(shape))
        self._file(member, shapes, keys)

    def meeting(self, rects: Iterable[Rect]) -> set[Any]:
        """The members a shape of which comes within one of these rectangles."""
        found: set[Any] = set()
        cells, of = self._cells, self._of
        for rect in rects:
            keys = rect_cells(*rect, self.cell)
            for key in keys if len(keys) <= len(cells) else list(cells):  # (a part larger
                cell = cells.get(key)  # than the filled cells: go through them)
                if cell:
                    for member in cell - found:
                        for shape in of[member][0]:
                            if meets(shape, rect):
                                found.add(member)
                                break
        return found

    def _keys(self, shape: Shape) -> list[Cell]:
        """The cells a shape passes through."""
        if len(shape) == 4:
            return rect_cells(*shape, self.cell)
        ax, ay, bx, by, half = shape  # type: ignore[misc]
        # (a hair further than it reaches: ``meets`` finds where it ends by ratios along
        # it, which round; a segment ending a rounding error short of a cell was found
        # there, and not filed there)
        return segment_cells(ax, ay, bx, by, half + self.cell * 1e-9, self.cell)
