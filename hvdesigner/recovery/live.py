"""One site-loss scenario kept up with a design's edits, at the cost of what each edit touched.

The designer shows a scenario while the architect edits (the scenario switch). Working it out
anew after every edit is a pass over every VM and server (a quarter of a second at 5,000
hosts); :class:`LiveScenario` instead works out again the outcomes of the VMs an edit can
change and the loads of the servers they run on, and gives the same :class:`Scenario` as
:func:`~hvdesigner.recovery.scenarios.scenario` would (a property test holds them equal).

What an edit can change (the rest of the design keeps its outcomes and loads):

- a VM: its own outcome, and the load of the server it ran on and runs on now;
- a replication: the outcomes of the VMs listed on it, before or after;
- a host's or a cluster's sizes: its load (a node's: its cluster's);
- a site's name or subnets: nothing;
- the assumptions: every load (``vcpu_per_core``), worked out anew.

Edits that move servers between sites or clusters, add or remove servers or sites change
whose outcome is whose: those work the whole scenario out again (they are rare, and
a site's deletion may end the scenario's very subject).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from hvdesigner.model.derived import PlainReader
from hvdesigner.model.design import Change, Design
from hvdesigner.model.entities import VM, Cluster, Host, Replication, Site
from hvdesigner.recovery.scenarios import (
    Load,
    Outcome,
    Scenario,
    is_server,
    load_of,
    outcome,
    scenario,
    site_of,
    start_order,
)

#: Fields of a host or cluster that decide whose a VM's outcome is, or which servers exist.
_STRUCTURE = frozenset({"site", "cluster"})


class LiveScenario:
    """A scenario of ``design`` with the sites ``lost``; :meth:`apply` follows an edit."""

    def __init__(self, design: Design, lost: Iterable[str]) -> None:
        self.design = design
        self.lost = frozenset(lost)
        self.scenario = self._rebuild()

    def apply(self, changes: list[Change]) -> Scenario:
        """The scenario after committed ``changes`` (the same object when they change none
        of it)."""
        vms, servers = set(), set()
        for change in changes:
            if change.id is None and "assumptions" in change.fields:
                self.scenario = self._rebuild()  # (vcpu_per_core: every load's vCPU capacity)
                return self.scenario
            for value in (change.before, change.after):
                if isinstance(value, VM):
                    vms.add(value.id)
                elif isinstance(value, Replication):
                    vms.update(value.vms)
                elif isinstance(value, (Host, Cluster)):
                    if (change.before is None or change.after is None
                            or change.fields & _STRUCTURE):
                        self.scenario = self._rebuild()
                        return self.scenario
                    servers.add(value.cluster if isinstance(value, Host) and value.cluster
                                else value.id)
                elif isinstance(value, Site) and (change.before is None or change.after is None):
                    self.scenario = self._rebuild()  # (a site's name or subnets change nothing)
                    return self.scenario
        if vms or servers:
            self.scenario = self._update(vms, servers)
        return self.scenario

    # ------------------------------------------------------------------ internals
    def _rebuild(self) -> Scenario:
        found = scenario(self.design, self.lost)
        self._outcomes: dict[str, Outcome] = dict(found.outcomes)
        self._loads: dict[str, Load] = dict(found.loads)
        self._running: dict[str, set[str]] = {s: set(load.running) for s, load in self._loads.items()}
        self._hit: dict[str, Outcome] = dict(found.hit)
        self._over = set(found.over_capacity)
        return found

    def _update(self, vms: set[str], servers: set[str]) -> Scenario:
        design = self.design
        r = PlainReader(design, dt.date.today())
        for vm_id in vms:
            old = self._outcomes.pop(vm_id, None)
            new = outcome(r, vm_id, self.lost) if vm_id in design.vms else None
            if new is not None:
                self._outcomes[vm_id] = new
            for o, running in ((old, False), (new, True)):
                if o is not None and o.runs_on is not None:
                    servers.add(o.runs_on)
                    members = self._running.setdefault(o.runs_on, set())
                    (members.add if running else members.discard)(vm_id)
            if new is not None and new.status != "running":
                self._hit[vm_id] = new
            else:
                self._hit.pop(vm_id, None)
        for server_id in servers:
            self._over.discard(server_id)
            if (server_id in design and is_server(design, server_id)
                    and site_of(design, server_id) not in self.lost):
                load = load_of(r, server_id, sorted(self._running.get(server_id, ())))
                self._loads[server_id] = load
                if load.over_memory or load.over_cores:
                    self._over.add(server_id)
        order = start_order(design, [vm for vm, o in self._hit.items() if o.status == "recovered"])
        # (copies: a scenario handed out stays as it was, to be compared with the next)
        return Scenario(self.scenario.lost, dict(self._outcomes), dict(self._loads), order,
                        {vm: i for i, vm in enumerate(order, 1)}, dict(self._hit),
                        frozenset(self._over))
