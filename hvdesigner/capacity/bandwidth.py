"""Bandwidth a replication needs and the load it puts on a WAN link.

The formula is the design format's ``assumptions``: a VM needs the sum over its replicated
disks of ``churn_mb_s × 8 × (1 + growth) × (1 − compression_saving if compression else 1)``
Mbps. A WAN link carries each VM once per primary or extended link of it that crosses the link,
with that replication's compression. The sizing rules (SZ-*) and every report use these.
"""

from __future__ import annotations

from hvdesigner.model.derived import Reader, per_pass, vm_links
from hvdesigner.model.entities import VM, Assumptions, Replication


def vm_required_mbps(vm: VM, compression: bool, assumptions: Assumptions) -> float:
    """Megabits per second a VM's replicated churn needs on one link."""
    churn = sum([d.churn_mb_s for d in vm.disks if d.replicate])  # (a list: 20,000 VMs a check)
    saving = assumptions.compression_saving if compression else 0.0
    return churn * 8 * (1 + assumptions.growth) * (1 - saving)


@per_pass
def carried_vms(r: Reader, rep_id: str) -> tuple[str, ...]:
    """The VMs a replication carries: those it lists and is a primary or extended link of."""
    rep: Replication = r.get(rep_id)
    carried = []
    for vm_id in rep.vms:
        links = vm_links(r, vm_id)
        if rep.id in links.primary or rep.id in links.extended:
            carried.append(vm_id)
    return tuple(carried)


@per_pass
def vm_shares(r: Reader, rep_id: str) -> tuple[tuple[str, float], ...]:
    """Each VM a replication carries, with the Mbps it needs on it."""
    rep: Replication = r.get(rep_id)
    carried = carried_vms(r, rep_id)
    if not carried:
        return ()
    assumptions = r.assumptions  # (once, not once a VM)
    return tuple([(vm_id, vm_required_mbps(r.get(vm_id), rep.compression, assumptions))
                  for vm_id in carried])


def replication_mbps(r: Reader, rep_id: str) -> float:
    """What one replication carries: its VMs for which it is a primary or extended link."""
    return sum([mbps for _, mbps in vm_shares(r, rep_id)])


@per_pass
def wan_load_mbps(r: Reader, wan_id: str) -> float:
    """Replication load on a WAN link: every replication between its two sites."""
    site_a, site_b = r.get(wan_id).sites
    return sum([replication_mbps(r, rep_id) for rep_id in sorted(r.replications_between(site_a, site_b))])
