"""Replica storage per replication and per target server: the format's "Replica storage"
(one formula for the capacity figures and RCV-04), read through a
:class:`~hvdesigner.model.derived.Reader` so the rule stays incremental.

Apart from :mod:`hvdesigner.capacity.model` so that the rules (which the command line's
``validate`` loads) need not load the whole capacity model. The per-disk maths is
:func:`hvdesigner.capacity.formulas.replica_storage_gb`. A replication counts the VMs it
carries (it is their primary or extended link, as the WAN load counts them); the format says
"every VM on every replication whose target is X": the same set unless TOP-03/TOP-04 fire.
"""

from __future__ import annotations

from hvdesigner.capacity import formulas
from hvdesigner.capacity.bandwidth import carried_vms
from hvdesigner.model.derived import Reader, per_pass, server_os
from hvdesigner.model.entities import Cluster, Replication


def target_runs_2012(r: Reader, rep: Replication) -> bool:
    """Whether a replication's target runs 2012 (a cluster: its oldest node)."""
    return server_os(r, rep.target) == "2012"


@per_pass
def replica_storage_gb(r: Reader, rep_id: str) -> dict[str, float]:
    """GB each VM a replication carries takes on its target."""
    rep: Replication = r.get(rep_id)
    on_2012 = target_runs_2012(r, rep)
    carried = carried_vms(r, rep_id)
    if not carried:
        return {}
    assumptions = r.assumptions  # (once, not once a VM)
    return {vm_id: formulas.replica_storage_gb(r.get(vm_id).disks, rep.recovery_points, on_2012,
                                               assumptions)
            for vm_id in carried}


def incoming(r: Reader, server_id: str) -> list[str]:
    """Replications whose target is the server or, for a cluster, one of its nodes."""
    targets = [server_id, *r.nodes_of(server_id)] if isinstance(r.get(server_id), Cluster) else [server_id]
    return sorted([rep_id for t in targets for rep_id in r.replications_at(t)
                   if r.get(rep_id).target == t])  # (a list: 4,000 servers a check)


def replica_storage_need_gb(r: Reader, server_id: str) -> float:
    """A server's replica storage need: every VM on every replication into it (a cluster:
    into it or one of its nodes; a node's replicas count on its cluster)."""
    return sum([gb for rep_id in incoming(r, server_id)  # (a list: 4,000 servers a check)
                for gb in replica_storage_gb(r, rep_id).values()])
