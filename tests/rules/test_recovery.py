"""Recovery rules (RCV-*): the site-loss scenarios of format v2, one change from the baseline.

Baseline: APP1 on HV1 (site HQ) replicates to HV2 (site DR) through r1. In the loss of HQ it
recovers on HV2; a scenario finding names the lost site and lists its id last.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.designs import load_dict
from tests.rules.conftest import (
    add_host,
    add_replication,
    add_vm,
    assert_one,
    assert_silent,
    baseline,
    check,
    cluster_target,
    find,
    outcome,
    three_tier,
)
from tests.test_live_checking import units_rechecked


def _sized(doc: dict[str, Any] | None = None, **app1: Any) -> dict[str, Any]:
    """HV2 with 64 GB and 4 cores; APP1 (or the given sizes) 16 GB and 4 vCPUs."""
    doc = doc if doc is not None else baseline()
    find(doc, "hv2").update(memory_gb=64, cores=4)
    find(doc, "app1").update({"memory_gb": 16, "vcpus": 4, **app1})
    return doc


def _nodes(doc: dict[str, Any], *memory: float, cluster: str = "c1") -> dict[str, Any]:
    for i, gb in enumerate(memory, start=1):
        find(doc, f"{cluster}n{i}").update(memory_gb=gb, cores=16)
    return doc


# ---------------------------------------------------------------- RCV-01
def test_rcv01_recovered_vms_exceed_the_replica_servers_memory():
    doc = _sized(memory_gb=96)
    f = assert_one(doc, "RCV-01", "error", ("hv2", "hq"), "site HQ", "host HV2", "96 GB", "64 GB")
    assert "to run 1 VM but" in f.message and "unknown" not in f.message


def test_rcv01_counts_what_already_runs_there_and_says_what_is_unknown():
    doc = _sized(memory_gb=40)
    add_vm(doc, "dr1", "hv2", memory_gb=30, vcpus=2)   # runs on HV2 anyway
    add_vm(doc, "dr2", "hv2")                 # size unknown: counted, not summed
    f = assert_one(doc, "RCV-01", "error", ("hv2", "hq"), "70 GB", "64 GB", "to run 3 VMs")
    assert "(1 VM of unknown memory not counted)" in f.message


def test_rcv01_memory_sums_exactly():
    """1.1 + 2.2 GB fit a 3.3 GB host (floats make it 3.3000000000000003)."""
    doc = _sized(memory_gb=1.1)
    find(doc, "hv2")["memory_gb"] = 3.3
    add_vm(doc, "dr1", "hv2", memory_gb=2.2)
    assert_silent(doc, "RCV-01")


def test_rcv03_counts_the_vms_whose_vcpus_are_unknown_not_their_memory():
    doc = _sized(memory_gb=1)
    find(doc, "hv2")["cores"] = 1
    add_vm(doc, "dr1", "hv2", memory_gb=2, vcpus=12)
    add_vm(doc, "dr2", "hv2", memory_gb=2)
    (f,) = [f for f in check(doc) if f.rule == "RCV-03" and f.subjects == ("hv2",)]
    assert "(1 VM of unknown vCPUs not counted)" in f.message


def test_rcv01_silent_when_it_fits():
    assert_silent(_sized(memory_gb=64), "RCV-01")


def test_rcv01_silent_when_the_memory_is_unknown():
    doc = _sized(memory_gb=96)
    find(doc, "hv2")["memory_gb"] = None
    assert_silent(doc, "RCV-01")


def test_rcv01_once_for_a_server_over_in_normal_operation_that_receives_nothing():
    """Short of memory in normal operation, HV2 is short in the loss of every other site too:
    one finding says so, for the normal scenario (no site among its subjects), not one per
    site."""
    doc = _sized()
    add_vm(doc, "dr1", "hv2", memory_gb=100)
    find(doc, "r1")["vms"] = []
    f = assert_one(doc, "RCV-01", "error", ("hv2",), "HV2", "100 GB", "64 GB")
    assert f.message.startswith("In normal operation, and so in the loss of any other site")


def test_rcv01_one_finding_per_lost_site():
    doc = _sized(memory_gb=70)
    doc["sites"].append({"id": "br", "name": "Branch"})
    add_host(doc, "br1", "br")
    add_vm(doc, "b1", "br1", memory_gb=70)
    add_replication(doc, "r9", "br1", "hv2", ["b1"])
    assert outcome(doc, "RCV-01") == [("error", ("hv2", "br")), ("error", ("hv2", "hq"))]


def test_rcv01_a_vm_via_its_extended_link_counts_on_the_third_site():
    doc = three_tier(_sized(memory_gb=48))
    doc["sites"].append({"id": "far", "name": "Far"})
    find(doc, "hv3").update(site="far", memory_gb=32)
    find(doc, "hv2")["site"] = "hq"   # the primary replica is lost with HQ
    assert_one(doc, "RCV-01", "error", ("hv3", "hq"), "host HV3", "48 GB", "32 GB")


# ---------------------------------------------------------------- RCV-02
def test_rcv02_cluster_could_not_lose_a_node_after_a_site_loss():
    doc = _nodes(cluster_target(), 64, 64)
    find(doc, "app1")["memory_gb"] = 80
    f = assert_one(doc, "RCV-02", "warning", ("c1", "hq"), "site HQ", "cluster C1", "80 GB", "64 GB")
    assert "node failure" in f.message


def test_rcv02_in_normal_operation_names_no_site():
    doc = _nodes(cluster_target(), 64, 32)
    add_vm(doc, "dr1", "c1", memory_gb=40, vcpus=2)
    find(doc, "r1")["vms"] = []
    f = assert_one(doc, "RCV-02", "warning", ("c1",), "normal operation", "40 GB", "32 GB")
    assert "site" not in f.message
    find(doc, "r1")["vms"] = ["app1"]   # then HQ's loss brings APP1 (size unknown) as well
    assert outcome(doc, "RCV-02") == [("warning", ("c1",)), ("warning", ("c1", "hq"))]


def test_rcv02_gives_way_to_rcv01_when_even_every_node_is_not_enough():
    doc = _nodes(cluster_target(), 64, 64)
    find(doc, "app1")["memory_gb"] = 200
    assert outcome(doc, "RCV-01") == [("error", ("c1", "hq"))]
    assert_silent(doc, "RCV-02")


@pytest.mark.parametrize("memory", [(64, 64), (64, None)], ids=["fits", "unknown node"])
def test_rcv02_silent_at_n_plus_1_or_with_a_node_of_unknown_memory(memory):
    doc = _nodes(cluster_target(), *memory)
    find(doc, "app1")["memory_gb"] = 64
    assert_silent(doc, "RCV-02")


# ---------------------------------------------------------------- RCV-03
def test_rcv03_recovered_vcpus_overcommit_the_cores():
    doc = _sized(vcpus=40)
    assert_one(doc, "RCV-03", "warning", ("hv2", "hq"), "site HQ", "host HV2", "40 vCPUs",
               "4 cores", "8 per core")


def test_rcv03_in_normal_operation_and_with_another_ratio():
    doc = baseline()
    find(doc, "hv1")["cores"] = 2
    find(doc, "app1")["vcpus"] = 12
    assert_silent(doc, "RCV-03")
    doc["assumptions"] = {"vcpu_per_core": 4}
    assert_one(doc, "RCV-03", "warning", ("hv1",), "normal operation", "host HV1", "12 vCPUs",
               "4 per core")


def test_rcv03_silent_at_the_ratio_and_when_the_cores_are_unknown():
    assert_silent(_sized(vcpus=32), "RCV-03")
    doc = _sized(vcpus=40)
    find(doc, "hv2")["cores"] = None
    assert_silent(doc, "RCV-03")


# ---------------------------------------------------------------- RCV-04
# APP1's OS disk on r1 (4 recovery points, target 2022): 80 + 4 × 0.5 × 3600 / 1024 × 1.3 GB.
NEED = 80 + 4 * 0.5 * 3600 / 1024 * 1.3


def test_rcv04_replica_storage_too_small():
    doc = baseline()
    find(doc, "hv2")["storage_gb"] = 89
    assert NEED == pytest.approx(89.14, abs=0.01)
    assert_one(doc, "RCV-04", "error", ("hv2",), "Host HV2", "89.1 GB", "89 GB")


def test_rcv04_silent_when_it_fits_or_is_unknown():
    doc = baseline()
    find(doc, "hv2")["storage_gb"] = 89.2
    assert_silent(doc, "RCV-04")
    find(doc, "hv2")["storage_gb"] = None
    assert_silent(doc, "RCV-04")


def test_rcv04_a_cluster_counts_its_own_storage_and_ignores_its_nodes():
    doc = cluster_target()
    find(doc, "c1n1")["storage_gb"] = 1
    assert_silent(doc, "RCV-04")
    find(doc, "c1")["storage_gb"] = 50
    assert_one(doc, "RCV-04", "error", ("c1",), "Cluster C1", "89.1 GB", "50 GB")


# ---------------------------------------------------------------- RCV-05
def test_rcv05_a_cycle_is_one_finding_naming_its_vms():
    doc = baseline()
    add_vm(doc, "web1", "hv1", depends_on=["app1"])
    find(doc, "app1")["depends_on"] = ["web1"]
    assert_one(doc, "RCV-05", "error", ("app1", "web1"), "APP1", "WEB1")


def test_rcv05_one_finding_per_cycle_not_for_a_vm_that_depends_on_one():
    doc = baseline()
    add_vm(doc, "a", "hv1", depends_on=["b"])
    add_vm(doc, "b", "hv1", depends_on=["c"])
    add_vm(doc, "c", "hv1", depends_on=["a"])
    add_vm(doc, "d", "hv1", depends_on=["e"])
    add_vm(doc, "e", "hv1", depends_on=["d"])
    add_vm(doc, "x", "hv1", depends_on=["a", "d"])
    assert outcome(doc, "RCV-05") == [("error", ("a", "b", "c")), ("error", ("d", "e"))]


def test_rcv05_silent_for_a_chain():
    doc = baseline()
    add_vm(doc, "web1", "hv1", depends_on=["app1"])
    add_vm(doc, "lb1", "hv1", depends_on=["web1", "app1"])
    assert_silent(doc, "RCV-05")


# ---------------------------------------------------------------- RCV-06
def test_rcv06_replica_in_the_vms_own_site():
    doc = baseline()
    find(doc, "hv2")["site"] = "hq"
    assert_one(doc, "RCV-06", "warning", ("app1", "hq"), "APP1", "site HQ")


def test_rcv06_silent_when_extended_to_another_site():
    doc = three_tier()
    find(doc, "hv2")["site"] = "hq"
    assert_silent(doc, "RCV-06")


def test_rcv06_silent_for_a_vm_not_replicated():
    doc = baseline()
    add_vm(doc, "web1", "hv1")
    assert_silent(doc, "RCV-06")


# ---------------------------------------------------------------- RCV-07
def test_rcv07_dependency_in_a_later_group():
    doc = baseline()
    add_vm(doc, "sql1", "hv1", recovery_group=3)
    find(doc, "app1").update(recovery_group=2, depends_on=["sql1"])
    assert_one(doc, "RCV-07", "warning", ("app1", "sql1"), "APP1", "SQL1", "group 2", "group 3")


def test_rcv07_a_dependency_without_a_group_starts_after_every_group():
    doc = baseline()
    add_vm(doc, "sql1", "hv1")
    find(doc, "app1").update(recovery_group=9, depends_on=["sql1"])
    assert_one(doc, "RCV-07", "warning", ("app1", "sql1"), "no recovery group")


@pytest.mark.parametrize("groups", [(2, 2), (3, 1), (None, 4), (None, None)])
def test_rcv07_silent_when_the_dependency_starts_no_later(groups):
    doc = baseline()
    add_vm(doc, "sql1", "hv1", recovery_group=groups[1])
    find(doc, "app1").update(recovery_group=groups[0], depends_on=["sql1"])
    assert_silent(doc, "RCV-07")


# ---------------------------------------------------------------- RCV-08
def test_rcv08_recovered_vm_depends_on_one_that_is_down():
    doc = baseline()
    add_vm(doc, "sql1", "hv1")   # not replicated: down when HQ is lost
    find(doc, "app1")["depends_on"] = ["sql1"]
    f = assert_one(doc, "RCV-08", "warning", ("app1", "sql1", "hq"), "site HQ", "APP1", "SQL1")
    assert f.message.endswith("which is then down.")


def test_rcv08_recovered_vm_depends_on_one_that_is_lost():
    doc = baseline()
    add_host(doc, "hv4", "hq")
    add_vm(doc, "sql1", "hv1")
    add_replication(doc, "r4", "hv1", "hv4", ["sql1"])
    find(doc, "app1")["depends_on"] = ["sql1"]
    f = assert_one(doc, "RCV-08", "warning", ("app1", "sql1", "hq"))
    assert f.message.endswith("which is then lost.")


def test_rcv08_silent_when_the_dependency_recovers_or_runs_elsewhere():
    doc = baseline()
    add_vm(doc, "sql1", "hv1")
    find(doc, "r1")["vms"] = ["app1", "sql1"]
    find(doc, "app1")["depends_on"] = ["sql1"]
    assert_silent(doc, "RCV-08")
    find(doc, "sql1")["placement"] = "hv2"
    find(doc, "r1")["vms"] = ["app1"]
    assert_silent(doc, "RCV-08")


# ---------------------------------------------------------------- live
def test_a_vms_memory_edit_rechecks_where_it_runs_and_recovers(monkeypatch):
    doc = _sized()
    add_host(doc, "hv5", "dr")
    add_vm(doc, "other", "hv5", memory_gb=8)
    design = load_dict(doc)
    units = units_rechecked(design, monkeypatch, "app1", memory_gb=96)
    assert {("server", "hv1"), ("server", "hv2"), ("vm", "app1")} <= units
    assert ("server", "hv5") not in units and ("vm", "other") not in units
