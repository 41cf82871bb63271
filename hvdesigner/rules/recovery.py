"""Recovery rules (RCV-*): what the site-loss scenarios of the format say about a design.

The scenarios are :mod:`hvdesigner.recovery.scenarios`; these checks read them one unit at a
time through the checker's reader, so a live edit re-checks only the servers and VMs it can
affect:

- a server (a cluster or a standalone host; a node counts on its cluster) works out its load
  in the normal scenario and in the loss of each site that sends it VMs (RCV-01..03), and its
  replica storage need (RCV-04);
- a VM works out its dependency cycle (RCV-05), its own fate when its site is lost (RCV-06),
  its dependencies' groups (RCV-07) and their fate in that loss (RCV-08).

Choices where the catalog leaves room, made here:

- In the loss of a site that sends a server no VMs its running set is the normal one: such a
  scenario gives that server no finding of its own (RCV-02/03 say it once, for the normal
  scenario; RCV-01, by the catalog, looks at site losses only, so a server over its memory in
  normal operation with nothing recovering onto it is not an RCV-01 finding).
- RCV-06 fires when the scenario says the VM is lost (no copy outside its site); a listed VM
  with no primary link is down, which TOP-03 reports.
- RCV-07 and RCV-08 give one finding per VM and dependency (subjects: the VM, then the
  dependency, then for RCV-08 the lost site).
"""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.capacity.storage import replica_storage_need_gb
from hvdesigner.model.derived import server_label
from hvdesigner.model.entities import VM, Cluster
from hvdesigner.recovery.scenarios import (
    Load,
    dependency_cycles,
    home_site,
    is_server,
    own_site_lost,
    server_loads,
)
from hvdesigner.rules.check import Finding, RuleReader, cap, check, finding

#: Where a VM without a recovery group starts: after every numbered group (1-9).
_NO_GROUP = 10


def _when(r: RuleReader, site: str | None) -> str:
    return "in normal operation" if site is None else f"in the loss of site {r.get(site).name}"


def _scenario(*subjects: str, site: str | None) -> tuple[str, ...]:
    """A scenario finding's subjects: the lost site's id last (none for the normal one)."""
    return subjects if site is None else (*subjects, site)


def _vms(n: int) -> str:
    return f"{n} VM{'' if n == 1 else 's'}"


def _unknown(load: Load) -> str:
    n = load.unknown_vms
    return "" if not n else f" ({_vms(n)} of unknown size not counted)"


def _names(r: RuleReader, ids: list[str]) -> str:
    names = [r.get(i).name for i in ids]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]


# ---------------------------------------------------------------- servers
@check("server")
def scenario_capacity(r: RuleReader, server_id: str) -> Iterator[Finding]:
    """RCV-01..03: a server's memory and vCPUs in each scenario that matters to it."""
    if not is_server(r, server_id):
        return
    server = r.get(server_id)
    label = server_label(r, server_id)
    absorbable = _without_largest_node(r, server_id) if isinstance(server, Cluster) else None
    per_core = r.assumptions.vcpu_per_core
    for site, load in server_loads(r, server_id).items():
        memory, cores = load.capacity.memory_gb, load.capacity.cpus
        when = _when(r, site)
        over = site is not None and load.over_memory
        if over:
            yield finding("RCV-01", f"{cap(when)}, {label} needs {load.memory_demand_gb:g} GB of "
                          f"memory to run {_vms(len(load.running))} but has {memory:g} GB"
                          f"{_unknown(load)}.", *_scenario(server_id, site=site))
        if absorbable is not None and not over and load.memory_demand_gb > absorbable:
            yield finding("RCV-02", f"{cap(when)}, {label} needs {load.memory_demand_gb:g} GB of "
                          f"memory; without its largest node it has {absorbable:g} GB, so it "
                          f"could not absorb a node failure{_unknown(load)}.",
                          *_scenario(server_id, site=site))
        if cores is not None and load.vcpu_demand > cores * per_core:
            yield finding("RCV-03", f"{cap(when)}, {label} runs {load.vcpu_demand} vCPUs on "
                          f"{cores} cores, more than {per_core:g} per core{_unknown(load)}.",
                          *_scenario(server_id, site=site))


