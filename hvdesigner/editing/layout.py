"""Where things sit on the canvas, as a typed value (Qt-free).

A design keeps its canvas positions in ``layout``, a free-form JSON object the file format
leaves to the canvas: ``{"sites": {id: [x, y, w, h]}, "servers": {id: [x, y]}, ...}`` (top-left
corners of site frames and of the cards of standalone hosts and clusters; nodes are drawn in
their cluster's card). :class:`Layout` is the one place that knows that shape: the canvas
places items from it and every edit that moves something makes a new one. Keys it doesn't
know (the legend's position) are kept as they were.

A design without a layout, or with things the layout doesn't place, gets a readable automatic
one: sites side by side, their servers in rows inside.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from hvdesigner.model.design import Design

Point = tuple[float, float]

HOST_WIDTH, CLUSTER_WIDTH = 160, 240
NODE_ROW = 24
SITE_TITLE = 28  # the frame's title bar
MARGIN = 10  # between a frame's edge and the cards in it
SITE_GAP = 300  # room for link labels between sites
PADDING = 30
TITLE = 40
SERVER_GAP_X, SERVER_GAP_Y = 60, 70
NEW_SITE = (420.0, 280.0)
#: How far apart parallel links between one pair of cards bend.
PARALLEL_SPACING = 34.0
#: How far a firewall's boundary stands out from what it guards (left, top, right, bottom):
#: room for its label above.
FIREWALL_MARGIN = (14.0, 30.0, 14.0, 14.0)


def card_size(kind: str, nodes: int) -> tuple[int, int]:
    """Width and height of a server card without its VM rows: a host is 160 x 64; a cluster
    adds rows of node chips (two a row) between its title and its domain and VM lines."""
    if kind == "cluster":
        return CLUSTER_WIDTH, 40 + NODE_ROW * ((max(nodes, 1) + 1) // 2) + 44
    return HOST_WIDTH, 64


def node_chip(card_width: float, index: int) -> tuple[float, float, float, float]:
    """Where a cluster card's node chip sits in it (x, y, width, height): two a row, below the
    title."""
    chip_w = (card_width - 20) / 2
    return 8 + (index % 2) * (chip_w + 4), 40 + (index // 2) * NODE_ROW, chip_w, 20


def server_size(design: Design, server_id: str) -> tuple[int, int]:
    if server_id in design.clusters:
        return card_size("cluster", len(design.nodes_of(server_id)))
    return card_size("host", 0)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def center(self) -> Point:
        return (self.x + self.w / 2, self.y + self.h / 2)

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def contains(self, point: Point) -> bool:
        return self.x <= point[0] <= self.right and self.y <= point[1] <= self.bottom

    def moved_to(self, x: float, y: float) -> Rect:
        return Rect(x, y, self.w, self.h)


@dataclass(frozen=True)
class Layout:
    """Positions of site frames and server cards; see the module docstring."""

    sites: Mapping[str, Rect] = field(default_factory=dict)
    servers: Mapping[str, Point] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ reading
    @classmethod
    def of(cls, design: Design) -> Layout:
        """The design's layout, completed with automatic positions for what it lacks, ids
        that no longer exist left out, and frames grown to hold their cards."""
        current: dict[str, Any] = design.layout if isinstance(design.layout, dict) else {}
        given: dict[str, dict[str, Any]] = {
            key: value if isinstance(value := current.get(key), dict) else {}
            for key in ("sites", "servers")}
        top_level = set(design.clusters) | {h.id for h in design.hosts.values() if h.cluster is None}
        # (each place checked once: a drop reads the layout of thousands of cards twice)
        sites = {s: frame for s in design.sites
                 if (frame := given_frame(given["sites"].get(s))) is not None}
        servers = {s: at for s in top_level
                   if (at := given_place(given["servers"].get(s))) is not None}
        if len(sites) < len(design.sites) or len(servers) < len(top_level):
            auto = auto_layout(design)
            sites = {s: sites[s] if s in sites else auto.sites[s] for s in design.sites}
            servers = {s: servers[s] if s in servers else auto.servers[s] for s in top_level}
        extra = {k: v for k, v in current.items() if k not in ("sites", "servers")}
        return cls(sites, servers, extra)._grown(design)

    @classmethod
    def part(cls, design: Design, site_ids: Iterable[str]) -> Layout | None:
        """The frames of these sites (grown, as :meth:`of` grows them) and the cards in them,
        when the design's layout places every site and card validly (so that :meth:`of`
        would add nothing); else None.

        (A drop or a delete in a large design concerns a site or two of hundreds: reading
        just those, and writing them back with :meth:`written_over`, keeps it from reading
        and writing the places of thousands of cards.)"""
        given = design.layout
        valid = _valid_keys(given)
        if valid is None:
            return None
        framed, placed = valid
        # (every site framed, every cluster and standalone host placed: nodes need no place)
        unplaced = design.hosts.keys() - placed
        if not design.sites.keys() <= framed or not design.clusters.keys() <= placed \
                or unplaced and not unplaced <= set().union(*map(design.nodes_of, design.clusters)):
            return None
        frames, places = given["sites"], given["servers"]
        sites: dict[str, Rect] = {}
        servers: dict[str, Point] = {}
        for site_id in set(site_ids):
            held = {c: (float(places[c][0]), float(places[c][1]))
                    for c in design.servers_in_site(site_id) if _is_top_level(design, c)}
            sites[site_id] = grown_frame(design, Rect(*frames[site_id]), held.items())
            servers.update(held)
        return cls(sites, servers, {k: v for k, v in given.items() if k not in ("sites", "servers")})

    def written_over(self, given: dict[str, Any], removed: Iterable[str] = ()) -> dict[str, Any]:
        """A design's layout (JSON, as :meth:`part` read it) with this part's frames and cards
        written over it and ``removed`` ids left out: a layout that :meth:`of` reads as
        the whole layout with this part's changes."""
        gone = set(removed)
        part = self.to_json()
        json = {key: {**given[key], **part[key]} for key in ("sites", "servers")}
        if gone:
            json = {key: {k: v for k, v in places.items() if k not in gone}
                    for key, places in json.items()}
        written = {**given, **part, **json}
        known = _VALID_KEYS.get(id(given))
        if known is not None and known[0] is given:  # (its keys: those before and the part's)
            _remember(_VALID_KEYS, written, *(
                frozenset((before - part[key].keys() - gone)
                          | {k for k, v in part[key].items() if valid(v) and k not in gone})
                for before, key, valid in ((known[1], "sites", _is_rect),
                                           (known[2], "servers", _is_point))))
        _remember(_WRITTEN, written, given, frozenset(part["sites"].keys() | gone),
                  frozenset(part["servers"].keys() | gone))
        return written

    def card(self, design: Design, server_id: str) -> Rect:
        """A standalone host's or a cluster's card (without VM rows)."""
        x, y = self.servers[server_id]
        return Rect(x, y, *server_size(design, server_id))

    def site_at(self, point: Point, exclude: str | None = None) -> str | None:
        """The site whose frame holds a point (the smallest, where frames overlap)."""
        holding = [(r.w * r.h, s) for s, r in self.sites.items() if s != exclude and r.contains(point)]
        return min(holding)[1] if holding else None

    def inside(self, site_id: str, size: tuple[float, float], at: Point) -> Point:
        """A card position as near ``at`` as keeps a card of ``size`` inside the site's frame,
        below its title bar (a dropped card lands where the user sees the frame)."""
        frame = self.sites[site_id]
        x = min(at[0], frame.right - MARGIN - size[0])
        y = min(at[1], frame.bottom - MARGIN - size[1])
        return self.keep_in(site_id, (x, y))

    def keep_in(self, site_id: str, at: Point) -> Point:
        """A card position no further left or up than the site's frame allows (the frame
        grows right and down to hold its cards, so a card is never outside it)."""
        frame = self.sites[site_id]
        return (float(round(max(at[0], frame.x + MARGIN))),
                float(round(max(at[1], frame.y + SITE_TITLE + MARGIN))))

    @property
    def legend(self) -> Point | None:
        value = self.extra.get("legend")
        if not _is_point(value):
            return None
        assert value is not None
        return (float(value[0]), float(value[1]))

    # ------------------------------------------------------------------ changing
    def with_servers(self, positions: Mapping[str, Point]) -> Layout:
        return replace(self, servers={**self.servers, **positions})

    def with_sites(self, rects: Mapping[str, Rect]) -> Layout:
        return replace(self, sites={**self.sites, **rects})

    def without(self, ids: Iterable[str]) -> Layout:
        gone = set(ids)
        return replace(self, sites={k: v for k, v in self.sites.items() if k not in gone},
                       servers={k: v for k, v in self.servers.items() if k not in gone})

    def to_json(self) -> dict[str, Any]:
        return {**self.extra,
                "sites": {k: [r.x, r.y, r.w, r.h] for k, r in self.sites.items()},
                "servers": {k: [x, y] for k, (x, y) in self.servers.items()}}

    def written_whole(self) -> dict[str, Any]:
        """This layout as a design's whole layout (JSON), whose places are known valid (a
        Layout holds only valid places): the next drop's :meth:`part` then need not check
        the places of thousands of cards again (the first drop after opening a design
        without a layout, or after a whole relayout, at 5,000 hosts: 4-5 ms)."""
        written = self.to_json()
        _remember(_VALID_KEYS, written, frozenset(written["sites"]),
                  frozenset(written["servers"]))
        return written

    def _grown(self, design: Design) -> Layout:
        """Frames grown (right and down) to hold the cards of their servers."""
        held: dict[str, list[tuple[str, Point]]] = {}
        for server_id, at in self.servers.items():
            held.setdefault(design.get(server_id).site, []).append((server_id, at))
        return replace(self, sites={site_id: grown_frame(design, frame, held.get(site_id, ()))
                                    for site_id, frame in self.sites.items()})


