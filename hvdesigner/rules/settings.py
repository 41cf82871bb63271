"""Replication setting rules (VM-*): frequency, recovery points, app-consistent snapshots,
compression, failover addressing and VM generation."""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.model.derived import (
    is_cross_site,
    replication_label,
    server_label,
    server_os,
)
from hvdesigner.model.entities import VM, Replication
from hvdesigner.rules.check import Finding, RuleReader, cap, check, finding


def _on_2012(r: RuleReader, rep: Replication) -> bool:
    return "2012" in (server_os(r, rep.source), server_os(r, rep.target))


@check("replication")
def frequency(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    if rep.frequency_s not in (30, 300, 900):
        yield finding("VM-01", f"{cap(replication_label(r, rep))} replicates every "
                      f"{rep.frequency_s} s; Hyper-V allows 30, 300 or 900 s.", rep_id)
    elif rep.frequency_s != 300 and _on_2012(r, rep):
        yield finding("VM-01", f"{cap(replication_label(r, rep))} replicates every "
                      f"{rep.frequency_s} s, but Windows Server 2012 replicates every 300 s only.",
                      rep_id)


@check("replication")
def recovery_points(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    if 0 <= rep.recovery_points <= 15:
        return  # (allowed whatever the servers run: their versions need not be read)
    limit = 15 if _on_2012(r, rep) else 24
    if rep.recovery_points < 0 or rep.recovery_points > limit:
        yield finding("VM-02", f"{cap(replication_label(r, rep))} keeps {rep.recovery_points} "
                      f"additional recovery points; allowed is 0 to {limit}.", rep_id)


@check("replication")
def app_consistent(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    if rep.vss_hours is None:
        return
    label = cap(replication_label(r, rep))
    if not 1 <= rep.vss_hours <= 12:
        yield finding("VM-03", f"{label} takes app-consistent snapshots every {rep.vss_hours} h; "
                      "allowed is 1 to 12 h.", rep_id)
    elif rep.recovery_points == 0:
        yield finding("VM-03", f"{label} takes app-consistent snapshots but keeps no additional "
                      "recovery points.", rep_id)


@check("replication")
def compression(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    if not rep.compression:
        yield finding("VM-04", f"{cap(replication_label(r, rep))} sends uncompressed.", rep_id)


@check("vm")
def vm_on_its_links(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    """VM-05 (static IP across sites, no failover address planned) and VM-06 (VSS without
    integration services)."""
    vm: VM = r.get(vm_id)
    unplanned = vm.static_ip and vm.failover_ip is None
    if not unplanned and vm.integration_services:
        return  # (most VMs: nothing about them either rule asks of their links)
    for rep_id in sorted(r.replications_listing(vm_id)):
        rep: Replication = r.get(rep_id)
        if unplanned and is_cross_site(r, rep):
            yield finding("VM-05", f"VM {vm.name} has a static IP address and replicates across "
                          f"sites on {replication_label(r, rep)}: plan its failover TCP/IP "
                          "settings.", vm_id, rep_id)
        if rep.vss_hours is not None and not vm.integration_services:
            yield finding("VM-06", f"VM {vm.name} has no integration services but "
                          f"{replication_label(r, rep)} takes app-consistent snapshots.",
                          vm_id, rep_id)


@check("vm")
def generation(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    vm: VM = r.get(vm_id)
    if vm.generation != 2:
        return
    listing = r.replications_listing(vm_id)
    if server_os(r, vm.placement) != "2012":
        for rep in listing:  # (a loop, without a list of the targets: 21,000 VMs at 5,000 hosts)
            if server_os(r, r.get(rep).target) == "2012":
                break
        else:
            return  # (nearly every VM: no server of Windows Server 2012, nothing to put in order)
    targets = [r.get(rep).target for rep in listing]  # (a finding for each 2012 server, in order)
    for server_id in dict.fromkeys([vm.placement, *sorted(set(targets))]):
        if server_os(r, server_id) == "2012":
            role = "runs on" if server_id == vm.placement else "replicates to"
            yield finding("VM-07", f"Generation 2 VM {vm.name} {role} {server_label(r, server_id)}, "
                          "which runs Windows Server 2012.", vm_id, server_id)
