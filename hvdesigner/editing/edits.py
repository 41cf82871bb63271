"""Every user intent, as a function from (design, arguments) to an :class:`Edit` (Qt-free).

This is the one place that decides what an edit means: a gesture on the canvas, a drop from
the palette, a field of the inspector, a menu or a key all call one of these functions and hand
the result to the Document, which applies it (and records an undo step only when it applied).
Widgets decide nothing about the domain: ids come from the model's allocator, positions from
:class:`~hvdesigner.editing.layout.Layout`, names and defaults (a port follows its
authentication type, a new certificate names its machine) from
:mod:`~hvdesigner.editing.defaults`. Copy and paste live beside them, in
:mod:`~hvdesigner.editing.clipboard`.

An intent that makes no sense raises :class:`Refused` with a sentence for the user; the model
refuses what would break the design (:class:`~hvdesigner.model.design.IntegrityError`), and
:func:`refusal` turns either into that sentence. An intent that changes nothing returns None.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hvdesigner.editing.defaults import (
    common_domain,
    dns_suffix,
    follow_defaults,
    numbered,
    resuffixed,
    server_names,
    unique_name,
    validate,
)
from hvdesigner.editing.layout import NEW_SITE, Layout, Point, Rect, card_size, server_size
from hvdesigner.editing.ops import Op
from hvdesigner.editing.vocabulary import ENTITY_NAMES, labels, plural
from hvdesigner.fileformat import spec
from hvdesigner.fileformat.kinds import Obj
from hvdesigner.model.deletion import plan_deletion
from hvdesigner.model.derived import (
    replica_settings,
)
from hvdesigner.model.design import Design, IntegrityError, ModelError
from hvdesigner.model.entities import (
    VM,
    AuthType,
    Cluster,
    Disk,
    Domain,
    Firewall,
    Host,
    Replication,
    Site,
    Suppression,
    WanLink,
)

KINDS: dict[type, Obj] = {
    Site: spec.SITE, Domain: spec.DOMAIN, Firewall: spec.FIREWALL, WanLink: spec.WAN_LINK,
    Host: spec.HOST, Cluster: spec.CLUSTER, VM: spec.VM_, Replication: spec.REPLICATION,
    Disk: spec.DISK,
}
GRID = 10
NEW_CLUSTER_NODES = 2


class Refused(ModelError):
    """An intent that can't be done; the message is for the user."""


@dataclass(frozen=True)
class Edit:
    """What an intent does: a History label, the ops, and what to select once it applied.
    Edits with equal ``merge_key`` in a row make one undo step (typing in a field)."""

    label: str
    ops: tuple[Op, ...]
    merge_key: Hashable | None = None
    select: tuple[str, ...] = ()


def refusal(design: Design, error: ModelError) -> str:
    """The sentence a refused edit shows the user."""
    if isinstance(error, IntegrityError) and error.problems:
        id, _, message = error.problems[0]
        return f"Not changed: {display_name(design, id)}: {message}"
    text = str(error)
    return text if isinstance(error, Refused) else f"Not changed: {text}"


def display_name(design: Design, id: str) -> str:
    """How the user knows a thing: its name, else its id."""
    entity = design.find(id)
    return getattr(entity, "name", "") or id


def kind_name(entity: Any) -> str:
    """What the user calls a thing: Host, Node, WAN link..."""
    if isinstance(entity, Host) and entity.cluster is not None:
        return "Node"
    return ENTITY_NAMES[type(entity).__name__]


def layout_op(design: Design, layout: Layout) -> Op:
    """The op that gives the design a new layout."""
    return Op(design.layout, layout.written_whole(), attribute="layout")


def snap(value: float) -> float:
    """The nearest grid line."""
    return float(round(value / GRID) * GRID)


