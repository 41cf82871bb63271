"""A readable automatic layout for a design that has none: sites side by side, their servers
in rows inside. Positions are the canvas's ``layout`` (a plain JSON object in the design)."""

from __future__ import annotations

import math
from typing import Any

from hvdesigner.canvas.looks import card_size
from hvdesigner.model.design import Design

SITE_GAP = 300  # room for link labels between sites
PADDING = 30
TITLE = 40
SERVER_GAP_X, SERVER_GAP_Y = 60, 70


def server_size(design: Design, server_id: str) -> tuple[int, int]:
    if server_id in design.clusters:
        return card_size("cluster", len(design.nodes_of(server_id)))
    return card_size("host", 0)


def _site_order(design: Design) -> list[str]:
    """Datacenters, then branches, then clouds; within each, sites that send more
    replication first, so a picture reads from primary (left) to replica (right)."""
    kinds = {"datacenter": 0, "branch": 1, "cloud": 2}

    def sending(site_id: str) -> int:
        return sum(1 for s in design.servers_in_site(site_id) for r in design.replications_at(s)
                   if design.replications[r].source == s)

    return sorted(design.sites, key=lambda s: (kinds[design.sites[s].kind], -sending(s),
                                               design.sites[s].name.casefold(), s))


def _site_block(design: Design, site_id: str) -> tuple[float, float, dict[str, list[float]]]:
    """A site's frame size and its servers' offsets inside it: rows of up to three."""
    members = sorted(design.servers_in_site(site_id))
    top_level = [m for m in members if m not in design.hosts or design.hosts[m].cluster is None]
    columns = max(1, min(3, math.ceil(math.sqrt(len(top_level) or 1))))
    col_widths = [0] * columns
    rows: list[list[str]] = [top_level[i:i + columns] for i in range(0, len(top_level), columns)]
    for row in rows:
        for c, member in enumerate(row):
            col_widths[c] = max(col_widths[c], server_size(design, member)[0])
    offsets: dict[str, list[float]] = {}
    y = float(TITLE + PADDING)
    for row in rows:
        cx = float(PADDING)
        height = 0
        for c, member in enumerate(row):
            offsets[member] = [cx, y]
            cx += col_widths[c] + SERVER_GAP_X
            height = max(height, server_size(design, member)[1])
        y += height + SERVER_GAP_Y
    title = 70 + 8 * len(design.sites[site_id].name)  # room for the title bar's text
    width = max(sum(col_widths) + SERVER_GAP_X * (columns - 1) + 2 * PADDING, 260, title)
    return float(width), max(y - SERVER_GAP_Y + PADDING, 200.0), offsets


def auto_layout(design: Design) -> dict[str, Any]:
    """Sites side by side (in a grid of rows once there are more than four, so that no link
    has to cross the whole picture), servers in rows inside each."""
    order = _site_order(design)
    per_row = len(order) if len(order) <= 4 else math.ceil(math.sqrt(len(order)))
    sites: dict[str, list[float]] = {}
    servers: dict[str, list[float]] = {}
    y = 0.0
    for start in range(0, len(order), per_row):
        x, row_height = 0.0, 0.0
        for site_id in order[start:start + per_row]:
            width, height, offsets = _site_block(design, site_id)
            sites[site_id] = [x, y, width, height]
            servers.update({m: [x + dx, y + dy] for m, (dx, dy) in offsets.items()})
            x += width + SITE_GAP
            row_height = max(row_height, height)
        y += row_height + SITE_GAP
    return {"sites": sites, "servers": servers}


def layout_of(design: Design) -> dict[str, Any]:
    """The design's layout, completed with automatic positions for anything it lacks."""
    current = design.layout if isinstance(design.layout, dict) else {}
    given = {key: current.get(key) if isinstance(current.get(key), dict) else {}
             for key in ("sites", "servers")}
    top_level = set(design.clusters) | {h.id for h in design.hosts.values() if h.cluster is None}
    complete = all(s in given["sites"] for s in design.sites) and all(
        s in given["servers"] for s in top_level)
    auto = {"sites": {}, "servers": {}} if complete else auto_layout(design)
    merged: dict[str, Any] = {}
    for key, wanted in (("sites", design.sites), ("servers", top_level)):
        merged[key] = {**auto[key], **{k: v for k, v in given[key].items() if k in wanted}}
    for key, value in current.items():
        merged.setdefault(key, value)
    return merged
