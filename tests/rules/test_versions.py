"""Windows Server version rules VER-01..03: which way replication may cross versions."""

from __future__ import annotations

import pytest

from tests.rules.conftest import (
    add_vm,
    assert_one,
    assert_silent,
    baseline,
    check,
    cluster_target,
    find,
)

VER = ("VER-01", "VER-02", "VER-03")


def _versions(source_os, target_os, config_version=None):
    doc = baseline()
    find(doc, "hv1")["os"] = source_os
    find(doc, "hv2")["os"] = target_os
    app1 = find(doc, "app1")
    app1["config_version"] = config_version
    app1["generation"] = 1  # keep VM-07 out of the 2012 cases
    return doc


def _ver(doc):
    return [(f.rule, f.severity, f.subjects) for f in check(doc) if f.rule in VER]


S = ("r1", "hv1", "hv2")


@pytest.mark.parametrize("source, target, config, expected", [
    ("2022", "2022", None, []),
    ("2019", "2022", None, [("VER-02", "warning", S)]),
    ("2022", "2025", "5.0", [("VER-02", "warning", S)]),
    ("2022", "2019", None, [("VER-01", "error", S)]),
    ("2012r2", "2012", None, [("VER-01", "error", S)]),
    # 2016 → 2012 R2 works while every VM keeps configuration version 5.0: a warning.
    ("2016", "2012r2", "5.0", [("VER-01", "warning", S)]),
    ("2016", "2012r2", None, [("VER-01", "error", S)]),
    ("2016", "2012r2", "8.0", [("VER-01", "error", S)]),
    ("2019", "2012r2", "5.0", [("VER-01", "error", S)]),  # the exception is 2016 → 2012 R2 only
    ("2019", "2016", "5.0", [("VER-01", "error", S)]),
    # 2012 R2 → 2016 with configuration version 5.0 keeps failback: no finding.
    ("2012r2", "2016", "5.0", []),
    ("2012r2", "2016", None, [("VER-02", "warning", S)]),
    ("2012r2", "2019", "5.0", [("VER-02", "warning", S)]),  # the exception is 2016 only
    ("2012", "2012r2", None, [("VER-02", "warning", S)]),
    # 2012 → 2016 and later: VER-03, and VER-02 stays silent.
    ("2012", "2016", None, [("VER-03", "error", S)]),
    ("2012", "2025", "5.0", [("VER-03", "error", S)]),
])
def test_version_direction(source, target, config, expected):
    assert _ver(_versions(source, target, config)) == expected


def test_ver01_message_names_servers_and_versions():
    f = assert_one(_versions("2022", "2019"), "VER-01", "error", S, "HV1 → HV2", "2022 → 2019")
    assert "older" in f.message


def test_ver01_warning_message_names_configuration_version():
    doc = _versions("2016", "2012r2", "5.0")
    f = assert_one(doc, "VER-01", "warning", S, "HV1 → HV2", "2012 R2")
    assert "5.0" in f.message


def test_ver02_and_ver03_messages():
    assert_one(_versions("2019", "2022"), "VER-02", "warning", S, "HV1 → HV2", "2019 → 2022")
    assert_one(_versions("2012", "2019"), "VER-03", "error", S, "HV1 → HV2", "2019")


def test_ver01_exception_needs_every_vm_at_5_0():
    doc = _versions("2016", "2012r2", "5.0")
    add_vm(doc, "db1", "hv1", generation=1, config_version="8.0")
    find(doc, "r1")["vms"] = ["app1", "db1"]
    assert _ver(doc) == [("VER-01", "error", S)]
    find(doc, "db1")["config_version"] = "5.0"
    assert _ver(doc) == [("VER-01", "warning", S)]


@pytest.mark.parametrize("source, target, expected", [
    ("2016", "2012r2", [("VER-01", "error", S)]),
    ("2012r2", "2016", [("VER-02", "warning", S)]),
])
def test_version_exceptions_need_at_least_one_vm(source, target, expected):
    doc = _versions(source, target, "5.0")
    find(doc, "r1")["vms"] = []
    assert _ver(doc) == expected


def test_cluster_os_is_its_oldest_node():
    doc = cluster_target()
    find(doc, "c1n2")["os"] = "2019"
    assert_one(doc, "VER-01", "error", ("r1", "hv1", "c1"), "HV1 → C1", "2022 → 2019")
    find(doc, "c1n2")["os"] = "2025"
    assert_silent(doc, *VER)


def test_cluster_without_nodes_skips_version_rules():
    doc = cluster_target()
    doc["hosts"] = [h for h in doc["hosts"] if h.get("cluster") != "c1"]
    find(doc, "hv1")["os"] = "2012"
    assert_silent(doc, *VER)


@pytest.mark.parametrize("target", ["2016", "2019", "2022", "2025"])
def test_ver03_2012_to_2016_and_later(target):
    doc = _versions("2012", target)
    f = assert_one(doc, "VER-03", "error", S, "HV1 → HV2", "4.0")
    assert "2012" in f.message
    assert_silent(doc, "VER-01", "VER-02")


@pytest.mark.parametrize("source, target", [("2012", "2012r2"), ("2012r2", "2016")])
def test_ver03_silent_when_replicating_to_2012r2_or_from_an_upgraded_primary(source, target):
    doc = _versions(source, target)
    assert_silent(doc, "VER-03")
    assert _ver(doc) == [("VER-02", "warning", S)]