# ---------------------------------------------------------------------- adding
def add_site(design: Design, at: Point) -> Edit:
    """A new site frame centred on ``at``."""
    site_id, n = numbered(design, "site", (s.name for s in design.sites.values()))
    name = unique_name((s.name for s in design.sites.values()), f"Site {n}")
    w, h = NEW_SITE
    rect = Rect(snap(at[0] - w / 2), snap(at[1] - h / 2), w, h)
    layout = Layout.of(design).with_sites({site_id: rect})
    return Edit(f"Add site {name}", (Op(None, Site(site_id, name), site_id), layout_op(design, layout)),
                select=(site_id,))


def add_server(design: Design, kind: str, at: Point, site_id: str | None = None) -> Edit:
    """A host, or a cluster with two nodes, centred on ``at`` inside the site frame there,
    in the site's most common domain."""
    layout = Layout.of(design)
    site_id = site_id or layout.site_at(at)
    if site_id is None:
        raise Refused(f"Drop a {kind} inside a site frame.")
    domain = common_domain(design, site_id)
    suffix = dns_suffix(design, domain)
    names = server_names(design)
    prefix = "hv" if kind == "host" else "cl"
    server_id, _ = numbered(design, prefix, names)
    name = unique_name(names, server_id.upper())
    w, h = card_size(kind, NEW_CLUSTER_NODES)
    pos = layout.inside(site_id, (w, h), (snap(at[0] - w / 2), snap(at[1] - h / 2)))
    if kind == "host":
        entities: list[Any] = [Host(server_id, name, f"{name.lower()}.{suffix}", site_id, domain=domain)]
    else:
        cluster = Cluster(server_id, name, f"{name.lower()}.{suffix}", site_id, domain=domain)
        entities = [cluster, *_nodes(design, cluster, NEW_CLUSTER_NODES, names)]
    ops = [Op(None, e, e.id) for e in entities]
    ops.append(layout_op(design, layout.with_servers({server_id: pos})))
    return Edit(f"Add {kind} {name}", tuple(ops), select=(server_id,))


def _nodes(design: Design, cluster: Cluster, count: int, names: Iterable[str],
           os: str = "2022") -> list[Host]:
    """New nodes for a cluster, with ids and names nobody uses."""
    taken: set[str] = set()
    used = list(names)
    suffix = cluster.fqdn.partition(".")[2] or "example.local"
    nodes = []
    for _ in range(count):
        node_id = design.new_id(f"{cluster.id}-n", taken)
        taken.add(node_id)
        name = unique_name(used, f"{cluster.name}-N{node_id.rsplit('-n', 1)[1]}")
        used.append(name)
        nodes.append(Host(node_id, name, f"{name.lower()}.{suffix}", cluster.site, os=os,  # type: ignore[arg-type]
                          domain=cluster.domain, cluster=cluster.id))
    return nodes


def add_node(design: Design, cluster_id: str) -> Edit:
    """One more node for a cluster, on the release its other nodes run."""
    cluster: Cluster = design.clusters[cluster_id]
    releases = Counter(design.hosts[n].os for n in design.nodes_of(cluster_id))
    os = releases.most_common(1)[0][0] if releases else "2022"
    names = server_names(design)
    (node,) = _nodes(design, cluster, 1, names, os)
    return Edit(f"Add node {node.name} to {cluster.name}", (Op(None, node, node.id),), select=(node.id,))


def add_vm(design: Design, server_id: str) -> Edit:
    """A VM with an OS disk on a server."""
    server = design.get(server_id)
    vm_id, _ = numbered(design, "vm", (v.name for v in design.vms.values()))
    name = unique_name((v.name for v in design.vms.values()), vm_id.upper())
    disk_id = f"{vm_id}-os" if f"{vm_id}-os" not in design else design.new_id(f"{vm_id}-os")
    vm = VM(vm_id, name, server_id, disks=(Disk(disk_id, "os.vhdx", 80, role="os", churn_mb_s=0.5),))
    return Edit(f"Add VM {name} to {server.name}", (Op(None, vm, vm_id),), select=(vm_id,))


