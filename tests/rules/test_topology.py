"""Topology rules TOP-01..10: where replication may go, and the three-tier limit."""

from __future__ import annotations

import pytest

from tests.rules.conftest import (
    add_cluster,
    add_host,
    add_replication,
    add_vm,
    assert_clean,
    assert_one,
    assert_silent,
    baseline,
    check,
    cluster_source,
    cluster_target,
    find,
    of,
    outcome,
    three_tier,
)


# ---------------------------------------------------------------- TOP-01
def test_top01_replication_to_itself():
    doc = baseline()
    find(doc, "r1")["target"] = "hv1"
    f = assert_one(doc, "TOP-01", "error", ("r1", "hv1"), "HV1")
    assert "itself" in f.message


@pytest.mark.parametrize("source, target, subjects", [
    ("c1n1", "c1", ("r9", "c1n1", "c1")),  # a node to its own cluster
    ("c1", "c1n2", ("r9", "c1n2", "c1")),  # a cluster to its own node: the node still first
])
def test_top01_node_and_its_own_cluster(source, target, subjects):
    doc = baseline()
    add_cluster(doc, "c1", "dr")
    add_replication(doc, "r9", source, target)
    assert_one(doc, "TOP-01", "error", subjects, "C1")


def test_top01_two_nodes_of_one_cluster():
    doc = baseline()
    add_cluster(doc, "c1", "dr")
    add_replication(doc, "r9", "c1n1", "c1n2")
    f = assert_one(doc, "TOP-01", "error", ("r9", "c1n1", "c1n2"), "C1N1", "C1N2")
    assert "two nodes of cluster C1" in f.message


@pytest.mark.parametrize("source, target", [
    ("hv1", "hv2"),    # the baseline
    ("c1n1", "c2n1"),  # nodes of two different clusters (BRK-02, not TOP-01)
    ("c1", "c2"),
    ("hv1", "c1"),
])
def test_top01_silent_between_different_servers(source, target):
    doc = baseline()
    add_cluster(doc, "c1", "dr")
    add_cluster(doc, "c2", "dr")
    r1 = find(doc, "r1")
    r1["source"], r1["target"] = source, target
    assert_silent(doc, "TOP-01")


# ---------------------------------------------------------------- TOP-02
def test_top02_two_primary_links_to_different_targets():
    doc = baseline()
    add_host(doc, "hv3", "dr")
    add_replication(doc, "r3", "hv1", "hv3")
    f = assert_one(doc, "TOP-02", "error", ("app1", "r1", "r3"), "APP1")
    assert "2 primary links" in f.message


def test_top02_two_primary_links_between_the_same_pair():
    doc = baseline()
    add_replication(doc, "r1b", "hv1", "hv2")
    assert_one(doc, "TOP-02", "error", ("app1", "r1", "r1b"), "APP1", "HV1 → HV2")


def test_top02_two_extended_links():
    doc = three_tier()
    add_host(doc, "hv4", "dr")
    add_replication(doc, "r2b", "hv2", "hv4")
    f = assert_one(doc, "TOP-02", "error", ("app1", "r2", "r2b"), "APP1", "HV2 → HV3", "HV2 → HV4")
    assert "2 extended links" in f.message


def test_top02_primary_links_of_a_vm_on_a_node_host_start_at_its_cluster():
    doc = baseline()
    add_cluster(doc, "c1", "hq")
    add_host(doc, "hv3", "dr")
    find(doc, "app1")["placement"] = "c1n1"
    find(doc, "r1")["source"] = "c1"
    add_replication(doc, "r3", "c1", "hv3")
    assert_one(doc, "TOP-02", "error", ("app1", "r1", "r3"), "APP1")


@pytest.mark.parametrize("build", [baseline, three_tier], ids=["one-link", "A-B-C"])
def test_top02_silent_with_one_primary_and_one_extended_link(build):
    assert_clean(build())


# ---------------------------------------------------------------- TOP-03
def test_top03_link_from_neither_where_it_runs_nor_its_replica():
    doc = baseline()
    add_host(doc, "hv3", "dr")
    find(doc, "r1")["source"] = "hv3"
    f = assert_one(doc, "TOP-03", "error", ("app1", "r1"), "APP1", "HV3 → HV2", "(HV1)")
    assert "starts neither where" in f.message


