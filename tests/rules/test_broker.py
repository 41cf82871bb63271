"""Hyper-V Replica Broker rules BRK-01..03."""

from __future__ import annotations

import pytest

from tests.rules.conftest import (
    add_cluster,
    add_host,
    add_replication,
    assert_clean,
    assert_finding,
    assert_one,
    assert_silent,
    baseline,
    check,
    cluster_source,
    cluster_target,
    find,
    of,
    outcome,
)


# ---------------------------------------------------------------- BRK-01
@pytest.mark.parametrize("build", [cluster_target, cluster_source], ids=["target", "source"])
def test_brk01_replicating_cluster_without_broker(build):
    doc = build()
    find(doc, "c1")["broker"] = None
    f = assert_one(doc, "BRK-01", "error", ("c1",), "C1")
    assert "no Hyper-V Replica Broker" in f.message


@pytest.mark.parametrize("build", [cluster_target, cluster_source], ids=["target", "source"])
def test_brk01_silent_with_a_broker(build):
    assert_clean(build())


def test_brk01_silent_for_a_cluster_that_does_not_replicate():
    doc = baseline()
    add_cluster(doc, "c1", "dr", broker=False)
    assert_clean(doc)


# ---------------------------------------------------------------- BRK-02
def test_brk02_replication_to_a_node():
    doc = cluster_target()
    find(doc, "r1")["target"] = "c1n1"
    f = assert_one(doc, "BRK-02", "error", ("r1", "c1n1", "c1"), "C1N1", "C1")
    assert "target" in f.message


def test_brk02_replication_from_a_node():
    doc = cluster_source()
    find(doc, "r1")["source"] = "c1n2"
    f = assert_one(doc, "BRK-02", "error", ("r1", "c1n2", "c1"), "C1N2", "C1")
    assert "source" in f.message


def test_brk02_both_ends_on_nodes():
    doc = baseline()
    add_cluster(doc, "c1", "hq")
    add_cluster(doc, "c2", "dr")
    add_replication(doc, "r9", "c1n1", "c2n1")
    assert outcome(doc, "BRK-02") == [
        ("error", ("r9", "c1n1", "c1")),
        ("error", ("r9", "c2n1", "c2")),
    ]


@pytest.mark.parametrize("build", [cluster_target, cluster_source], ids=["target", "source"])
def test_brk02_silent_when_the_link_points_at_the_cluster(build):
    assert_silent(build(), "BRK-02")


# ---------------------------------------------------------------- BRK-03
@pytest.mark.parametrize("name, why", [
    ("-BRK", "it starts with a hyphen"),
    ("BRK-", "it ends with a hyphen, which the DNS name it registers can't"),
    ("C1-RB-", "it ends with a hyphen"),
    ("BRK_1", "it has '_': only letters A-Z, digits and hyphens are allowed"),
    ("BRK.1", "it has '.'"),
    ("BRK 1", "it has ' '"),
    ("B.R K.", "it has '.' ' ':"),
    ("ABCDEFGHIJKLMNOP", "it has 16 characters, more than 15"),
    ("12345", "it is all digits"),
    ("BRÖKER", "it has 'Ö'"),
])
def test_brk03_invalid_name_says_why(name, why):
    doc = cluster_target()
    find(doc, "c1")["broker"]["name"] = name
    f = assert_one(doc, "BRK-03", "error", ("c1",), name, "C1")
    assert f"is not a valid NetBIOS name: {why}" in f.message


@pytest.mark.parametrize("name", ["A", "ABCDEFGHIJKLMNO", "1BRK", "c1-brk", "HV-REPLICA-01", "A-1",
                                  "1-2"])
def test_brk03_valid_name(name):
    doc = cluster_target()
    find(doc, "c1")["broker"]["name"] = name
    assert_clean(doc)


@pytest.mark.parametrize("name, owner", [
    ("hv1", "host HV1"),                    # a host of the domain, case-insensitive
    ("C1N2", "host C1N2"),                  # one of its own nodes
    ("c1", "cluster C1"),                   # its own cluster
    ("C2", "cluster C2"),                   # another cluster
])
def test_brk03_name_already_used_in_the_domain(name, owner):
    doc = cluster_target()
    add_cluster(doc, "c2", "dr")
    find(doc, "c1")["broker"]["name"] = name
    assert_one(doc, "BRK-03", "error", ("c1",), name, "C1", owner, "CORP")


def test_brk03_two_brokers_with_one_name_both_fire():
    doc = cluster_target()
    add_cluster(doc, "c2", "dr")
    find(doc, "c2")["broker"]["name"] = "c1-brk"
    findings = of(check(doc), "BRK-03")
    assert [(f.severity, f.subjects) for f in findings] == [("error", ("c1",)), ("error", ("c2",))]
    assert_finding(findings[0], "BRK-03", "C1-BRK", "cluster C1", "the broker of cluster C2")
    assert_finding(findings[1], "BRK-03", "c1-brk", "cluster C2", "the broker of cluster C1")


def test_brk03_silent_when_the_name_is_used_in_another_domain():
    doc = cluster_target()
    doc["domains"].append({"id": "lab", "name": "LAB", "fqdn": "lab.example.net"})
    add_host(doc, "hv9", "hq", domain="lab", name="C1-BRK", replica_server=None)
    add_host(doc, "hv8", "hq", domain=None, name="C1-BRK", replica_server=None)
    assert_clean(doc)


def test_brk03_workgroup_counts_as_one_domain():
    doc = baseline()
    add_cluster(doc, "c1", "dr", domain=None)
    add_host(doc, "hv9", "hq", domain=None, name="C1-BRK", replica_server=None)
    assert_one(doc, "BRK-03", "error", ("c1",), "C1-BRK", "host C1-BRK", "workgroup")
    find(doc, "hv9")["domain"] = "corp"
    assert_silent(doc, "BRK-03")
