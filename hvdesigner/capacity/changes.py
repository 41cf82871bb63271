"""Which capacity figures an edit can change, so that a view (the capacity dock) works out only
those again: an edit of a large design then costs what it touched, not its 2,000 WAN links.

A WAN link's figures depend on the replications between its two sites, the VMs they carry
(their disks, placement and links) and the assumptions; a target server's on the replications
to it and their VMs. So:

- the assumptions: everything;
- a server moved to another site or cluster, or given another OS (which decides the 2012
  storage rule): those of the replications at it, its cluster and its nodes, by where the
  server was and where it is now, and of every replication listing a VM placed on it (a
  node's VMs run from its cluster: a node leaving it changes which links are theirs, and
  so an extended link's load); a server added or removed: its replications' changes say;
- a WAN link: itself;
- a replication (before and after the edit): the WAN link between its sites and its target,
  and, as it may change which link is a VM's primary or extended one, those of every
  replication listing one of its VMs;
- a VM (its disks, churn, placement): those of every replication listing it;
- anything else (names of sites and domains, firewalls, the layout, suppressions): nothing.

A property test holds figures updated this way equal to figures worked out anew.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from hvdesigner.capacity.model import (
    ServerCapacity,
    WanLinkCapacity,
    server_capacity,
    wan_link_capacity,
)
from hvdesigner.model.derived import PlainReader, endpoint
from hvdesigner.model.design import Change, Design
from hvdesigner.model.entities import VM, Cluster, Host, Replication, WanLink

#: Server fields that decide which site, cluster or storage rule its replications fall under.
_SERVER_FIELDS = frozenset({"site", "cluster", "os"})


@dataclass(frozen=True)
class Affected:
    everything: bool = False
    wan_links: frozenset[str] = frozenset()
    servers: frozenset[str] = frozenset()  # target servers (as capacity.model counts them)

    def __or__(self, other: Affected) -> Affected:
        return Affected(self.everything or other.everything, self.wan_links | other.wan_links,
                        self.servers | other.servers)


EVERYTHING = Affected(everything=True)


def affected(design: Design, changes: Iterable[Change]) -> Affected:
    """What the changes (already applied to ``design``) can change in the figures."""
    wans: set[str] = set()
    reps: set[str] = set()
    old_reps: list[Replication] = []
    before: dict[str, Host | Cluster] = {}  # servers as they were, changed or removed
    servers: set[str] = set()  # (a server's name shows in a chart)
    for change in changes:
        if change.id is None:
            if "assumptions" in change.fields:
                return EVERYTHING
            continue
        value = change.after if change.after is not None else change.before
        if isinstance(value, (Host, Cluster)):
            servers.add(change.id)
            if isinstance(change.before, (Host, Cluster)):
                before.setdefault(change.id, change.before)
                if isinstance(change.after, (Host, Cluster)) and change.fields & _SERVER_FIELDS:
                    reps |= _replications_around(design, change.before, change.after)
            # (a server added has no replication yet; one removed takes its replications
            # with it, and their changes come in the same batch)
        elif isinstance(value, WanLink):
            wans.add(change.id)
        elif isinstance(value, Replication):
            for rep in (change.before, change.after):
                if isinstance(rep, Replication):
                    old_reps.append(rep)
                    for vm_id in rep.vms:
                        reps |= design.replications_listing(vm_id)
            reps.add(change.id)
        elif isinstance(value, VM):
            reps |= design.replications_listing(change.id)
    current = [design.replications[i] for i in reps if i in design.replications]
    for rep in old_reps + current:
        for find in (design.find, lambda id: before.get(id) or design.find(id)):  # now, before
            ends = find(rep.source), find(rep.target)
            if not all(isinstance(end, (Host, Cluster)) for end in ends):
                return EVERYTHING  # (an end unknown: nothing to go by)
            source, target = ends
            if source.site != target.site:
                wan = design.wan_link_between(source.site, target.site)
                if wan is not None:
                    wans.add(wan)
            servers.add(_endpoint(target))
    return Affected(False, frozenset(wans), frozenset(servers))


def _endpoint(server: Host | Cluster) -> str:
    """The server a replication to ``server`` counts at (as :func:`derived.endpoint`)."""
    return server.cluster if isinstance(server, Host) and server.cluster else server.id


def _replications_around(design: Design, old: Host | Cluster, new: Host | Cluster) -> set[str]:
    """Replications whose WAN link or target's figures a server's site, cluster or OS bear on:
    its own, its cluster's (before and after: a node's OS decides its cluster's), for a
    cluster its nodes', and those listing the VMs placed on it (where a VM runs from decides
    its primary and extended links)."""
    around = {old.id}
    for server in (old, new):
        if isinstance(server, Host) and server.cluster:
            around.add(server.cluster)
    if isinstance(new, Cluster):
        around |= design.nodes_of(new.id)
    reps = {rep for id in around if id in design for rep in design.replications_at(id)}
    for vm_id in design.vms_on(old.id):
        reps |= design.replications_listing(vm_id)
    return reps


@dataclass
class LiveFigures:
    """The WAN links' and target servers' figures of a design, kept up to date edit by edit
    (as the capacity dock shows them)."""

    window_hours: float
    wan_links: dict[str, WanLinkCapacity] = field(default_factory=dict)
    servers: dict[str, ServerCapacity] = field(default_factory=dict)

    def update(self, design: Design, what: Affected) -> None:
        """Work out again what ``what`` names (everything, the first time)."""
        r = PlainReader(design, dt.date.today(), {})
        if what.everything:
            self.wan_links = {i: wan_link_capacity(r, i, self.window_hours) for i in design.wan_links}
            targets = dict.fromkeys(endpoint(r, rep.target) for rep in design.replications.values())
            self.servers = {i: server_capacity(r, i) for i in targets}
            return
        for i in what.wan_links:
            if i in design.wan_links:
                self.wan_links[i] = wan_link_capacity(r, i, self.window_hours)
            else:
                self.wan_links.pop(i, None)
        for i in what.servers:
            figures = server_capacity(r, i) if i in design and endpoint(r, i) == i else None
            if figures is not None and figures.replications:  # (still a target)
                self.servers[i] = figures
            else:
                self.servers.pop(i, None)
