"""The capacity model (Qt-free): per WAN link, replication, VM and target server, the figures
the capacity command, the dock, the inspector and the link labels show.

Plain frozen values, computed from a :class:`~hvdesigner.model.derived.Reader` by the formulas
of :mod:`hvdesigner.capacity.formulas` and :mod:`hvdesigner.capacity.bandwidth` (the SZ rules
use the same functions, so a WAN link is over its bandwidth exactly when SZ-01 fires).

- :func:`capacity` computes every figure of a design at once (each shared fact once).
- :func:`wan_link_capacity`, :func:`replication_capacity`, :func:`vm_capacity` and
  :func:`server_capacity` compute one entity's, reading only what it needs (a WAN link's
  replications and their VMs), for the inspector and the labels.

What an edit changes (for a view that updates only that): a VM's disks or links change the VM,
the replications carrying it, their targets and their WAN links, and through a link's load the
RPO of every replication and VM on it; a WAN link's bandwidth changes the link and the RPO and
initial replication of its replications and their VMs; the assumptions change everything.

Choices where the documents leave room: a replication carries the VMs it is a primary or
extended link of (as the WAN load counts them); a VM's bandwidth, data per cycle, RPO and
initial replication are those of its primary link (its first, by id), its replica storage the
sum over every link carrying it; a WAN link's initial replication sends every VM it carries
whose initial copy goes over the network, one after another at the full bandwidth (the
media-seeding question for a site pair); media seeding is recommended where the copy would go
over the network (``initial`` network or scheduled) and take longer than the window; a target
server's storage is counted at the server replication is classified by: a node's replicas
count on its cluster (shared storage, and RCV-04 compares the cluster's own size); a target
"runs 2012" by :func:`~hvdesigner.model.derived.server_os` (a cluster: its oldest node).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from hvdesigner.capacity import formulas
from hvdesigner.capacity.bandwidth import (
    carried_vms,
    replication_mbps,
    vm_required_mbps,
    vm_shares,
    wan_load_mbps,
)
from hvdesigner.capacity.storage import (
    incoming,
    replica_storage_gb,
    replica_storage_need_gb,
    target_runs_2012,
)
from hvdesigner.model.derived import (
    PlainReader,
    Reader,
    endpoint,
    per_pass,
    vm_links,
    wan_link_of,
)
from hvdesigner.model.design import Design
from hvdesigner.model.entities import VM, Replication, WanLink
from hvdesigner.model.gc_pause import gc_paused


@dataclass(frozen=True, slots=True)
class Contribution:
    """One VM's share of a WAN link's load, through one replication."""

    vm: str
    replication: str
    mbps: float


@dataclass(frozen=True, slots=True)
class WanLinkCapacity:
    id: str
    name: str
    sites: tuple[str, str]
    bandwidth_mbps: float
    load_mbps: float
    #: load ÷ bandwidth (0.5 = half).
    utilization: float
    utilization_ceiling: float
    #: ceiling × bandwidth − load: what more fits under the ceiling (negative: over it).
    headroom_mbps: float
    over_ceiling: bool
    #: load > bandwidth: cycles are missed (SZ-01).
    over_bandwidth: bool
    replications: tuple[str, ...]
    #: Every VM's share, largest first.
    contributions: tuple[Contribution, ...]
    #: Used size of the VMs whose initial copy crosses the link (``initial`` network or
    #: scheduled), and the hours to send them all at the full bandwidth.
    used_gb: float
    initial_replication_hours: float
    media_recommended: bool


@dataclass(frozen=True, slots=True)
class ReplicationCapacity:
    id: str
    source: str
    target: str
    wan_link: str | None
    frequency_s: int
    vms: tuple[str, ...]
    required_mbps: float
    data_per_cycle_mb: float
    #: Seconds to move one cycle on the WAN link; None without a WAN link.
    transfer_s: float | None
    #: Data loss exposure in steady state, seconds; None when cycles are missed.
    rpo_s: float | None
    cycles_missed: bool
    used_gb: float
    initial_replication_hours: float | None
    media_recommended: bool
    replica_storage_gb: float
    iops_multiplier: tuple[float, float]


@dataclass(frozen=True, slots=True)
class VmCapacity:
    id: str
    name: str
    primary: str | None
    required_mbps: float
    data_per_cycle_mb: float
    replicated_size_gb: float
    used_gb: float
    rpo_s: float | None
    initial_replication_hours: float | None
    media_recommended: bool
    resync_after_outage_hours: float | None
    replica_storage_gb: float


@dataclass(frozen=True, slots=True)
class ServerCapacity:
    id: str
    name: str
    replications: tuple[str, ...]
    replica_storage_gb: float
    iops_multiplier: tuple[float, float]


@dataclass(frozen=True, slots=True)
class Capacity:
    window_hours: float
    wan_links: tuple[WanLinkCapacity, ...]
    replications: tuple[ReplicationCapacity, ...]
    vms: tuple[VmCapacity, ...]
    servers: tuple[ServerCapacity, ...]


# ---------------------------------------------------------------- shared facts
def _utilization(r: Reader, wan_id: str) -> float:
    wan: WanLink = r.get(wan_id)
    return wan_load_mbps(r, wan_id) / wan.bandwidth_mbps


@per_pass
def _replicated(r: Reader, vm_id: str) -> formulas.Replicated:
    return formulas.replicated(r.get(vm_id).disks)


class _Link(NamedTuple):
    """Where a replication's cycles go: its WAN link and that link's figures."""

    wan_id: str | None
    bandwidth_mbps: float | None
    transfer_s: float | None
    rpo_s: float | None
    cycles_missed: bool


@per_pass
def _link(r: Reader, rep_id: str) -> _Link:
    rep: Replication = r.get(rep_id)
    wan_id = wan_link_of(r, rep)
    if wan_id is None:
        return _Link(None, None, *formulas.transfer_and_rpo(rep.frequency_s, None), False)
    utilization = _utilization(r, wan_id)
    return _Link(wan_id, r.get(wan_id).bandwidth_mbps,
                 *formulas.transfer_and_rpo(rep.frequency_s, utilization), utilization > 1)


def _hours(rep: Replication, link: _Link, used_gb: float) -> float | None:
    """Hours of the initial copy over the WAN link; None without one, or when the copy does
    not go over the network (seeded by media, or from an existing replica)."""
    if link.bandwidth_mbps is None or rep.initial not in formulas.OVER_NETWORK:
        return None
    return formulas.initial_replication_hours(used_gb, link.bandwidth_mbps)


def _media(rep: Replication, hours: float | None, window_hours: float) -> bool:
    """Seed by media: the copy would go over the network and take longer than the window."""
    return rep.initial in formulas.OVER_NETWORK and hours is not None and hours > window_hours


def _data_per_cycle_mb(mbps: float, frequency_s: int) -> float:
    return mbps * frequency_s / 8


# ---------------------------------------------------------------- one entity
def wan_link_capacity(r: Reader, wan_id: str,
                      window_hours: float = formulas.DEFAULT_WINDOW_HOURS) -> WanLinkCapacity:
    wan: WanLink = r.get(wan_id)
    load = wan_load_mbps(r, wan_id)
    ceiling = r.assumptions.utilization_ceiling
    reps = tuple(sorted(r.replications_between(*wan.sites)))
    shares = []
    used = 0.0
    for rep_id in reps:
        over_network = r.get(rep_id).initial in formulas.OVER_NETWORK
        for vm_id, mbps in vm_shares(r, rep_id):
            shares.append(Contribution(vm_id, rep_id, mbps))
            if over_network:
                used += _replicated(r, vm_id).used_gb
    shares.sort(key=lambda c: (-c.mbps, c.vm, c.replication))
    hours = formulas.initial_replication_hours(used, wan.bandwidth_mbps)
    return WanLinkCapacity(
        wan.id, wan.name, wan.sites, wan.bandwidth_mbps, load, _utilization(r, wan_id), ceiling,
        ceiling * wan.bandwidth_mbps - load, load > ceiling * wan.bandwidth_mbps,
        load > wan.bandwidth_mbps, reps, tuple(shares), used, hours, hours > window_hours)


def replication_capacity(r: Reader, rep_id: str,
                         window_hours: float = formulas.DEFAULT_WINDOW_HOURS) -> ReplicationCapacity:
    rep: Replication = r.get(rep_id)
    vms = carried_vms(r, rep_id)
    mbps = replication_mbps(r, rep_id)
    link = _link(r, rep_id)
    used = sum(_replicated(r, v).used_gb for v in vms)
    hours = _hours(rep, link, used)
    return ReplicationCapacity(
        rep.id, rep.source, rep.target, link.wan_id, rep.frequency_s, vms, mbps,
        _data_per_cycle_mb(mbps, rep.frequency_s), link.transfer_s, link.rpo_s,
        link.cycles_missed, used, hours, _media(rep, hours, window_hours),
        sum(replica_storage_gb(r, rep_id).values()), _iops(r, rep_id))


def vm_capacity(r: Reader, vm_id: str,
                window_hours: float = formulas.DEFAULT_WINDOW_HOURS) -> VmCapacity:
    vm: VM = r.get(vm_id)
    links = vm_links(r, vm_id)
    disks = _replicated(r, vm_id)
    used, size = disks.used_gb, disks.size_gb
    storage = sum(replica_storage_gb(r, rep_id)[vm_id] for rep_id in links.primary + links.extended)
    resync = formulas.resync_after_outage_hours(disks, r.assumptions)
    if not links.primary:
        return VmCapacity(vm.id, vm.name, None, 0.0, 0.0, size, used, None, None, False, resync,
                          storage)
    rep: Replication = r.get(links.primary[0])
    mbps = vm_required_mbps(vm, rep.compression, r.assumptions)
    link = _link(r, rep.id)
    hours = _hours(rep, link, used)
    return VmCapacity(
        vm.id, vm.name, rep.id, mbps, _data_per_cycle_mb(mbps, rep.frequency_s), size, used,
        link.rpo_s, hours, _media(rep, hours, window_hours), resync, storage)


def _iops(r: Reader, rep_id: str) -> tuple[float, float]:
    rep: Replication = r.get(rep_id)
    return formulas.iops_multiplier(rep.recovery_points, target_runs_2012(r, rep))


def server_capacity(r: Reader, server_id: str) -> ServerCapacity:
    """A target server's replica storage (:func:`~hvdesigner.capacity.storage.replica_storage_need_gb`)
    and the highest IOPS multiplier among the replications into it."""
    server = r.get(server_id)
    reps = incoming(r, server_id)
    storage = replica_storage_need_gb(r, server_id)
    iops = max((_iops(r, rep_id) for rep_id in reps), default=formulas.IOPS_NO_HISTORY)
    return ServerCapacity(server.id, server.name, tuple(reps), storage, iops)


# ---------------------------------------------------------------- the whole design
def capacity(design: Design, window_hours: float = formulas.DEFAULT_WINDOW_HOURS) -> Capacity:
    """Every figure of a design, in file order; target servers: those replication goes to."""
    r = PlainReader(design, dt.date.today(), {})
    targets = dict.fromkeys(endpoint(r, rep.target) for rep in design.replications.values())
    with gc_paused():  # (thousands of small values, no cycles: see gc_pause)
        return Capacity(
            window_hours,
            tuple(wan_link_capacity(r, i, window_hours) for i in design.wan_links),
            tuple(replication_capacity(r, i, window_hours) for i in design.replications),
            tuple(vm_capacity(r, i, window_hours) for i in design.vms),
            tuple(server_capacity(r, i) for i in targets))
