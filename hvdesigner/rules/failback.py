"""Failback rules (FBK-*): after a failover the replica replicates back to the primary, so the
primary must accept the replica side as the Replica server accepts the primary (RS-02,
AUTH-02/03, FW-01/02 the other way round).

Checked only when the replication's source is a Replica server: otherwise RS-05 already says
failback will fail. Each rule asks the forward rule's own question of the derived facts, with
source and target swapped; warnings, since replication works until the day of a failback.
"""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.model.derived import (
    admits,
    blocking_firewalls,
    closed_machines,
    identity,
    listener_mismatch,
    replica_settings,
    replication_label,
    server_label,
)
from hvdesigner.model.entities import Replication
from hvdesigner.rules.check import Finding, RuleReader, cap, check, finding
from hvdesigner.rules.firewall import machine_subjects


@check("replication")
def source_takes_failback(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    """FBK-01 (listener: auth and port) and FBK-02 (authorization of the replica side)."""
    rep: Replication = r.get(rep_id)
    settings = replica_settings(r, rep.source)
    if settings is None:
        return  # RS-05
    mismatch = listener_mismatch(settings, rep)
    if mismatch is not None:
        accepted, expected = mismatch
        if accepted:
            how = f"listens for {rep.auth} on port {expected}, not {rep.effective_port}"
        else:
            how = f"accepts {' and '.join(settings.auth) or 'nothing'}, not {rep.auth}"
        yield finding("FBK-01", f"{_source(r, rep)}, the primary of {replication_label(r, rep)}, "
                      f"{how}: replication back to it after a failover would be refused.",
                      rep_id, rep.source)
    target_name = identity(r, rep.target)
    if not admits(settings, target_name):
        yield finding("FBK-02", f"{_source(r, rep)}, the primary of {replication_label(r, rep)}, "
                      f"has no authorization entry for {target_name}, its replica side: "
                      "replication back after a failover would be refused.", rep_id, rep.source)


@check("replication")
def failback_firewalls(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    """FBK-03 (Windows Firewall on the primary's machines) and FBK-04 (network firewalls on
    the way back)."""
    rep: Replication = r.get(rep_id)
    if replica_settings(r, rep.source) is None:
        return  # RS-05
    port = rep.effective_port
    for host in closed_machines(r, rep.source, port):
        yield finding("FBK-03", f"Windows Firewall on {host.name} blocks inbound TCP {port}, "
                      f"which replication back over {replication_label(r, rep)} needs after a "
                      "failover.", *machine_subjects(rep, host))
    for crossing in blocking_firewalls(r, rep, reverse=True):
        yield finding("FBK-04", f"Firewall {crossing.firewall.name} blocks {crossing.direction} "
                      f"TCP {port} from {r.get(rep.target).name} back to {r.get(rep.source).name}, "
                      f"which replication back over {replication_label(r, rep)} needs after a "
                      "failover.", rep_id, crossing.firewall.id)


def _source(r: RuleReader, rep: Replication) -> str:
    return cap(server_label(r, rep.source))
