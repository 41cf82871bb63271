"""Firewall rules (FW-*): the replication port must be open on every receiving machine's
Windows Firewall and on every network firewall the traffic passes."""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.model.derived import (
    firewall_allows,
    firewalls_passed,
    machines,
    replication_label,
)
from hvdesigner.model.entities import Host, Replication
from hvdesigner.rules.check import Finding, RuleReader, check, finding


@check("replication")
def windows_firewall(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    port = rep.effective_port
    for host_id in machines(r, rep.target):
        host: Host = r.get(host_id)
        if not host.windows_firewall.allows(port):
            subjects = (rep_id, host_id) + ((host.cluster,) if host.cluster else ())
            yield finding("FW-01", f"Windows Firewall on {host.name} blocks inbound TCP {port} "
                          f"used by {replication_label(r, rep)}.", *subjects)


@check("replication")
def network_firewalls(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    port = rep.effective_port
    for crossing in firewalls_passed(r, rep):
        if not firewall_allows(crossing, port):
            yield finding("FW-02", f"Firewall {crossing.firewall.name} blocks {crossing.direction} "
                          f"TCP {port} used by {replication_label(r, rep)}.",
                          rep_id, crossing.firewall.id)
