"""Creating things from the palette: which intent a drop at a point of the canvas stands for.

What the drop adds, and where, is decided by :mod:`hvdesigner.editing.edits`; this module only
says what is under the drop. Dropping onto something tags it: a firewall dropped on a site or
server protects it, a domain dropped on a server puts the server (and a cluster's nodes) in
that domain. What was added is selected.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF

from hvdesigner.canvas.items import ServerItem, SiteItem
from hvdesigner.canvas.scene import DesignScene
from hvdesigner.editing import edits


def _under(scene: DesignScene, pos: QPointF) -> tuple[str | None, str | None]:
    """The site frame and the server card under a point, by id."""
    site = server = None
    for item in scene.items(pos):
        if isinstance(item, ServerItem) and server is None:
            server = item.entity_id
        if isinstance(item, SiteItem) and site is None:
            site = item.entity_id
    return site, server


def create_from_palette(scene: DesignScene, kind: str, pos: QPointF) -> None:
    """Add what the palette entry ``kind`` makes at ``pos`` (a refusal says why)."""
    document = scene.document
    site, server = _under(scene, pos)
    at = (pos.x(), pos.y())
    if kind == "site":
        edit = document.do(edits.add_site, at)
    elif kind in ("host", "cluster"):
        edit = document.do(edits.add_server, kind, at, site)
    elif kind == "firewall":
        edit = document.do(edits.add_firewall, server or site)
    elif kind == "domain":
        edit = document.do(edits.add_domain, server)
    elif kind == "wan":
        edit = document.do(edits.add_wan_link, site)
    else:
        scene.status_message.emit("Shift-drag from one host or cluster to another to draw a replication.")
        return
    scene.select_after(edit)
