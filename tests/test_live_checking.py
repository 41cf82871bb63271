"""Live checking: after any sequence of edits, the incremental findings equal a full check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvdesigner.model.design import Design, ModelError
from hvdesigner.model.entities import (
    VM,
    Assumptions,
    Authorization,
    Broker,
    Certificate,
    Disk,
    FailoverIp,
    ReplicaServer,
    Replication,
    Suppression,
    WindowsFirewall,
)
from hvdesigner.rules.engine import Checker, sort_key
from tests.designs import load_dict, rich_design

AS_OF = dt.date(2026, 1, 1)
SERVERS = ["hv1", "hv2", "cla", "clb", "na1", "na2", "nb1", "hc1"]
HOSTS = ["hv1", "hv2", "na1", "na2", "nb1", "nb2", "hc1"]
VMS = ["app1", "sql1", "web1", "old1"]
DISKS = [f"{vm}-{d}" for vm in ("sql1", "web1", "old1") for d in ("os", "data", "pf")]
OS = ["2012", "2012r2", "2016", "2019", "2022", "2025"]

# Each edit is (operation, id, value); edits the model refuses are part of the test: they
# must leave both the design and the findings as they were.
replication_edits = st.one_of(
    st.tuples(st.just("update"), st.sampled_from(["r1", "r2", "r3"]), st.fixed_dictionaries({}, optional={
        "frequency_s": st.sampled_from([30, 60, 300, 900]),
        "auth": st.sampled_from(["kerberos", "certificate"]),
        "port": st.sampled_from([None, 80, 443, 8443]),
        "vss_hours": st.sampled_from([None, 0, 4, 13]),
        "recovery_points": st.sampled_from([0, 4, 16, 25]),
        "compression": st.booleans(),
        "vms": st.lists(st.sampled_from(VMS), unique=True, max_size=3).map(tuple),
        "source": st.sampled_from(SERVERS),
        "target": st.sampled_from(SERVERS),
    })),
    st.tuples(st.just("add"), st.sampled_from(["rx", "ry"]), st.builds(
        dict, source=st.sampled_from(SERVERS), target=st.sampled_from(SERVERS),
        vms=st.lists(st.sampled_from(VMS), unique=True, max_size=2).map(tuple),
        auth=st.sampled_from(["kerberos", "certificate"]), frequency_s=st.sampled_from([300, 900]))),
    st.tuples(st.just("remove"), st.sampled_from(["r1", "r2", "r3", "rx", "ry"]), st.none()),
)
disk_edits = st.tuples(st.just("update"), st.sampled_from(DISKS), st.fixed_dictionaries({}, optional={
    "churn_mb_s": st.sampled_from([0, 0.5, 5, 40]),
    "replicate": st.booleans(),
    "role": st.sampled_from(["os", "data", "pagefile"]),
    "type": st.sampled_from(["vhdx", "vhd", "passthrough", "vhd_set"]),
}))
server_edits = st.one_of(
    st.tuples(st.just("update"), st.sampled_from(HOSTS), st.fixed_dictionaries({}, optional={
        "os": st.sampled_from(OS),
        "name": st.sampled_from(["HV1", "CLA-RB", "NEW", "clb-rb"]),
        "windows_firewall": st.sampled_from([WindowsFirewall(), WindowsFirewall(True, True)]),
        "certificates": st.sampled_from([(), (Certificate(("*.corp.example.com",)),),
                                         (Certificate(("hv1.corp.example.com",), self_signed=True,
                                                      expires=dt.date(2025, 1, 1)),)]),
        "domain": st.sampled_from([None, "corp", "emea", "hoster"]),
        "site": st.sampled_from(["hq", "dr", "cloud"]),
        "replica_server": st.sampled_from([None, ReplicaServer(), ReplicaServer(
            auth=("certificate",), allow_any_primary=True), ReplicaServer(
            auth=("certificate",), authorizations=(Authorization("hv2.corp.example.com", "D:\\R"),))]),
        "switches": st.sampled_from([(), ("LAN", "Test"), ("test",)]),
        "cluster": st.sampled_from([None, "cla", "clb"]),  # (joining or leaving a cluster)
        "memory_gb": st.sampled_from([None, 8, 64]),
        "cores": st.sampled_from([None, 1, 16]),
        "storage_gb": st.sampled_from([None, 0, 500]),
    })),
    st.tuples(st.just("update"), st.sampled_from(["cla", "clb"]), st.fixed_dictionaries({}, optional={
        "broker": st.sampled_from([None, Broker("CLA-RB", "cla-rb.corp.example.com"),
                                   Broker("HV1", "x.corp.example.com"), Broker("1234", "y")]),
        "name": st.sampled_from(["CLA", "CLB", "HV2"]),
        "replica_server": st.sampled_from([None, ReplicaServer(auth=("certificate",), authorizations=(
            Authorization("*.example.com", "D:\\Local"),))]),
        "storage_gb": st.sampled_from([None, 0, 500]),
    })),
    st.tuples(st.just("update"), st.sampled_from(VMS), st.fixed_dictionaries({}, optional={
        "placement": st.sampled_from(SERVERS),
        "static_ip": st.booleans(),
        "generation": st.sampled_from([1, 2]),
        "config_version": st.sampled_from([None, "5.0"]),
        "integration_services": st.booleans(),
        "failover_ip": st.sampled_from([None, FailoverIp("10.1.0.20", 16, "10.1.0.1"),
                                        FailoverIp("192.168.10.7", 24, "10.0.0.1")]),
        "test_switch": st.sampled_from([None, "Test", "LAN"]),
        "memory_gb": st.sampled_from([None, 4, 48]),
        "vcpus": st.sampled_from([None, 2, 40]),
        "recovery_group": st.sampled_from([None, 1, 3]),
        "depends_on": st.lists(st.sampled_from(VMS), unique=True, max_size=3).map(tuple),
    })),
)
context_edits = st.one_of(
    st.tuples(st.just("update"), st.just("fw1"), st.fixed_dictionaries({}, optional={
        "protects": st.lists(st.sampled_from(["hq", "dr", "cloud", "cla", "hv2", "nb1"]),
                             unique=True, max_size=3).map(tuple),
        "allow_inbound_tcp": st.sampled_from([(), (443,), (80, 443)]),
        "allow_outbound_tcp": st.sampled_from([None, (), (443,)]),
    })),
    st.tuples(st.just("update"), st.sampled_from(["hq", "dr", "cloud"]), st.fixed_dictionaries({
        "subnets": st.sampled_from([(), ("10.1.0.0/16",), ("192.168.10.0/24", "10.0.0.0/16")])})),
    st.tuples(st.just("update"), st.sampled_from(["wan1", "wan2"]), st.fixed_dictionaries({}, optional={
        "bandwidth_mbps": st.sampled_from([1, 10, 50, 1000]),
        "sites": st.sampled_from([("hq", "dr"), ("dr", "cloud"), ("hq", "cloud")]),
    })),
    st.tuples(st.just("update"), st.sampled_from(["corp", "emea", "hoster"]),
              st.fixed_dictionaries({}, optional={
                  "trusts": st.sampled_from([(), ("hoster",), ("corp",)]),
                  "forest": st.sampled_from([None, "corp.example.com", "other.example.org"])})),
    st.tuples(st.just("set"), st.just("assumptions"), st.builds(
        Assumptions, growth=st.sampled_from([0.0, 0.3, 2.0]),
        compression_saving=st.sampled_from([0.0, 0.5]),
        vcpu_per_core=st.sampled_from([0.5, 8.0]))),
    st.tuples(st.just("set"), st.just("suppressions"), st.sampled_from([
        (), (Suppression("VER-02", "r2", "failback planned"),),
        (Suppression("DSK-06", "sql1", "recreated by script"),)])),
    st.tuples(st.just("remove"), st.sampled_from(["app1-pf", "wan2", "fw1", "na2", "old1"]), st.none()),
    st.tuples(st.just("add_disk"), st.sampled_from(VMS), st.sampled_from(["extra1", "extra2"])),
)
edits = st.lists(st.one_of(replication_edits, disk_edits, server_edits, context_edits),
                 min_size=1, max_size=12)


def sized_design() -> Design:
    """The rich design with memory and cores on every host and sizes on every VM, so that
    edits of sizes and links move the recovery rules (RCV-01..03) both ways."""
    doc = rich_design()
    for host in doc["hosts"]:
        host.setdefault("memory_gb", 32)
        host.setdefault("cores", 4)
    for vm in doc["vms"]:
        vm.setdefault("memory_gb", 16)
        vm.setdefault("vcpus", 4)
    return load_dict(doc)


def apply_edit(design: Design, op: str, id: str, value: Any) -> None:
    if op == "update":
        design.update(id, **value)
    elif op == "add":
        design.add(Replication(id, **value))
    elif op == "remove":
        design.remove(id)
    elif op == "set":
        design.set(id, value)
    elif op == "add_disk":
        vm: VM | None = design.find(id)
        if vm is None:
            return
        disk = Disk(value, "extra.vhd", 10, type="vhd", churn_mb_s=1)
        design.update(id, disks=vm.disks + (disk,))


def snapshot(design: Design) -> list[Any]:
    return sorted(repr(design.find(i)) for i in design.ids()) + [repr(design.suppressions),
                                                                  repr(design.assumptions)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_incremental_findings_equal_a_full_check_after_any_edits(sequence: list[Any]) -> None:
    design = sized_design()
    live = Checker(design, AS_OF)
    live.attach()
    for op, id, value in sequence:
        before = snapshot(design)
        findings_before = live.findings()
        try:
            apply_edit(design, op, id, value)
        except ModelError:
            assert snapshot(design) == before, "a refused edit must leave the design unchanged"
            assert live.findings() == findings_before
            continue
        assert live.findings() == Checker(design, AS_OF).check_all()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits, st.lists(st.integers(min_value=0, max_value=4), min_size=12, max_size=12),
       st.integers(min_value=1, max_value=7))
def test_a_check_in_steps_with_edits_between_equals_a_full_check(
        sequence: list[Any], steps_between: list[int], batch: int) -> None:
    """The designer's first check runs in steps between events, and the user may edit
    meanwhile; the deltas of later edits then keep a list equal to the checker's."""
    design = sized_design()
    live = Checker(design, AS_OF)
    deltas: list[Any] = []
    design.subscribe(lambda changes: deltas.append(live.apply(changes)))
    live.start()
    for (op, id, value), steps in zip(sequence, steps_between, strict=False):
        for _ in range(steps):
            live.advance(0, batch)
        try:
            apply_edit(design, op, id, value)
        except ModelError:
            pass
    while not live.advance(0, batch):
        pass
    assert not live.checking and live.progress() == 1
    assert live.findings() == Checker(design, AS_OF).check_all()
    listed = {f.key: f for f in live.findings()}
    deltas.clear()
    for op, id, value in sequence:
        try:
            apply_edit(design, op, id, value)
        except ModelError:
            continue
        for delta in deltas:
            for f in delta.removed:
                del listed[f.key]
            listed.update((f.key, f) for f in delta.added)
        deltas.clear()
        assert sorted(listed.values(), key=sort_key) == live.findings()


