"""Copy and paste, as intents like those of :mod:`hvdesigner.editing.edits` (Qt-free).

A copy is a fragment in the file format's own terms (:mod:`hvdesigner.fileformat.fragment`)
plus where the copied things sat on the canvas. A paste gives every copy a new id, and sites
and servers a new name ("HV03 (copy)") and FQDN; at the cursor it lands there (servers pasted
in a site's frame join that site), without one beside the originals.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from hvdesigner.editing.edits import Edit, Refused, layout_op, snap
from hvdesigner.editing.layout import Layout, Point, Rect
from hvdesigner.editing.ops import Op
from hvdesigner.editing.vocabulary import plural
from hvdesigner.fileformat.fragment import copy_fragment, paste_fragment
from hvdesigner.model.design import Design
from hvdesigner.model.entities import VM, Cluster, Host, Replication, Site


def copy(design: Design, ids: Iterable[str]) -> dict[str, Any]:
    """A clipboard fragment of the chosen things, with where they sit on the canvas."""
    fragment = copy_fragment(design, ids)
    layout = Layout.of(design)
    servers = {e["id"] for key in ("hosts", "clusters") for e in fragment.get(key, [])}
    sites = {e["id"] for e in fragment.get("sites", [])}
    part = Layout({s: layout.sites[s] for s in sites if s in layout.sites},
                  {s: layout.servers[s] for s in servers if s in layout.servers})
    fragment["layout"] = part.to_json()
    return fragment


def _copy_name(name: str, taken: set[str]) -> str:
    base = f"{name} (copy)"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        candidate, n = f"{name} (copy {n})", n + 1
    taken.add(candidate.casefold())
    return candidate


def _copy_fqdn(fqdn: str, taken: set[str]) -> str:
    first, dot, rest = fqdn.partition(".")
    candidate, n = f"{first}-copy{dot}{rest}", 2
    while candidate.casefold() in taken:
        candidate, n = f"{first}-copy{n}{dot}{rest}", n + 1
    taken.add(candidate.casefold())
    return candidate


def _renamed_copy(entity: Any, names: dict[type, set[str]], fqdns: set[str]) -> Any:
    """A pasted site or server gets a name and FQDN of its own (VMs keep theirs: a VM's
    name is only unique per host, and its replica has the same name anyway)."""
    if not isinstance(entity, (Site, Host, Cluster)):
        return entity
    changes: dict[str, Any] = {}
    kind = Host if isinstance(entity, Cluster) else type(entity)  # servers share NetBIOS names
    if getattr(entity, "name", "") and entity.name.casefold() in names.setdefault(kind, set()):
        changes["name"] = _copy_name(entity.name, names[kind])
    if not isinstance(entity, Site) and entity.fqdn.casefold() in fqdns:
        changes["fqdn"] = _copy_fqdn(entity.fqdn, fqdns)
    if isinstance(entity, Cluster) and entity.broker is not None:
        broker = entity.broker
        changes["broker"] = dataclasses.replace(
            broker, name=_copy_name(broker.name, names[kind]) if broker.name.casefold() in names[kind] else broker.name,
            fqdn=_copy_fqdn(broker.fqdn, fqdns) if broker.fqdn.casefold() in fqdns else broker.fqdn)
    return dataclasses.replace(entity, **changes) if changes else entity


def paste(design: Design, fragment: Mapping[str, Any], at: Point | None = None) -> Edit:
    """Copies of a clipboard fragment with new ids, names ("HV03 (copy)") and FQDNs.

    With ``at`` (the cursor) the copies are placed there, and servers pasted into a site's
    frame join that site; without it they land beside their originals."""
    entities, mapping = paste_fragment(design, dict(fragment))
    if not entities:
        raise Refused("The clipboard holds nothing to paste.")
    origin = {new: old for old, new in mapping.items()}
    names: dict[type, set[str]] = {}
    for e in design.entities_by_id().values():
        if getattr(e, "name", ""):
            names.setdefault(Host if isinstance(e, Cluster) else type(e), set()).add(e.name.casefold())
    fqdns = {h.fqdn.casefold() for h in design.hosts.values()}
    fqdns |= {c.fqdn.casefold() for c in design.clusters.values()}
    fqdns |= {c.broker.fqdn.casefold() for c in design.clusters.values() if c.broker}
    copies = [_renamed_copy(e, names, fqdns) for e in entities]

    layout = Layout.of(design)
    was = _fragment_layout(fragment, layout)
    new_sites = {c.id for c in copies if isinstance(c, Site)}
    target = layout.site_at(at) if at is not None else None
    placed: list[Any] = []
    for c in copies:
        if isinstance(c, (Host, Cluster)) and c.site not in new_sites:
            site = target or (c.site if c.site in design.sites else None)
            if site is None:
                raise Refused("Paste servers inside a site frame.")
            c = dataclasses.replace(c, site=site)
        placed.append(c)
    if any(isinstance(c, VM) and c.placement not in design and all(p.id != c.placement for p in placed)
           for c in placed):
        raise Refused("A VM can only be pasted where its server is: copy the server with it.")
    cluster_sites = {c.id: c.site for c in placed if isinstance(c, Cluster)}
    placed = [dataclasses.replace(c, site=cluster_sites[c.cluster])
              if isinstance(c, Host) and c.cluster in cluster_sites else c for c in placed]

    corners = [was.servers[origin[c.id]] for c in placed if origin[c.id] in was.servers]
    corners += [(was.sites[origin[c.id]].x, was.sites[origin[c.id]].y) for c in placed
                if origin[c.id] in was.sites]
    if at is not None and corners:
        dx = snap(at[0] - min(p[0] for p in corners))
        dy = snap(at[1] - min(p[1] for p in corners))
    else:  # beside the originals: below them when whole sites are copied
        dx, dy = 40.0, 40.0 + max((was.sites[origin[s]].h for s in new_sites
                                   if origin[s] in was.sites), default=0.0)
    frames = {c.id: was.sites[origin[c.id]].moved_to(was.sites[origin[c.id]].x + dx,
                                                     was.sites[origin[c.id]].y + dy)
              for c in placed if isinstance(c, Site) and origin[c.id] in was.sites}
    layout = layout.with_sites(frames)
    spots: dict[str, Point] = {}
    for c in placed:
        if isinstance(c, (Host, Cluster)) and origin[c.id] in was.servers:
            x, y = was.servers[origin[c.id]]
            spots[c.id] = (x + dx, y + dy) if c.site in new_sites else layout.keep_in(c.site, (x + dx, y + dy))
    layout = layout.with_servers(spots)
    ops = [Op(None, c, c.id) for c in placed] + [layout_op(design, layout)]
    drawn = tuple(c.id for c in placed if isinstance(c, (Site, Cluster, Replication))
                  or (isinstance(c, Host) and c.cluster is None))
    return Edit(f"Paste {plural(len(placed), 'item')}", tuple(ops), select=drawn)


def _fragment_layout(fragment: Mapping[str, Any], layout: Layout) -> Layout:
    """Where the copied things sat: as the fragment says, else where the originals are."""
    given = fragment.get("layout")
    if not isinstance(given, dict):
        return layout
    try:
        sites = {k: Rect(*map(float, v)) for k, v in given.get("sites", {}).items()}
        servers = {k: (float(v[0]), float(v[1])) for k, v in given.get("servers", {}).items()}
    except (TypeError, ValueError, AttributeError):
        return layout
    return Layout({**layout.sites, **sites}, {**layout.servers, **servers})