def add_firewall(design: Design, protects: str | None) -> Edit:
    """A firewall in front of a site or server."""
    if protects is None or not isinstance(design.find(protects), (Site, Host, Cluster)):
        raise Refused("Drop a firewall on a site or a server to protect it.")
    fw_id, n = numbered(design, "fw", (f.name for f in design.firewalls.values()))
    name = unique_name((f.name for f in design.firewalls.values()), f"FW{n}")
    firewall = Firewall(fw_id, name, protects=(protects,))
    return Edit(f"Put {display_name(design, protects)} behind new firewall {name}",
                (Op(None, firewall, fw_id),), select=(fw_id,))


def add_domain(design: Design, server: str | None = None) -> Edit:
    """A new domain, with a server (and a cluster's nodes) put in it."""
    domain_id, n = numbered(design, "domain", (d.name for d in design.domains.values()))
    name = unique_name((d.name for d in design.domains.values()), f"DOMAIN{n}")
    domain = Domain(domain_id, name, f"{name.lower()}.example.local")
    ops = [Op(None, domain, domain_id)]
    if server is not None and isinstance(design.find(server), (Host, Cluster)):
        ops += _domain_ops(design, server, domain_id, domain.fqdn)
    return Edit(f"Add domain {name}", tuple(ops), select=(domain_id,))


def add_wan_link(design: Design, site_id: str | None, other: str | None = None) -> Edit:
    """A WAN link from a site to another (by default the nearest one not yet joined to it)."""
    if site_id is None or site_id not in design.sites:
        raise Refused("Drop a WAN link on the site it starts from.")
    if other is None:
        layout = Layout.of(design)
        x, y = layout.sites[site_id].center
        candidates = [(abs(r.center[0] - x) + abs(r.center[1] - y), s) for s, r in layout.sites.items()
                      if s != site_id and design.wan_link_between(site_id, s) is None]
        if not candidates:
            raise Refused("Every other site is already joined to this one.")
        other = min(candidates)[1]
    if design.wan_link_between(site_id, other) is not None:
        raise Refused("These two sites are already joined by a WAN link.")
    wan_id, n = numbered(design, "wan", (w.name for w in design.wan_links.values()))
    name = unique_name((w.name for w in design.wan_links.values()), f"WAN {n}")
    wan = WanLink(wan_id, name, (site_id, other), 100)
    return Edit(f"Join {design.sites[site_id].name} and {design.sites[other].name} by WAN link",
                (Op(None, wan, wan_id),), select=(wan_id,))


def draw_replication(design: Design, source: str, target: str | None) -> Edit:
    """A replication between two servers, authenticated the way the target listens (a
    certificate-only Replica server gets HTTPS)."""
    if target is None or target == source or not isinstance(design.find(target), (Host, Cluster)):
        raise Refused("Drop the link on another host or cluster.")
    settings = replica_settings(design, target)
    auth: AuthType = ("certificate" if settings is not None and "kerberos" not in settings.auth
                      else "kerberos")
    rep_id = design.new_id("rep")
    rep = Replication(rep_id, source, target, auth=auth)
    return Edit(f"Draw replication {design.get(source).name} → {design.get(target).name}",
                (Op(None, rep, rep_id),), select=(rep_id,))


# ---------------------------------------------------------------------- tagging
def _domain_ops(design: Design, server_id: str, domain_id: str | None,
                new_suffix: str | None = None) -> list[Op]:
    """A server and a cluster's nodes put in a domain; a DNS name still on the old domain's
    suffix (the default it was given) follows to the new one (``new_suffix`` for a domain
    being added), a broker's too."""
    old_suffix = dns_suffix(design, design.get(server_id).domain)
    new_suffix = new_suffix or dns_suffix(design, domain_id)
    ops = []
    for id in [server_id, *sorted(design.nodes_of(server_id))]:
        before = design.get(id)
        if before.domain == domain_id:
            continue
        after = dataclasses.replace(before, domain=domain_id,
                                    fqdn=resuffixed(before.fqdn, old_suffix, new_suffix))
        if isinstance(after, Cluster) and after.broker is not None:
            after = dataclasses.replace(after, broker=dataclasses.replace(
                after.broker, fqdn=resuffixed(after.broker.fqdn, old_suffix, new_suffix)))
        ops.append(Op(before, after, id))
    return ops