def _without_largest_node(r: RuleReader, cluster_id: str) -> float | None:
    """A cluster's memory less its largest node's; None when any node's is unknown."""
    memory: list[float | None] = [r.get(n).memory_gb for n in r.nodes_of(cluster_id)]
    known = [m for m in memory if m is not None]
    if not memory or len(known) < len(memory):
        return None
    return sum(known) - max(known)


@check("server")
def replica_storage(r: RuleReader, server_id: str) -> Iterator[Finding]:
    """RCV-04: the format's replica storage need against the server's ``storage_gb``."""
    if not is_server(r, server_id):
        return  # (a node's storage_gb is ignored: its replicas count on its cluster)
    available = r.get(server_id).storage_gb
    if available is None:
        return
    need = replica_storage_need_gb(r, server_id)
    if need > available:
        yield finding("RCV-04", f"{cap(server_label(r, server_id))} needs {need:.1f} GB of "
                      f"replica storage but has {available:g} GB.", server_id)


# ---------------------------------------------------------------- VMs
@check("vm")
def dependency_cycle(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    """RCV-05: the cycle this VM is in, found among the VMs it depends on (its cycle's
    members are all among them), so each member reports the same finding."""
    reachable: set[str] = set()
    stack = [vm_id]
    while stack:
        for dep in r.get(stack.pop()).depends_on:
            if dep not in reachable:
                reachable.add(dep)
                stack.append(dep)
    if vm_id not in reachable:
        return  # (nearly every VM: no way back to itself, no cycle to work out)
    for cycle in dependency_cycles(r, reachable):
        if vm_id in cycle:
            yield finding("RCV-05", f"VMs {_names(r, cycle)} depend on each other in a cycle, "
                          "so none of them can start first.", *cycle)


@check("vm")
def no_copy_elsewhere(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    """RCV-06: a replicated VM lost with its own site."""
    if not r.replications_listing(vm_id):
        return
    site = home_site(r, vm_id)
    if own_site_lost(r, vm_id).status == "lost":
        yield finding("RCV-06", f"VM {r.get(vm_id).name} is lost when site {r.get(site).name} "
                      "is lost: every server it replicates to is in that site.", vm_id, site)


def _group(vm: VM) -> int:
    return _NO_GROUP if vm.recovery_group is None else vm.recovery_group


def _group_label(vm: VM) -> str:
    group = vm.recovery_group
    return "no recovery group" if group is None else f"recovery group {group}"


@check("vm")
def dependency_starts_later(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    """RCV-07: a dependency in a later recovery group."""
    vm: VM = r.get(vm_id)
    for dep_id in vm.depends_on:
        dep: VM = r.get(dep_id)
        if _group(dep) > _group(vm):
            yield finding("RCV-07", f"VM {vm.name} ({_group_label(vm)}) depends on VM {dep.name}, "
                          f"which starts later ({_group_label(dep)}).", vm_id, dep_id)


@check("vm")
def dependency_not_recovered(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    """RCV-08: in the loss of its site, a VM recovers but a dependency does not come back."""
    vm: VM = r.get(vm_id)
    if not vm.depends_on:
        return
    site = home_site(r, vm_id)
    if own_site_lost(r, vm_id).status != "recovered":
        return
    for dep_id in vm.depends_on:
        if home_site(r, dep_id) != site:
            continue  # (not hit: it runs)
        status = own_site_lost(r, dep_id).status
        if status in ("lost", "down"):
            yield finding("RCV-08", f"In the loss of site {r.get(site).name}, VM {vm.name} "
                          f"recovers but depends on VM {r.get(dep_id).name}, which is then "
                          f"{status}.", vm_id, dep_id, site)