def completed(design: Design) -> dict[str, Any] | None:
    """The design's layout with automatic places for what it lacks, as JSON; None when it
    places every site and card already, or has nothing to place.

    (A document keeps the layout its design opens with: a design saved without one, as
    the command line generates them or by hand, had its first drop lay out the whole of it,
    80 ms at 5,000 hosts; with every place given, an edit reads and writes only the sites
    it concerns: ``Layout.part``.)"""
    if not design.sites or Layout.part(design, ()) is not None:
        return None
    return Layout.of(design).written_whole()


def placed_anew(design: Design, server_ids: Iterable[str]) -> dict[str, Any] | None:
    """The design's layout (JSON) with a place for each of these servers that is drawn in a
    card of its own and has none (a node taken out of its cluster): in rows as wide as its
    site's frame, below the cards in it; the frame grows down to hold them. None when each has a place, or when
    the layout gives none of them a frame to be placed in (then :meth:`Layout.of` places
    them, as for any layout that lacks something).

    (The Document places such a card in the edit that left it without a place: else each
    drop after that edit laid the whole design out again, 80 ms at 5,000 hosts.)"""
    given = design.layout
    if not isinstance(given, dict):
        return None
    frames, places = given.get("sites"), given.get("servers")
    if not isinstance(frames, dict) or not isinstance(places, dict):
        return None
    unplaced: dict[str, list[str]] = {}
    for server_id in sorted(set(server_ids)):
        if (server_id in design.clusters or server_id in design.hosts) \
                and _is_top_level(design, server_id) and given_place(places.get(server_id)) is None:
            unplaced.setdefault(design.get(server_id).site, []).append(server_id)
    new: dict[str, list[float]] = {}
    for site_id, cards in unplaced.items():
        frame = given_frame(frames.get(site_id))
        if frame is None:
            continue
        y = frame.y + TITLE + PADDING
        for held in design.servers_in_site(site_id):
            at = given_place(places.get(held)) if _is_top_level(design, held) else None
            if at is not None:
                y = max(y, at[1] + server_size(design, held)[1] + SERVER_GAP_Y)
        # rows as wide as the frame: a row wider would grow the frame sideways, over the
        # site beside it (four nodes taken out of a cluster at once)
        left, right = frame.x + PADDING, frame.x + frame.w - PADDING
        x, row_height = left, 0.0
        for server_id in cards:
            width, height = server_size(design, server_id)
            if x > left and x + width > right:
                x, y, row_height = left, y + row_height + SERVER_GAP_Y, 0.0
            new[server_id] = [float(x), float(y)]
            x += width + SERVER_GAP_X
            row_height = max(row_height, height)
    return {**given, "servers": {**places, **new}} if new else None


