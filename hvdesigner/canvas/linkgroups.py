"""The link layer's strokes: links grouped by style and by tile, each group a few paths.

The layer strokes a handful of paths instead of thousands of links (see ``LinkLayer``).
Grouping by style alone made every edit cost the whole design: one link drawn, deleted,
selected or re-routed threw the groups away, and the next paint added every link's path
again (0.25 s at 5,000 hosts). Here a group is also one tile of the scene (``TILE`` units a
side, by where a link starts): a changed link leaves its old group and joins its new one,
and only those two groups' paths are made again (only a chunk of each: see below): the
groups paint the whole picture, and a large part of it. A small part (what an edit or a drop
changed, near 1:1) strokes the links there alone (``LinkGroups.part``), in the order the
groups' paths stroke them.

A group's path is kept in chunks of ``CHUNK`` links, in the order they joined: a link that
leaves or joins makes its chunk's path again, not the group's, whose cost grows with the
links that start in one tile (at 5,000 hosts the largest group, 822 links, took 0.6-0.9 ms
to make again, a chunk 0.15-0.25; a hub datacenter's tile holds more). Stroked one after
another the chunks are what the one path was.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath

#: A group: (unencrypted across sites, extended, selected) and the tile (column, row).
Key = tuple[bool, bool, bool, int, int]

#: A tile's side (scene units): a few hundred links on a dense design, so that making one
#: group's path again is cheap and a fitted view still strokes only a few dozen paths.
TILE = 4096.0


#: The most links in one chunk of a group's path.
CHUNK = 64


class _Chunk:
    __slots__ = ("links", "path", "hull")

    def __init__(self) -> None:
        self.links: list[Any] = []  # in the order they joined
        self.path = QPainterPath()
        self.hull = QRectF()  # what the links' curves cover (control points included)


class _Group:
    __slots__ = ("members", "chunks")

    def __init__(self) -> None:
        self.members: dict[Any, _Chunk] = {}  # the links, in the order they joined: chunks
        self.chunks: list[_Chunk] = []

    def join(self, item: Any) -> _Chunk:
        last = self.chunks[-1] if self.chunks else None
        if last is None or len(last.links) >= CHUNK:
            last = _Chunk()
            self.chunks.append(last)
        last.links.append(item)
        self.members[item] = last
        return last


class LinkGroups:
    """Which group each link is in, brought up to date lazily (at the next paint) from the
    links said to have changed."""

    def __init__(self) -> None:
        self._groups: dict[Key, _Group] = {}
        self._key_of: dict[Any, Key] = {}
        self._joined: dict[Any, int] = {}  # when each link joined its group (its place there)
        self._joins = itertools.count()
        self._changed: set[Any] = set()
        self._all = True  # group every link afresh (routes or visibility changed unsaid)

    def changed(self, item: Any) -> None:
        """The link's route, style, selection or liveness changed, or it is gone."""
        self._changed.add(item)

    def regroup_all(self) -> None:
        self._all = True
        self._changed.clear()

    @staticmethod
    def key(item: Any) -> Key:
        look = item.look
        x, y = item.route[0] if item.route is not None else (0.0, 0.0)
        return (look.unencrypted_across_sites, look.extended, item.isSelected(),
                math.floor(x / TILE), math.floor(y / TILE))

    def groups(self, links: dict[str, Any]) -> dict[Key, _Group]:
        """The groups, up to date: ``links`` are the scene's (a link in none of them is gone;
        a live or hidden one is painted by no group)."""
        if self._all:
            self._all = False
            self._groups, self._key_of, self._joined = {}, {}, {}
            changed: Iterable[Any] = links.values()
        else:
            changed, self._changed = self._changed, set()
        stale: dict[int, tuple[Key, _Chunk]] = {}
        for item in changed:
            old = self._key_of.pop(item, None)
            self._joined.pop(item, None)
            if old is not None:
                chunk = self._groups[old].members.pop(item)
                chunk.links.remove(item)
                stale[id(chunk)] = (old, chunk)
            if links.get(item.entity_id) is item and not item.live and item.isVisible():
                new = self.key(item)
                chunk = self._groups.setdefault(new, _Group()).join(item)
                self._key_of[item] = new
                self._joined[item] = next(self._joins)
                stale[id(chunk)] = (new, chunk)
        for key, chunk in stale.values():
            group = self._groups[key]
            if not chunk.links:
                group.chunks.remove(chunk)
                if not group.chunks:
                    del self._groups[key]
                continue
            path = QPainterPath()
            for item in chunk.links:
                path.addPath(item.path)
            chunk.path, chunk.hull = path, path.controlPointRect()
        return self._groups

    def strokes(self, links: dict[str, Any], area: QRectF,
                margin: float) -> Iterator[tuple[tuple[bool, bool, bool], QPainterPath]]:
        """The paths to stroke for a scene area, style by style (selected links last, over
        the others); ``margin``: how far a stroke may reach beyond its curve."""
        groups = self.groups(links)
        for key in sorted(groups, key=_stroke_order):
            for chunk in groups[key].chunks:
                if chunk.hull.adjusted(-margin, -margin, margin, margin).intersects(area):
                    yield key[:3], chunk.path

    def part(self, links: dict[str, Any], near: Iterable[Any]
             ) -> list[tuple[tuple[bool, bool, bool], QPainterPath]]:
        """For a part of the picture (what an edit or a drop changed): paths of these links
        alone (those there; live or hidden ones are in no group), a group's at a time, in the
        order the groups' paths stroke them, so that the part looks as the whole picture
        does (two antialiased curves crossing, stroked the other way round, blend a shade
        apart). The groups' paths would stroke, clipped, every link passing anywhere near:
        at 5,000 hosts most long links."""
        self.groups(links)
        by_group: dict[Key, list[Any]] = {}
        for item in near:
            key = self._key_of.get(item)
            if key is not None:
                by_group.setdefault(key, []).append(item)
        paths = []
        for key in sorted(by_group, key=_stroke_order):
            path = QPainterPath()
            for item in sorted(by_group[key], key=self._joined.__getitem__):
                path.addPath(item.path)
            paths.append((key[:3], path))
        return paths

    def members_by_key(self, links: dict[str, Any]) -> dict[Key, set[str]]:
        """The ids in each group (for tests: the grouping an edit leaves equals a fresh one)."""
        return {key: {item.entity_id for item in group.members}
                for key, group in self.groups(links).items()}



def _stroke_order(key: Key) -> tuple[bool, Key]:
    """The groups are stroked style by style, selected links last (over the others)."""
    return key[2], key
