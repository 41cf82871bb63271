"""Firewall rules (FW-*): the replication port must be open on every receiving machine's
Windows Firewall and on every network firewall the traffic passes."""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.model.derived import (
    blocking_firewalls,
    closed_machines,
    replication_label,
)
from hvdesigner.model.entities import Host, Replication
from hvdesigner.rules.check import Finding, RuleReader, check, finding


@check("replication")
def windows_firewall(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    port = rep.effective_port
    for host in closed_machines(r, rep.target, port):
        yield finding("FW-01", f"Windows Firewall on {host.name} blocks inbound TCP {port} "
                      f"used by {replication_label(r, rep)}.", *machine_subjects(rep, host))


def machine_subjects(rep: Replication, host: Host) -> tuple[str, ...]:
    """A finding's subjects about a replication's machine: the link, the host, its cluster."""
    return (rep.id, host.id) + ((host.cluster,) if host.cluster else ())


@check("replication")
def network_firewalls(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    for crossing in blocking_firewalls(r, rep):
        yield finding("FW-02", f"Firewall {crossing.firewall.name} blocks {crossing.direction} "
                      f"TCP {rep.effective_port} used by {replication_label(r, rep)}.",
                      rep_id, crossing.firewall.id)