def _is_top_level(design: Design, server_id: str) -> bool:
    """A server drawn in its own card: a cluster, or a host in no cluster."""
    host = design.hosts.get(server_id)
    return host is None or host.cluster is None


def grown_frame(design: Design, frame: Rect, cards: Iterable[tuple[str, Point]]) -> Rect:
    """A site's frame grown (right and down) to hold its servers' cards at these places."""
    w, h = frame.w, frame.h
    for server_id, (x, y) in cards:
        card_w, card_h = server_size(design, server_id)
        w = max(w, x + card_w - frame.x + PADDING)
        h = max(h, y + card_h - frame.y + PADDING)
    return frame if (w, h) == (frame.w, frame.h) else Rect(frame.x, frame.y, w, h)


def moved_in(before: Any, after: Any) -> Layout | None:
    """What a change of a design's layout (``before`` and ``after``, its JSON) moved, told
    from the change alone: the cards and frames whose places differ, as given (frames not
    yet grown), and the other keys. None when something left the layout or was given no
    valid place: then only :meth:`Layout.of` tells where everything is.

    (A drop in a large design changes a card or two of thousands: the canvas places those,
    instead of completing and comparing the whole layout.)"""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    written = _written_between(before, after)
    moved: dict[str, dict[str, Any]] = {}
    for n, (key, valid) in enumerate((("sites", _is_rect), ("servers", _is_point))):
        old, new = before.get(key), after.get(key)
        if not isinstance(old, dict) or not isinstance(new, dict) or not old.keys() <= new.keys():
            return None
        keys = new.keys() if written is None else [k for k in written[n] if k in new]
        moved[key] = {k: new[k] for k in keys if old.get(k) != new[k]}
        if not all(valid(v) for v in moved[key].values()):
            return None
    return Layout({k: Rect(*v) for k, v in moved["sites"].items()},
                  {k: (float(v[0]), float(v[1])) for k, v in moved["servers"].items()},
                  {k: v for k, v in after.items() if k not in ("sites", "servers")})