def test_a_suppression_changes_the_mark_of_its_findings_in_the_delta() -> None:
    design = load_dict(rich_design())
    live = Checker(design, AS_OF)
    live.check_all(live=True)
    (finding,) = [f for f in live.findings() if f.rule == "DSK-06" and "sql1" in f.subjects]
    deltas: list[Any] = []
    design.subscribe(lambda changes: deltas.append(live.apply(changes)))
    design.set("suppressions", (Suppression("DSK-06", "sql1", "recreated by script"),))
    (delta,) = deltas
    assert [f.key for f in delta.removed] == [finding.key]
    assert [(f.key, f.suppressed, f.reason) for f in delta.added] == [
        (finding.key, True, "recreated by script")]
    design.set("suppressions", ())
    assert [(f.key, f.suppressed) for f in deltas[1].added] == [(finding.key, False)]


def test_an_edit_reports_what_it_changed_in_the_findings() -> None:
    design = load_dict(rich_design())
    live = Checker(design, AS_OF)
    live.check_all(live=True)
    deltas = []
    design.subscribe(lambda changes: deltas.append(live.apply(changes)))
    design.update("sql1-pf", replicate=True)
    (delta,) = deltas
    assert [f.rule for f in delta.added] == ["DSK-04"]
    assert [f.rule for f in delta.removed] == ["DSK-06"]
    design.update("sql1-pf", replicate=False)
    assert [f.rule for f in deltas[1].added] == ["DSK-06"]
    assert [f.rule for f in deltas[1].removed] == ["DSK-04"]


