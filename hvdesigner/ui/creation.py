"""Creating things from the palette: what a drop at a point of the canvas adds to the design.

Each drop is one undoable step that adds the entity and its position. Dropping onto something
tags it: a firewall dropped on a site or server protects it, a domain dropped on a server puts
the server (and a cluster's nodes) in that domain.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF

from hvdesigner.canvas.autolayout import layout_of
from hvdesigner.canvas.items import ServerItem, SiteItem
from hvdesigner.canvas.scene import DesignScene
from hvdesigner.model.entities import Cluster, Domain, Firewall, Host, Site, WanLink


def _under(scene: DesignScene, pos: QPointF) -> tuple[SiteItem | None, ServerItem | None]:
    site = server = None
    for item in scene.items(pos):
        if isinstance(item, ServerItem) and server is None:
            server = item
        if isinstance(item, SiteItem) and site is None:
            site = item
    return site, server


def _layout_with(scene: DesignScene, key: str, id: str, value: list[float]) -> dict[str, Any]:
    layout = layout_of(scene.design)
    layout[key] = {**layout[key], id: value}
    return layout


def create_from_palette(scene: DesignScene, kind: str, pos: QPointF) -> str | None:
    """Add what the palette entry ``kind`` makes at ``pos``; a message when it can't."""
    design, document = scene.design, scene.document
    site, server = _under(scene, pos)
    if kind == "site":
        site_id = scene.new_id("site")
        document.add(Site(site_id, f"Site {site_id[4:]}"),
                     layout=_layout_with(scene, "sites", site_id, [pos.x(), pos.y(), 420, 280]))
        return None
    if kind in ("host", "cluster"):
        if site is None:
            return f"Drop a {kind} inside a site frame."
        site_entity: Site = design.sites[site.entity_id]
        domain = _common_domain(design, site.entity_id)
        suffix = design.domains[domain].fqdn if domain else "example.local"
        at = [round(pos.x() - 80), round(pos.y() - 30)]
        if kind == "host":
            host_id = scene.new_id("hv")
            name = host_id.upper()
            document.add(Host(host_id, name, f"{host_id}.{suffix}", site_entity.id, domain=domain),
                         layout=_layout_with(scene, "servers", host_id, at))
            return None
        cluster_id = scene.new_id("cl")
        cluster = Cluster(cluster_id, cluster_id.upper(), f"{cluster_id}.{suffix}", site_entity.id,
                          domain=domain)
        nodes = [Host(f"{cluster_id}-n{i}", f"{cluster_id.upper()}-N{i}",
                      f"{cluster_id}-n{i}.{suffix}", site_entity.id, domain=domain, cluster=cluster_id)
                 for i in (1, 2)]
        document.add(cluster, *nodes, text=f"Add cluster {cluster.name}",
                     layout=_layout_with(scene, "servers", cluster_id, at))
        return None
    if kind == "firewall":
        target = server or site
        if target is None:
            return "Drop a firewall on a site or a server to protect it."
        fw_id = scene.new_id("fw")
        document.add(Firewall(fw_id, f"FW{fw_id[2:]}", protects=(target.entity_id,)))
        return None
    if kind == "domain":
        domain_id = scene.new_id("domain")
        domain = Domain(domain_id, f"DOMAIN{domain_id[6:]}", f"{domain_id}.example.local")
        with document.undo_stack_macro(f"Add domain {domain.name}"):
            document.add(domain)
            if server is not None:
                scene.tag_domain(server.entity_id, domain_id)
        return None
    if kind == "wan":
        if site is None:
            return "Drop a WAN link on the site it starts from."
        other = _nearest_unjoined_site(scene, site)
        if other is None:
            return "Every other site is already joined to this one."
        wan_id = scene.new_id("wan")
        document.add(WanLink(wan_id, f"WAN {wan_id[3:]}", (site.entity_id, other), 100))
        return None
    if kind == "replication":
        return "Shift-drag from one host or cluster to another to draw a replication."
    return None


def _common_domain(design: Any, site_id: str) -> str | None:
    domains = [design.get(s).domain for s in design.servers_in_site(site_id) if design.get(s).domain]
    return max(set(domains), key=domains.count) if domains else None


def _nearest_unjoined_site(scene: DesignScene, site: SiteItem) -> str | None:
    design = scene.design
    here = site.sceneBoundingRect().center()
    candidates = [
        (QPointF(item.sceneBoundingRect().center() - here).manhattanLength(), site_id)
        for site_id, item in scene.sites.items()
        if site_id != site.entity_id and design.wan_link_between(site.entity_id, site_id) is None
    ]
    return min(candidates)[1] if candidates else None