def tag_domain(design: Design, server_id: str, domain_id: str | None) -> Edit | None:
    """Put a server (and a cluster's nodes) in a domain, or in a workgroup (None)."""
    ops = _domain_ops(design, server_id, domain_id)
    name = design.domains[domain_id].name if domain_id else "a workgroup"
    return Edit(f"Put {design.get(server_id).name} in {name}", tuple(ops)) if ops else None


def tag_firewall(design: Design, target: str, firewall_id: str) -> Edit | None:
    """Put a site or server behind an existing firewall."""
    fw: Firewall = design.firewalls[firewall_id]
    if target in fw.protects:
        return None
    after = dataclasses.replace(fw, protects=tuple(sorted((*fw.protects, target))))
    return Edit(f"Put {display_name(design, target)} behind {fw.name}", (Op(fw, after, fw.id),))


def move_vm(design: Design, vm_id: str, server_id: str) -> Edit | None:
    vm: VM = design.vms[vm_id]
    if vm.placement == server_id:
        return None
    return Edit(f"Move VM {vm.name} to {design.get(server_id).name}",
                (Op(vm, dataclasses.replace(vm, placement=server_id), vm_id),))


# ---------------------------------------------------------------------- changing fields
def set_value(design: Design, after: Any, merge_key: Hashable | None = None) -> Edit | None:
    """A new value for an entity (or one of a VM's disks), with the defaults that follow;
    refused with the loader's reason when the file could not hold it."""
    if isinstance(after, Disk):
        vm: VM = design.get(design.vm_of_disk(after.id))
        disks = tuple(after if d.id == after.id else d for d in vm.disks)
        edit = set_value(design, dataclasses.replace(vm, disks=disks), merge_key)
        if edit is None:
            return None
        before = design.get(after.id)
        changed = [f.name for f in dataclasses.fields(before) if getattr(before, f.name) != getattr(after, f.name)]
        return dataclasses.replace(edit, label=f"Change {labels(changed, 'Disk')} of disk {before.name} ({vm.name})")
    before = design.get(after.id)
    after = follow_defaults(before, after)
    problem = validate(KINDS[type(after)], after)
    if problem is not None:
        raise Refused(f"Not changed: {problem}")
    changed = [f.name for f in dataclasses.fields(before) if getattr(before, f.name) != getattr(after, f.name)]
    if not changed:
        return None
    obj = KINDS[type(before)].name
    name = getattr(before, "name", "") or before.id
    ops = [Op(before, after, before.id)]
    if isinstance(before, Domain) and before.fqdn != after.fqdn:
        ops += _members_follow(design, before.id, before.fqdn, after.fqdn)
    return Edit(f"Change {labels(changed, obj)} of {name}", tuple(ops), merge_key)


def _members_follow(design: Design, domain_id: str, old: str, new: str) -> list[Op]:
    """A domain's new DNS name reaches the servers (and brokers) named in the old one."""
    ops = []
    for id in sorted(design.referrers(domain_id)):
        member = design.get(id)
        if not isinstance(member, (Host, Cluster)) or member.domain != domain_id:
            continue
        after = dataclasses.replace(member, fqdn=resuffixed(member.fqdn, old, new))
        if isinstance(after, Cluster) and after.broker is not None:
            after = dataclasses.replace(after, broker=dataclasses.replace(
                after.broker, fqdn=resuffixed(after.broker.fqdn, old, new)))
        if after != member:
            ops.append(Op(member, after, id))
    return ops


