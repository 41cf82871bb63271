"""Site-loss scenarios (format v2, "Site-loss scenarios"), by hand-worked cases.

The design: site HQ (hosts HV1 and HVQ), site DR (HV2, cluster C1 with two nodes), site FAR
(HV3). APP1 on HV1 replicates to HV2 (r1, 300 s) and on to HV3 (r2, 900 s): the three tiers.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesigner.model.design import Design
from hvdesigner.model.entities import VM, Host, Site
from hvdesigner.recovery.scenarios import (
    Load,
    Outcome,
    Size,
    capacity_of,
    dependency_cycles,
    outcome,
    scenario,
    server_loads,
    single_site_scenarios,
    start_order,
)
from tests.designs import load_dict
from tests.rules.conftest import add_cluster, add_host, add_replication, add_vm, baseline, find


def _doc() -> dict[str, Any]:
    doc = baseline()
    doc["sites"].append({"id": "far", "name": "FAR"})
    add_host(doc, "hvq", "hq")
    add_host(doc, "hv3", "far")
    add_cluster(doc, "c1", "dr")
    add_replication(doc, "r2", "hv2", "hv3", frequency_s=900)
    return doc


def _design(**changes: dict[str, Any]) -> Design:
    doc = _doc()
    for id, fields in changes.items():
        find(doc, id).update(fields)
    return load_dict(doc)


def test_a_vm_recovers_on_its_primary_replica_with_twice_its_interval_as_data_loss() -> None:
    design = _design()
    assert outcome(design, "app1", {"hq"}) == Outcome("recovered", "hv2", 600, "r1")
    assert outcome(design, "app1", set()) == Outcome("running", "hv1")
    assert outcome(design, "app1", {"dr"}) == Outcome("running", "hv1")


def test_a_vm_via_its_extended_link_loses_twice_both_intervals() -> None:
    design = _design(hv2={"site": "hq"})  # the primary replica burns with HQ
    assert outcome(design, "app1", {"hq"}) == Outcome("recovered", "hv3", 2 * (300 + 900), "r2")


def test_two_sites_lost_at_once() -> None:
    design = _design()
    assert outcome(design, "app1", {"hq", "dr"}) == Outcome("recovered", "hv3", 2400, "r2")
    assert outcome(design, "app1", {"hq", "far", "dr"}) == Outcome("lost", None)
    lost = scenario(design, ["dr", "hq"])
    assert lost.lost == ("dr", "hq")
    assert set(lost.loads) == {"hv3"}  # the servers of both lost sites are gone
    assert lost.loads["hv3"].running == ("app1",)


def test_a_vm_with_no_copy_outside_its_site_is_lost() -> None:
    design = _design(hv2={"site": "hq"}, r2={"vms": []})
    assert outcome(design, "app1", {"hq"}) == Outcome("lost", None)


def test_a_vm_with_no_replication_is_down() -> None:
    doc = _doc()
    add_vm(doc, "web1", "hvq")
    assert outcome(load_dict(doc), "web1", {"hq"}) == Outcome("down", None)


def test_a_vm_on_a_node_runs_on_its_cluster_and_recovers_through_a_link_to_a_node() -> None:
    doc = _doc()
    add_vm(doc, "db1", "hv1")
    add_replication(doc, "r5", "hv1", "c1n2", ["db1"])
    add_vm(doc, "dr1", "c1n1")
    design = load_dict(doc)
    assert outcome(design, "db1", {"hq"}).runs_on == "c1"
    assert outcome(design, "dr1", set()).runs_on == "c1"


def test_a_cluster_at_n_plus_1_sums_its_nodes_and_a_node_of_unknown_size_makes_it_unknown() -> None:
    design = _design(c1n1={"memory_gb": 128, "cores": 32}, c1n2={"memory_gb": 64, "cores": 16})
    assert capacity_of(design, "c1").memory_gb == 192 and capacity_of(design, "c1").cpus == 48
    design.update("c1n2", memory_gb=None)
    assert capacity_of(design, "c1").memory_gb is None and capacity_of(design, "c1").cpus == 48


def test_loads_count_unknown_sizes_without_summing_them() -> None:
    doc = _doc()
    find(doc, "hv2").update(memory_gb=64, cores=8)
    find(doc, "app1").update(memory_gb=16, vcpus=4)
    add_vm(doc, "dr1", "hv2", memory_gb=8)       # vCPUs unknown
    add_vm(doc, "dr2", "hv2")                    # both unknown
    design = load_dict(doc)
    normal = scenario(design).loads["hv2"]
    assert (normal.memory_demand_gb, normal.vcpu_demand, normal.unknown_vms) == (8, 0, 2)
    hq = scenario(design, ["hq"]).loads["hv2"]
    assert (hq.memory_demand_gb, hq.vcpu_demand, hq.unknown_vms) == (24, 4, 2)
    assert hq.running == ("app1", "dr1", "dr2") and not hq.over_memory


def test_a_servers_own_loads_are_the_scenarios_loads() -> None:
    """What RCV-01..03 read per server equals the whole scenario's figures, and a site whose
    loss sends the server nothing is not among its scenarios."""
    doc = _doc()
    find(doc, "app1").update(memory_gb=16, vcpus=4)
    add_vm(doc, "web1", "hvq", memory_gb=4)
    add_replication(doc, "r3", "hvq", "c1n1", ["web1"])
    add_vm(doc, "dr1", "c1", memory_gb=2, vcpus=1)
    design = load_dict(doc)
    for server in ("hv2", "c1", "hv3", "hv1"):
        loads = server_loads(design, server)
        assert loads[None] == scenario(design).loads[server]
        for site, load in loads.items():
            if site is not None:
                assert load == scenario(design, [site]).loads[server]
    assert set(server_loads(design, "c1")) == {None, "hq"}
    assert set(server_loads(design, "hv3")) == {None}   # APP1 reaches HV3 only if DR is lost too


def test_every_single_site_scenario_equals_its_own_scenario() -> None:
    doc = _doc()
    find(doc, "app1").update(memory_gb=16, vcpus=4, recovery_group=2)
    add_vm(doc, "web1", "hv1", depends_on=["app1"])
    find(doc, "r1")["vms"] = ["app1", "web1"]
    design = load_dict(doc)
    scenarios = single_site_scenarios(design)
    assert [s.lost for s in scenarios] == [(), ("dr",), ("far",), ("hq",)]
    for s in scenarios:
        alone = scenario(design, s.lost)
        assert dict(s.outcomes) == dict(alone.outcomes)
        assert s.loads == alone.loads
        assert (s.start_order, s.start_positions) == (alone.start_order, alone.start_positions)
        assert dict(s.hit) == dict(alone.hit) and s.over_capacity == alone.over_capacity
    assert scenarios[3].start_order == ("app1", "web1")


@pytest.mark.parametrize("fields, order", [
    # by group, no group last
    ({"a": {"recovery_group": 2}, "b": {"recovery_group": 1}, "c": {}}, ["b", "a", "c"]),
    # within a group dependencies first, then by name (C's name sorts first: "A-LAST")
    ({"a": {"depends_on": ["b"]}, "b": {}, "c": {"name": "A-LAST"}}, ["c", "b", "a"]),
    # a dependency in another group does not reorder this one
    ({"a": {"recovery_group": 1, "depends_on": ["c"]}, "b": {"recovery_group": 1},
      "c": {"recovery_group": 3}}, ["a", "b", "c"]),
    # ties by name then id
    ({"a": {"name": "X"}, "b": {"name": "X"}, "c": {"name": "W"}}, ["c", "a", "b"]),
])
def test_start_order(fields: dict[str, dict[str, Any]], order: list[str]) -> None:
    doc = _doc()
    for vm_id, f in fields.items():
        add_vm(doc, vm_id, "hv1", **f)
    assert list(start_order(load_dict(doc), ["a", "b", "c"])) == order


def test_a_cycle_starts_as_one_block_in_its_place() -> None:
    doc = _doc()
    add_vm(doc, "a", "hv1", depends_on=["b"])
    add_vm(doc, "b", "hv1", depends_on=["a"])
    add_vm(doc, "c", "hv1", depends_on=["a"])
    add_vm(doc, "d", "hv1", name="0-FIRST")
    design = load_dict(doc)
    assert dependency_cycles(design, ["a", "b", "c", "d"]) == [["a", "b"]]
    assert start_order(design, ["c", "b", "a", "d"]) == ("d", "a", "b", "c")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefgh"), st.lists(st.sampled_from("abcdefgh"), max_size=4),
                       max_size=8))
def test_dependency_cycles_are_the_strongly_connected_components_of_depends_on(
        depends_on: dict[str, list[str]]) -> None:
    import networkx as nx

    design = Design()
    design.add(Site("s", "S"))
    design.add(Host("hv", "HV", "hv.example.com", "s"))
    for vm_id in depends_on:
        design.add(VM(vm_id, vm_id.upper(), "hv"))
    for vm_id, deps in depends_on.items():
        design.update(vm_id, depends_on=tuple(dict.fromkeys(
            d for d in deps if d in depends_on and d != vm_id)))
    for vm_ids in (list(depends_on), list(depends_on)[::2]):  # (all, or some: deps beyond)
        graph = nx.DiGraph()
        for vm_id in vm_ids:
            graph.add_node(vm_id)
            graph.add_edges_from((dep, vm_id) for dep in design.vms[vm_id].depends_on)
        expected = sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)
        assert dependency_cycles(design, vm_ids) == expected


def test_outcomes_and_loads_are_values_made_from_their_fields() -> None:
    """Outcome and Load fill their slots themselves: each field holds what it was given (the
    defaults where nothing was), by position or by name, and they stay frozen values."""
    recovered = Outcome("recovered", "hv2", 600, via="r1")
    assert (recovered.status, recovered.runs_on, recovered.rpo_s, recovered.via) == (
        "recovered", "hv2", 600, "r1")
    assert Outcome("down", None) == Outcome(status="down", runs_on=None, rpo_s=None, via=None)
    assert hash(Outcome("lost", None)) == hash(Outcome("lost", None))
    load = Load("hv2", 12.5, 6, 1, Size(64.0, 8), ("a", "b"), unknown_vcpus=1)
    assert [getattr(load, f.name) for f in dataclasses.fields(Load)] == [
        "hv2", 12.5, 6, 1, Size(64.0, 8), ("a", "b"), 0, 1, 8]
    assert dataclasses.replace(load, vcpu_per_core=4).vcpu_capacity == 32
    with pytest.raises(dataclasses.FrozenInstanceError):
        load.vcpu_demand = 7  # type: ignore[misc]
