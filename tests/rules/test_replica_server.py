"""Replica server rules RS-01..06."""

from __future__ import annotations

import pytest

from tests.rules.conftest import (
    CSV,
    LOCAL,
    add_cluster,
    assert_clean,
    assert_one,
    assert_silent,
    authorization,
    baseline,
    check,
    cluster_source,
    cluster_target,
    find,
    of,
)

HV1 = "hv1.corp.example.com"


# ---------------------------------------------------------------- RS-01
def test_rs01_target_not_a_replica_server():
    doc = baseline()
    find(doc, "hv2")["replica_server"] = None
    f = assert_one(doc, "RS-01", "error", ("r1", "hv2"), "HV2", "HV1 → HV2")
    assert "not enabled as a Replica server" in f.message
    assert_silent(doc, "RS-02", "RS-06", "AUTH-02", "AUTH-03")


def test_rs01_cluster_target():
    doc = cluster_target()
    find(doc, "c1")["replica_server"] = None
    assert_one(doc, "RS-01", "error", ("r1", "c1"), "C1")


def test_rs01_node_target_uses_its_clusters_settings():
    doc = cluster_target()
    find(doc, "r1")["target"] = "c1n1"
    assert_silent(doc, "RS-01")
    find(doc, "c1")["replica_server"] = None
    assert_one(doc, "RS-01", "error", ("r1", "c1n1"), "C1N1")


def test_rs01_silent_on_a_replica_server():
    assert_silent(baseline(), "RS-01")


# ---------------------------------------------------------------- RS-02
def _hv2_authorizes(*primaries):
    doc = baseline()
    find(doc, "hv2")["replica_server"]["authorizations"] = [authorization(p) for p in primaries]
    return doc


@pytest.mark.parametrize("primaries", [
    [],
    ["hv9.corp.example.com"],
    ["*.hv1.corp.example.com"],  # no name ends in ".hv1.corp.example.com" but deeper ones
    ["*.other.com", "hv1.corp"],
    ["hv1.corp.example.com.evil"],
])
def test_rs02_primary_not_authorized(primaries):
    doc = _hv2_authorizes(*primaries)
    f = assert_one(doc, "RS-02", "error", ("r1", "hv2"), "HV2", HV1, "HV1 → HV2")
    assert "no authorization entry" in f.message


@pytest.mark.parametrize("primaries", [
    [HV1],
    ["HV1.CORP.example.com"],            # case-insensitive
    ["*.corp.example.com"],
    ["*.example.com"],                   # a wildcard matches at any depth
    ["*.EXAMPLE.COM"],
    ["hv9.corp.example.com", "*.com"],   # any entry will do
])
def test_rs02_silent_when_authorized(primaries):
    assert_clean(_hv2_authorizes(*primaries))


def test_rs02_silent_when_any_primary_is_allowed():
    doc = _hv2_authorizes()
    find(doc, "hv2")["replica_server"].update(allow_any_primary=True, default_storage=LOCAL)
    findings = check(doc)
    assert of(findings, "RS-02") == []
    assert [f.rule for f in findings if f.severity != "info"] == ["RS-04"]


def test_rs02_cluster_source_is_known_by_its_broker():
    doc = cluster_source()
    find(doc, "hv2")["replica_server"]["authorizations"] = [
        authorization("c1n1.corp.example.com"), authorization("c1.corp.example.com")]
    assert_one(doc, "RS-02", "error", ("r1", "hv2"), "HV2", "c1-brk.corp.example.com")
    broker = authorization("c1-brk.corp.example.com")
    find(doc, "hv2")["replica_server"]["authorizations"] = [broker]
    assert_clean(doc)


def test_rs02_skipped_for_a_cluster_source_without_broker():
    doc = cluster_source()
    find(doc, "c1")["broker"] = None
    find(doc, "hv2")["replica_server"]["authorizations"] = [authorization("hv9.corp.example.com")]
    findings = check(doc)
    assert of(findings, "RS-02") == []
    assert [f.rule for f in findings if f.severity != "info"] == ["BRK-01"]


def test_rs02_node_target_uses_its_clusters_authorizations():
    doc = cluster_target()
    find(doc, "r1")["target"] = "c1n1"
    find(doc, "c1")["replica_server"]["authorizations"] = [authorization("hv9.corp.example.com")]
    assert_one(doc, "RS-02", "error", ("r1", "c1n1"), "C1N1", HV1)


# ---------------------------------------------------------------- RS-03 / RS-04
@pytest.mark.parametrize("default_storage", [None, "", "  "])
def test_rs03_any_primary_without_default_storage(default_storage):
    doc = baseline()
    find(doc, "hv1")["replica_server"].update(allow_any_primary=True,
                                              default_storage=default_storage)
    f = assert_one(doc, "RS-03", "error", ("hv1",), "HV1")
    assert "default" in f.message
    assert_one(doc, "RS-04", "warning", ("hv1",), "HV1")


def test_rs03_silent_with_default_storage():
    doc = baseline()
    find(doc, "hv1")["replica_server"].update(allow_any_primary=True, default_storage=LOCAL)
    assert_silent(doc, "RS-03")


def test_rs03_silent_without_any_primary():
    doc = baseline()
    find(doc, "hv1")["replica_server"]["default_storage"] = None
    assert_clean(doc)


def test_rs03_and_rs04_on_a_cluster():
    doc = cluster_target()
    find(doc, "c1")["replica_server"].update(allow_any_primary=True, authorizations=[])
    assert_one(doc, "RS-03", "error", ("c1",), "C1")
    assert_one(doc, "RS-04", "warning", ("c1",), "C1")


