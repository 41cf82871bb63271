"""Right-click menus on the canvas: the actions that apply to what is under the mouse.

A card, a VM row, a node chip, a link, a WAN link, a firewall, a site frame, a legend domain or
the empty canvas each get their own menu (rename, delete, add a VM, draw a replication from
here, put in a domain or behind a firewall, paste here...). Every action is an intent of
:mod:`hvdesigner.editing.edits` or a command the window already has (copy, paste, delete).
What was right-clicked is selected first, as in draw.io and Visio.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from hvdesigner.canvas.boundaries import FirewallItem
from hvdesigner.canvas.items import ServerItem, SiteItem
from hvdesigner.canvas.links import ReplicationItem
from hvdesigner.canvas.pipes import WanItem
from hvdesigner.editing import edits
from hvdesigner.model.entities import Cluster

if TYPE_CHECKING:
    from hvdesigner.ui.main_window import MainWindow


def thing_at(window: MainWindow, pos: QPointF) -> tuple[str, str | None]:
    """What a right-click at a scene point is about: (kind, id)."""
    scene = window.scene
    assert scene is not None
    domain = scene.legend_domain_at(pos)
    if domain is not None:
        return "domain", domain
    for item in scene.items(pos):
        if isinstance(item, ServerItem):
            local = item.mapFromScene(pos)
            vm = item.vm_at(local)
            if vm is not None:
                return "vm", vm
            node = item.node_at(local)
            if node is not None:
                return "node", node
            return "server", item.entity_id
        if isinstance(item, ReplicationItem):
            return "link", item.entity_id
        if isinstance(item, WanItem):
            return "wan", item.entity_id
        if isinstance(item, FirewallItem):
            return "firewall", item.entity_id
        if isinstance(item, SiteItem):
            return "site", item.entity_id
    return "canvas", None


def build_menu(window: MainWindow, pos: QPointF) -> QMenu:
    """The menu for a right-click at a scene point; selects what was clicked."""
    scene, document = window.scene, window.document
    assert scene is not None and document is not None
    design = document.design
    kind, id = thing_at(window, pos)
    at = (pos.x(), pos.y())
    if id is not None and id not in window.selected_ids():
        scene.select_ids([id])
    menu = QMenu(window)
    menu.setObjectName("canvas-menu")

    def add(text: str, slot: Callable[[], Any], shortcut: str | QKeySequence.StandardKey | None = None,
            to: QMenu = menu) -> QAction:
        action = to.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def do(intent: Any, *args: Any) -> Callable[[], None]:
        return lambda: scene.select_after(document.do(intent, *args))

    if id is not None:
        add("Rename", lambda: scene.rename_requested.emit(id), "F2")
    if kind == "server" and id is not None:
        add("Add VM", do(edits.add_vm, id))
        if isinstance(design.get(id), Cluster):
            add("Add node", do(edits.add_node, id))
        add("Draw replication from here…", lambda: scene.start_link_from(id))
        card = scene.servers[id]
        add("Hide VMs" if card.expanded else "Show VMs", lambda: card.set_expanded(not card.expanded))
        domains = menu.addMenu("Put in domain")
        for domain_id, domain in sorted(design.domains.items(), key=lambda d: d[1].name.casefold()):
            add(domain.name, do(edits.tag_domain, id, domain_id), to=domains)
        add("Workgroup", do(edits.tag_domain, id, None), to=domains)
        add("New domain", do(edits.add_domain, id), to=domains)
    if kind in ("server", "site") and id is not None:
        firewalls = menu.addMenu("Put behind firewall")
        for fw_id, fw in sorted(design.firewalls.items(), key=lambda f: f[1].name.casefold()):
            action = add(fw.name, do(edits.tag_firewall, id, fw_id), to=firewalls)
            action.setEnabled(id not in fw.protects)
        add("New firewall", do(edits.add_firewall, id), to=firewalls)
    if kind == "site" and id is not None:
        add("Add host here", do(edits.add_server, "host", at, id))
        add("Add cluster here", do(edits.add_server, "cluster", at, id))
        others = [(s.name, s_id) for s_id, s in design.sites.items()
                  if s_id != id and design.wan_link_between(id, s_id) is None]
        if others:
            wan = menu.addMenu("Join by WAN link to")
            for name, other in sorted(others, key=lambda o: o[0].casefold()):
                add(name, do(edits.add_wan_link, id, other), to=wan)
    if kind == "canvas":
        add("Add site here", do(edits.add_site, at))
    menu.addSeparator()
    if kind in ("server", "vm", "site"):
        add("Copy", window.copy, QKeySequence.StandardKey.Copy)
        add("Cut", window.cut, QKeySequence.StandardKey.Cut)
    if kind in ("site", "canvas"):
        add("Paste here", lambda: window.paste(at), QKeySequence.StandardKey.Paste)
    if id is not None:
        noun = {"node": "Remove node", "domain": "Delete domain"}.get(kind, "Delete")
        add(noun, window.delete_selection if kind != "domain" else do(edits.delete, [id]),
            QKeySequence.StandardKey.Delete)
    else:
        add("Select All", window.select_all, QKeySequence.StandardKey.SelectAll)
        add("Fit to Content", lambda: window.view.fit_content(), "Ctrl+0")
    return menu