def test_top03_silent_on_a_link_from_where_it_runs():
    assert_silent(baseline(), "TOP-03")


@pytest.mark.parametrize("target", ["hv1", "hv3"])
def test_top03_extended_link_looping_back(target):
    """Back to the placement, or to the target of another primary link (hv3)."""
    doc = baseline()
    add_host(doc, "hv3", "dr")
    add_replication(doc, "r3", "hv1", "hv3")  # a second primary link (TOP-02)
    add_replication(doc, "r2", "hv2", target)
    f = assert_one(doc, "TOP-03", "error", ("app1", "r2"), "APP1", f"HV2 → {target.upper()}")
    assert "loops back" in f.message


@pytest.mark.parametrize("target", ["c1n1", "c1"])
def test_top03_extended_link_back_to_a_node_placed_vm_or_its_cluster(target):
    doc = baseline()
    add_cluster(doc, "c1", "hq")
    find(doc, "app1")["placement"] = "c1n1"
    find(doc, "r1")["source"] = "c1"
    add_replication(doc, "r2", "hv2", target)
    assert_one(doc, "TOP-03", "error", ("app1", "r2"), "APP1", f"HV2 → {target.upper()}")


def test_top03_silent_on_an_extended_link_onwards():
    assert_silent(three_tier(), "TOP-03")


def test_top03_gives_way_to_top04_on_a_fourth_tier():
    doc = three_tier()
    add_host(doc, "hv4", "dr")
    add_replication(doc, "r3", "hv3", "hv4")
    findings = check(doc)
    assert of(findings, "TOP-03") == []
    assert [f.subjects for f in of(findings, "TOP-04")] == [("app1", "r3")]


@pytest.mark.parametrize("source, target", [("c1n1", "hv2"), ("c2", "c1n1")])
def test_top03_gives_way_to_brk02_on_a_link_at_a_node(source, target):
    """APP1 (on HV1) listed on a link that is neither its primary nor its extended link."""
    doc = baseline()
    add_cluster(doc, "c1", "dr")
    add_cluster(doc, "c2", "hq")
    add_replication(doc, "r9", source, target)
    findings = check(doc)
    assert of(findings, "TOP-03") == []
    assert [f.subjects for f in of(findings, "BRK-02")] == [("r9", "c1n1", "c1")]


def test_top03_gives_way_to_brk02_for_a_vm_on_a_node_listed_on_a_link_from_that_node():
    doc = baseline()
    add_cluster(doc, "c1", "hq")
    find(doc, "app1")["placement"] = "c1n1"
    find(doc, "r1")["source"] = "c1n1"
    findings = check(doc)
    assert of(findings, "TOP-03") == []
    assert [f.subjects for f in of(findings, "BRK-02")] == [("r1", "c1n1", "c1")]


# ---------------------------------------------------------------- TOP-04
def test_top04_fourth_tier():
    doc = three_tier()
    add_host(doc, "hv4", "dr")
    add_replication(doc, "r3", "hv3", "hv4")
    f = assert_one(doc, "TOP-04", "error", ("app1", "r3"), "APP1", "HV3 → HV4")
    assert "fourth tier" in f.message


def test_top04_silent_at_three_tiers():
    assert_silent(three_tier(), "TOP-04")


def test_top04_only_for_the_vm_whose_extended_replica_it_starts_at():
    """Another VM's primary link from HV3 is not a fourth tier."""
    doc = three_tier()
    add_host(doc, "hv4", "dr")
    add_vm(doc, "db1", "hv3")
    add_replication(doc, "r3", "hv3", "hv4", vms=["db1"])
    assert_silent(doc, "TOP-03", "TOP-04")


# ---------------------------------------------------------------- TOP-05
def _all_on(doc, os):
    for host in doc["hosts"]:
        host["os"] = os
    find(doc, "app1")["generation"] = 1
    return doc


def test_top05_extended_link_on_2012():
    doc = _all_on(three_tier(), "2012")
    f = assert_one(doc, "TOP-05", "error", ("r2", "hv2", "hv3"), "HV2", "HV3")
    assert "2012 R2" in f.message


def test_top05_names_only_the_2012_side():
    doc = three_tier()
    find(doc, "hv3")["os"] = "2012"
    assert_one(doc, "TOP-05", "error", ("r2", "hv3"), "HV3")


