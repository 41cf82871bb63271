"""Where a moved link repaints: thin bands along its routes, not the rectangle its diagonal
spans (often the whole view). A drag frame repaints these (``LiveLinks``), and so does the
link layer when a link is drawn, deleted or handed back by a drag (``LinkLayer.link_moved``).
Also how near a point is to a route (a click a few pixels off a link still hits it).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF

Point = tuple[float, float]
#: A link's route, a quadratic curve: start, control point, end (scene coordinates).
Route = tuple[Point, Point, Point]


def _pieces(route: Route, pieces: int) -> list[tuple[Point, Point, Point]]:
    """A quadratic curve cut into equal stretches of its parameter, each again a quadratic
    curve: (start, control point, end). Each stretch lies inside the hull of those three."""
    s, c, e = route

    def at(u: float, v: float) -> Point:  # the blossom: the point at u == v, else a control
        w_s, w_c, w_e = (1 - u) * (1 - v), (1 - u) * v + u * (1 - v), u * v
        return (w_s * s[0] + w_c * c[0] + w_e * e[0], w_s * s[1] + w_c * c[1] + w_e * e[1])

    cuts = [i / pieces for i in range(pieces + 1)]
    return [(at(u, u), at(u, v), at(v, v)) for u, v in zip(cuts, cuts[1:], strict=False)]


def bands(old: Route | None, new: Route | None, zoom: float, shown: QRectF,
          most: int | None = None) -> list[QRectF] | None:
    """Thin rectangles that together cover the part of a moved route in view, where it was
    and where it is (quadratic curves): a moving link repaints these, not the rectangle its
    diagonal spans (often the whole view). Each piece is about 200 pixels long on screen and
    covers the same stretch of both routes (a drag frame moves a route a little): the hull of
    the stretch (its ends and control point: a bowed link bulges past its chord), widened by
    a few pixels for the stroke. None when that takes more than ``most`` pieces."""
    routes = [r for r in (old, new) if r is not None]
    if not routes:
        return []
    length = max(math.dist(s, c) + math.dist(c, e) for s, c, e in routes)  # (an upper bound)
    pieces = max(1, int(length * zoom / 200))
    if most is not None and pieces > most:
        return None
    pieces = min(48, pieces)
    margin = 4 / max(zoom, 1e-3)
    left, top = shown.left() - margin, shown.top() - margin
    right, bottom = shown.right() + margin, shown.bottom() + margin
    stretches = [_pieces(r, pieces) for r in routes]
    rects = []
    for i in range(pieces):
        xs = [p[0] for route in stretches for p in route[i]]
        ys = [p[1] for route in stretches for p in route[i]]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        if x0 <= right and x1 >= left and y0 <= bottom and y1 >= top:
            rects.append(QRectF(x0 - margin, y0 - margin, x1 - x0 + 2 * margin,
                                y1 - y0 + 2 * margin))
    return rects


def nearest_on_curve(route: Route, x: float, y: float, pieces: int = 32) -> tuple[float, QPointF]:
    """Distance from a point to a quadratic curve, and the curve's nearest point (the curve
    taken as ``pieces`` straight stretches: finer than a pixel for any link on screen)."""
    (sx, sy), (cx, cy), (ex, ey) = route
    best, near = math.inf, (sx, sy)
    px, py = sx, sy
    for i in range(1, pieces + 1):
        t = i / pieces
        u = 1 - t
        qx, qy = u * u * sx + 2 * u * t * cx + t * t * ex, u * u * sy + 2 * u * t * cy + t * t * ey
        dist, point = nearest_on_segment(px, py, qx, qy, x, y)
        if dist < best:
            best, near = dist, point
        px, py = qx, qy
    return best, QPointF(*near)


def nearest_on_segment(ax: float, ay: float, bx: float, by: float, x: float,
                       y: float) -> tuple[float, Point]:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    s = 0.0 if not length2 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
    px, py = ax + s * dx, ay + s * dy
    return math.hypot(x - px, y - py), (px, py)
