"""Topology rules (TOP-*): where replication may go, and the three-tier limit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from hvdesigner.model.derived import (
    endpoint,
    is_node,
    replication_label,
    server_label,
    server_os,
    vm_links,
    vms_extended_on,
)
from hvdesigner.model.entities import VM, Cluster, Host, Replication
from hvdesigner.rules.check import Finding, RuleReader, cap, check, finding


def _labels(r: RuleReader, rep_ids: Sequence[str]) -> str:
    return "; ".join(replication_label(r, r.get(i)) for i in rep_ids)


@check("replication")
def same_server(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    source, target = r.get(rep.source), r.get(rep.target)
    source_cluster = source.cluster if isinstance(source, Host) else None
    target_cluster = target.cluster if isinstance(target, Host) else None
    ends = (rep.source, rep.target)
    if rep.source == rep.target:
        why = f"replicates {server_label(r, rep.source)} to itself"
    elif source_cluster == rep.target or target_cluster == rep.source:
        why = "joins a node and its own cluster"
        # Subjects list a node before its cluster, whichever end the cluster is.
        if target_cluster == rep.source:
            ends = (rep.target, rep.source)
    elif source_cluster is not None and source_cluster == target_cluster:
        why = f"joins two nodes of cluster {r.get(source_cluster).name}"
    else:
        return
    yield finding("TOP-01", f"{cap(replication_label(r, rep))} {why}.", rep_id, *ends)


@check("vm")
def one_link_per_tier(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    if len(r.replications_listing(vm_id)) <= 1:
        return  # (nine VMs in ten: a tier's links are among those listing it, so one at most)
    links = vm_links(r, vm_id)
    if len(links.primary) <= 1 and len(links.extended) <= 1:
        return  # (nearly every other VM: one link a tier)
    vm: VM = r.get(vm_id)
    for kind, reps in (("primary", links.primary), ("extended", links.extended)):
        if len(reps) > 1:
            yield finding("TOP-02", f"VM {vm.name} is on {len(reps)} {kind} links: "
                          f"{_labels(r, reps)}.", vm_id, *reps)


@check("vm")
def links_from_where_it_runs(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    """TOP-03 (a link from nowhere it lives, or an extended link looping back) and TOP-04."""
    listing = r.replications_listing(vm_id)
    if not listing:
        return  # (a VM on no link: no link to say anything of)
    links = vm_links(r, vm_id)
    if len(links.primary) == len(listing):
        return  # (nearly every VM: every link listing it is a primary link, nothing to say)
    vm: VM = r.get(vm_id)
    primary_targets = {r.get(p).target for p in links.primary}
    extended_targets = {r.get(e).target for e in links.extended}
    home = endpoint(r, vm.placement)
    # (a link's label is made, and its servers read for it, only for a finding: nearly every
    # VM is on its primary link alone, with nothing to say)
    for rep_id in sorted(listing):
        rep: Replication = r.get(rep_id)
        if rep_id in links.extended:
            if rep.target in {vm.placement, home} | primary_targets:
                yield finding("TOP-03", f"VM {vm.name}'s extended {replication_label(r, rep)} "
                              "loops back to a server that already holds it.", vm_id, rep_id)
        elif rep_id not in links.primary:
            if rep.source in extended_targets:
                yield finding("TOP-04", f"VM {vm.name} is on {replication_label(r, rep)}, which "
                              "starts at its extended replica: a fourth tier.", vm_id, rep_id)
            elif not (is_node(r, rep.source) or is_node(r, rep.target)):  # BRK-02 covers it
                yield finding("TOP-03", f"VM {vm.name} is on {replication_label(r, rep)}, which "
                              f"starts neither where it runs ({r.get(vm.placement).name}) nor at "
                              "its replica.", vm_id, rep_id)


@check("replication")
def extended_link_settings(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    """TOP-05, TOP-06 and TOP-07: what an extended link may not be."""
    rep: Replication = r.get(rep_id)
    extended_vms = vms_extended_on(r, rep)
    if not extended_vms:
        return
    label = cap(replication_label(r, rep))
    old = [s for s in dict.fromkeys((rep.source, rep.target)) if server_os(r, s) == "2012"]
    if old:
        names = " and ".join(server_label(r, s) for s in old)
        yield finding("TOP-05", f"{label} is an extended link, but {names} runs Windows Server "
                      "2012; extended replication needs 2012 R2.", rep_id, *old)
    faster = sorted({
        r.get(p).frequency_s for vm in extended_vms for p in vm_links(r, vm).primary
        if r.get(p).frequency_s > rep.frequency_s
    })
    if rep.frequency_s not in (300, 900) or faster:
        why = (f"its frequency is {rep.frequency_s} s, not 300 or 900"
               if rep.frequency_s not in (300, 900) else
               f"it replicates every {rep.frequency_s} s, faster than the primary link ({faster[-1]} s)")
        yield finding("TOP-06", f"{label} is an extended link and {why}.", rep_id)
    if rep.vss_hours is not None:
        yield finding("TOP-07", f"{label} is an extended link with app-consistent snapshots every "
                      f"{rep.vss_hours} h; extended replicas take none.", rep_id)


@check("replication")
def lists_vms(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    if not rep.vms:
        yield finding("TOP-08", f"{cap(replication_label(r, rep))} lists no VMs.", rep_id)


@check("cluster")
def has_nodes(r: RuleReader, cluster_id: str) -> Iterator[Finding]:
    if not r.nodes_of(cluster_id):
        cluster: Cluster = r.get(cluster_id)
        yield finding("TOP-09", f"Cluster {cluster.name} has no node hosts.", cluster_id)


@check("vm")
def highly_available(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    vm: VM = r.get(vm_id)
    node = r.get(vm.placement)
    if r.replications_listing(vm_id) and isinstance(node, Host) and node.cluster is not None:
        yield finding("TOP-10", f"VM {vm.name} is replicated but placed on node {node.name}, not "
                      f"on cluster {r.get(node.cluster).name}: it is not highly available and "
                      "replication stops when it moves.", vm_id, vm.placement)
