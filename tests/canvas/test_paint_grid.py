"""The backdrop's index (canvas/paintgrid.py) finds exactly the members a shape of which
comes within a part's rectangles, as going through every member would, however they were
filed, filed again and dropped."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesigner.canvas.paintgrid import PaintGrid, Rect, Shape, meets

coord = st.floats(-3000, 3000, allow_nan=False)
rects = st.builds(lambda x, y, w, h: (x, y, x + w, y + h), coord, coord,
                  st.floats(0.5, 2500), st.floats(0.5, 2500))
segments = st.builds(lambda ax, ay, bx, by, half: (ax, ay, bx, by, half), coord, coord, coord,
                     coord, st.floats(0, 300)).filter(lambda s: math.dist(s[:2], s[2:4]) >= 1)
shapes = st.lists(st.one_of(rects, segments), min_size=0, max_size=3)


def distance(segment: Shape, rect: Rect) -> float:
    """How far a segment's middle line is from a rectangle (0: they cross or touch)."""
    ax, ay, bx, by, _ = segment  # type: ignore[misc]
    x0, y0, x1, y1 = rect

    def to_rect(px: float, py: float) -> float:
        return math.hypot(max(x0 - px, 0, px - x1), max(y0 - py, 0, py - y1))

    def to_segment(px: float, py: float) -> float:
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        s = 0.0 if not length2 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
        return math.hypot(px - ax - s * dx, py - ay - s * dy)

    def crosses(cx: float, cy: float, dx: float, dy: float) -> bool:  # (an edge c-d)
        def side(px: float, py: float, qx: float, qy: float, rx: float, ry: float) -> float:
            return (qx - px) * (ry - py) - (qy - py) * (rx - px)
        return (side(ax, ay, bx, by, cx, cy) * side(ax, ay, bx, by, dx, dy) <= 0
                and side(cx, cy, dx, dy, ax, ay) * side(cx, cy, dx, dy, bx, by) <= 0
                and max(min(ax, bx), min(cx, dx)) <= min(max(ax, bx), max(cx, dx))
                and max(min(ay, by), min(cy, dy)) <= min(max(ay, by), max(cy, dy)))

    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if to_rect(ax, ay) == 0 or any(crosses(*corners[k], *corners[k - 1]) for k in range(4)):
        return 0.0
    return min(to_rect(ax, ay), to_rect(bx, by), *(to_segment(x, y) for x, y in corners))


@given(segments, rects)
def test_a_segment_meets_a_rectangle_within_its_reach(segment: Shape, rect: Rect) -> None:
    """Every rectangle it comes within; none further than its square ends reach."""
    half = segment[4]
    gap = distance(segment, rect)
    if gap <= half * 0.999:
        assert meets(segment, rect)
    if meets(segment, rect):
        assert gap <= half * math.sqrt(2) * 1.001 + 1e-6


@given(rects, rects)
def test_rectangles_meet_where_they_overlap_or_touch(a: Rect, b: Rect) -> None:
    overlap = max(a[0], b[0]) <= min(a[2], b[2]) and max(a[1], b[1]) <= min(a[3], b[3])
    assert meets(a, b) == overlap


@settings(max_examples=150)
@given(st.lists(shapes, min_size=1, max_size=12), st.lists(shapes, max_size=12),
       st.sets(st.integers(0, 11), max_size=4), st.lists(rects, min_size=1, max_size=5),
       st.sampled_from([16.0, 64.0, 512.0]))
def test_the_grid_finds_what_going_through_every_member_finds(
        filed: list[list[Shape]], refiled: list[list[Shape]], dropped: set[int],
        parts: list[Rect], cell: float) -> None:
    grid = PaintGrid(cell)
    painted: dict[int, list[Shape]] = {}
    for member, member_shapes in enumerate(filed):
        grid.file(member, member_shapes)
        painted[member] = member_shapes
    for member, member_shapes in enumerate(refiled[:len(filed)]):
        grid.file(member, member_shapes)  # (moved: filed again where it paints now)
        painted[member] = member_shapes
    for member in dropped & painted.keys():
        grid.drop(member)
        del painted[member]
    expected = {m for m, member_shapes in painted.items()
                if any(meets(s, part) for s in member_shapes for part in parts)}
    assert grid.meeting(parts) == expected
    assert set(grid.members()) == painted.keys()
