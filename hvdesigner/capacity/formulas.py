"""Capacity formulas (Qt-free): the per-VM and per-disk maths, its constants and its sources.

Every figure of :mod:`hvdesigner.capacity.model` comes from here or from
:mod:`hvdesigner.capacity.bandwidth` (required bandwidth, WAN load: the format's
``assumptions``). Sources are ``shared/domain/hyperv-replica.md`` §5 and its [S..] list.
Units: churn MB/s, sizes GB (1 GB = 1,024 MB, as the format's "Replica storage"), bandwidth
Mbps (1 MB = 8 Mb), so one GB is 8,192 Mb.

- **Initial replication** over the network: ``hours = U × 8192 / B / 3600``, U the used size of
  the replicated disks (a disk without ``used_gb`` is taken as full, as the format says), B the
  WAN link's bandwidth, no efficiency factor (the format folds overheads into ``growth``).
  Sanity: 650 GB over 100 Mbps ≈ 14.8 h ("about 13 h" [S41]). Above the planned window
  (default :data:`DEFAULT_WINDOW_HOURS`) seeding by external media is recommended [S9][S57].
- **Resync tolerance**: tracking logs over 50 % of the VM's replicated VHD size force a
  resynchronization [S19], so an outage is tolerated for ``0.5 × V × 1024 / w`` seconds, V the
  size of the replicated disks, w their churn × (1 + growth) (the logs on the primary are not
  compressed). No churn: no limit (``None``).
- **RPO** on a WAN link at utilisation u (load ÷ bandwidth): sharing the link in proportion to
  their need, every replication moves a cycle's data in ``f × u`` seconds, f its interval. The
  exposure is up to two intervals in steady state plus that transfer latency [S48]:
  ``2 f + f × u`` (never less than the format's data-loss bound 2 × f: a DR plan must not
  understate data loss). When u > 1 the cycle can't leave within its interval: cycles are
  missed (health Warning past 20 % [S18]) and the backlog grows without bound (``None``); this
  is SZ-01 exactly. Without a WAN link (same site, or SZ-03) the transfer is unknown and the
  bound 2 × f is given.
- **Replica storage** of a disk on a link with N recovery points: the format's formula, ``used
  + N × (0.10 × size`` on a 2012 target [S28] ``else min(used, churn × 3600 / 1024 × (1 +
  growth)))`` GB.
- **Replica IOPS multiplier** with recovery history: 4–6 × the primary's writes on 2012
  (snapshots), 2–3 × on 2012 R2 and later (undo logs) [S28]; 1 × without recovery points.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from hvdesigner.model.entities import Assumptions, Disk

#: Megabits in a gigabyte (1 GB = 1,024 MB, 1 MB = 8 Mb).
MBIT_PER_GB = 8 * 1024
#: Initial replication window, hours, above which media seeding is recommended.
DEFAULT_WINDOW_HOURS = 48.0
#: Initial replication methods that send the copy over the network (not media or a backup).
OVER_NETWORK = frozenset({"network", "scheduled"})
#: Tracking logs over this share of the replicated VHD size force a resync [S19].
RESYNC_LOG_SHARE = 0.5
#: Per recovery point on a WS2012 replica: share of the base disk [S28].
SNAPSHOT_SHARE_2012 = 0.10
#: Replica write IOPS per primary write IOPS, (low, high), with recovery history [S28].
IOPS_2012: tuple[float, float] = (4.0, 6.0)
IOPS_2012R2: tuple[float, float] = (2.0, 3.0)
IOPS_NO_HISTORY: tuple[float, float] = (1.0, 1.0)


class Replicated(NamedTuple):
    """A VM's replicated disks, summed: size and used GB, churn MB/s."""

    size_gb: float
    used_gb: float
    churn_mb_s: float


def replicated(disks: Iterable[Disk]) -> Replicated:
    size = used = churn = 0.0
    for d in disks:
        if d.replicate:
            size += d.size_gb
            used += d.used
            churn += d.churn_mb_s
    return Replicated(size, used, churn)


def initial_replication_hours(used_gb: float, bandwidth_mbps: float) -> float:
    """Hours to send ``used_gb`` over a link of ``bandwidth_mbps``."""
    return used_gb * MBIT_PER_GB / bandwidth_mbps / 3600


def resync_after_outage_hours(vm: Replicated, assumptions: Assumptions) -> float | None:
    """Hours of outage before the tracking logs force a resync; ``None`` without churn."""
    churn = vm.churn_mb_s * (1 + assumptions.growth)
    if churn <= 0:
        return None
    return RESYNC_LOG_SHARE * vm.size_gb * 1024 / churn / 3600


def transfer_and_rpo(frequency_s: float, utilization: float | None) -> tuple[float | None, float | None]:
    """A cycle's transfer time and the RPO exposure, seconds, on a link at ``utilization``
    (``None``: no WAN link to size against); RPO ``None`` when cycles are missed."""
    if utilization is None:
        return None, 2.0 * frequency_s
    transfer = frequency_s * utilization
    return transfer, (2.0 * frequency_s + transfer if utilization <= 1 else None)


def replica_storage_gb(disks: Iterable[Disk], points: int, target_2012: bool,
                       assumptions: Assumptions) -> float:
    """GB a VM takes on a replica keeping ``points`` recovery points: the sum over its
    replicated disks of each one's. (Worked out in the loop, not a call a disk: RCV-04 asks for
    20,000 VMs and 67,000 disks at 5,000 hosts; so :attr:`Disk.used` and ``min(used, churn)``
    are written out, the same values.)"""
    grown = 1 + assumptions.growth
    per_disk = []
    for disk in disks:
        if disk.replicate:
            used = disk.size_gb if (used_gb := disk.used_gb) is None else used_gb
            if target_2012:
                per_point = SNAPSHOT_SHARE_2012 * disk.size_gb
            else:
                churned = disk.churn_mb_s * 3600 / 1024 * grown
                per_point = churned if churned < used else used  # (min's pick, ties to used)
            per_disk.append(used + points * per_point)
    return sum(per_disk)


def iops_multiplier(points: int, target_2012: bool) -> tuple[float, float]:
    if points == 0:
        return IOPS_NO_HISTORY
    return IOPS_2012 if target_2012 else IOPS_2012R2