def units_rechecked(design: Design, monkeypatch: Any, id: str, **fields: Any) -> set[Any]:
    """The units a live checker re-checks for one edit (after which it equals a full check)."""
    live = Checker(design, AS_OF)
    live.attach()
    evaluated: list[Any] = []
    original = Checker._evaluate

    def spy(self: Checker, unit: Any, memo: Any) -> Any:
        evaluated.append(unit)
        return original(self, unit, memo)

    monkeypatch.setattr(Checker, "_evaluate", spy)
    design.update(id, **fields)
    assert live.findings() == Checker(design, AS_OF).check_all()
    return set(evaluated)


def test_an_unrelated_edit_rechecks_little(monkeypatch: Any) -> None:
    """A disk edit re-runs the units that read its VM, not the whole design."""
    units = units_rechecked(load_dict(rich_design()), monkeypatch, "web1-data", churn_mb_s=3)
    assert ("vm", "web1") in units and ("wan_link", "wan1") in units
    assert ("vm", "app1") not in units and ("replication", "r1") not in units



def test_a_second_link_from_where_a_vm_runs_brings_top02_live_and_its_removal_takes_it() -> None:
    """TOP-02 and TOP-03/04 stop at a VM listed on one link or none, reading only which links
    list it (most VMs): a live check must still follow the listing growing and shrinking."""
    design = load_dict(rich_design())
    live = Checker(design, AS_OF)
    live.attach()

    def top(rule: str) -> list[tuple[str, ...]]:
        return [f.subjects for f in live.findings() if f.rule == rule]

    assert top("TOP-02") == [] and live.findings() == Checker(design, AS_OF).check_all()
    design.add(Replication("r9", "hv1", "hc1", vms=("app1",)))
    assert top("TOP-02") == [("app1", "r1", "r9")]
    assert live.findings() == Checker(design, AS_OF).check_all()
    design.update("r9", vms=())
    design.update("r1", vms=())
    assert top("TOP-02") == [] and live.findings() == Checker(design, AS_OF).check_all()
    design.update("r2", vms=("sql1", "web1", "app1"))  # (from a server app1 does not run on)
    assert [s for s in top("TOP-03") if "app1" in s] == [("app1", "r2")]
    assert live.findings() == Checker(design, AS_OF).check_all()
