"""The capacity model on hand-worked designs: bandwidth across primary and extended links,
compression, excluded disks, RPO with cycles missed, resync, replica storage per VM and per
target server (a cluster counts its nodes' replicas), and agreement with SZ-01/SZ-02."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvdesigner.capacity.bandwidth import wan_load_mbps
from hvdesigner.capacity.model import (
    capacity,
    replication_capacity,
    server_capacity,
    vm_capacity,
    wan_link_capacity,
)
from hvdesigner.model.design import Design, ModelError
from hvdesigner.rules.engine import Checker
from tests.designs import load_dict
from tests.test_live_checking import apply_edit
from tests.test_live_checking import edits as live_edits


def _host(id: str, site: str, os: str = "2022", cluster: str | None = None) -> dict[str, Any]:
    host = {"id": id, "name": id.upper(), "fqdn": f"{id}.corp.example.com", "site": site, "os": os}
    if cluster:
        host["cluster"] = cluster
    return host


#: One VM on a1 (site A) replicated to b1 (site B, compressed, 2 points) and extended back
#: to a2 (site A, uncompressed): the A–B link carries both its primary and its extended link.
DOC: dict[str, Any] = {
    "format": "hvdesigner", "version": 1,
    "assumptions": {"growth": 0.25, "compression_saving": 0.5, "utilization_ceiling": 0.8},
    "sites": [{"id": "A", "name": "A"}, {"id": "B", "name": "B"}],
    "wan_links": [{"id": "wan", "name": "A-B", "sites": ["A", "B"], "bandwidth_mbps": 100}],
    "hosts": [_host("a1", "A"), _host("a2", "A"), _host("b1", "B")],
    "vms": [{"id": "v1", "name": "V1", "placement": "a1", "disks": [
        {"id": "os", "name": "os.vhdx", "size_gb": 100, "used_gb": 40, "churn_mb_s": 1.0},
        {"id": "data", "name": "data.vhdx", "size_gb": 200, "churn_mb_s": 2.0},
        {"id": "pf", "name": "pf.vhdx", "size_gb": 16, "churn_mb_s": 5.0, "replicate": False}]}],
    "replications": [
        {"id": "r1", "source": "a1", "target": "b1", "vms": ["v1"], "recovery_points": 2},
        {"id": "r2", "source": "b1", "target": "a2", "vms": ["v1"], "compression": False,
         "frequency_s": 900}],
}
STORAGE_R1 = 40 + 2 * 1 * 3600 / 1024 * 1.25 + 200 + 2 * 2 * 3600 / 1024 * 1.25  # 266.4 GB
STORAGE_R2 = 240.0  # no recovery points: the used data


def design(**changes: Any) -> Design:
    doc = copy.deepcopy(DOC)
    for path, value in changes.items():
        kind, index, field = path.split("__")
        doc[kind][int(index)][field] = value
    return load_dict(doc)


def test_a_wan_link_carries_the_primary_and_the_extended_link_each_at_its_compression() -> None:
    wan = wan_link_capacity(design(), "wan")
    # replicated churn 3 MB/s × 8 × 1.25 = 30 Mbps; r1 compressed (× 0.5) 15, r2 uncompressed 30
    assert [(c.replication, c.mbps) for c in wan.contributions] == [("r2", 30), ("r1", 15)]
    assert wan.load_mbps == pytest.approx(45)
    assert wan.utilization == pytest.approx(0.45)
    assert wan.headroom_mbps == pytest.approx(80 - 45)
    assert not wan.over_ceiling and not wan.over_bandwidth
    assert wan.replications == ("r1", "r2")
    # both copies cross the link: 240 GB twice over 100 Mbps
    assert wan.initial_replication_hours == pytest.approx(480 * 8192 / 100 / 3600)


def test_a_replication_on_a_link_that_keeps_up() -> None:
    rep = replication_capacity(design(), "r1")
    assert rep.wan_link == "wan" and rep.vms == ("v1",)
    assert rep.required_mbps == pytest.approx(15)
    assert rep.data_per_cycle_mb == pytest.approx(15 * 300 / 8)
    assert rep.transfer_s == pytest.approx(300 * 0.45)
    assert rep.rpo_s == pytest.approx(300 * 2.45)
    assert not rep.cycles_missed
    assert rep.used_gb == 240
    assert rep.initial_replication_hours == pytest.approx(240 * 8192 / 100 / 3600)  # 5.5 h
    assert rep.replica_storage_gb == pytest.approx(STORAGE_R1)
    assert rep.iops_multiplier == (2, 3)


def test_cycles_are_missed_when_the_link_is_over_its_bandwidth() -> None:
    d = design(wan_links__0__bandwidth_mbps=40)
    rep = replication_capacity(d, "r2")
    assert rep.cycles_missed and rep.rpo_s is None
    assert rep.transfer_s == pytest.approx(900 * 45 / 40)
    assert vm_capacity(d, "v1").rpo_s is None
    assert wan_link_capacity(d, "wan").over_bandwidth


def test_a_vm_whose_pagefile_is_not_replicated() -> None:
    vm = vm_capacity(design(), "v1")
    assert vm.primary == "r1"
    assert vm.required_mbps == pytest.approx(15)  # the pagefile's 5 MB/s is not sent
    assert vm.replicated_size_gb == 300 and vm.used_gb == 240
    assert vm.resync_after_outage_hours == pytest.approx(0.5 * 300 * 1024 / 3.75 / 3600)
    assert vm.replica_storage_gb == pytest.approx(STORAGE_R1 + STORAGE_R2)
    assert vm.rpo_s == pytest.approx(735)
    assert not vm.media_recommended
    assert vm_capacity(design(), "v1", window_hours=5).media_recommended  # 5.5 h > 5 h


def test_media_seeding_is_not_recommended_where_the_copy_goes_by_media() -> None:
    d = design(replications__0__initial="media")
    assert not vm_capacity(d, "v1", window_hours=1).media_recommended
    assert wan_link_capacity(d, "wan").used_gb == 240  # only r2's copy crosses the link


def test_without_compression_saving_compression_changes_nothing() -> None:
    doc = copy.deepcopy(DOC)
    doc["assumptions"]["compression_saving"] = 0.0
    assert wan_link_capacity(load_dict(doc), "wan").load_mbps == pytest.approx(60)


def test_a_2012_target_keeps_ten_percent_of_each_disk_per_point() -> None:
    d = design(hosts__2__os="2012")
    assert replication_capacity(d, "r1").replica_storage_gb == pytest.approx(240 + 2 * 30)
    assert replication_capacity(d, "r1").iops_multiplier == (4, 6)


def test_a_same_site_replication_has_no_transfer_figure_and_the_two_interval_bound() -> None:
    doc = copy.deepcopy(DOC)
    doc["replications"] = [{"id": "r1", "source": "a1", "target": "a2", "vms": ["v1"]}]
    rep = replication_capacity(load_dict(doc), "r1")
    assert rep.wan_link is None and rep.transfer_s is None and rep.rpo_s == 600
    assert rep.initial_replication_hours is None and not rep.media_recommended


def test_replica_storage_per_target_server_and_a_cluster_counts_its_nodes() -> None:
    doc = copy.deepcopy(DOC)
    doc["clusters"] = [{"id": "cb", "name": "CB", "fqdn": "cb.corp.example.com", "site": "B"}]
    doc["hosts"] += [_host("n1", "B", cluster="cb"), _host("n2", "B", "2012", cluster="cb")]
    doc["vms"].append({"id": "v2", "name": "V2", "placement": "a2", "disks": [
        {"id": "v2os", "name": "os.vhdx", "size_gb": 50, "used_gb": 20}]})
    doc["replications"] += [
        {"id": "r3", "source": "a2", "target": "cb", "vms": ["v2"], "recovery_points": 1},
        {"id": "r4", "source": "a1", "target": "n1", "vms": ["v1"]}]
    d = load_dict(doc)
    cb = server_capacity(d, "cb")
    # a cluster's OS is its oldest node's (2012): r3 keeps 10 % of 50 GB per point
    assert cb.replications == ("r3", "r4")
    assert cb.replica_storage_gb == pytest.approx(20 + 5 + 240)
    assert cb.iops_multiplier == (4, 6)
    servers = {s.id: s for s in capacity(d).servers}
    assert set(servers) == {"b1", "a2", "cb"}  # n1's replicas count on its cluster
    assert servers["b1"].replica_storage_gb == pytest.approx(STORAGE_R1)
    assert servers["a2"].replica_storage_gb == pytest.approx(STORAGE_R2)


def test_the_whole_design_equals_the_figures_of_each_entity() -> None:
    from tests.designs import rich_design

    d = load_dict(rich_design())
    cap = capacity(d, window_hours=10)
    assert cap.wan_links == tuple(wan_link_capacity(d, i, 10) for i in d.wan_links)
    assert cap.replications == tuple(replication_capacity(d, i, 10) for i in d.replications)
    assert cap.vms == tuple(vm_capacity(d, i, 10) for i in d.vms)
    assert cap.servers == tuple(server_capacity(d, s.id) for s in cap.servers)


def _sz(d: Design, rule: str) -> set[str]:
    return {f.subjects[0] for f in Checker(d, dt.date(2026, 1, 1)).check_all() if f.rule == rule}


@settings(max_examples=40, deadline=None)
@given(bandwidth=st.floats(1, 200), churn=st.floats(0, 5), compression=st.booleans(),
       saving=st.floats(0, 0.9), ceiling=st.floats(0.1, 1))
def test_over_bandwidth_and_over_ceiling_are_sz01_and_sz02(
        bandwidth: float, churn: float, compression: bool, saving: float, ceiling: float) -> None:
    doc = copy.deepcopy(DOC)
    doc["assumptions"].update(compression_saving=saving, utilization_ceiling=ceiling)
    doc["wan_links"][0]["bandwidth_mbps"] = bandwidth
    doc["vms"][0]["disks"][1]["churn_mb_s"] = churn
    doc["replications"][0]["compression"] = compression
    d = load_dict(doc)
    wan = wan_link_capacity(d, "wan")
    assert wan.load_mbps == wan_load_mbps(d, "wan")
    assert wan.utilization == pytest.approx(wan.load_mbps / bandwidth)
    assert wan.over_bandwidth == ("wan" in _sz(d, "SZ-01"))
    assert (wan.over_ceiling and not wan.over_bandwidth) == ("wan" in _sz(d, "SZ-02"))
    assert replication_capacity(d, "r1").cycles_missed == wan.over_bandwidth


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(live_edits)
def test_after_any_edits_the_model_agrees_with_itself_and_with_sz01(sequence: list[Any]) -> None:
    from tests.designs import rich_design

    d = load_dict(rich_design())
    for op, id, value in sequence:
        try:
            apply_edit(d, op, id, value)
        except ModelError:
            continue
    cap = capacity(d)
    assert cap.vms == tuple(vm_capacity(d, i) for i in d.vms)
    assert cap.replications == tuple(replication_capacity(d, i) for i in d.replications)
    over = {w.id for w in cap.wan_links if w.over_bandwidth}
    assert over == _sz(d, "SZ-01")
    for rep in cap.replications:
        assert rep.cycles_missed == (rep.wan_link in over)
        assert rep.rpo_s is None or 2 * rep.frequency_s <= rep.rpo_s <= 3 * rep.frequency_s


def test_a_copy_seeded_by_media_takes_no_network_time() -> None:
    d = design(replications__0__initial="media")
    assert replication_capacity(d, "r1").initial_replication_hours is None
    assert vm_capacity(d, "v1").initial_replication_hours is None
    assert not vm_capacity(d, "v1", window_hours=1).media_recommended