def set_vm_churn(design: Design, vm_id: str, churn_mb_s: float,
                 merge_key: Hashable | None = None) -> Edit | None:
    """A what-if of capacity planning: the VM's replicated churn (MB/s, the sum over its
    replicated disks) set to a total, each replicated disk keeping its share (evenly when
    none has churn yet); refused for a VM that replicates no disk."""
    vm: VM = design.get(vm_id)
    replicated = [d for d in vm.disks if d.replicate]
    if not replicated:
        raise Refused(f"Not changed: {vm.name} replicates no disk")
    total = sum(d.churn_mb_s for d in replicated)
    churn = max(0.0, float(churn_mb_s))
    share = {d.id: (d.churn_mb_s / total if total else 1 / len(replicated)) for d in replicated}
    disks = tuple(dataclasses.replace(d, churn_mb_s=round(churn * share[d.id], 6))
                  if d.id in share else d for d in vm.disks)
    edit = set_value(design, dataclasses.replace(vm, disks=disks), merge_key)
    return None if edit is None else dataclasses.replace(edit, label=f"Change churn of {vm.name}")


def set_fields(design: Design, id: str, merge_key: Hashable | None = None, **fields: Any) -> Edit | None:
    """Change fields of an entity or a disk by id."""
    return set_value(design, dataclasses.replace(design.get(id), **fields), merge_key)


def rename(design: Design, id: str, name: str) -> Edit | None:
    name = name.strip()
    if not name:
        raise Refused("Not changed: a name can't be empty.")
    old = display_name(design, id)
    edit = set_fields(design, id, name=name)
    return None if edit is None else dataclasses.replace(edit, label=f"Rename {old} to {name}")


def set_attribute(design: Design, attribute: str, value: Any,
                  merge_key: Hashable | None = None) -> Edit | None:
    """The design's title, notes or sizing assumptions."""
    before = getattr(design, attribute)
    if before == value:
        return None
    # (a title the file can't hold, such as one with a lone surrogate, would break Save)
    problem = validate(spec.DESIGN.by_key[attribute].kind, value)
    if problem is not None:
        raise Refused(f"Not changed: {problem}")
    if attribute == "assumptions":
        return Edit("Change sizing assumptions", (Op(before, value, attribute=attribute),), merge_key)
    return Edit(f"Change design {attribute}", (Op(before, value, attribute=attribute),), merge_key)


def suppress(design: Design, rule: str, subject: str, reason: str) -> Edit:
    """Accept a finding on purpose, with the reason (it stays listed, marked suppressed)."""
    reason = reason.strip()
    if not reason:
        raise Refused("A suppression needs a reason.")
    if (problem := validate(spec.SUPPRESSION, Suppression(rule, subject, reason))) is not None:
        raise Refused(f"Not suppressed: {problem}")
    kept = tuple(s for s in design.suppressions if (s.rule, s.subject) != (rule, subject))
    after = (*kept, Suppression(rule, subject, reason))
    return Edit(f"Suppress {rule} on {display_name(design, subject)}",
                (Op(design.suppressions, after, attribute="suppressions"),))


def unsuppress(design: Design, rule: str, subject: str) -> Edit | None:
    return unsuppress_finding(design, rule, (subject,))


def unsuppress_finding(design: Design, rule: str, subjects: Iterable[str]) -> Edit | None:
    """Take back every suppression that hides a finding: those of its rule that name any of
    its subjects (the checker matches them so), else it would stay suppressed."""
    named = set(subjects)
    gone = [s for s in design.suppressions if s.rule == rule and s.subject in named]
    if not gone:
        return None
    after = tuple(s for s in design.suppressions if s not in gone)
    return Edit(f"Un-suppress {rule} on {display_name(design, gone[0].subject)}",
                (Op(design.suppressions, after, attribute="suppressions"),))


