"""Where the scene puts its frames, cards and legend: as the design's layout says (completed
automatically), or, after a drop or an align, only what the layout's change moved, the
frames it moved in grown to hold their cards. Mixed into the DesignScene."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF

from hvdesigner.canvas.items import ServerItem
from hvdesigner.editing.layout import Layout, Point, Rect, given_frame, given_place, grown_frame

if TYPE_CHECKING:
    from hvdesigner.canvas.scene import DesignScene

    _Base = DesignScene
else:
    _Base = object


class ScenePlacing(_Base):
    """Placing the DesignScene's items from the layout (mixed into it)."""

    #: the left and bottom of the frames, and the sites at them (see _below_frames)
    _below: tuple[float, float, str, str] | None = None

    def apply_layout(self, reshaped: bool = True, moved: Layout | None = None) -> None:
        """Place items where the design's layout (completed automatically) says.

        ``reshaped``: things were added, removed or re-linked, so every link is re-indexed
        and re-routed. Otherwise (a drag committed, an align) only what moved is: a drop in
        a large design would else re-route thousands of links that did not move. ``moved``:
        what the layout's change moved (``layout.moved_in``); then only that is placed, and
        its frames grown, without completing the whole layout (27 ms at 5,000 hosts)."""
        placed = self._place_moved(moved) if moved is not None and not reshaped else None
        framed: set[str] | None = None  # (the frames that may have moved: None, any)
        if placed is None:
            layout = Layout.of(self.design)
            sites, cards = self._put_at(layout.sites, layout.servers)
            sites |= self._grow_frames(self.sites)
            legend = layout.legend
        else:
            sites, cards, legend, framed = placed
        for site_id in sites:
            cards.update(c.entity_id for c in self.sites[site_id].childItems()
                         if isinstance(c, ServerItem))
        if legend is not None:
            self.legend.setPos(QPointF(*legend))
        else:
            left, bottom = self._below_frames(framed)
            self.legend.setPos(left, bottom + 60)
        if reshaped:
            self._index_links()
            with self.link_layer.holding(), self.backdrop.holding():
                self.update_geometry()
        elif cards or sites:
            self.update_geometry(cards, sites)
        content = self.content_rect(None if placed is None else
                                    [*(self.sites[s] for s in sites), *(self.servers[c] for c in cards)])
        if not self.sceneRect().contains(content.adjusted(-4000, -4000, 4000, 4000)):
            # grown with room to spare: a new scene rect makes Qt index every item anew at
            # the next paint (0.2 s at 5,000 hosts), and labels placed after the first
            # layout, or a card dropped near the edge, would else do it again and again
            self.setSceneRect(self.sceneRect().united(content.adjusted(-8000, -8000, 8000, 8000)))

    def _put_at(self, frames: Mapping[str, Rect],
               places: Mapping[str, Point]) -> tuple[set[str], set[str]]:
        """Put these site frames and server cards there; the sites and cards that moved."""
        sites: set[str] = set()
        cards: set[str] = set()
        for site_id, frame in frames.items():
            item = self.sites.get(site_id)
            rect = QRectF(frame.x, frame.y, frame.w, frame.h)
            if item is not None and (item.pos() != rect.topLeft() or item.size != rect.size()):
                item.set_rect(rect)
                sites.add(site_id)
        for server_id, (x, y) in places.items():
            card = self.servers.get(server_id)
            if card is None:
                continue
            parent = card.parentItem()
            target = QPointF(x, y) if parent is None else parent.mapFromScene(QPointF(x, y))
            if card.pos() != target:
                card.setPos(target)
                cards.add(server_id)
        return sites, cards

    def _below_frames(self, framed: set[str] | None) -> tuple[float, float]:
        """The left of the leftmost frame and the bottom of the lowest (0 without frames),
        where the legend goes when the layout gives it no place; worked out from every
        frame, or, when only the ``framed`` ones may have moved, from those and the last
        answer, unless one of them gave it (a drop at 5,000 hosts asked 300 frames
        for their bounds, a millisecond)."""
        last = self._below
        if framed is None or last is None or last[2] in framed or last[3] in framed:
            last, framed = None, set(self.sites)
        left, bottom, leftmost, lowest = last or (0.0, 0.0, "", "")
        for site_id in framed:
            rect = self.sites[site_id].sceneBoundingRect()
            if not leftmost or rect.left() < left:
                left, leftmost = rect.left(), site_id
            if not lowest or rect.bottom() > bottom:
                bottom, lowest = rect.bottom(), site_id
        self._below = (left, bottom, leftmost, lowest) if leftmost else None
        return left, bottom

    def _place_moved(self, moved: Layout) -> tuple[set[str], set[str], Point | None,
                                                    set[str]] | None:
        """Place what a change of the layout moved, and grow or shrink the frames it moved
        in (as ``Layout.of`` would: from the frames and cards the layout gives); the sites
        and cards that moved, the legend's place, and the sites concerned. None when a frame
        concerned or a card in one is not given a valid place (then the whole layout must be
        completed)."""
        design = self.design
        given = design.layout
        if not isinstance(given, dict):
            return None
        concerned = {s for s in moved.sites if s in self.sites}
        concerned.update(design.get(c).site for c in moved.servers if c in self.servers)
        frames: dict[str, Rect] = {}
        for site_id in concerned & self.sites.keys():
            frame = given_frame(given["sites"].get(site_id))
            held = [(c, given_place(given["servers"].get(c)))
                    for c in design.servers_in_site(site_id) if c in self.servers]
            if frame is None or any(at is None for _, at in held):
                return None
            frames[site_id] = grown_frame(design, frame, held)  # type: ignore[arg-type]
        sites, cards = self._put_at(frames, {c: at for c, at in moved.servers.items()})
        sites |= self._grow_frames(frames)
        return sites, cards, moved.legend, set(frames)

    def _grow_frames(self, site_ids: Iterable[str]) -> set[str]:
        """A site frame grows to hold the servers in it (it never hides one); the frames
        that grew."""
        grown: set[str] = set()
        for site_id in site_ids:
            site = self.sites[site_id]
            bounds = QRectF()
            for child in site.childItems():
                if isinstance(child, ServerItem):
                    bounds = bounds.united(child.mapRectToParent(child.card_rect()))
            if not bounds.isNull():
                needed = QRectF(0, 0, max(site.size.width(), bounds.right() + 30),
                                max(site.size.height(), bounds.bottom() + 30))
                if needed.size() != site.size:
                    site.set_rect(QRectF(site.pos(), needed.size()))
                    grown.add(site_id)
        return grown
