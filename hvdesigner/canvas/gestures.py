"""Gestures on the canvas, turned into edits of the Document (a part of the scene).

A whole drag is one "Move" step on release, and dropping a server in another site frame
moves it there; Shift-drag from one server to another draws a replication; dragging a VM row
onto another server moves the VM; dragging a domain from the legend onto a server tags it.
The scene moves the selection itself while a drag runs (snapped to the grid, Alt for free
placement), and the links it moves are "live": painted over the link layer's picture of all
the others, which holds still (see ``LiveLinks`` and ``LinkLayer``), from once the press
that may begin it is painted until once its drop is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsSceneMouseEvent

from hvdesigner.canvas.items import DesignItem, ServerItem, SiteItem
from hvdesigner.canvas.theme import GRID, TITLE_H
from hvdesigner.editing import edits
from hvdesigner.editing.edits import Edit

if TYPE_CHECKING:
    from hvdesigner.canvas.scene import DesignScene

    _Base = DesignScene
else:
    _Base = object


NUDGE_LARGE = 5 * GRID
#: A press on the selection takes the links a drag of it would move live before the drag
#: begins, when they are at most this many (``_prepare_drag``); more go live at the first
#: move, as the selection of a whole design does (a click on one card of it taking
#: thousands live, and giving them back, would cost seconds for nothing).
PREPARE_MOST = 100


def snapped(value: QPointF) -> QPointF:
    """The nearest point on the grid."""
    return QPointF(round(value.x() / GRID) * GRID, round(value.y() / GRID) * GRID)


class SceneGestures(_Base):
    """Mouse handling of the DesignScene (mixed into it)."""

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._dragging:  # the last drag's release never came (another window took it)
            self._end_drag()
        # (a drop's links, if still live: see LiveLinks.dropped; a press's, whose release
        # never came: see focusOutEvent)
        self.live_links.hand_back()
        if self._link_line is not None and self._link_by_click:  # "Draw replication from here"
            if event.button() == Qt.MouseButton.LeftButton:
                self._finish_link(event.scenePos())
            else:
                self.cancel_gesture()
            event.accept()
            return
        self._legend_press = (self.legend.pos() if self.legend.isVisible()
                              and self.legend.sceneBoundingRect().contains(event.scenePos()) else None)
        domain = self.legend_domain_at(event.scenePos())
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
            part = item.vm_at(local) or item.node_at(local)
            if part is not None:
                ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
                if not ctrl:
                    self.clearSelection()
                self.set_selected_parts((self.selected_parts if ctrl else set()) ^ {part})
                self._vm_drag = part if part in self.design.vms else None
                event.accept()
                return
        if self.selected_parts and not (event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.set_selected_parts(set())
        super().mousePressEvent(event)
        # a drag moves the selected cards and frames when it starts on one of them (not on
        # a link, not a Ctrl+rubber band that keeps the selection)
        grabbed = self.mouseGrabberItem()
        self._drag_start = (
            {it.entity_id: it.scenePos() for it in self.selectedItems()
             if isinstance(it, (ServerItem, SiteItem))}
            if isinstance(grabbed, (ServerItem, SiteItem)) and grabbed.isSelected() else {})
        if self._drag_start and event.button() == Qt.MouseButton.LeftButton:
            self._prepare_drag()

    def _prepare_drag(self) -> None:
        """The press may begin a drag: take the links it would move live once the press is
        painted, before the first move, which would otherwise wait while the link layer
        paints again along them with every link crossing there (fitted to 5,000 hosts the
        first frame of a drag took 27-29 ms). A press let go before then takes none; one
        let go after gives them back as a drop does (``mouseReleaseEvent``)."""
        moving = self.moving_links()
        if 0 < len(moving) <= PREPARE_MOST:
            self.live_links.after_paint(lambda: self._set_live(moving & self.links.keys(), True))

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """A press that took its links live may never get its release (a menu opened while
        it is held, another window): let go of them as an unmoved release does; else the
        labels placed in slices would wait for the next click on the canvas."""
        super().focusOutEvent(event)
        if self._drag_start and not self._dragging:
            self._let_go()

    def _let_go(self) -> None:
        """A press on the selection ends without a drag: the links it took live go back once
        that is painted; if it took none yet, it will not."""
        if self.live_links.links:
            self.live_links.dropped()
        else:
            self.live_links.cancel()

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
                self.live_links.cancel()  # (the press's, if it has not taken them yet)
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
        if self._link_line is not None and self._link_by_click:
            return
        if self._link_line is not None:
            self._finish_link(event.scenePos())
            return
        if self._domain_drag is not None:
            domain, self._domain_drag = self._domain_drag, None
            target = self._server_at(event.scenePos())
            if target is not None:
                self.document.do(edits.tag_domain, target.entity_id, domain)
            else:  # a click on a legend row: inspect the domain
                self.clearSelection()
                self.set_selected_parts({domain})
            return
        if self._vm_drag is not None:
            vm, self._vm_drag = self._vm_drag, None
            target = self._server_at(event.scenePos())
            if target is not None and target.entity_id != self._card_of(self.design.vms[vm].placement):
                self.document.do(edits.move_vm, vm, target.entity_id)
            return
        super().mouseReleaseEvent(event)
        if self._dragging:
            self._end_drag()
        else:
            self._let_go()
        self.commit_moves()
        if self._legend_press is not None and self.legend.pos() != self._legend_press:
            at = self.legend.pos()
            if self.document.do(edits.move_legend, (at.x(), at.y())) is None:
                self.legend.setPos(self._legend_press)
        self._legend_press = None

    def _end_drag(self) -> None:
        self._dragging = False
        self.live_links.dropped()  # (given back once the drop is painted)
        self.document.hold_autosave(False)

    def legend_domain_at(self, pos: QPointF) -> str | None:
        if not self.legend.isVisible() or not self.legend.sceneBoundingRect().contains(pos):
            return None
        return self.legend.domain_at(self.legend.mapFromScene(pos))

    def _server_at(self, pos: QPointF) -> ServerItem | None:
        for item in self.items(pos):
            if isinstance(item, ServerItem):
                return item
        return None

    def _start_link(self, item: ServerItem, pos: QPointF, by_click: bool = False) -> None:
        self._link_by_click = by_click
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
        self.status_message.emit("")  # (the hint of a link drawn from the menu is done)
        target = self._server_at(pos)
        self.select_after(self.document.do(edits.draw_replication, source,
                                           target.entity_id if target is not None else None))

    def start_link_from(self, server_id: str) -> None:
        """Draw a replication from a server: the line follows the mouse, a click on another
        server ends it, Esc or a click elsewhere gives up (the context menu's way in)."""
        item = self.servers.get(self._card_of(server_id))
        if item is not None:
            self._start_link(item, item.sceneBoundingRect().center(), by_click=True)
            self.status_message.emit("Click the server to replicate to (Esc to cancel).")

    def cancel_gesture(self) -> bool:
        """Esc: give up a link being drawn or a drag under way (the cards go back); True
        when there was one."""
        if self._link_line is not None:
            self.removeItem(self._link_line)
            self._link_line = None
            self._link_source = None
            self.status_message.emit("")
            return True
        if self._dragging:
            for item_id, start in self._drag_start.items():
                item = self._item(item_id)
                if item is not None:
                    parent = item.parentItem()
                    item.setPos(parent.mapFromScene(start) if parent is not None else start)
            self._drag_start = {}
            self._end_drag()
            self.apply_layout(reshaped=False)
            self.update_geometry()
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc cancels a gesture or clears the selection; arrows nudge the selection (Shift:
        a larger step); F2 renames what is selected."""
        key = event.key()
        if key == Qt.Key.Key_Escape:
            if not self.cancel_gesture():
                self.clearSelection()
                self.set_selected_parts(set())
            event.accept()
            return
        step = NUDGE_LARGE if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else GRID
        moves = {Qt.Key.Key_Left: (-step, 0), Qt.Key.Key_Right: (step, 0),
                 Qt.Key.Key_Up: (0, -step), Qt.Key.Key_Down: (0, step)}
        if key in moves and not self._dragging:
            ids = [i.entity_id for i in self.selectedItems() if isinstance(i, (ServerItem, SiteItem))]
            if ids:
                # a held key is one undo step; presses apart are steps of their own
                merge = ("nudge", tuple(sorted(ids))) if event.isAutoRepeat() else None
                self.document.do(edits.nudge, ids, *moves[key], merge_key=merge)
                event.accept()
                return
        if key == Qt.Key.Key_F2:
            ids = [i.entity_id for i in self.selectedItems() if isinstance(i, DesignItem)]
            ids += sorted(self.selected_parts)
            if len(ids) == 1:
                self.rename_requested.emit(ids[0])
                event.accept()
                return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """A double-click on a name renames it in place."""
        pos = event.scenePos()
        domain = self.legend_domain_at(pos)
        server = self._server_at(pos)
        target: str | None = domain
        if target is None and server is not None:
            local = server.mapFromScene(pos)
            target = server.vm_at(local) or server.node_at(local) or server.entity_id
        if target is None:
            for item in self.items(pos):
                if isinstance(item, DesignItem):
                    target = item.entity_id
                    break
        if target is not None and event.button() == Qt.MouseButton.LeftButton:
            self.rename_requested.emit(target)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def name_rect(self, id: str) -> QRectF | None:
        """Where a thing's name is drawn on the canvas (an editor goes there to rename it)."""
        if id in self.sites:
            site = self.sites[id]
            return site.mapRectToScene(QRectF(30, 2, max(160.0, site.size.width() - 40), TITLE_H - 4))
        if id in self.servers:
            card = self.servers[id]
            return card.mapRectToScene(QRectF(8, 3, card.card_rect().width() - 16, 22))
        card_id = self.card_of_part(id)
        if card_id is not None and card_id in self.servers:
            card = self.servers[card_id]
            if id in self.design.vms:
                card.set_expanded(True)
                index = next(i for i, vm in enumerate(card.look.vms) if vm.id == id)
                return card.mapRectToScene(card.vm_row_rect(index))
            index = next(i for i, node in enumerate(card.look.nodes) if node.id == id)
            return card.mapRectToScene(card.node_chip_rect(index))
        if id in self.design.domains and id in self.legend.domain_ids:
            row = self.legend.domain_ids.index(id)
            return self.legend.mapRectToScene(QRectF(26, 24 + 20 * row, max(160.0, self.legend.width - 30), 22))
        item = self._item(id)
        if item is None:
            return None
        center = item.sceneBoundingRect().center()
        if id in self.links:
            center = self.links[id].label_area.center()
        elif id in self.wans:
            center = self.wans[id].label_box.center()
        elif id in self.firewalls:
            top = self.firewalls[id].rect
            center = QPointF(top.left() + 190, top.top() + 11)
        return QRectF(center.x() - 110, center.y() - 11, 220, 22)

    def select_after(self, edit: Edit | None) -> None:
        """Select what an edit added (a dropped card, a drawn link, a pasted copy)."""
        if edit is None or not edit.select:
            return
        self.select_ids(edit.select)

    def select_ids(self, ids: Iterable[str]) -> None:
        """Select these things alone: items by id, VM rows and node chips in their cards."""
        self.clearSelection()
        parts: set[str] = set()
        for id in ids:
            if (item := self._item(id)) is not None:
                item.setSelected(True)
            elif id in self.design.vms or self.is_node(id) or id in self.design.domains:
                card = self.servers.get(self.card_of_part(id) or "")
                if card is not None:
                    card.set_expanded(card.expanded or id in self.design.vms)
                parts.add(id)
        self.set_selected_parts(parts)

    def set_selected_parts(self, parts: set[str]) -> None:
        """Select VM rows, node chips (drawn inside cards) and legend domains."""
        if parts == self.selected_parts:
            return
        for part in parts ^ self.selected_parts:
            card = self.servers.get(self.card_of_part(part) or "")
            if card is not None:
                card.update()
        self.selected_parts = parts
        self.parts_selection_changed.emit()

    def card_of_part(self, part: str) -> str | None:
        """The card a VM row or node chip is drawn in (None for a domain)."""
        if part in self.design.vms:
            return self._card_of(self.design.vms[part].placement)
        if self.is_node(part):
            return str(self.design.hosts[part].cluster)
        return None

    def is_node(self, id: str) -> bool:
        return id in self.design.hosts and self.design.hosts[id].cluster is not None

    def commit_moves(self) -> None:
        """One undo step for a whole drag: positions, and the site a server was dropped in
        (the edit decides that; the scene only says where the cards and frames are)."""
        items = {i: item for i in self._drag_start
                 if (item := self.sites.get(i) or self.servers.get(i)) is not None}
        moved = {i: item.scenePos() for i, item in items.items()
                 if item.scenePos() != self._drag_start[i]}
        self._drag_start = {}
        if not moved:
            return
        servers = {i: (p.x(), p.y()) for i, p in moved.items() if i in self.servers}
        sites = {i: (p.x(), p.y()) for i, p in moved.items() if i in self.sites}
        if self.document.do(edits.move, servers, sites) is None:
            self.apply_layout(reshaped=False)  # refused or no change: the cards go back