# ---------------------------------------------------------------------- moving
def _home_site(design: Design, layout: Layout, server_id: str, at: Point) -> str | None:
    """The site a card whose top-left is ``at`` belongs to: the frame its centre is in, or
    its own when that is none. None when ``layout`` is a part that holds only the card's own
    frame and the centre is outside it (then another frame may hold it)."""
    current = design.get(server_id).site
    w, h = server_size(design, server_id)
    center = (at[0] + w / 2, at[1] + h / 2)
    if current in layout.sites and layout.sites[current].contains(center):
        return str(current)
    if len(layout.sites) < len(design.sites):  # a part: the other frames are not in it
        return None
    return layout.site_at(center) or str(current)


def move(design: Design, servers: Mapping[str, Point] | None = None,
         sites: Mapping[str, Point] | None = None, merge_key: Hashable | None = None) -> Edit | None:
    """Put server cards and site frames at new top-left positions: a frame carries its
    cards; a card dropped in another site's frame moves the server (and a cluster's nodes)
    to that site; a card never lands above or left of its frame (frames grow right and down
    to hold what is in them).

    When the design's layout is complete, only the sites concerned are read and written
    (``Layout.part``), unless a card leaves its frame: a drop in a large design then costs
    what it moves, not the whole layout (8 ms at 5,000 hosts)."""
    servers, sites = dict(servers or {}), dict(sites or {})
    before = Layout.part(design, {*sites, *(design.get(s).site for s in servers)})
    moved = _moved(design, before, servers, sites) if before is not None else None
    whole = moved is None
    if moved is None:
        before = Layout.of(design)
        moved = _moved(design, before, servers, sites)
    assert moved is not None and before is not None
    layout, ops, moved_to = moved
    if not ops and layout == before:
        return None
    count = len(servers) + len(sites)
    if len(servers) == 1 and moved_to and not sites:
        (server_id,) = servers
        label = f"Move {design.get(server_id).name} to {design.sites[moved_to[0]].name}"
    elif count == 1:
        label = f"Move {display_name(design, next(iter(servers or sites)))}"
    else:
        label = f"Move {plural(count, 'item')}"
    written = layout.written_whole() if whole else layout.written_over(design.layout)
    return Edit(label, (Op(design.layout, written, attribute="layout"), *ops), merge_key)


def _moved(design: Design, layout: Layout, servers: dict[str, Point],
           sites: dict[str, Point]) -> tuple[Layout, list[Op], list[str]] | None:
    """What :func:`move` makes of ``layout`` (whole, or the part of the sites concerned): the
    layout moved, the ops that put servers in other sites, and those sites; None when the
    part can't tell (a card left its frame: another site's may hold it)."""
    carried: dict[str, Point] = {}
    frames: dict[str, Rect] = {}
    for site_id, (x, y) in sites.items():
        old = layout.sites[site_id]
        frames[site_id] = old.moved_to(x, y)
        for server_id in design.servers_in_site(site_id):
            if server_id in layout.servers and server_id not in servers:
                sx, sy = layout.servers[server_id]
                carried[server_id] = (sx + x - old.x, sy + y - old.y)
    layout = layout.with_sites(frames)
    ops: list[Op] = []
    positions = dict(carried)
    moved_to: list[str] = []
    for server_id, at in servers.items():
        home = _home_site(design, layout, server_id, at)
        if home is None:
            return None
        if home != design.get(server_id).site:
            moved_to.append(home)
            for id in (server_id, *sorted(design.nodes_of(server_id))):
                ops.append(Op(design.get(id), dataclasses.replace(design.get(id), site=home), id))
        positions[server_id] = layout.keep_in(home, at) if home in layout.sites else at
    return layout.with_servers(positions), ops, moved_to


def move_legend(design: Design, at: Point) -> Edit | None:
    """Put the domain legend somewhere else on the canvas."""
    layout = Layout.of(design)
    if layout.legend == (float(at[0]), float(at[1])):
        return None
    moved = dataclasses.replace(layout, extra={**layout.extra, "legend": [snap(at[0]), snap(at[1])]})
    return Edit("Move the domain legend", (layout_op(design, moved),))


