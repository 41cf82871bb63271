"""The link layer's strokes: links grouped by style and by tile, each group one path.

The layer strokes a handful of paths instead of thousands of links (see ``LinkLayer``).
Grouping by style alone made every edit cost the whole design: one link drawn, deleted,
selected or re-routed threw the groups away, and the next paint added every link's path
again (0.25 s at 5,000 hosts). Here a group is also one tile of the scene (``TILE`` units a
side, by where a link starts): a changed link leaves its old group and joins its new one,
and only those two paths are made again, from the few hundred links of a tile: the groups
paint the whole picture, and a large part of it. A small part (what an edit or a drop
changed, near 1:1) strokes the links there alone (``by_style``).
"""

from __future__ import annotations

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


class _Group:
    __slots__ = ("members", "path", "hull")

    def __init__(self) -> None:
        self.members: dict[Any, None] = {}  # the links, in the order they joined
        self.path = QPainterPath()
        self.hull = QRectF()  # what the links' curves cover (control points included)


class LinkGroups:
    """Which group each link is in, brought up to date lazily (at the next paint) from the
    links said to have changed."""

    def __init__(self) -> None:
        self._groups: dict[Key, _Group] = {}
        self._key_of: dict[Any, Key] = {}
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
            self._groups, self._key_of = {}, {}
            changed: Iterable[Any] = links.values()
        else:
            changed, self._changed = self._changed, set()
        stale: set[Key] = set()
        for item in changed:
            old = self._key_of.pop(item, None)
            if old is not None:
                del self._groups[old].members[item]
                stale.add(old)
            if links.get(item.entity_id) is item and not item.live and item.isVisible():
                new = self.key(item)
                self._groups.setdefault(new, _Group()).members[item] = None
                self._key_of[item] = new
                stale.add(new)
        for key in stale:
            group = self._groups[key]
            if not group.members:
                del self._groups[key]
                continue
            path = QPainterPath()
            for item in group.members:
                path.addPath(item.path)
            group.path, group.hull = path, path.controlPointRect()
        return self._groups

    def strokes(self, links: dict[str, Any], area: QRectF,
                margin: float) -> Iterator[tuple[tuple[bool, bool, bool], QPainterPath]]:
        """The paths to stroke for a scene area, style by style (selected links last, over
        the others); ``margin``: how far a stroke may reach beyond its curve."""
        groups = self.groups(links)
        for key in sorted(groups, key=lambda k: (k[2], k)):
            group = groups[key]
            if group.hull.adjusted(-margin, -margin, margin, margin).intersects(area):
                yield key[:3], group.path

    def members_by_key(self, links: dict[str, Any]) -> dict[Key, set[str]]:
        """The ids in each group (for tests: the grouping an edit leaves equals a fresh one)."""
        return {key: {item.entity_id for item in group.members}
                for key, group in self.groups(links).items()}


def by_style(links: Iterable[Any]) -> list[tuple[tuple[bool, bool, bool], QPainterPath]]:
    """For a part of the picture (what an edit or a drop changed): paths of these links
    alone (those there, not live, shown), by style, selected last. The groups' paths would
    stroke, clipped, every link passing anywhere near: at 5,000 hosts most long links."""
    paths: dict[tuple[bool, bool, bool], QPainterPath] = {}
    for item in links:
        if not item.live and item.isVisible():
            look = item.look
            key = (look.unencrypted_across_sites, look.extended, item.isSelected())
            paths.setdefault(key, QPainterPath()).addPath(item.path)
    return [(key, paths[key]) for key in sorted(paths, key=lambda k: (k[2], k))]
