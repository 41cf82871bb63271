"""Where link labels go: beside their curve, clear of frame title bars and borders, cards,
firewall edges, WAN pipes and each other, where there is room.

A label is an oriented box along its link (kept upright). Its first choice is the middle of
the curve, on the outside of the bend: parallel links bend apart, so their labels then stack
apart and the curve bends away from its own label. When that spot is taken, the label slides
along the curve, then tries the inside of the bend; if every spot is taken, it goes where it
covers the least (another label counts most).

Obstacles are looked up near the link only: the frames and cards of the sites its ends are
in, the firewalls and WAN pipes around those, and the labels of the links that share an end
card with it. Everything is plain float arithmetic (opening a large design places thousands
of labels), and a pass places only the links it is given (what an edit or a drag re-routed).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, QTimer

from hvdesigner.canvas.cells import Cell, CellFile, rect_cells
from hvdesigner.canvas.items import ServerItem
from hvdesigner.canvas.theme import TITLE_H

if TYPE_CHECKING:
    from hvdesigner.canvas.link_layer import LinkLayer
    from hvdesigner.canvas.links import ReplicationItem, Route

#: An oriented box: centre x, y; unit axis along it ux, uy; half length and half height;
#: then its axis-aligned bounds x0, y0, x1, y1 (a cheap first test).
Box = tuple[float, float, float, float, float, float, float, float, float, float]

LABEL_H = 16.0
#: Between a label and its curve.
LABEL_GAP = 3.0
#: Room at a label's right end for its badge (taken only by a label with a badge).
BADGE_ROOM = 20.0
#: Where along the curve a label may sit, in the order tried.
ALONG = (0.5, 0.4, 0.6, 0.3, 0.7)
#: The side of the square cells obstacles and labels are filed by (scene units): about a
#: label's length, so a spot's box falls in one to three cells. A box filed in several
#: cells that a spot shares is counted in one: the cell of the top-left corner of their
#: overlap.
CELL = 256.0
#: What covering each kind of obstacle costs a spot (another label most: two labels on top
#: of each other can't be read).
LABEL, CARD, TITLE, EDGE = 10.0, 4.0, 3.0, 1.0


def oriented_box(cx: float, cy: float, ux: float, uy: float, half_length: float,
        half_height: float) -> Box:
    ex = abs(ux) * half_length + abs(uy) * half_height
    ey = abs(uy) * half_length + abs(ux) * half_height
    return (cx, cy, ux, uy, half_length, half_height, cx - ex, cy - ey, cx + ex, cy + ey)


def rect_box(x: float, y: float, w: float, h: float) -> Box:
    return (x + w / 2, y + h / 2, 1.0, 0.0, w / 2, h / 2, x, y, x + w, y + h)


def overlap(a: Box, b: Box) -> bool:
    """Whether two oriented boxes overlap."""
    if a[6] >= b[8] or b[6] >= a[8] or a[7] >= b[9] or b[7] >= a[9]:
        return False
    return _separated_by_none(a, b)


def _separated_by_none(a: Box, b: Box) -> bool:
    """Whether no axis separates two boxes whose bounds overlap (separating axes: the two
    axes of each)."""
    if a[3] == 0.0 and b[3] == 0.0:  # both upright: the bounds tell
        return True
    dx, dy = b[0] - a[0], b[1] - a[1]
    for ax, ay in ((a[2], a[3]), (-a[3], a[2]), (b[2], b[3]), (-b[3], b[2])):
        reach = (a[4] * abs(a[2] * ax + a[3] * ay) + a[5] * abs(a[2] * ay - a[3] * ax)
                 + b[4] * abs(b[2] * ax + b[3] * ay) + b[5] * abs(b[2] * ay - b[3] * ax))
        if abs(dx * ax + dy * ay) >= reach:
            return False
    return True


def box_corners(b: Box) -> list[tuple[float, float]]:
    cx, cy, ux, uy, hl, hh = b[:6]
    return [(cx + sx * hl * ux - sy * hh * uy, cy + sx * hl * uy + sy * hh * ux)
            for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]


Spot = tuple[float, float, float, Box]  # label centre x, y; angle (degrees); its box


def spot(route: Route, t: float, outside: bool, width: float, room: float = 0.0) -> Spot:
    """A label ``width`` long (and ``room`` more for its badge) at ``t`` along a route,
    beside the curve: outside the bend (or, for a straight link, above it as read) when
    ``outside``, else on the other side."""
    (sx, sy), (cx, cy), (ex, ey) = route
    u = 1 - t
    px = u * u * sx + 2 * u * t * cx + t * t * ex
    py = u * u * sy + 2 * u * t * cy + t * t * ey
    dx, dy = u * (cx - sx) + t * (ex - cx), u * (cy - sy) + t * (ey - cy)  # (half B'(t))
    speed = math.hypot(dx, dy) or 1.0
    ux, uy = dx / speed, dy / speed
    if ux < 0 or (ux == 0 and uy < 0):  # kept upright: read left to right
        ux, uy = -ux, -uy
    nx, ny = uy, -ux  # "up" as the label reads
    bx, by = cx - (sx + ex) / 2, cy - (sy + ey) / 2  # toward the outside of the bend
    up_is_outside = bx * nx + by * ny >= 0
    distance = LABEL_GAP + LABEL_H / 2
    if not outside and (bx or by):  # inside the bend the curve rises toward the label's ends
        curvature = abs(dx * (ey - 2 * cy + sy) - dy * (ex - 2 * cx + sx)) / (2 * speed ** 3)
        distance += curvature * (width / 2) ** 2 / 2
    sign = 1.0 if up_is_outside == outside else -1.0
    lx, ly = px + sign * distance * nx, py + sign * distance * ny
    angle = math.degrees(math.atan2(uy, ux))
    return lx, ly, angle, label_box(lx, ly, angle, width, room)


def label_box(x: float, y: float, angle: float, width: float, room: float) -> Box:
    """The box of a label centred at x, y, with ``room`` for the badge at its right end."""
    ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return oriented_box(x + room / 2 * ux, y + room / 2 * uy, ux, uy, (width + room) / 2,
                        LABEL_H / 2)


def spots(route: Route, width: float, room: float) -> Iterator[Spot]:
    """The spots a label tries, best first."""
    for outside in (True, False):
        for t in ALONG:
            yield spot(route, t, outside, width, room)


def best_spot(candidates: Iterable[Spot], cost_of: Callable[[Box, float], float]) -> Spot:
    """Of the spots a label tries (``spots``), the first that covers nothing (``cost_of(box,
    give_up_at)`` says what a box covers); failing that, the one that covers least, where
    each step away from the first choice costs as much as crossing an edge (a label too long
    for the gap between two frames then stays in the middle, across both edges)."""
    best: Spot | None = None
    best_cost = math.inf
    for step, candidate in enumerate(candidates):
        if best_cost <= step * EDGE:  # (no spot further on can cost less)
            break
        cost = cost_of(candidate[3], best_cost - step * EDGE)
        if cost == 0:
            return candidate
        if cost + step * EDGE < best_cost:
            best, best_cost = candidate, cost + step * EDGE
    assert best is not None
    return best


def _cells(x0: float, y0: float, x1: float, y1: float) -> list[Cell]:
    return rect_cells(x0, y0, x1, y1, CELL)


class LabelGrid(CellFile[Box]):
    """Where every link's label is, by square cells of the scene: which labels are near a
    spot is a few dictionary look-ups, wherever their links come from."""

    def put(self, item: Any, b: Box) -> None:
        self._file(item, b, _cells(b[6], b[7], b[8], b[9]))

    def cost(self, b: Box, skip: Callable[[Any], bool], give_up_at: float) -> float:
        """What the labels a box overlaps cost (``skip``: those not to count)."""
        cost = 0.0
        x0, y0, x1, y1 = b[6], b[7], b[8], b[9]
        of, cells, floor = self._of, self._cells, math.floor
        for key in _cells(x0, y0, x1, y1):
            i, j = key
            for item in cells.get(key, ()):
                o = of[item][0]
                if (o[6] < x1 and x0 < o[8] and o[7] < y1 and y0 < o[9]
                        and floor((x0 if x0 > o[6] else o[6]) / CELL) == i  # (counted once,
                        and floor((y0 if y0 > o[7] else o[7]) / CELL) == j  # see CELL)
                        and _separated_by_none(b, o) and not skip(item)):
                    cost += LABEL
                    if cost >= give_up_at:
                        return cost
        return cost


# ---------------------------------------------------------------------- the scene's obstacles
def _frame_obstacles(x: float, y: float, w: float, h: float, title: float, weight: float,
                     edge: float = 2.0) -> list[tuple[Box, float]]:
    """A frame's edges as thin strips (a label inside or outside a frame is fine, across its
    edge is not) and its title band."""
    return [(rect_box(x - edge, y, 2 * edge, h), weight),
            (rect_box(x + w - edge, y, 2 * edge, h), weight),
            (rect_box(x, y + h - edge, w, 2 * edge), weight),
            (rect_box(x, y - edge, w, title + edge), TITLE)]


#: What brings obstacles: boxes, and pipes' (``PipeObstacles``, which give those of a tile).
Sources = tuple[list[tuple[Box, float]], list[Any]]
#: Obstacles are filed a tile of cells at a time (TILE_CELLS a side), the tiles a link's
#: spots reach (``Obstacles.reach``): a site's WAN pipes run across the design, and filing
#: all of their length for the links a drop at 1:1 placed again cost 12 ms at 5,000 hosts.
TILE_CELLS = 4


class Obstacles:
    """The frames, cards, firewall boundaries and WAN pipes of one placing pass, worked out
    once per site or card and filed by cells where the links placed reach; each belongs to
    the site, card or framed id that brought it, so that a link counts only those of its
    own ends (its label's spot then depends on its ends and on the labels placed before it,
    not on the pass, nor on where the pass reached before)."""

    def __init__(self, scene: Any) -> None:
        self.scene = scene
        self._cells: dict[Cell, list[tuple[Box, float, int]]] = {}
        self._owners: dict[tuple[str, ...], set[int]] = {}
        self._numbers: dict[tuple[str, str], int] = {}  # owner -> its number
        self._sources: list[Sources] = []  # (each owner's)
        self._tiled: set[tuple[int, Cell]] = set()  # (owner, tile) filed

    def owners(self, card_ids: tuple[str, ...]) -> set[int]:
        """What brings the obstacles near these cards: their sites (a card outside any site
        itself) and what frames the sites and cards (filed as ``reach`` asks)."""
        found = self._owners.get(card_ids)
        if found is not None:
            return found
        found = set()
        for card_id in card_ids:
            card = self.scene.servers.get(card_id)
            if card is None:
                continue
            site = card.parentItem()
            if site is None:
                found.add(self._number(("card", card_id), self._alone, card))
            else:
                found.add(self._number(("site", site.entity_id), self._site, site))
                found.add(self._number(("framed", site.entity_id), self._framed,
                                       site.entity_id))
            found.add(self._number(("framed", card_id), self._framed, card_id))
        self._owners[card_ids] = found
        return found

    def _number(self, owner: tuple[str, str], make: Callable[[Any], Sources],
                what: Any) -> int:
        number = self._numbers.get(owner)
        if number is None:
            number = self._numbers[owner] = len(self._sources)
            self._sources.append(make(what))
        return number

    def reach(self, owners: set[int], boxes: Iterable[Box]) -> None:
        """File these owners' obstacles in the cells of the tiles that boxes (those a link's
        label may take) meet."""
        side = CELL * TILE_CELLS
        tiles = {tile for b in boxes for tile in rect_cells(b[6], b[7], b[8], b[9], side)}
        for number in owners:
            for tile in tiles:
                if (number, tile) not in self._tiled:
                    self._tiled.add((number, tile))
                    self._file_tile(number, tile, side)

    def _file_tile(self, number: int, tile: Cell, side: float) -> None:
        """File an owner's obstacles in the cells of one tile (theirs in other tiles are
        filed there, when reached: each cell of an obstacle once)."""
        left, top = tile[0] * side, tile[1] * side
        right, bottom = left + side, top + side
        boxes, pipes = self._sources[number]
        within = QRectF(left, top, side, side)
        found = [(b, w) for b, w in boxes if b[6] <= right and b[8] >= left
                 and b[7] <= bottom and b[9] >= top]
        for pipe in pipes:
            found += pipe.within(within)
        first_i, first_j = tile[0] * TILE_CELLS, tile[1] * TILE_CELLS
        last_i, last_j = first_i + TILE_CELLS - 1, first_j + TILE_CELLS - 1
        cells = self._cells
        for b, weight in found:
            for key in _cells(b[6], b[7], b[8], b[9]):
                if first_i <= key[0] <= last_i and first_j <= key[1] <= last_j:
                    cells.setdefault(key, []).append((b, weight, number))

    def cost(self, b: Box, owners: set[int], give_up_at: float) -> float:
        """What the obstacles of these owners that a box overlaps cost (filed where the box
        is: see ``reach``)."""
        cost = 0.0
        x0, y0, x1, y1 = b[6], b[7], b[8], b[9]
        cells, floor = self._cells, math.floor
        for key in _cells(x0, y0, x1, y1):
            i, j = key
            for o, weight, owner in cells.get(key, ()):
                if (o[6] < x1 and x0 < o[8] and o[7] < y1 and y0 < o[9] and owner in owners
                        and floor((x0 if x0 > o[6] else o[6]) / CELL) == i  # (counted once,
                        and floor((y0 if y0 > o[7] else o[7]) / CELL) == j  # see CELL)
                        and _separated_by_none(b, o)):
                    cost += weight
                    if cost >= give_up_at:
                        return cost
        return cost

    def _site(self, site: Any) -> Sources:
        frame = site.scene_frame()
        found = _frame_obstacles(frame.x(), frame.y(), frame.width(), frame.height(), TITLE_H,
                                 EDGE)
        return found + self._cards([c for c in site.childItems() if isinstance(c, ServerItem)]), []

    def _alone(self, card: Any) -> Sources:
        """(A card outside any site.)"""
        return self._cards([card]), []

    @staticmethod
    def _cards(cards: list[Any]) -> list[tuple[Box, float]]:
        found = []
        for card in cards:
            r = card.mapRectToScene(card.card_rect())
            found.append((rect_box(r.x() - 2, r.y() - 2, r.width() + 4, r.height() + 4), CARD))
        return found

    def _framed(self, framed_id: str) -> Sources:
        """The firewall boundaries and WAN pipes that follow a site or card."""
        found: list[tuple[Box, float]] = []
        pipes: list[Any] = []
        scene = self.scene
        for item_id in scene._framing.get(framed_id, ()):
            if item_id in scene.firewalls:
                fw = scene.firewalls[item_id]
                if fw.isVisible():
                    r = fw.rect
                    found += _frame_obstacles(r.x(), r.y(), r.width(), r.height(), 22, EDGE)
            elif item_id in scene.wans:
                pipes.append(scene.wans[item_id].obstacle_set())  # (as they are now)
        return found, pipes


def place_labels(scene: Any, rep_ids: Iterable[str], until: float = math.inf,
                 obstacles: Obstacles | None = None) -> list[str]:
    """Place the labels of these links (routed already), in a stable order: each avoids the
    obstacles of its end sites and the labels near it that are placed already. Stops at
    ``until`` (a ``time.perf_counter()``); returns the links it did not reach.
    ``obstacles``: those filed by an earlier pass, if nothing has moved since."""
    obstacles = obstacles or Obstacles(scene)
    links: dict[str, ReplicationItem] = scene.links
    ends: dict[str, tuple[str, str]] = scene._link_ends
    grid: LabelGrid = scene.link_layer.placer.grid
    waiting = {r for r in rep_ids if r in links and r in ends}
    removed: list[Any] = []
    order = sorted(waiting)
    for done, rep_id in enumerate(order):
        if done and time.perf_counter() > until:  # (each slice places one at least)
            for item in removed:
                grid.drop(item)
            return order[done:]
        waiting.discard(rep_id)
        item = links[rep_id]
        if item.route is None or item.live:  # (a drag's end asks for it again)
            continue
        owners = obstacles.owners(ends[rep_id])
        candidates = list(spots(item.route, item.label_width, item.badge_room()))
        obstacles.reach(owners, (candidate[3] for candidate in candidates))

        def skip(other: Any, item: Any = item) -> bool:
            """Not this link, nor one still waiting, nor one removed from the scene since."""
            if links.get(other.entity_id) is not other:
                removed.append(other)
                return True
            return other is item or other.entity_id in waiting

        def cost_of(b: Box, give_up_at: float, owners: set[int] = owners,
                    skip: Callable[[Any], bool] = skip) -> float:
            cost = obstacles.cost(b, owners, give_up_at)
            return cost if cost >= give_up_at else cost + grid.cost(b, skip, give_up_at - cost)

        x, y, angle, b = best_spot(candidates, cost_of)
        item.set_label((x, y), angle, b)
    for item in removed:
        grid.drop(item)
    return []


class LabelPlacer:
    """When labels are placed: only where they can be seen, for placing is the costly part
    of routing a link (a dense design's labels take a few hundred milliseconds in all).

    Not while the view is zoomed out past legibility, nor while the zoom changes, nor while
    a drag moves the link, nor off screen: till then a label keeps its first choice, the
    middle of its curve, and waits. Waiting labels are placed once the zoom or a pan holds
    still, or a drag ends, where they are in view. So opening a large design (fitted far
    below 40 %) and drag frames place nothing, and a first look at 1:1 places what it shows.
    """

    #: How long a pan must hold still before the labels it brought into view are placed.
    SETTLE_MS = 150
    #: How many labels are placed at once (an edit, a drop); more are placed a slice of
    #: ``SLICE_S`` at a turn of the event loop (a first look at a dense design places
    #: hundreds: the view stays responsive while they settle).
    BATCH, SLICE_S = 64, 0.012

    def __init__(self, layer: LinkLayer) -> None:
        self.layer = layer
        self.grid = LabelGrid()  # the labels placed
        self.waiting: set[str] = set()  # links whose labels wait for a spot
        self._asked: set[str] = set()  # of those, the ones ``soon`` asked for
        self._run: set[str] = set()  # the ones the slices under way are placing
        self._timers: dict[int, QTimer] = {}
        #: while slices are under way, the labels they move don't repaint the layer's
        #: picture one by one (see ``_slice``)
        self.quiet = False
        self._obstacles: Obstacles | None = None  # filed for the slices, while nothing moves
        #: things moved since: file them anew before the next slice (and only then let the
        #: old ones go: at 1,000 hosts that took a millisecond of a drag's first frame)
        self._moved = False

    @property
    def placing(self) -> bool:
        """Whether slices of labels are under way."""
        return bool(self._run)

    def _ready(self) -> bool:
        return self.layer.legible and self.layer.labels

    def _shown(self) -> QRectF | None:
        """What the views show, and a margin (None without a view: everything counts)."""
        scene = self.layer.scene()
        views = scene.views() if scene is not None else []
        if not views:
            return None
        area = QRectF()
        for view in views:
            area = area.united(view.mapToScene(view.viewport().rect()).boundingRect())
        return area.adjusted(-area.width() / 8, -area.height() / 8, area.width() / 8,
                             area.height() / 8)

    def _take(self, rep_ids: Iterable[str]) -> list[str]:
        """Those of these links that can be placed now (in view, not moving), no longer
        waiting; the others wait."""
        links = self.layer.scene().links  # type: ignore[union-attr]
        area = self._shown()
        now = []
        for rep_id in rep_ids:
            item = links.get(rep_id)
            if item is None:
                self.waiting.discard(rep_id)
            elif item.live or (area is not None and not item.extent.intersects(area)):
                self.waiting.add(rep_id)
            else:
                now.append(rep_id)
        self.waiting.difference_update(now)
        return now

    def place(self, rep_ids: list[str]) -> None:
        """These links were routed: place their labels now if they can be seen, else later."""
        scene = self.layer.scene()
        if scene is None:
            return
        self._moved = True
        if not self._ready():
            self.waiting.update(rep_ids)
            return
        now = self._take(rep_ids)
        if len(now) > self.BATCH:
            self._run.update(now)
            self._after(0)
        else:
            place_labels(scene, now)

    def soon(self, rep_id: str) -> None:
        """Place this link's label once control returns to the event loop, with the others
        asked for meanwhile (badges arrive by the hundred after a check)."""
        self.waiting.add(rep_id)
        self._asked.add(rep_id)
        self._after(0)

    def panned(self) -> None:
        """The view moved: place what it brought into view once it holds still (and
        pause the slices under way till then: a pan's frames come first)."""
        if (self.waiting or self._run) and self._ready():
            quick = self._timers.get(0)
            if quick is not None:
                quick.stop()
            self._after(self.SETTLE_MS)

    def _after(self, ms: int) -> None:
        scene = self.layer.scene()
        if scene is None:
            return
        timer = self._timers.get(ms)
        if timer is None:  # (the scene's child: it goes with the scene)
            timer = self._timers[ms] = QTimer(scene, singleShot=True, interval=ms)
            timer.timeout.connect(self._asked_for if ms == 0 else self.settle)
        timer.start()

    def settle(self) -> None:
        """The view holds still (the link layer says so once the zoom does, a timer once a
        pan does): place the waiting labels it shows. While a drag moves links, once it
        holds still after (their slices would wait for the drop: going through the
        thousand labels waiting about a view just moved to took a millisecond of a frame)."""
        scene: Any = self.layer.scene()
        if scene is None or not self._ready():
            return
        if scene.live_links.links:
            if self.waiting:
                self._after(self.SETTLE_MS)
            return
        self._run.update(self._take(list(self.waiting)))
        self._slice()

    def _asked_for(self) -> None:
        """Place the labels ``soon`` asked for that can be seen (only those: the others
        wait for the view to move), and go on with the slices under way. (Zoomed out, they
        wait: the zoom's holding still places those it shows. Kept asked, the badges of a
        check after every edit piled up thousands, gone through at the next edit zoomed in.)"""
        asked, self._asked = self._asked & self.waiting, set()
        if self._ready():
            self._run.update(self._take(asked))
            self._slice()

    def _slice(self) -> None:
        scene = self.layer.scene()
        if scene is None or not self._run:
            return
        if scene.live_links.links:  # a drag's frames come first; its end goes on (``soon``)
            return
        if len(self._run) > self.BATCH:
            # labels placed here and there all over the view would each repaint a part of
            # the layer's picture, turn after turn: one repaint when all are placed instead
            self.quiet = True
        if self._obstacles is None or self._moved:
            self._obstacles, self._moved = Obstacles(scene), False
        left = place_labels(scene, self._run, time.perf_counter() + self.SLICE_S,
                            self._obstacles)
        self._run = set(left)
        if left:  # (the rest on the next turns)
            self._after(0)
            return
        self._obstacles = None
        if self.quiet:
            self.quiet = False
            self.layer.refit(regroup=False)  # (labels moved; the links' routes did not)
            self.layer.forget_picture()

    def clear(self) -> None:
        self.grid.clear()
        self.waiting.clear()
        self._asked.clear()
        self._run.clear()
        self.quiet = False
        self._obstacles = None