def nudge(design: Design, ids: Iterable[str], dx: float, dy: float,
          merge_key: Hashable | None = None) -> Edit | None:
    """Move selected cards and frames by a step (the arrow keys)."""
    chosen = set(ids)
    concerned = {s if s in design.sites else design.get(s).site for s in chosen
                 if s in design.sites or s in design.clusters or s in design.hosts}
    layout = Layout.part(design, concerned) or Layout.of(design)
    sites = {s: (layout.sites[s].x + dx, layout.sites[s].y + dy) for s in chosen if s in layout.sites}
    servers = {s: (layout.servers[s][0] + dx, layout.servers[s][1] + dy) for s in chosen
               if s in layout.servers and design.get(s).site not in sites}
    if not sites and not servers:
        return None
    return move(design, servers, sites, merge_key)


def align(design: Design, ids: Iterable[str], how: str) -> Edit | None:
    """Align (``left``, ``top``) or distribute (``horizontal``, ``vertical``) server cards;
    each stays in its site's frame."""
    layout = Layout.of(design)
    chosen = sorted((s for s in set(ids) if s in layout.servers), key=lambda s: layout.servers[s])
    if len(chosen) < 2 or (how in ("horizontal", "vertical") and len(chosen) < 3):
        raise Refused("Select at least two servers (three to distribute).")
    at = {s: list(layout.servers[s]) for s in chosen}
    if how in ("left", "top"):
        axis = 0 if how == "left" else 1
        edge = min(p[axis] for p in at.values())
        for p in at.values():
            p[axis] = edge
    else:
        axis = 0 if how == "horizontal" else 1
        chosen.sort(key=lambda s: at[s][axis])
        first, last = at[chosen[0]][axis], at[chosen[-1]][axis]
        for n, s in enumerate(chosen):
            at[s][axis] = round(first + n * (last - first) / (len(chosen) - 1))
    positions = {s: layout.keep_in(design.get(s).site, (p[0], p[1])) for s, p in at.items()}
    if all(positions[s] == layout.servers[s] for s in chosen):
        return None
    verb = "Align" if how in ("left", "top") else "Distribute"
    return Edit(f"{verb} {plural(len(chosen), 'server')}", (layout_op(design, layout.with_servers(positions)),))


# ---------------------------------------------------------------------- delete
def delete(design: Design, ids: Iterable[str]) -> Edit | None:
    """Delete things with everything that can't exist without them (see model.deletion)."""
    ids = [i for i in ids if i in design]
    if not ids:
        return None
    plan = plan_deletion(design, ids)
    ops = [Op(design.get(i), None, i) for i in sorted(plan.removed)]
    ops += [Op(design.get(i), v, i) for i, v in sorted(plan.replaced.items())]
    if plan.suppressions != design.suppressions:
        ops.append(Op(design.suppressions, plan.suppressions, attribute="suppressions"))
    if plan.removed and isinstance(design.layout, dict):
        # the frames that held what goes are written as they were grown (as Layout.of
        # would write them), the rest of a complete layout is left as it is, and a layout
        # left the same is not written at all (deleting a link in a large design read and
        # wrote the places of thousands of cards)
        held = {design.get(i).site for i in plan.removed if i in design.hosts or i in design.clusters}
        part = Layout.part(design, held & design.sites.keys())
        after = part.written_over(design.layout, plan.removed) if part is not None \
            else Layout.of(design).without(plan.removed).written_whole()
        if after != design.layout:
            ops.append(Op(design.layout, after, attribute="layout"))
    if len(ids) == 1:
        entity = design.get(ids[0])
        label = f"Delete {kind_name(entity).lower()} {display_name(design, ids[0])}"
    else:
        label = f"Delete {plural(len(ids), 'item')}"
    return Edit(label, tuple(ops))
