"""Replication setting rules VM-01..07."""

from __future__ import annotations

import pytest

from tests.rules.conftest import (
    SAME_SITE_COPY,
    add_cluster,
    add_vm,
    assert_clean,
    assert_one,
    assert_silent,
    baseline,
    cluster_source,
    failover_ip,
    find,
    outcome,
    three_tier,
)


def _on_2012(side):
    """Baseline with one side on Windows Server 2012 (APP1 generation 1, no VM-07)."""
    doc = baseline()
    find(doc, side)["os"] = "2012"
    find(doc, "app1")["generation"] = 1
    return doc


# ---------------------------------------------------------------- VM-01
@pytest.mark.parametrize("frequency, fires", [
    (30, False), (300, False), (900, False),
    (0, True), (60, True), (600, True), (3600, True), (-300, True),
])
def test_vm01_allowed_frequencies(frequency, fires):
    doc = baseline()
    find(doc, "r1")["frequency_s"] = frequency
    if fires:
        assert_one(doc, "VM-01", "error", ("r1",), "HV1 → HV2", f"{frequency} s")
    else:
        assert_clean(doc)


@pytest.mark.parametrize("side", ["hv1", "hv2"])
@pytest.mark.parametrize("frequency, fires", [(300, False), (30, True), (900, True)])
def test_vm01_2012_replicates_every_300_s_only(side, frequency, fires):
    doc = _on_2012(side)
    find(doc, "r1")["frequency_s"] = frequency
    if fires:
        f = assert_one(doc, "VM-01", "error", ("r1",), "HV1 → HV2", f"{frequency} s")
        assert "2012" in f.message
    else:
        assert_silent(doc, "VM-01")


def test_vm01_2012_node_makes_the_cluster_2012():
    doc = cluster_source()
    find(doc, "c1n2")["os"] = "2012"
    find(doc, "app1")["generation"] = 1
    find(doc, "r1")["frequency_s"] = 30
    assert_one(doc, "VM-01", "error", ("r1",), "C1 → HV2")


# ---------------------------------------------------------------- VM-02
@pytest.mark.parametrize("points, fires", [(0, False), (1, False), (24, False), (25, True),
                                           (-1, True)])
def test_vm02_recovery_points(points, fires):
    doc = baseline()
    find(doc, "r1").update(recovery_points=points, vss_hours=None)
    if fires:
        assert_one(doc, "VM-02", "error", ("r1",), "HV1 → HV2", str(points), "24")
    else:
        assert_clean(doc)


@pytest.mark.parametrize("side", ["hv1", "hv2"])
@pytest.mark.parametrize("points, fires", [(15, False), (16, True)])
def test_vm02_at_most_15_on_2012(side, points, fires):
    doc = _on_2012(side)
    find(doc, "r1")["recovery_points"] = points
    if fires:
        assert_one(doc, "VM-02", "error", ("r1",), "HV1 → HV2", "16", "15")
    else:
        assert_silent(doc, "VM-02")


# ---------------------------------------------------------------- VM-03
@pytest.mark.parametrize("vss_hours, points, fires", [
    (4, 0, True),    # app-consistent snapshots need a recovery point to land in
    (0, 4, True),
    (13, 4, True),
    (-1, 4, True),
    (1, 1, False),
    (12, 24, False),
    (None, 0, False),
])
def test_vm03_vss_interval(vss_hours, points, fires):
    doc = baseline()
    find(doc, "r1").update(vss_hours=vss_hours, recovery_points=points)
    if fires:
        assert_one(doc, "VM-03", "error", ("r1",), "HV1 → HV2")
    else:
        assert_clean(doc)


# ---------------------------------------------------------------- VM-04
def test_vm04_compression_disabled():
    doc = baseline()
    find(doc, "r1")["compression"] = False
    f = assert_one(doc, "VM-04", "warning", ("r1",), "HV1 → HV2")
    assert "uncompressed" in f.message


def test_vm04_silent_with_compression():
    assert_silent(baseline(), "VM-04")