def test_rs04_any_primary():
    doc = baseline()
    find(doc, "hv2")["replica_server"].update(allow_any_primary=True, default_storage=LOCAL)
    f = assert_one(doc, "RS-04", "warning", ("hv2",), "HV2")
    assert "any" in f.message


def test_rs04_silent_with_authorization_entries():
    assert_silent(baseline(), "RS-04")


# ---------------------------------------------------------------- RS-05
def test_rs05_source_not_a_replica_server():
    doc = baseline()
    find(doc, "hv1")["replica_server"] = None
    f = assert_one(doc, "RS-05", "warning", ("r1", "hv1"), "HV1", "HV1 → HV2")
    assert "failover" in f.message


def test_rs05_cluster_source():
    doc = cluster_source()
    find(doc, "c1")["replica_server"] = None
    assert_one(doc, "RS-05", "warning", ("r1", "c1"), "C1")


def test_rs05_node_source_uses_its_clusters_settings():
    doc = cluster_source()
    find(doc, "r1")["source"] = "c1n1"
    assert_silent(doc, "RS-05")
    find(doc, "c1")["replica_server"] = None
    assert_one(doc, "RS-05", "warning", ("r1", "c1n1"), "C1N1")


def test_rs05_silent_when_the_source_is_a_replica_server():
    assert_silent(baseline(), "RS-05")


# ---------------------------------------------------------------- RS-06
def _c1_storage(*entries, **settings):
    """r1 goes HV1 → cluster C1, whose Replica settings are replaced."""
    doc = cluster_target()
    find(doc, "c1")["replica_server"] = {
        "auth": ["certificate"], "authorizations": [authorization(p, s) for p, s in entries],
        **settings,
    }
    return doc


@pytest.mark.parametrize("entries, storage", [
    # the first exact match wins over any wildcard, wherever they are listed
    ([("*.corp.example.com", CSV), (HV1, LOCAL)], LOCAL),
    ([("*.corp.example.com", LOCAL), (HV1, CSV)], None),
    ([(HV1, "E:\\First"), (HV1, CSV)], "E:\\First"),
    ([(HV1, CSV), (HV1, "E:\\Second")], None),
    # else the first wildcard match
    ([("*.corp.example.com", "E:\\First"), ("*.example.com", CSV)], "E:\\First"),
    ([("*.example.com", CSV), ("*.corp.example.com", "E:\\Second")], None),
    # entries that don't match the primary don't count
    ([("hv9.corp.example.com", LOCAL), ("*.corp.example.com", CSV)], None),
])
def test_rs06_storage_choice_order(entries, storage):
    doc = _c1_storage(*entries)
    if storage is None:
        assert_clean(doc)
    else:
        f = assert_one(doc, "RS-06", "error", ("r1", "c1"), "C1", storage, "HV1 → C1")
        assert "not shared" in f.message


@pytest.mark.parametrize("entries, default, storage", [
    ([], LOCAL, LOCAL),
    ([], CSV, None),
    ([("hv9.corp.example.com", CSV)], LOCAL, LOCAL),   # no match: the default applies
    ([("*.corp.example.com", CSV)], LOCAL, None),      # a match goes before the default
    ([(HV1, LOCAL)], CSV, LOCAL),
])
def test_rs06_default_storage_when_any_primary(entries, default, storage):
    doc = _c1_storage(*entries, allow_any_primary=True, default_storage=default)
    if storage is None:
        assert_silent(doc, "RS-06")
    else:
        assert_one(doc, "RS-06", "error", ("r1", "c1"), storage)


@pytest.mark.parametrize("path, shared", [
    ("C:\\ClusterStorage\\Volume1\\Replica", True),
    ("E:\\clusterstorage\\vol2", True),           # any drive letter, case-insensitive
    ("c:\\CLUSTERSTORAGE\\Volume1", True),
    ("\\\\fs1\\replica$", True),                  # UNC
    ("\\\\fs1.corp.example.com\\share\\hvr", True),
    ("D:\\Replica", False),
    ("C:\\ClusterStorageOld\\Replica", False),
    ("C:\\Data\\ClusterStorage\\Replica", False),
    ("\\fs1\\replica", False),
])
def test_rs06_shared_paths(path, shared):
    doc = _c1_storage((HV1, path))
    if shared:
        assert_clean(doc)
    else:
        assert_one(doc, "RS-06", "error", ("r1", "c1"), path)


def test_rs06_silent_when_no_storage_applies():
    """No entry matches and any primary is not allowed: RS-02 covers it."""
    doc = _c1_storage(("hv9.corp.example.com", LOCAL))
    findings = check(doc)
    assert of(findings, "RS-06") == []
    assert [f.subjects for f in of(findings, "RS-02")] == [("r1", "c1")]


def test_rs06_silent_when_any_primary_lacks_default_storage():
    doc = _c1_storage(allow_any_primary=True)
    findings = check(doc)
    assert of(findings, "RS-06") == []
    assert [f.subjects for f in of(findings, "RS-03")] == [("c1",)]


def test_rs06_only_for_cluster_targets():
    assert_silent(baseline(), "RS-06")  # HV2 stores on D:\Replica, fine for a host


def test_rs06_cluster_source_is_matched_by_its_broker():
    doc = cluster_source()
    find(doc, "r1")["target"] = "c2"
    add_cluster(doc, "c2", "dr")
    find(doc, "c2")["replica_server"]["authorizations"] = [
        authorization("*.corp.example.com", CSV), authorization("c1-brk.corp.example.com", LOCAL)]
    assert_one(doc, "RS-06", "error", ("r1", "c2"), LOCAL, "C1 → C2")
