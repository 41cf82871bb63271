"""The scene: mirrors a Document's design as items (gestures: canvas/gestures.py, findings
badges: canvas/badges.py, placing from the layout: canvas/placing.py).

The scene keeps maps from ids to items (items know nothing of the model). Model change events
update only the items they concern; findings deltas update badges.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsScene

from hvdesigner.canvas import looks
from hvdesigner.canvas.badges import SceneBadges
from hvdesigner.canvas.block_layers import CardLayer, FrameLayer
from hvdesigner.canvas.boundaries import FirewallItem
from hvdesigner.canvas.gestures import SceneGestures
from hvdesigner.canvas.items import BlockItem, DesignItem, ServerItem, SiteItem
from hvdesigner.canvas.layers import BackdropLayer, LayerMember
from hvdesigner.canvas.legend import LegendItem
from hvdesigner.canvas.link_layer import LinkLayer
from hvdesigner.canvas.links import ReplicationItem
from hvdesigner.canvas.live_links import LiveLinks
from hvdesigner.canvas.pipes import WanItem
from hvdesigner.canvas.placing import ScenePlacing
from hvdesigner.canvas.theme import Theme
from hvdesigner.capacity.bandwidth import wan_load_mbps
from hvdesigner.editing.document import Document
from hvdesigner.editing.layout import (
    PARALLEL_SPACING,
    Layout,
    moved_in,
)
from hvdesigner.model.design import Change
from hvdesigner.model.entities import (
    VM,
    Cluster,
    Domain,
    Firewall,
    Host,
    Replication,
    Site,
    WanLink,
)
from hvdesigner.rules.dependencies import PlainReader

SCENE_RECT = QRectF(-20_000, -20_000, 60_000, 40_000)
#: Depth of Qt's BSP index of the items: 2^10 cells, about 1,900 x 1,250 scene units in
#: SCENE_RECT (a site or two). Qt deepens it with the item count (2^15 cells at 5,000
#: hosts), and a link is filed in every cell its bounds cross: a repaint fitted to a large
#: design then gathered, sorted and de-duplicated hundreds of thousands of entries (13 of a
#: drag frame's 20 ms). Larger cells cost a hit test a few more candidates.
BSP_DEPTH = 10


#: Fields of a site, WAN link or firewall that change where things are drawn: the sites a
#: WAN link joins, what a firewall's boundary encloses.
_FRAMING_FIELDS = frozenset({"sites", "protects"})


#: The most layer members whose selection changes at once that each repaint along where
#: they paint (``LayerMember.repaint_selection``); more repaint their rectangles.
SELECTION_BANDS_MOST = 32


class DesignScene(ScenePlacing, SceneGestures, SceneBadges, QGraphicsScene):
    parts_selection_changed = Signal()  # VM rows, node chips, legend domains
    rename_requested = Signal(str)  # an id whose name to edit in place (F2, double-click)
    status_message = Signal(str)

    def __init__(self, document: Document, theme: Theme) -> None:
        super().__init__()
        self.document = document
        self.theme = theme
        self.setSceneRect(SCENE_RECT)
        self.setBspTreeDepth(BSP_DEPTH)
        self.sites: dict[str, SiteItem] = {}
        self.servers: dict[str, ServerItem] = {}
        self.links: dict[str, ReplicationItem] = {}
        self.wans: dict[str, WanItem] = {}
        self.firewalls: dict[str, FirewallItem] = {}
        self.legend = LegendItem()
        self.addItem(self.legend)
        self.link_layer = LinkLayer()
        self.addItem(self.link_layer)
        self.backdrop = BackdropLayer()
        self.addItem(self.backdrop)
        self.card_layer = CardLayer()  # (both active once a view zooms far out)
        self.addItem(self.card_layer)
        self.frame_layer = FrameLayer()
        self.addItem(self.frame_layer)
        self.live_links = LiveLinks()
        self.addItem(self.live_links)
        self._reader: PlainReader | None = None
        self.selected_parts: set[str] = set()  # ids of VMs, nodes, domains
        self.forget_findings()
        self._drag_start: dict[str, QPointF] = {}
        self._link_line: QGraphicsLineItem | None = None
        self._link_source: str | None = None
        self._link_by_click = False
        self._legend_press: QPointF | None = None  # where the legend was when pressed on
        self._vm_drag: str | None = None
        self._domain_drag: str | None = None
        self._dragging = False
        self._selected_members: set[LayerMember] = set()
        self._selected_blocks: set[BlockItem] = set()
        self.selectionChanged.connect(self._selection_changed)
        self.rebuild()
        document.design_changed.connect(self.on_design_changed)
        document.design_changed.connect(self.rehome_findings)  # (after: it reads the items)
        document.findings_changed.connect(self.on_findings_changed)

    # ------------------------------------------------------------------ building
    @property
    def design(self) -> Any:
        return self.document.design

    def rebuild(self) -> None:
        self._reader = None
        for item in list(itertools.chain(self.sites.values(), self.servers.values(),
                                         self.links.values(), self.wans.values(),
                                         self.firewalls.values())):
            self.removeItem(item)
        self.link_layer.reset()
        self.backdrop.reset()
        for items in (self.sites, self.servers, self.links, self.wans, self.firewalls):
            items.clear()
        for site_id in self.design.sites:
            self._ensure_site(site_id)
        for server_id in list(self.design.hosts) + list(self.design.clusters):
            self._ensure_server(server_id)
        for rep_id in self.design.replications:
            self._ensure_link(rep_id)
        for wan_id in self.design.wan_links:
            self._ensure_wan(wan_id)
        for fw_id in self.design.firewalls:
            self._ensure_firewall(fw_id)
        self.apply_layout()  # (the layers, the card layer too, paint everything anew)
        self._refresh_legend()
        self.show_findings(self.document.checker.findings())
        # (its memo holds what the looks of every link and pipe read: let go of it here,
        # not at the first edit, which it kept waiting 10 ms at 5,000 hosts)
        self._reader = None

    def all_items(self) -> dict[str, DesignItem]:
        return {**self.sites, **self.servers, **self.links, **self.wans, **self.firewalls}

    def _is_top_level_server(self, server_id: str) -> bool:
        server = self.design.find(server_id)
        return isinstance(server, Cluster) or (isinstance(server, Host) and server.cluster is None)

    def _ensure(self, items: dict[str, Any], id: str, make: Any, look: Any) -> Any:
        """The item for an id with its look brought up to date; made if it is new."""
        item = items.get(id)
        if item is None:
            item = items[id] = make(id, look)
            self.addItem(item)
        else:
            item.set_look(look)
        return item

    def _ensure_site(self, site_id: str) -> None:
        # (a new frame comes with a new layout, which restacks the frame layer)
        self._ensure(self.sites, site_id, lambda i, look: SiteItem(i, look, QRectF(0, 0, 300, 200)),
                     looks.site_look(self.design, site_id))

    def _ensure_server(self, server_id: str) -> None:
        if not self._is_top_level_server(server_id):
            self._remove(self.servers, server_id)
            return
        item = self._ensure(self.servers, server_id, ServerItem,
                            looks.server_look(self.design, server_id))
        site = self.sites.get(self.design.get(server_id).site)
        if site is not None and item.parentItem() is not site:
            scene_pos = item.scenePos()
            item.setParentItem(site)
            item.setPos(site.mapFromScene(scene_pos))
        self.card_layer.changed(item)  # (a new card: taken in when zoomed out)

    def _ensure_link(self, rep_id: str) -> None:
        self._ensure(self.links, rep_id, ReplicationItem,
                     looks.link_look(self.design, rep_id, self._batch_reader()))

    def _batch_reader(self) -> PlainReader:
        """A reader whose memo lasts while the design holds still (one model event or one
        rebuild), so a batch of looks shares derived facts."""
        if self._reader is None:
            self._reader = PlainReader(self.design, self.document.checker.as_of, {})
        return self._reader

    def _ensure_wan(self, wan_id: str) -> None:
        wan: WanLink = self.design.wan_links[wan_id]
        look = looks.WanLook(wan.name, wan.bandwidth_mbps,
                             wan_load_mbps(self._batch_reader(), wan_id))
        self._ensure(self.wans, wan_id, WanItem, look)

    def _ensure_firewall(self, fw_id: str) -> None:
        fw: Firewall = self.design.firewalls[fw_id]
        look = looks.FirewallLook(fw.name, fw.allow_inbound_tcp, fw.protects)
        self._ensure(self.firewalls, fw_id, FirewallItem, look)

    def _remove(self, items: dict[str, Any], id: str) -> None:
        item = items.pop(id, None)
        if item is not None:
            if isinstance(item, ReplicationItem) and item.live:
                item.set_live(False)  # (removed mid-drag: no longer painted as live)
            if isinstance(item, ReplicationItem):  # (along its route, not its rectangle)
                self.link_layer.link_moved(item, item.boundingRect(), item.route)
            elif isinstance(item, LayerMember):
                item.repaint_layer(item.boundingRect())
            elif isinstance(item, BlockItem):
                getattr(self, item.layer_name).gone(item)
            for child in item.childItems():
                if isinstance(child, ServerItem):
                    child.setParentItem(None)
            self.removeItem(item)

    # ------------------------------------------------------------------ layout
    def content_rect(self, items: Iterable[Any] | None = None) -> QRectF:
        """What the design covers on the canvas: frames, cards outside frames, links, pipes,
        boundaries and the legend (not the helpers that span the scene); or what of it
        ``items`` (and the layers and the legend) cover."""
        rect = self.link_layer.boundingRect().united(self.backdrop.boundingRect())
        chosen = itertools.chain(self.sites.values(), self.servers.values()) if items is None \
            else items
        for item in itertools.chain(chosen, (self.legend,)):
            if item.isVisible() and item.parentItem() is None:
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def _index_links(self) -> None:
        """Which links touch each card, the links between each pair of cards in a stable
        order (parallel links bend apart by their rank), and which WAN pipes and firewall
        bounds follow each site or card; rebuilt when the topology changes, so that a drag
        frame re-routes only what it moved."""
        self._card_links: defaultdict[str, set[str]] = defaultdict(set)
        self._pair_links: defaultdict[frozenset[str], list[str]] = defaultdict(list)
        self._link_ends: dict[str, tuple[str, str]] = {}
        self._relink(set(self.links))
        self._framing: defaultdict[str, set[str]] = defaultdict(set)  # site/card -> wans, fws
        for wan_id in self.wans:
            for site in self.design.wan_links[wan_id].sites:
                self._framing[site].add(wan_id)
        for fw_id in self.firewalls:
            for protected in self.design.firewalls[fw_id].protects:
                self._framing[protected if protected in self.sites
                              else self._card_of(protected)].add(fw_id)

    def update_geometry(self, cards: set[str] | None = None, sites: set[str] | None = None,
                        pairs: set[frozenset[str]] | None = None) -> None:
        """Re-route links, WAN pipes and firewall bounds: all of them, or those of the given
        server cards and site frames (what a drag moved) and the links between the given
        pairs of cards (a link drawn or deleted there: parallel links bend apart by rank)."""
        routes: Iterable[frozenset[str]]
        if cards is None and pairs is None:
            routes = list(self._pair_links)
            framing: Iterable[str] = itertools.chain(self.wans, self.firewalls)
            self.card_layer.restack()
            self.frame_layer.restack()
        else:
            cards = cards or set()
            for card in cards:
                if card in self.servers:
                    self.card_layer.changed(self.servers[card])
            for site in sites or ():  # (a drag moves frames without set_rect: one that
                if site in self.sites:  # lost its selection mid-drag is layered again)
                    self.frame_layer.changed(self.sites[site])
            routes = (pairs or set()) | {frozenset(self._link_ends[r]) for c in cards
                                         for r in self._card_links.get(c, ())}
            framing = {f for moved in itertools.chain(cards, sites or ())
                       for f in self._framing.get(moved, ())}
        rects: dict[str, QRectF] = {}
        routed: list[str] = []
        for pair in routes:
            rep_ids = self._pair_links.get(pair, [])
            for index, rep_id in enumerate(rep_ids):
                source, target = self._link_ends[rep_id]
                if source not in self.servers or target not in self.servers:
                    continue
                offset = (index - (len(rep_ids) - 1) / 2) * PARALLEL_SPACING
                if source > target:
                    offset = -offset  # the same bend whichever way a link points
                for card in (source, target):
                    if card not in rects:
                        rects[card] = self._rect(card)
                self.links[rep_id].set_geometry(rects[source], rects[target], offset)
                routed.append(rep_id)
        for item_id in framing:
            if item_id in self.wans:
                a, b = self.design.wan_links[item_id].sites
                if a in self.sites and b in self.sites:
                    self.wans[item_id].set_geometry(self.sites[a].scene_frame(),
                                                    self.sites[b].scene_frame())
            elif item_id in self.firewalls:
                rect = QRectF()
                for protected in self.design.firewalls[item_id].protects:
                    if protected in self.sites:
                        rect = rect.united(self.sites[protected].scene_frame())
                    elif self._card_of(protected) in self.servers:
                        rect = rect.united(self._rect(self._card_of(protected)))
                self.firewalls[item_id].set_geometry(rect)
        self.link_layer.placer.place(routed)  # (last: labels keep clear of pipes, boundaries)

    def _card_of(self, server_id: str) -> str:
        """The card a server is drawn in: a node is drawn inside its cluster's card."""
        server = self.design.find(server_id)
        return server.cluster if isinstance(server, Host) and server.cluster else server_id

    def _rect(self, server_id: str) -> QRectF:
        item = self.servers[server_id]
        return item.mapRectToScene(item.card_rect())

    def _selection_changed(self) -> None:
        """Repaint the layer members whose selection changed (they draw the highlight): a
        few (a click) along where they paint, many (Select All, a click that clears it)
        where their rectangles are, which the layers then paint as one (working out bands
        along 7,500 links cost 2 s, their rectangles 0.1)."""
        chosen = self.selectedItems()
        selected = {i for i in chosen if isinstance(i, LayerMember)}
        changed = [m for m in selected ^ self._selected_members if m.scene() is self]
        for member in changed:
            if len(changed) <= SELECTION_BANDS_MOST:
                member.repaint_selection()
            else:
                member.repaint_layer(member.boundingRect())
        self._selected_members = selected
        blocks = {i for i in chosen if isinstance(i, BlockItem)}
        for block in blocks ^ self._selected_blocks:  # (a selected card or frame paints itself)
            if block.scene() is self:
                getattr(self, block.layer_name).changed(block)
        self._selected_blocks = blocks

    # ------------------------------------------------------------------ model events
    def on_design_changed(self, changes: list[Change]) -> None:
        """Bring only the concerned items up to date. The layout is re-applied in full when
        the shape of the picture changed (things added, removed, moved between sites or
        re-linked), for what moved when only positions changed (a drag, an align); otherwise
        only looks change, and links are re-routed around cards that may have changed size."""
        self._reader = None  # the design changed: derived facts must be worked out again
        design = self.design
        cards: set[str] = set()
        links: set[str] = set()
        wan_ids: set[str] = set()
        relayout = moved = everything = False
        placed: Layout | None = None  # what the layout's change moved (None: not known)
        relinked: set[str] = set()
        for change in changes:
            if change.id is None:
                if "layout" in change.fields:
                    moved, placed = True, moved_in(change.before, change.after)
                if "assumptions" in change.fields:
                    links |= set(design.replications)
                    wan_ids |= set(design.wan_links)
                continue
            before, after = change.before, change.after
            value = after if after is not None else before
            structural = before is None or after is None
            framing = self._framing_items(value)
            if framing is not None:  # a site, WAN link or firewall: added, changed or gone
                items, ensure = framing
                if after is None:
                    self._remove(items, change.id)
                else:
                    ensure(change.id)  # (a new look: its label placed anew, where it is)
                # Only a change of what it frames moves things: a WAN link's bandwidth or a
                # site's name changes a label (laying out 12,500 links again took 1.5 s at
                # 5,000 hosts, for every step of a what-if drag).
                relayout |= structural or bool(_FRAMING_FIELDS & change.fields)
            elif isinstance(value, (Host, Cluster)):
                cards.add(change.id)  # (a host joining a cluster loses its own card)
                for v in (before, after):
                    if v is not None:
                        cards.add(self._card_of(v.id) if v.id in design else v.id)
                        if isinstance(v, Host) and v.cluster:
                            cards.add(v.cluster)
                if after is None:
                    self._remove(self.servers, change.id)
                if not structural and "site" not in change.fields and "cluster" in \
                        change.fields and not self._guarded(change.id):
                    # a node out of its cluster or a host into one: its links change ends
                    # and the cards it leaves and joins are routed again; its new card
                    # comes with its place (laying the whole design out: 0.4 s at 5,000)
                    relinked |= design.replications_at(change.id)
                    links |= design.replications_at(change.id)
                elif structural or {"site", "cluster"} & change.fields:
                    relayout = True
                    links |= design.replications_at(change.id)
            elif isinstance(value, VM):
                for v in (before, after):
                    if v is not None:
                        if v.placement in design:
                            cards.add(self._card_of(v.placement))
                        links |= design.replications_listing(v.id)
            elif isinstance(value, Replication):
                if after is None:
                    self._remove(self.links, change.id)
                else:
                    links.add(change.id)
                for v in (before, after):
                    if v is not None:
                        for vm in v.vms:  # a VM's other links may become (or stop being) extended
                            links |= design.replications_listing(vm)
                if structural or {"source", "target"} & change.fields:
                    relinked.add(change.id)
            elif isinstance(value, Domain):
                everything = True
        if everything:
            cards |= set(self.servers)
            self._refresh_legend()
        for card in sorted(cards):
            if card in design:
                self._ensure_server(card)
        for rep_id in sorted(links):
            if rep_id in design.replications:
                self._ensure_link(rep_id)
                rep = design.replications[rep_id]
                wan = design.wan_link_between(design.get(rep.source).site, design.get(rep.target).site)
                if wan is not None:
                    wan_ids.add(wan)
        for wan_id in sorted(wan_ids):
            if wan_id in design.wan_links:
                self._ensure_wan(wan_id)
        kept = {p for p in self.selected_parts if p in design}
        if kept != self.selected_parts:
            self.set_selected_parts(kept)
        if relayout:
            self.apply_layout()
            return
        # (relinked first: re-routing what moved reads the link indexes)
        pairs = self._relink(relinked) if relinked else set()
        if moved:
            self.apply_layout(reshaped=False, moved=placed)
        if cards or pairs:
            self.update_geometry(cards & set(self.servers), pairs=pairs)

    def _guarded(self, server_id: str) -> bool:
        """Whether a firewall guards this server (its bounds follow the server's card)."""
        return any(i in self.design.firewalls for i in self.design.referrers(server_id))

    def _relink(self, rep_ids: set[str]) -> set[frozenset[str]]:
        """Index links that were added, removed or given other ends (instead of re-laying
        out a large design for one link); the pairs of cards whose links must be re-routed.

        (Only the links between those cards bend anew; the other links of the two cards
        keep their routes and labels. Re-routing them all, as before, re-placed every label
        of both cards and made Qt re-index each link: 1 ms a long link at 5,000 hosts. A
        new link's label is placed clear of the labels already there.)"""
        pairs: set[frozenset[str]] = set()
        for rep_id in rep_ids:
            old = self._link_ends.pop(rep_id, None)
            if old is not None:
                pairs.add(frozenset(old))
                for card in old:
                    self._card_links[card].discard(rep_id)
                siblings = self._pair_links.get(frozenset(old), [])
                if rep_id in siblings:
                    siblings.remove(rep_id)
            rep = self.design.replications.get(rep_id)
            if rep is not None and rep_id in self.links:
                ends = (self._card_of(rep.source), self._card_of(rep.target))
                self._link_ends[rep_id] = ends
                pairs.add(frozenset(ends))
                for card in ends:
                    self._card_links[card].add(rep_id)
                siblings = self._pair_links[frozenset(ends)]
                siblings.append(rep_id)
                siblings.sort()  # (the order parallel links bend apart in)
        return pairs

    def _framing_items(self, value: object) -> tuple[dict[str, Any], Any] | None:
        """For the entities that frame the picture, their item map and how to (re)make one."""
        if isinstance(value, Site):
            return self.sites, self._ensure_site
        if isinstance(value, WanLink):
            return self.wans, self._ensure_wan
        if isinstance(value, Firewall):
            return self.firewalls, self._ensure_firewall
        return None

    def _refresh_legend(self) -> None:
        entries = []
        order = looks.domain_order(self.design)
        for index, domain_id in enumerate(order):
            domain: Domain = self.design.domains[domain_id]
            trusts = [self.design.domains[d].name for d in domain.trusts]
            detail = domain.fqdn + (f"  ⇄ {', '.join(trusts)}" if trusts else "")
            entries.append((domain.name, index, detail))
        self.legend.set_entries(entries, order)