#: The keys of the sites and servers given valid places, for the last few layouts (JSON)
#: read or written (never changed in place: an edit writes a new one), by their ids (each
#: with the layout, which keeps its id its own). An edit's layout is the one before with a
#: part written over it, its keys those before and the part's: a drop at 5,000 hosts
#: checked the place of every one of 4,000 cards, 3 ms, to read the one it moved.
_VALID_KEYS: dict[int, tuple[dict[str, Any], frozenset[str], frozenset[str]]] = {}
#: For the last few layouts written over another (``Layout.written_over``), by their ids:
#: that one, and the keys of the sites and servers where the two may differ (the part's,
#: and those left out). A drop's change of the layout is then told by comparing those,
#: not the places of 4,000 cards (``moved_in``: 0.7 ms at 5,000 hosts).
_WRITTEN: dict[int, tuple[dict[str, Any], dict[str, Any], frozenset[str], frozenset[str]]] = {}
#: How many layouts each keeps: the current one, and those undo and redo go back to.
KEPT = 4


def _valid_keys(given: Any) -> tuple[frozenset[str], frozenset[str]] | None:
    """The keys of the sites and of the servers a layout (JSON) gives valid places; None
    when it has no maps of them."""
    if not isinstance(given, dict):
        return None
    known = _VALID_KEYS.get(id(given))
    if known is not None and known[0] is given:
        return known[1], known[2]
    frames, places = given.get("sites"), given.get("servers")
    if not isinstance(frames, dict) or not isinstance(places, dict):
        return None
    framed = frozenset(k for k, v in frames.items() if _is_rect(v))
    placed = frozenset(k for k, v in places.items() if _is_point(v))
    _remember(_VALID_KEYS, given, framed, placed)
    return framed, placed


