"""Which capacity figures an edit can change, so that a view (the capacity dock) works out only
those again: an edit of a large design then costs what it touched, not its 2,000 WAN links.

A WAN link's figures depend on the replications between its two sites, the VMs they carry
(their disks, placement and links) and the assumptions; a target server's on the replications
to it and their VMs. So:

- the assumptions, or a server added, removed, moved to another site or cluster, or given
  another OS (which decides the 2012 storage rule): everything;
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
from hvdesigner.model.derived import endpoint
from hvdesigner.model.design import Change, Design
from hvdesigner.model.entities import VM, Cluster, Host, Replication, WanLink

#: Server fields that change which site, cluster or storage rule its replications fall under.
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
    servers: set[str] = set()
    reps: set[str] = set()
    old_reps: list[Replication] = []
    for change in changes:
        if change.id is None:
            if "assumptions" in change.fields:
                return EVERYTHING
            continue
        value = change.after if change.after is not None else change.before
        structural = change.before is None or change.after is None
        if isinstance(value, (Host, Cluster)):
            if structural or change.fields & _SERVER_FIELDS:
                return EVERYTHING
            servers.add(change.id)  # (its name, as a chart shows it)
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
    for rep in old_reps + [design.replications[i] for i in reps if i in design.replications]:
        place = _place(design, rep)
        if place is None:
            return EVERYTHING  # (an end gone: a server was removed with it)
        wan, target = place
        if wan is not None:
            wans.add(wan)
        servers.add(target)
    return Affected(False, frozenset(wans), frozenset(servers))


def _place(design: Design, rep: Replication) -> tuple[str | None, str] | None:
    """The WAN link between a replication's sites (None: the same site, or none drawn) and
    the server its target counts as; None when an end no longer exists."""
    source, target = design.find(rep.source), design.find(rep.target)
    if not isinstance(source, (Host, Cluster)) or not isinstance(target, (Host, Cluster)):
        return None
    wan = None if source.site == target.site else design.wan_link_between(source.site, target.site)
    return wan, endpoint(design, rep.target)


@dataclass
class LiveFigures:
    """The WAN links' and target servers' figures of a design, kept up to date edit by edit
    (as the capacity dock shows them)."""

    window_hours: float
    wan_links: dict[str, WanLinkCapacity] = field(default_factory=dict)
    servers: dict[str, ServerCapacity] = field(default_factory=dict)

    def update(self, design: Design, what: Affected) -> None:
        """Work out again what ``what`` names (everything, the first time)."""
        from hvdesigner.rules.dependencies import PlainReader  # (a reader with a per-pass memo)

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
