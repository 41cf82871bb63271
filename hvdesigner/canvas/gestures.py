"""Gestures on the canvas, turned into edits of the Document (a part of the scene).

A whole drag is one "Move" step on release, and dropping a server in another site frame
moves it there; Shift-drag from one server to another draws a replication; dragging a VM row
onto another server moves the VM; dragging a domain from the legend onto a server tags it.
The scene moves the selection itself while a drag runs (snapped to the grid, Alt for free
placement), and the links it moves are "live": painted over the link layer's picture of all
the others, which holds still (see ``LiveLinks`` and ``LinkLayer``).
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsSceneMouseEvent

from hvdesigner.canvas.autolayout import layout_of
from hvdesigner.canvas.items import ServerItem, SiteItem
from hvdesigner.canvas.theme import GRID
from hvdesigner.editing.commands import Op
from hvdesigner.model.derived import replica_settings
from hvdesigner.model.entities import Replication

if TYPE_CHECKING:
    from hvdesigner.canvas.scene import DesignScene

    _Base = DesignScene
else:
    _Base = object


def snapped(value: QPointF) -> QPointF:
    """The nearest point on the grid."""
    return QPointF(round(value.x() / GRID) * GRID, round(value.y() / GRID) * GRID)


class SceneGestures(_Base):
    """Mouse handling of the DesignScene (mixed into it)."""

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        domain = self._legend_domain_at(event.scenePos())
        if domain is not None and event.button() == Qt.MouseButton.LeftButton:
            self._domain_drag = domain
            event.accept()
            return
        item = self._server_at(event.scenePos())
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            local = item.mapFromScene(event.scenePos())
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self._start_link(item, event.scenePos())
                event.accept()
                return
            if item.toggle_rect().contains(local):
                item.set_expanded(not item.expanded)
                event.accept()
                return
            vm = item.vm_at(local)
            if vm is not None:
                if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                    self.clearSelection()
                    self.selected_vms = set()
                self.selected_vms ^= {vm}
                self._vm_drag = vm
                item.update()
                self.vm_selection_changed.emit()
                event.accept()
                return
        if self.selected_vms and not (event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.selected_vms = set()
            self.vm_selection_changed.emit()
            for server in self.servers.values():
                server.update()
        if self._dragging:  # the last drag's release never came (another window took it)
            self._end_drag()
        super().mousePressEvent(event)
        # a drag moves the selected cards and frames when it starts on one of them (not on
        # a link, not a Ctrl+rubber band that keeps the selection)
        grabbed = self.mouseGrabberItem()
        self._drag_start = (
            {i: it.scenePos() for i, it in self.all_items().items()
             if it.isSelected() and isinstance(it, (ServerItem, SiteItem))}
            if isinstance(grabbed, (ServerItem, SiteItem)) and grabbed.isSelected() else {})

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._link_line is not None:
            line = self._link_line.line()
            self._link_line.setLine(QLineF(line.p1(), event.scenePos()))
            return
        if self._vm_drag is not None or self._domain_drag is not None:
            return
        if self._drag_start and event.buttons() & Qt.MouseButton.LeftButton:
            if not self._dragging:
                self._dragging = True
                self._set_live(self.moving_links(), True)
                self.document.hold_autosave(True)
            self._drag_selection(event)
            return
        super().mouseMoveEvent(event)

    def _drag_selection(self, event: QGraphicsSceneMouseEvent) -> None:
        """Move the selected cards and frames with the mouse, snapped to the grid (Alt: free),
        and re-route what they carry. (Done here rather than by Qt's movable items, whose
        position hooks cost a Python call for every change of every card.)"""
        delta = event.scenePos() - event.buttonDownScenePos(Qt.MouseButton.LeftButton)
        free = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        cards: set[str] = set()
        sites: set[str] = set()
        for item_id, start in self._drag_start.items():
            item: ServerItem | SiteItem | None = self.sites.get(item_id) or self.servers.get(item_id)
            if item is None:
                continue  # removed mid-drag (an undo, a delete)
            parent = item.parentItem()
            if isinstance(parent, SiteItem) and parent.entity_id in self._drag_start:
                continue  # it moves with its frame
            target = start + delta
            local = parent.mapFromScene(target) if parent is not None else target
            item.setPos(local if free else snapped(local))
            if isinstance(item, SiteItem):
                sites.add(item_id)
                cards.update(c.entity_id for c in item.childItems() if isinstance(c, ServerItem))
            else:
                cards.add(item_id)
        self.update_geometry(cards, sites)

    def moving_links(self) -> set[str]:
        """The links a drag of the selection re-routes: those of the selected cards and of
        the cards in the selected frames."""
        cards: set[str] = set()
        for item_id in self._drag_start:
            if item_id in self.sites:
                cards.update(c.entity_id for c in self.sites[item_id].childItems()
                             if isinstance(c, ServerItem))
            else:
                cards.add(item_id)
        return {r for card in cards for r in self._card_links.get(card, ()) if r in self.links}

    def _set_live(self, rep_ids: set[str], live: bool) -> None:
        for rep_id in rep_ids:
            self.links[rep_id].set_live(live)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._link_line is not None:
            self._finish_link(event.scenePos())
            return
        if self._domain_drag is not None:
            domain, self._domain_drag = self._domain_drag, None
            target = self._server_at(event.scenePos())
            if target is not None:
                self.tag_domain(target.entity_id, domain)
            return
        if self._vm_drag is not None:
            vm, self._vm_drag = self._vm_drag, None
            target = self._server_at(event.scenePos())
            if target is not None and target.entity_id != self._card_of(self.design.vms[vm].placement):
                self.document.edit(vm, text=f"Move VM {self.design.vms[vm].name} to "
                                   f"{self.design.get(target.entity_id).name}",
                                   placement=target.entity_id)
            return
        super().mouseReleaseEvent(event)
        if self._dragging:
            self._end_drag()
        self.commit_moves()

    def _end_drag(self) -> None:
        self._dragging = False
        self._set_live(set(self.links), False)
        self.live_links.clear()  # (links removed mid-drag included)
        self.document.hold_autosave(False)

    def _legend_domain_at(self, pos: QPointF) -> str | None:
        if not self.legend.isVisible() or not self.legend.sceneBoundingRect().contains(pos):
            return None
        return self.legend.domain_at(self.legend.mapFromScene(pos))

    def tag_domain(self, server_id: str, domain_id: str | None) -> None:
        """Put a server (and a cluster's nodes) in a domain, as one step."""
        ids = [server_id, *sorted(self.design.nodes_of(server_id))]
        ops = [Op(self.design.get(i), replace(self.design.get(i), domain=domain_id), i)
               for i in ids if self.design.get(i).domain != domain_id]
        name = self.design.domains[domain_id].name if domain_id else "a workgroup"
        self.document.push(f"Put {self.design.get(server_id).name} in {name}", ops)

    def _server_at(self, pos: QPointF) -> ServerItem | None:
        for item in self.items(pos):
            if isinstance(item, ServerItem):
                return item
        return None

    def _start_link(self, item: ServerItem, pos: QPointF) -> None:
        self._link_source = item.entity_id
        self._link_line = QGraphicsLineItem(QLineF(pos, pos))
        pen = QPen(self.theme.highlight, 2, Qt.PenStyle.DashLine)
        self._link_line.setPen(pen)
        self._link_line.setZValue(100)
        self.addItem(self._link_line)

    def _finish_link(self, pos: QPointF) -> None:
        assert self._link_line is not None and self._link_source is not None
        self.removeItem(self._link_line)
        self._link_line = None
        source, self._link_source = self._link_source, None
        target = self._server_at(pos)
        if target is None or target.entity_id == source:
            self.status_message.emit("Drop the link on another host or cluster.")
            return
        # Start from what the target listens for: a certificate-only replica gets HTTPS.
        settings = replica_settings(self.design, target.entity_id)
        auth = "certificate" if settings is not None and "kerberos" not in settings.auth else "kerberos"
        self.document.add(Replication(self.new_id("rep"), source, target.entity_id, auth=auth),
                          text=f"Draw replication {self.design.get(source).name} → "
                               f"{self.design.get(target.entity_id).name}")

    def new_id(self, prefix: str) -> str:
        for n in itertools.count(1):
            candidate = f"{prefix}{n}"
            if candidate not in self.design:
                return candidate
        raise AssertionError("unreachable")

    def commit_moves(self) -> None:
        """One undo step for a whole drag: positions, and the site a server was dropped in."""
        moved = {i: self.all_items()[i].scenePos() for i in self._drag_start
                 if i in self.all_items() and self.all_items()[i].scenePos() != self._drag_start[i]}
        self._drag_start = {}
        if not moved:
            return
        layout = layout_of(self.design)
        layout = {**layout, "sites": dict(layout["sites"]), "servers": dict(layout["servers"])}
        ops_entities: list[Any] = []
        for item_id, pos in moved.items():
            if item_id in self.sites:
                _, _, w, h = layout["sites"][item_id]
                layout["sites"][item_id] = [pos.x(), pos.y(), w, h]
                for child in self.sites[item_id].childItems():
                    if isinstance(child, ServerItem):
                        p = child.scenePos()
                        layout["servers"][child.entity_id] = [p.x(), p.y()]
            else:
                layout["servers"][item_id] = [pos.x(), pos.y()]
                ops_entities += self._site_reassignment(item_id)
        ops = [Op(self.design.layout, layout, attribute="layout")] + ops_entities
        count = len(moved)
        self.document.push(f"Move {count} item{'s' if count != 1 else ''}", ops)

    def _site_reassignment(self, server_id: str) -> list[Any]:
        """Dropping a server inside another site's frame moves it (and its nodes) there."""
        item = self.servers[server_id]
        center = item.mapToScene(item.card_rect().center())
        current = self.design.get(server_id).site
        for site_id, site in self.sites.items():
            if site_id != current and site.sceneBoundingRect().contains(center):
                ops = [Op(self.design.get(server_id), replace(self.design.get(server_id), site=site_id), server_id)]
                for node in sorted(self.design.nodes_of(server_id)):
                    ops.append(Op(self.design.get(node), replace(self.design.get(node), site=site_id), node))
                return ops
        return []