def _written_between(before: dict[str, Any], after: dict[str, Any]) -> tuple[
        frozenset[str], frozenset[str]] | None:
    """The keys of the sites and servers where two layouts may differ, when one was
    written over the other (an edit, or its undo); None when not known."""
    for written, given in ((after, before), (before, after)):
        known = _WRITTEN.get(id(written))
        if known is not None and known[0] is written and known[1] is given:
            return known[2], known[3]
    return None


def _remember(memo: dict[int, Any], layout: dict[str, Any], *facts: Any) -> None:
    """Remember facts of a layout (the last KEPT layouts' only)."""
    memo.pop(id(layout), None)
    memo[id(layout)] = (layout, *facts)
    while len(memo) > KEPT:
        del memo[next(iter(memo))]


def given_place(value: Any) -> Point | None:
    """A card's place as a layout gives it, if valid."""
    return (float(value[0]), float(value[1])) if _is_point(value) else None


def given_frame(value: Any) -> Rect | None:
    """A frame as a layout gives it, if valid."""
    return Rect(*value) if _is_rect(value) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def _is_point(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 2 and _is_number(value[0])
            and _is_number(value[1]))


def _is_rect(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 4 and all(map(_is_number, value))


# ---------------------------------------------------------------------- automatic layout
def _site_order(design: Design) -> list[str]:
    """Datacenters, then branches, then clouds; within each, sites that send more
    replication first, so a picture reads from primary (left) to replica (right)."""
    kinds = {"datacenter": 0, "branch": 1, "cloud": 2}

    def sending(site_id: str) -> int:
        return sum(1 for s in design.servers_in_site(site_id) for r in design.replications_at(s)
                   if design.replications[r].source == s)

    return sorted(design.sites, key=lambda s: (kinds[design.sites[s].kind], -sending(s),
                                               design.sites[s].name.casefold(), s))


def _site_block(design: Design, site_id: str) -> tuple[float, float, dict[str, Point]]:
    """A site's frame size and its servers' offsets inside it: rows of up to three."""
    members = sorted(design.servers_in_site(site_id))
    top_level = [m for m in members if m not in design.hosts or design.hosts[m].cluster is None]
    columns = max(1, min(3, math.ceil(math.sqrt(len(top_level) or 1))))
    col_widths = [0] * columns
    rows: list[list[str]] = [top_level[i:i + columns] for i in range(0, len(top_level), columns)]
    for row in rows:
        for c, member in enumerate(row):
            col_widths[c] = max(col_widths[c], server_size(design, member)[0])
    offsets: dict[str, Point] = {}
    y = float(TITLE + PADDING)
    for row in rows:
        cx = float(PADDING)
        height = 0
        for c, member in enumerate(row):
            offsets[member] = (cx, y)
            cx += col_widths[c] + SERVER_GAP_X
            height = max(height, server_size(design, member)[1])
        y += height + SERVER_GAP_Y
    title = 70 + 8 * len(design.sites[site_id].name)  # room for the title bar's text
    width = max(sum(col_widths) + SERVER_GAP_X * (columns - 1) + 2 * PADDING, 260, title)
    return float(width), max(y - SERVER_GAP_Y + PADDING, 200.0), offsets


def auto_layout(design: Design) -> Layout:
    """Sites side by side (in a grid of rows once there are more than four, so that no link
    has to cross the whole picture), servers in rows inside each."""
    order = _site_order(design)
    per_row = len(order) if len(order) <= 4 else math.ceil(math.sqrt(len(order)))
    sites: dict[str, Rect] = {}
    servers: dict[str, Point] = {}
    y = 0.0
    for start in range(0, len(order), per_row):
        x, row_height = 0.0, 0.0
        for site_id in order[start:start + per_row]:
            width, height, offsets = _site_block(design, site_id)
            sites[site_id] = Rect(x, y, width, height)
            servers.update({m: (x + dx, y + dy) for m, (dx, dy) in offsets.items()})
            x += width + SITE_GAP
            row_height = max(row_height, height)
        y += row_height + SITE_GAP
    return Layout(sites, servers)