def test_top05_silent_on_2012r2_and_on_a_2012_primary_link():
    assert_silent(_all_on(three_tier(), "2012r2"), "TOP-05")
    assert_silent(_all_on(baseline(), "2012"), "TOP-05")


# ---------------------------------------------------------------- TOP-06
@pytest.mark.parametrize("primary, extended, fires", [
    (300, 300, False),
    (300, 900, False),
    (30, 300, False),
    (900, 900, False),
    (300, 30, True),   # 30 is allowed on a primary link, not on an extended one
    (300, 600, True),  # not an allowed value at all
    (900, 300, True),  # faster than the primary
])
def test_top06_extended_link_frequency(primary, extended, fires):
    doc = three_tier()
    find(doc, "r1")["frequency_s"] = primary
    find(doc, "r2")["frequency_s"] = extended
    if fires:
        assert_one(doc, "TOP-06", "error", ("r2",), "HV2 → HV3", f"{extended} s")
    else:
        assert_clean(doc)


def test_top06_not_on_a_primary_link():
    doc = baseline()
    find(doc, "r1")["frequency_s"] = 30
    assert_clean(doc)


# ---------------------------------------------------------------- TOP-07
def test_top07_app_consistent_snapshots_on_an_extended_link():
    doc = three_tier()
    find(doc, "r2").update(vss_hours=2, recovery_points=2)
    assert_one(doc, "TOP-07", "error", ("r2",), "HV2 → HV3", "2 h")


def test_top07_silent_without_vss_on_the_extended_link():
    doc = three_tier()
    find(doc, "r2")["recovery_points"] = 2
    assert_clean(doc)


# ---------------------------------------------------------------- TOP-08
def test_top08_replication_without_vms():
    doc = baseline()
    find(doc, "r1")["vms"] = []
    assert_one(doc, "TOP-08", "warning", ("r1",), "HV1 → HV2")


def test_top08_names_a_named_replication():
    doc = baseline()
    find(doc, "r1").update(vms=[], name="Nightly")
    assert_one(doc, "TOP-08", "warning", ("r1",), "Nightly")


def test_top08_silent_when_it_lists_a_vm():
    assert_silent(baseline(), "TOP-08")


# ---------------------------------------------------------------- TOP-09
def test_top09_cluster_without_nodes():
    doc = baseline()
    add_cluster(doc, "c1", "dr", nodes=0)
    assert_one(doc, "TOP-09", "error", ("c1",), "C1")


def test_top09_silent_with_a_node():
    doc = baseline()
    add_cluster(doc, "c1", "dr", nodes=1)
    assert_clean(doc)


def test_top09_cluster_without_nodes_skips_the_os_rules():
    """VER, VM-01/02/07, TOP-05 and DSK-02 need an OS; a cluster without nodes has none."""
    doc = cluster_target()
    doc["hosts"] = [h for h in doc["hosts"] if h.get("cluster") != "c1"]
    find(doc, "hv1")["os"] = "2012"
    find(doc, "app1")["generation"] = 1
    assert [rule for rule, _ in _problem_rules(doc)] == ["TOP-09"]


def _problem_rules(doc):
    return [(f.rule, f.subjects) for f in check(doc) if f.severity != "info"]


# ---------------------------------------------------------------- TOP-10
def test_top10_replicated_vm_on_a_node_host():
    doc = cluster_source()
    find(doc, "app1")["placement"] = "c1n2"
    assert_one(doc, "TOP-10", "warning", ("app1", "c1n2"), "APP1", "C1N2", "C1")
    assert _problem_rules(doc) == [("TOP-10", ("app1", "c1n2"))]


def test_top10_silent_on_the_cluster():
    assert_clean(cluster_source())


def test_top10_silent_for_an_unreplicated_vm_on_a_node():
    doc = cluster_source()
    add_vm(doc, "db1", "c1n1")
    assert_clean(doc)


def test_outcome_helper_lists_every_finding_of_a_rule():
    doc = baseline()
    find(doc, "r1")["vms"] = []
    add_replication(doc, "r2", "hv2", "hv1", vms=[])
    assert outcome(doc, "TOP-08") == [("warning", ("r1",)), ("warning", ("r2",))]
