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
  scenario gives that server no finding of its own; the normal scenario's says it once. So a
  server short of memory in normal operation gets one RCV-01, for the normal scenario ("and so
  in the loss of any other site", no site among its subjects), not one per site in the design
  (the catalog's RCV-01 names site losses only; a standalone host short of memory would
  otherwise get no finding at all, and 300 sites would make 300 of one fact).
- Memory is compared summed to the millionth of a GB (1.1 + 2.2 GB fits a 3.3 GB host), and
  a message counts the VMs whose memory (RCV-01/02) or vCPUs (RCV-03) are unknown.
- RCV-06 fires when every replication listing the VM goes to a server in the VM's own site
  (the catalog's words), whichever of them its recovery would take.
- RCV-07 and RCV-08 give one finding per VM and dependency (subjects: the VM, then the
  dependency, then for RCV-08 the lost site).
"""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.capacity.storage import replica_storage_need_gb
from hvdesigner.model.derived import server_label
from hvdesigner.model.entities import VM, Cluster
from hvdesigner.recovery.scenarios import (
    NO_GROUP,
    dependency_cycles,
    home_site,
    is_server,
    own_site_lost,
    server_loads,
    site_of,
)
from hvdesigner.recovery.words import listed
from hvdesigner.rules.check import Finding, RuleReader, cap, check, finding


def _when(r: RuleReader, site: str | None) -> str:
    return "in normal operation" if site is None else f"in the loss of site {r.get(site).name}"


def _scenario(*subjects: str, site: str | None) -> tuple[str, ...]:
    """A scenario finding's subjects: the lost site's id last (none for the normal one)."""
    return subjects if site is None else (*subjects, site)


def _vms(n: int) -> str:
    return f"{n} VM{'' if n == 1 else 's'}"


def _unknown(n: int, what: str) -> str:
    return "" if not n else f" ({_vms(n)} of unknown {what} not counted)"


# ---------------------------------------------------------------- servers
@check("server")
def scenario_capacity(r: RuleReader, server_id: str) -> Iterator[Finding]:
    """RCV-01..03: a server's memory and vCPUs in each scenario that matters to it."""
    if not is_server(r, server_id):
        return
    server = r.get(server_id)
    absorbable = _without_largest_node(r, server_id) if isinstance(server, Cluster) else None
    per_core = r.assumptions.vcpu_per_core
    # (the words, and the lost site's name, only for a finding: a few servers in a hundred)
    for site, load in server_loads(r, server_id).items():
        memory, cores = load.capacity.memory_gb, load.capacity.cpus
        over = load.over_memory
        if over:
            # (short of memory in normal operation: so in the loss of every other site too,
            # said once, as the normal scenario's finding, rather than once per site)
            when = _when(r, site) if site is not None else "in normal operation, and so in " \
                "the loss of any other site"
            yield finding("RCV-01", f"{cap(when)}, {server_label(r, server_id)} needs "
                          f"{load.memory_demand_gb:g} GB of memory to run "
                          f"{_vms(len(load.running))} but has {memory:g} GB"
                          f"{_unknown(load.unknown_memory, 'memory')}.",
                          *_scenario(server_id, site=site))
        if absorbable is not None and not over and load.memory_demand_gb > absorbable:
            yield finding("RCV-02", f"{cap(_when(r, site))}, {server_label(r, server_id)} needs "
                          f"{load.memory_demand_gb:g} GB of memory; without its largest node it "
                          f"has {absorbable:g} GB, so it could not absorb a node failure"
                          f"{_unknown(load.unknown_memory, 'memory')}.",
                          *_scenario(server_id, site=site))
        if load.over_cores:
            yield finding("RCV-03", f"{cap(_when(r, site))}, {server_label(r, server_id)} runs "
                          f"{load.vcpu_demand} vCPUs on {cores} cores, more than {per_core:g} "
                          f"per core{_unknown(load.unknown_vcpus, 'vCPUs')}.",
                          *_scenario(server_id, site=site))


def _without_largest_node(r: RuleReader, cluster_id: str) -> float | None:
    """A cluster's memory less its largest node's; None when any node's is unknown."""
    memory: list[float | None] = [r.get(n).memory_gb for n in r.nodes_of(cluster_id)]
    known = [m for m in memory if m is not None]
    if not memory or len(known) < len(memory):
        return None
    return round(sum(known) - max(known), 6)  # (as the demand is summed)


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
    depends_on = r.get(vm_id).depends_on
    if not depends_on:
        return  # (most VMs depend on none: no walk to set up)
    reachable = set(depends_on)  # (the walk from its own dependencies: 13,400 VMs at 5,000 hosts)
    stack = list(reachable)
    while stack:
        for dep in r.get(stack.pop()).depends_on:
            if dep not in reachable:
                reachable.add(dep)
                stack.append(dep)
    if vm_id not in reachable:
        return  # (nearly every VM: no way back to itself, no cycle to work out)
    for cycle in dependency_cycles(r, reachable):
        if vm_id in cycle:
            yield finding("RCV-05", f"VMs {listed([r.get(v).name for v in cycle])} depend on each other in a cycle, "
                          "so none of them can start first.", *cycle)


@check("vm")
def no_copy_elsewhere(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    """RCV-06: a replicated VM lost with its own site."""
    listing = r.replications_listing(vm_id)
    if not listing:
        return
    site = home_site(r, vm_id)
    # (every server it replicates to, as the catalog says: not just the links its recovery
    # takes, so a VM with a second copy elsewhere, TOP-02's mistake, is not said to be lost)
    for rep_id in listing:
        if site_of(r, r.get(rep_id).target) != site:
            return  # (a copy elsewhere: nearly every replicated VM, found at its first link)
    yield finding("RCV-06", f"VM {r.get(vm_id).name} is lost when site {r.get(site).name} "
                  "is lost: every server it replicates to is in that site.", vm_id, site)


def _group(vm: VM) -> int:
    return NO_GROUP if vm.recovery_group is None else vm.recovery_group


def _group_label(vm: VM) -> str:
    group = vm.recovery_group
    return "no recovery group" if group is None else f"recovery group {group}"


@check("vm")
def dependency_starts_later(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    """RCV-07: a dependency in a later recovery group."""
    vm: VM = r.get(vm_id)
    group = _group(vm)
    for dep_id in vm.depends_on:
        dep: VM = r.get(dep_id)
        if _group(dep) > group:
            yield finding("RCV-07", f"VM {vm.name} ({_group_label(vm)}) depends on VM {dep.name}, "
                          f"which starts later ({_group_label(dep)}).", vm_id, dep_id)


@check("vm")
def dependency_not_recovered(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    """RCV-08: in the loss of its site, a VM recovers but a dependency does not come back."""
    vm: VM = r.get(vm_id)
    if not vm.depends_on:
        return
    if own_site_lost(r, vm_id).status != "recovered":
        return  # (its own site asked only then: own_site_lost has read it)
    site = home_site(r, vm_id)
    for dep_id in vm.depends_on:
        if home_site(r, dep_id) != site:
            continue  # (not hit: it runs)
        status = own_site_lost(r, dep_id).status
        if status in ("lost", "down"):
            yield finding("RCV-08", f"In the loss of site {r.get(site).name}, VM {vm.name} "
                          f"recovers but depends on VM {r.get(dep_id).name}, which is then "
                          f"{status}.", vm_id, dep_id, site)
