"""Align and distribute the selected servers, and place pasted copies beside their originals;
each is one undoable layout change."""

from __future__ import annotations

from typing import Any

from hvdesigner.canvas.autolayout import layout_of
from hvdesigner.canvas.items import ServerItem
from hvdesigner.canvas.scene import DesignScene
from hvdesigner.editing.commands import Op

PASTE_OFFSET = 40


def align(scene: DesignScene, how: str) -> None:
    items = sorted((i for i in scene.selectedItems() if isinstance(i, ServerItem)),
                   key=lambda i: (i.scenePos().x(), i.scenePos().y()))
    if len(items) < 2 or (how in ("horizontal", "vertical") and len(items) < 3):
        scene.status_message.emit("Select at least two servers (three to distribute).")
        return
    layout = layout_of(scene.design)
    servers = dict(layout["servers"])
    if how == "left":
        x = min(i.scenePos().x() for i in items)
        for i in items:
            servers[i.entity_id] = [x, i.scenePos().y()]
    elif how == "top":
        y = min(i.scenePos().y() for i in items)
        for i in items:
            servers[i.entity_id] = [i.scenePos().x(), y]
    else:
        axis = 0 if how == "horizontal" else 1
        items.sort(key=lambda i: (i.scenePos().x(), i.scenePos().y())[axis])
        first = (items[0].scenePos().x(), items[0].scenePos().y())[axis]
        last = (items[-1].scenePos().x(), items[-1].scenePos().y())[axis]
        step = (last - first) / (len(items) - 1)
        for n, i in enumerate(items):
            pos = [i.scenePos().x(), i.scenePos().y()]
            pos[axis] = round(first + n * step)
            servers[i.entity_id] = pos
    scene.document.push(f"{'Align' if how in ('left', 'top') else 'Distribute'} {len(items)} servers",
                        [Op(scene.design.layout, {**layout, "servers": servers}, attribute="layout")])


def offset_copies(design: Any, mapping: dict[str, str]) -> dict[str, Any]:
    """The layout with pasted servers and sites placed beside the ones they copy."""
    layout = layout_of(design)
    servers, sites = dict(layout["servers"]), dict(layout["sites"])
    for old, new in mapping.items():
        if old in servers:
            x, y = servers[old]
            servers[new] = [x + PASTE_OFFSET, y + PASTE_OFFSET]
        if old in sites:
            x, y, w, h = sites[old]
            sites[new] = [x + PASTE_OFFSET, y + h + PASTE_OFFSET, w, h]
    return {**layout, "servers": servers, "sites": sites}
