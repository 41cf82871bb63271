"""The link index (canvas/linkindex.py) lists every link whose curve, label or arrowhead comes
into a part of the view, however the curve bows, wherever the part is, and after links
change: a link it missed would be left out of the part painted again (the picture loses its
stroke there); and it lists few links whose rectangles alone cover the part."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRectF

from hvdesigner.canvas.bands import Route
from hvdesigner.canvas.labels import label_box
from hvdesigner.canvas.linkindex import LinkIndex, made

VIEW = QRectF(0, 0, 1600, 1000)


class Link:
    """What the index reads of a link (see ReplicationItem)."""

    def __init__(self, entity_id: str, route: Route, label_at: float = 0.5) -> None:
        self.entity_id, self.route, self.made = entity_id, route, next(made)
        self.live, self.shown = False, True
        (sx, sy), (cx, cy), (ex, ey) = route
        u = 1 - label_at  # (the label centred on the curve there, upright along the chord)
        x = u * u * sx + 2 * u * label_at * cx + label_at * label_at * ex
        y = u * u * sy + 2 * u * label_at * cy + label_at * label_at * ey
        self.label_box_scene = label_box(x, y, math.degrees(math.atan2(ey - sy, ex - sx)), 120, 0)

    @property
    def extent(self) -> QRectF:
        """Its rectangle: the curve's control points, the label, the arrowhead's reach."""
        xs = [p[0] for p in self.route] + [self.label_box_scene[6], self.label_box_scene[8]]
        ys = [p[1] for p in self.route] + [self.label_box_scene[7], self.label_box_scene[9]]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).adjusted(-13, -13, 13, 13)

    def isVisible(self) -> bool:  # noqa: N802 (Qt's name)
        return self.shown


def points(route: Route, step: float = 2.0) -> list[tuple[float, float]]:
    """Points along the curve, a couple of units apart."""
    (sx, sy), (cx, cy), (ex, ey) = route
    n = max(2, int((math.dist(route[0], route[1]) + math.dist(route[1], route[2])) / step))
    return [((1 - t) ** 2 * sx + 2 * (1 - t) * t * cx + t * t * ex,
             (1 - t) ** 2 * sy + 2 * (1 - t) * t * cy + t * t * ey)
            for t in (i / n for i in range(n + 1))]


def comes_into(link: Link, rect: QRectF) -> bool:
    box = link.label_box_scene
    label = QRectF(box[6], box[7], box[8] - box[6], box[9] - box[7])
    return label.intersects(rect) or any(rect.contains(x, y) for x, y in points(link.route))


def indexed(links: list[Link], view: QRectF = VIEW, zoom: float = 1.0) -> tuple[LinkIndex, dict[str, Link]]:
    index = LinkIndex()
    by_id = {link.entity_id: link for link in links}
    index.cover(view, zoom, lambda area: list(by_id.values()))
    return index, by_id


coordinate = st.floats(-3000, 4600, allow_nan=False)
point = st.tuples(coordinate, coordinate)
routes = st.tuples(point, point, point)  # (control points anywhere: curves that bow far)
parts = st.builds(lambda x, y, w, h: QRectF(x, y, w, h), st.floats(-300, 1700),
                  st.floats(-200, 1100), st.floats(1, 400), st.floats(1, 400))


@settings(max_examples=150, deadline=None)
@given(st.lists(routes, min_size=1, max_size=12), st.lists(parts, min_size=1, max_size=4),
       st.sampled_from([0.5, 1.0, 2.0]))
def test_every_curve_coming_into_a_part_is_listed(routes: list[Route], rects: list[QRectF],
                                                  zoom: float) -> None:
    links = [Link(f"rep-{i}", route, label_at=0.3) for i, route in enumerate(routes)]
    index, by_id = indexed(links, zoom=zoom)
    for rect in rects:
        if not index.covers(rect):
            continue
        near = index.near(by_id, rect)
        assert {link.entity_id for link in links if comes_into(link, rect)} <= \
            {link.entity_id for link in near}
        assert [link.made for link in near] == sorted(link.made for link in near)


def test_a_curve_bowed_far_from_its_chord_is_listed_where_it_bulges() -> None:
    """A link's chord runs along the top of the view; its curve dips to the middle."""
    bowed = Link("rep-bowed", ((0, 100), (800, 1700), (1600, 100)))
    index, by_id = indexed([bowed])
    bulge = QRectF(780, 880, 40, 40)  # (the curve's lowest point is at 800, 900)
    assert comes_into(bowed, bulge)
    assert index.near(by_id, bulge) == [bowed]
    assert index.near(by_id, QRectF(780, 80, 40, 40)) == []  # (its chord, not its curve)


def test_a_long_diagonal_part_lists_the_links_crossing_it_not_those_whose_rectangles_cover_it(
        ) -> None:
    """Links fanning across the view from its top left corner: their rectangles all cover the
    middle of its bottom edge, few of their curves pass there."""
    fan = [Link(f"rep-{i}", ((0, 0), (800 * math.cos(a), 800 * math.sin(a)),
                              (1600 * math.cos(a), 1600 * math.sin(a))))
           for i, a in enumerate(i * math.pi / 2 / 40 for i in range(41))]
    index, by_id = indexed(fan)
    part = QRectF(780, 980, 40, 20)
    crossing = {link.entity_id for link in fan if comes_into(link, part)}
    near = {link.entity_id for link in index.near(by_id, part)}
    covering = {link.entity_id for link in fan
                if QRectF(0, 0, link.route[2][0] + 1, link.route[2][1] + 1).intersects(part)}
    assert crossing <= near
    assert len(near) <= len(crossing) + 6 < len(covering)


def test_links_that_change_are_filed_again_and_gone_ones_dropped() -> None:
    here = Link("rep-here", ((100, 500), (800, 500), (1500, 500)))
    there = Link("rep-there", ((100, 100), (800, 100), (1500, 100)))
    index, by_id = indexed([here, there])
    middle = QRectF(700, 480, 200, 40)
    assert index.near(by_id, middle) == [here]
    there.route = ((100, 480), (800, 480), (1500, 480))  # moved onto the middle
    index.changed(there)
    assert index.near(by_id, middle) == [here, there]
    here.live = True  # handed to a drag: the live painter paints it
    index.changed(here)
    assert index.near(by_id, middle) == [there]
    del by_id["rep-there"]  # deleted
    index.changed(there)
    assert index.near(by_id, middle) == []


def test_a_part_beyond_the_grid_is_not_covered_until_it_is_made_for_that_view() -> None:
    index, by_id = indexed([Link("rep-1", ((0, 0), (400, 400), (800, 800)))])
    far = QRectF(5000, 5000, 100, 100)
    assert index.covers(VIEW) and not index.covers(far)
    index.cover(QRectF(4500, 4500, 1600, 1000), 1.0, lambda area: list(by_id.values()))
    assert index.covers(far) and not index.covers(VIEW)
    index.forget()
    assert not index.covers(far)