# ---------------------------------------------------------------- VM-05
def test_vm05_static_ip_across_sites():
    doc = baseline()
    find(doc, "app1")["static_ip"] = True
    f = assert_one(doc, "VM-05", "warning", ("app1", "r1"), "APP1", "HV1 → HV2")
    assert "failover TCP/IP" in f.message


def test_vm05_each_cross_site_link():
    doc = three_tier()
    find(doc, "app1")["static_ip"] = True
    find(doc, "hv3")["site"] = "hq"  # r2 HV2 (DR) → HV3 (HQ) crosses too
    assert outcome(doc, "VM-05") == [("warning", ("app1", "r1")), ("warning", ("app1", "r2"))]


def test_vm05_silent_within_a_site():
    doc = baseline()
    find(doc, "app1")["static_ip"] = True
    find(doc, "hv2")["site"] = "hq"
    assert_clean(doc, SAME_SITE_COPY)


def test_vm05_silent_with_failover_tcp_ip_planned():
    doc = baseline()
    find(doc, "app1")["static_ip"] = True
    find(doc, "app1")["failover_ip"] = failover_ip()
    assert_clean(doc)


def test_vm05_silent_without_static_ip():
    assert_silent(baseline(), "VM-05")


def test_vm05_silent_for_a_vm_on_no_replication():
    doc = baseline()
    add_vm(doc, "db1", "hv1", static_ip=True)
    assert_clean(doc)


# ---------------------------------------------------------------- VM-06
def test_vm06_vss_without_integration_services():
    doc = baseline()
    find(doc, "app1")["integration_services"] = False
    f = assert_one(doc, "VM-06", "warning", ("app1", "r1"), "APP1", "HV1 → HV2")
    assert "integration services" in f.message


def test_vm06_silent_without_vss():
    doc = baseline()
    find(doc, "app1")["integration_services"] = False
    find(doc, "r1")["vss_hours"] = None
    assert_clean(doc)


def test_vm06_silent_with_integration_services():
    assert_silent(baseline(), "VM-06")


# ---------------------------------------------------------------- VM-07
def test_vm07_generation_2_runs_on_2012():
    doc = baseline()
    find(doc, "hv1")["os"] = "2012"
    f = assert_one(doc, "VM-07", "error", ("app1", "hv1"), "APP1", "HV1")
    assert "runs on" in f.message


def test_vm07_generation_2_replicates_to_2012():
    doc = baseline()
    find(doc, "hv2")["os"] = "2012"
    f = assert_one(doc, "VM-07", "error", ("app1", "hv2"), "APP1", "HV2")
    assert "replicates to" in f.message


def test_vm07_extended_replica_on_2012():
    doc = three_tier()
    find(doc, "hv3")["os"] = "2012"
    assert_one(doc, "VM-07", "error", ("app1", "hv3"), "APP1", "HV3")


def test_vm07_placed_on_2012_even_when_not_replicated():
    doc = baseline()
    add_vm(doc, "db1", "hv1")
    find(doc, "hv1")["os"] = "2012"
    assert outcome(doc, "VM-07") == [("error", ("app1", "hv1")), ("error", ("db1", "hv1"))]


def test_vm07_vm_on_a_node_uses_the_nodes_own_os():
    doc = baseline()
    add_cluster(doc, "c1", "hq", nodes=["2012", "2022"])
    add_vm(doc, "db1", "c1n2")
    assert_silent(doc, "VM-07")
    find(doc, "db1")["placement"] = "c1n1"
    assert_one(doc, "VM-07", "error", ("db1", "c1n1"), "DB1", "C1N1")


def test_vm07_cluster_with_a_2012_node():
    doc = baseline()
    add_cluster(doc, "c1", "hq", nodes=["2012", "2022"])
    add_vm(doc, "db1", "c1")
    assert_one(doc, "VM-07", "error", ("db1", "c1"), "DB1", "C1")


@pytest.mark.parametrize("generation, os", [(1, "2012"), (2, "2012r2")])
def test_vm07_silent(generation, os):
    doc = baseline()
    find(doc, "app1")["generation"] = generation
    find(doc, "hv1")["os"] = os
    find(doc, "hv2")["os"] = os
    assert_clean(doc)
