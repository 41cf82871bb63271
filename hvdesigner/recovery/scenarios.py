"""Site-loss scenarios: what runs where, what is lost, and in what order VMs start.

This is the format's "Site-loss scenarios" (``shared/spec/design-format.md``, version 2) in
code, derived from a design and never stored. The facts one VM or one server contributes are
functions of a :class:`~hvdesigner.model.derived.Reader` (:func:`outcome`, :func:`capacity_of`,
:func:`own_site_lost`, :func:`server_loads`), so the recovery rules read them
through the checker's recording reader and stay incremental: a server works out only the site
losses that send it VMs (a VM is hit only when its own site is lost), never every site;
:func:`scenario` and :func:`single_site_scenarios` put them together for a whole design (the
``simulate`` command, the designer's scenario view, the deliverables).

Choices where the format leaves room, made here:

- A server is a cluster or a standalone host. A node host is not a server of its own in a
  scenario: the VMs placed on it, and those recovering to it, count on its cluster (a cluster
  moves its VMs between nodes; RCV-02 is the node-failure check).
- A VM on several primary (or extended) links (TOP-02) recovers through the first by id.
- The normal scenario is the one with no site lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, fields
from typing import Any, Literal, TypeAlias, TypeVar

from hvdesigner.model.derived import PlainReader, Reader, endpoint, per_pass, vm_links
from hvdesigner.model.design import Design
from hvdesigner.model.entities import VM, Cluster, Host, Replication
from hvdesigner.model.gc_pause import gc_paused

Status: TypeAlias = Literal["running", "recovered", "lost", "down"]


# Outcome and Load fill their slots by the slots' own setters: the frozen dataclass's
# ``__init__`` goes through ``object.__setattr__`` for each field, half the cost of making the
# 21,000 outcomes and 10,000 loads of a 5,000-host design's check.
@dataclass(frozen=True, slots=True, init=False)
class Outcome:
    """What becomes of one VM in a scenario."""

    status: Status
    #: The server it runs on (a cluster for a VM on a node), None when lost or down.
    runs_on: str | None
    #: Data-loss bound of a recovered VM, seconds.
    rpo_s: int | None = None
    #: The replication it recovered through (its primary or its extended link).
    via: str | None = None

    def __init__(self, status: Status, runs_on: str | None, rpo_s: int | None = None,
                 via: str | None = None) -> None:
        set_status, set_runs_on, set_rpo_s, set_via = _OUTCOME_SLOTS
        set_status(self, status)
        set_runs_on(self, runs_on)
        set_rpo_s(self, rpo_s)
        set_via(self, via)


@dataclass(frozen=True, slots=True)
class Size:
    """A VM's or a server's memory and processors; None where unknown."""

    memory_gb: float | None
    cpus: int | None


@dataclass(frozen=True, slots=True, init=False)
class Load:
    """A surviving server in a scenario: what its running set asks against what it has."""

    id: str
    #: (summed to the millionth of a GB: 1.1 + 2.2 GB is 3.3 GB, not over a 3.3 GB host)
    memory_demand_gb: float
    vcpu_demand: int
    #: Running VMs whose memory or vCPUs are unknown (they count 0 in the demand).
    unknown_vms: int
    capacity: Size
    running: tuple[str, ...]
    #: Running VMs whose memory, and whose vCPUs, are unknown.
    unknown_memory: int = 0
    unknown_vcpus: int = 0
    #: The design's ``vcpu_per_core``: the most vCPUs a core may carry (RCV-03).
    vcpu_per_core: float = 8

    def __init__(self, id: str, memory_demand_gb: float, vcpu_demand: int, unknown_vms: int,
                 capacity: Size, running: tuple[str, ...], unknown_memory: int = 0,
                 unknown_vcpus: int = 0, vcpu_per_core: float = 8) -> None:
        (set_id, set_memory, set_vcpus, set_unknown, set_capacity, set_running,
         set_unknown_memory, set_unknown_vcpus, set_per_core) = _LOAD_SLOTS
        set_id(self, id)
        set_memory(self, memory_demand_gb)
        set_vcpus(self, vcpu_demand)
        set_unknown(self, unknown_vms)
        set_capacity(self, capacity)
        set_running(self, running)
        set_unknown_memory(self, unknown_memory)
        set_unknown_vcpus(self, unknown_vcpus)
        set_per_core(self, vcpu_per_core)

    @property
    def over_memory(self) -> bool:
        memory = self.capacity.memory_gb
        return memory is not None and self.memory_demand_gb > memory

    @property
    def vcpu_capacity(self) -> float | None:
        """The vCPUs the server may run: its cores × ``vcpu_per_core``."""
        cores = self.capacity.cpus
        return None if cores is None else cores * self.vcpu_per_core

    @property
    def over_cores(self) -> bool:
        """More vCPUs than the cores may carry at ``vcpu_per_core`` (RCV-03's test)."""
        capacity = self.vcpu_capacity
        return capacity is not None and self.vcpu_demand > capacity


def _slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of a slotted dataclass's fields, in their order."""
    return tuple(cls.__dict__[f.name].__set__ for f in fields(cls))


_OUTCOME_SLOTS = _slot_setters(Outcome)
_LOAD_SLOTS = _slot_setters(Load)


# ---------------------------------------------------------------- facts of one VM or server
def site_of(r: Reader, server_id: str) -> str:
    site: str = r.get(server_id).site  # (typed so, not by str(): with home_site, 110,000 calls)
    return site


def capacity_of(r: Reader, server_id: str) -> Size:
    """A host's memory and cores; a cluster's are the sums over its nodes, unknown when it has
    no nodes or any node's is unknown."""
    server = r.get(server_id)
    if isinstance(server, Host):
        return Size(server.memory_gb, server.cores)
    nodes = [r.get(n) for n in sorted(r.nodes_of(server_id))]
    memory = [n.memory_gb for n in nodes]
    cores = [n.cores for n in nodes]
    return Size(None if not nodes or None in memory else sum(memory),
                None if not nodes or None in cores else sum(cores))


def outcome(r: Reader, vm_id: str, lost: Set[str]) -> Outcome:
    """What becomes of a VM when the sites ``lost`` are lost."""
    vm: VM = r.get(vm_id)
    home = endpoint(r, vm.placement)
    if site_of(r, home) not in lost:
        return Outcome("running", home)
    return _hit(r, vm_id, lost)


def _hit(r: Reader, vm_id: str, lost: Set[str]) -> Outcome:
    """What becomes of a VM whose own site is among the sites ``lost``."""
    links = vm_links(r, vm_id)
    if not links.primary:
        return Outcome("down", None)
    primary: Replication = r.get(links.primary[0])
    if site_of(r, primary.target) not in lost:
        return Outcome("recovered", endpoint(r, primary.target), 2 * primary.frequency_s,
                       primary.id)
    for ext_id in links.extended:
        extended: Replication = r.get(ext_id)
        if extended.source == primary.target and site_of(r, extended.target) not in lost:
            return Outcome("recovered", endpoint(r, extended.target),
                           2 * (primary.frequency_s + extended.frequency_s), extended.id)
    return Outcome("lost", None)


def home_site(r: Reader, vm_id: str) -> str:
    """The site whose loss hits a VM: its placement's (a node's: its cluster's)."""
    # (endpoint and site_of by hand: 80,000 calls a check at 5,000 hosts; the same reads)
    placed = r.get(r.get(vm_id).placement)
    if isinstance(placed, Host) and placed.cluster is not None:
        placed = r.get(placed.cluster)
    site: str = placed.site
    return site


@per_pass
def own_site_lost(r: Reader, vm_id: str) -> Outcome:
    """What becomes of a VM in the one single-site loss that hits it, its own site's (worked
    out once a checking pass: its own unit, its dependents' and its replica servers' read it)."""
    return _hit(r, vm_id, {home_site(r, vm_id)})  # (hit by definition: not asked again)


def placed_on(r: Reader, server_id: str) -> list[str]:
    """The VMs placed on a server (a cluster: on it or on one of its nodes), by id."""
    placed = set(r.vms_on(server_id))
    if isinstance(r.get(server_id), Cluster):
        for node in r.nodes_of(server_id):
            placed |= r.vms_on(node)
    return sorted(placed)


def arrivals(r: Reader, server_id: str) -> dict[str, list[str]]:
    """The VMs that recover on a server in each single site's loss, by that site's id.

    Only a VM listed on a replication into the server (or one of its nodes) can, and only in
    the loss of its own site: so a server reads those VMs' outcomes, never every site's."""
    targets = [server_id]
    if isinstance(r.get(server_id), Cluster):
        targets += sorted(r.nodes_of(server_id))
    candidates: set[str] = set()
    for target in targets:
        for rep_id in r.replications_at(target):
            rep: Replication = r.get(rep_id)
            if rep.target == target:
                candidates.update(rep.vms)
    by_site: dict[str, list[str]] = {}
    for vm_id in sorted(candidates):
        if own_site_lost(r, vm_id).runs_on == server_id:
            by_site.setdefault(home_site(r, vm_id), []).append(vm_id)
    return by_site


def server_loads(r: Reader, server_id: str) -> dict[str | None, Load]:
    """A server's load in the normal scenario (key ``None``) and in the loss of each site that
    sends it VMs (key: the site's id). In the loss of any other site but its own, its running
    set is the normal one."""
    normal = load_of(r, server_id, placed_on(r, server_id))
    loads: dict[str | None, Load] = {None: normal}
    for site, vms in sorted(arrivals(r, server_id).items()):
        loads[site] = _adding(r, normal, vms)
    return loads


# ---------------------------------------------------------------- a whole design
@dataclass(frozen=True)
class Scenario:
    """One scenario of a design: the sites lost, each VM's outcome, each surviving server's
    load, and the start order of the VMs that recover."""

    lost: tuple[str, ...]
    outcomes: Mapping[str, Outcome]
    loads: Mapping[str, Load]
    #: The recovering VMs' ids in start order.
    start_order: tuple[str, ...]
    #: Each recovering VM's start order, from 1.
    start_positions: Mapping[str, int]
    #: The outcomes of the VMs the loss hit (every one not running where it is placed): a
    #: site's few hundred, where ``outcomes`` holds every VM of the design.
    hit: Mapping[str, Outcome]
    #: The surviving servers over memory or vCPUs, by id.
    over_capacity: frozenset[str]

    def vms_with(self, status: Status) -> list[str]:
        return [vm for vm, o in (self.outcomes if status == "running" else self.hit).items()
                if o.status == status]

    def receivers(self) -> set[str]:
        """The servers VMs recover to."""
        return {o.runs_on for vm in self.start_order if (o := self.outcomes[vm]).runs_on}

    def loads_to_show(self) -> list[Load]:
        """The loads worth showing in a plan: of the servers VMs recover to or over capacity
        (the others run their own VMs as in normal operation; a large design has thousands),
        by id."""
        return [self.loads[s] for s in sorted(self.receivers() | self.over_capacity)]


V = TypeVar("V")


class _Overlay(Mapping[str, V]):
    """The normal scenario's table (outcomes, or loads) with a lost site's own on top and,
    for loads, the lost site's servers hidden: every single-site scenario shares the normal
    one's table instead of copying it (300 copies of 25,000 outcomes and 4,000 loads at
    5,000 hosts)."""

    def __init__(self, base: Mapping[str, V], top: Mapping[str, V],
                 hidden: Set[str] = frozenset()) -> None:
        self._base, self._top, self._hidden = base, top, hidden

    def __getitem__(self, key: str) -> V:
        found = self._top.get(key)
        if found is not None:
            return found
        if key in self._hidden:
            raise KeyError(key)
        return self._base[key]

    def __iter__(self) -> Iterator[str]:
        hidden = self._hidden
        return (key for key in self._base if key not in hidden)

    def __len__(self) -> int:
        return len(self._base) - len(self._hidden)


def servers(design: Design) -> list[str]:
    """The servers of a scenario: every cluster and every standalone host, by id."""
    standalone = (h.id for h in design.hosts.values() if h.cluster is None)
    return sorted([*design.clusters, *standalone])


def scenario(design: Design, lost: Iterable[str] = ()) -> Scenario:
    """The scenario in which the sites ``lost`` are lost (none: the normal scenario)."""
    with gc_paused():
        return _scenario_of(design, frozenset(lost))


def _scenario_of(design: Design, lost_set: frozenset[str]) -> Scenario:
    r = PlainReader(design, dt.date.today())
    outcomes = {vm_id: outcome(r, vm_id, lost_set) for vm_id in sorted(design.vms)}
    running: dict[str, list[str]] = {}
    for vm_id, o in outcomes.items():
        if o.runs_on is not None:
            running.setdefault(o.runs_on, []).append(vm_id)
    loads = {server_id: load_of(r, server_id, running.get(server_id, []))
             for server_id in servers(design) if site_of(r, server_id) not in lost_set}
    hit = {vm: o for vm, o in outcomes.items() if o.status != "running"}
    return _scenario(design, tuple(sorted(lost_set)), outcomes, loads, hit, _over(loads.values()))


def single_site_scenarios(design: Design) -> list[Scenario]:
    """The normal scenario, then the loss of each site in turn (by site id).

    A VM is hit in one single-site loss only, its own site's: its outcome there is worked out
    once, the other scenarios share the normal one's, and a scenario works out again only the
    servers its VMs recover to. All of them cost about one scenario."""
    with gc_paused():  # (tens of thousands of small values, no cycles: see gc_pause)
        return _single_site_scenarios(design)


def _single_site_scenarios(design: Design) -> list[Scenario]:
    r = PlainReader(design, dt.date.today())  # (the mapping's own lookups)
    normal = _scenario_of(design, frozenset())
    hit: dict[str, dict[str, Outcome]] = {site: {} for site in design.sites}
    for vm_id, running in normal.outcomes.items():
        own = site_of(r, running.runs_on or "")
        hit[own][vm_id] = outcome(r, vm_id, {own})
    result = [normal]
    for site in sorted(design.sites):
        arriving: dict[str, list[str]] = {}
        for vm_id, o in hit[site].items():
            if o.runs_on is not None:
                arriving.setdefault(o.runs_on, []).append(vm_id)
        gone = frozenset(s for s in design.servers_in_site(site) if s in normal.loads)
        loads = {server_id: _adding(r, normal.loads[server_id], vms)
                 for server_id, vms in arriving.items()}
        over = (normal.over_capacity - gone - loads.keys()) | _over(loads.values())
        result.append(_scenario(design, (site,), _Overlay(normal.outcomes, hit[site]),
                                _Overlay(normal.loads, loads, gone), hit[site], over))
    return result


def _over(loads: Iterable[Load]) -> frozenset[str]:
    return frozenset(load.id for load in loads if load.over_memory or load.over_cores)


def _scenario(design: Design, lost: tuple[str, ...], outcomes: Mapping[str, Outcome],
              loads: Mapping[str, Load], hit: Mapping[str, Outcome],
              over: frozenset[str]) -> Scenario:
    order = start_order(design, [vm for vm, o in hit.items() if o.status == "recovered"])
    return Scenario(lost, outcomes, loads, order, {vm: i for i, vm in enumerate(order, 1)}, hit,
                    over)


def load_of(r: Reader, server_id: str, running: list[str]) -> Load:
    """A server's load with the VMs ``running`` on it."""
    empty = Load(server_id, 0.0, 0, 0, capacity_of(r, server_id), (),
                 vcpu_per_core=r.assumptions.vcpu_per_core)
    return _adding(r, empty, running)


def _adding(r: Reader, load: Load, vms: list[str]) -> Load:
    """A load with more VMs running (the VMs that recover onto a server, say)."""
    memory, cpus, unknown = load.memory_demand_gb, load.vcpu_demand, load.unknown_vms
    unknown_memory, unknown_vcpus = load.unknown_memory, load.unknown_vcpus
    get = r.get
    for vm_id in vms:
        vm: VM = get(vm_id)  # (its size read straight off: a Size for each was a tenth of RCV-01)
        vm_memory, vm_cpus = vm.memory_gb, vm.vcpus
        if vm_memory is None:
            unknown_memory += 1
        else:
            memory += vm_memory
        if vm_cpus is None:
            unknown_vcpus += 1
        else:
            cpus += vm_cpus
        unknown += vm_memory is None or vm_cpus is None
    return Load(load.id, round(memory, 6), cpus, unknown, load.capacity,
                tuple(sorted([*load.running, *vms])), unknown_memory, unknown_vcpus,
                load.vcpu_per_core)


#: Where a VM without a recovery group starts: after every numbered group (1-9).
NO_GROUP = 10


def start_order(r: Reader, vm_ids: Iterable[str]) -> tuple[str, ...]:
    """The VMs in start order: by recovery group (none last), within a group dependencies
    first (a topological order of ``depends_on`` restricted to the group), ties by name then
    id. VMs in a dependency cycle (RCV-05) start together, at the cycle's place, by name."""
    groups: dict[int, list[VM]] = {}
    for vm_id in vm_ids:
        vm: VM = r.get(vm_id)
        groups.setdefault(NO_GROUP if vm.recovery_group is None else vm.recovery_group, []).append(vm)
    order: list[str] = []
    for group in sorted(groups):
        order += _group_order(groups[group])
    return tuple(order)


def _group_order(vms: list[VM]) -> Iterator[str]:
    def key(vm_id: str) -> tuple[str, str]:
        return by_id[vm_id].name, vm_id

    by_id = {vm.id: vm for vm in vms}
    edges = [(dep, vm.id) for vm in vms for dep in vm.depends_on if dep in by_id]
    if not edges:  # (most groups: their VMs depend on earlier groups only)
        yield from sorted(by_id, key=key)
        return
    import networkx as nx  # (here: loading it is half the start-up of `hvdesigner validate`)

    graph = nx.DiGraph()
    graph.add_nodes_from(by_id)
    graph.add_edges_from(edges)
    # one node per strongly connected component: a cycle starts as one block
    blocks = nx.condensation(graph)
    members = {block: sorted(blocks.nodes[block]["members"], key=key) for block in blocks}
    for block in nx.lexicographical_topological_sort(blocks, key=lambda b: key(members[b][0])):
        yield from members[block]


def dependency_cycles(r: Reader, vm_ids: Iterable[str]) -> list[list[str]]:
    """The cycles of ``depends_on`` among the VMs (RCV-05): each as its VMs' ids, sorted,
    one list per strongly connected component that is a cycle."""
    dependents: dict[str, list[str]] = {}  # (the graph: each VM to the VMs depending on it)
    for vm_id in vm_ids:
        vm: VM = r.get(vm_id)
        dependents.setdefault(vm_id, [])
        for dep in vm.depends_on:
            dependents.setdefault(dep, []).append(vm_id)
    return sorted(sorted(c) for c in _strongly_connected(dependents) if len(c) > 1)


def _strongly_connected(edges: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of a graph given as each node's successors (every
    node a key), by Tarjan's algorithm without recursion. (Not networkx's: RCV-05 is the one
    thing `hvdesigner validate` would load networkx for, a third of its start-up.)"""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        path = [(root, iter(edges[root]))]
        while path:
            node, successors = path[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    path.append((successor, iter(edges[successor])))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:  # every successor seen: the node is done
                path.pop()
                if path:
                    parent = path[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def is_server(r: Reader, server_id: str) -> bool:
    """Whether a host or cluster is a server of its own in a scenario (not a node)."""
    server = r.get(server_id)
    return isinstance(server, Cluster) or server.cluster is None
