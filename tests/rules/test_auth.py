"""Authentication and encryption rules AUTH-01..04."""

from __future__ import annotations

import pytest

from tests.rules.conftest import (
    SAME_SITE_COPY,
    assert_clean,
    assert_one,
    assert_silent,
    baseline,
    cluster_target,
    find,
    kerberos,
)


def _kerberos_same_site():
    """r1 with Kerberos, both hosts in site HQ: clean (no AUTH-04) but for APP1's copy in its
    own site (RCV-06, :data:`SAME_SITE_COPY`)."""
    doc = kerberos(baseline())
    find(doc, "hv2")["site"] = "hq"
    return doc


def _other_domain(doc, **fields):
    doc["domains"].append({"id": "lab", "name": "LAB", "fqdn": "lab.example.net", **fields})
    find(doc, "hv2")["domain"] = "lab"
    return doc


# ---------------------------------------------------------------- AUTH-01
@pytest.mark.parametrize("workgroup", [("hv1",), ("hv2",), ("hv1", "hv2")])
def test_auth01_kerberos_with_a_workgroup_side(workgroup):
    doc = _kerberos_same_site()
    for host in workgroup:
        find(doc, host)["domain"] = None
    f = assert_one(doc, "AUTH-01", "error", ("r1", "hv1", "hv2"), "HV1 → HV2", "workgroup")
    assert "Kerberos" in f.message


def test_auth01_kerberos_between_untrusted_domains():
    doc = _other_domain(_kerberos_same_site())
    f = assert_one(doc, "AUTH-01", "error", ("r1", "hv1", "hv2"), "HV1 → HV2", "CORP", "LAB")
    assert "don't trust" in f.message


@pytest.mark.parametrize("fields", [
    {"trusts": ["corp"]},             # declared on the target's domain
    {"forest": "corp.example.com"},   # same forest
], ids=["trust", "forest"])
def test_auth01_silent_between_trusted_domains(fields):
    assert_clean(_other_domain(_kerberos_same_site(), **fields), SAME_SITE_COPY)


def test_auth01_silent_with_a_trust_declared_on_the_source_side():
    doc = _other_domain(_kerberos_same_site())
    find(doc, "corp")["trusts"] = ["lab"]
    assert_clean(doc, SAME_SITE_COPY)


def test_auth01_silent_in_one_domain():
    assert_clean(_kerberos_same_site(), SAME_SITE_COPY)


def test_auth01_silent_with_certificates_across_workgroups():
    doc = baseline()
    find(doc, "hv1")["domain"] = None
    find(doc, "hv2")["domain"] = None
    assert_clean(doc)


# ---------------------------------------------------------------- AUTH-02
def test_auth02_target_does_not_accept_certificate():
    doc = baseline()
    find(doc, "hv2")["replica_server"]["auth"] = ["kerberos"]
    f = assert_one(doc, "AUTH-02", "error", ("r1", "hv2"), "HV1 → HV2", "host HV2")
    assert "accepts kerberos" in f.message


def test_auth02_target_does_not_accept_kerberos():
    doc = _kerberos_same_site()
    find(doc, "hv2")["replica_server"]["auth"] = ["certificate"]
    assert_one(doc, "AUTH-02", "error", ("r1", "hv2"), "HV1 → HV2", "host HV2")


def test_auth02_cluster_target_uses_the_cluster_settings():
    doc = cluster_target()
    find(doc, "c1")["replica_server"]["auth"] = ["kerberos"]
    assert_one(doc, "AUTH-02", "error", ("r1", "c1"), "cluster C1")


@pytest.mark.parametrize("accepted", [["certificate"], ["kerberos", "certificate"]])
def test_auth02_silent_when_accepted(accepted):
    doc = baseline()
    find(doc, "hv2")["replica_server"]["auth"] = accepted
    assert_clean(doc)


def test_auth02_and_auth03_silent_without_replica_settings():
    """RS-01 covers a target that is no Replica server."""
    doc = baseline()
    find(doc, "hv2")["replica_server"] = None
    find(doc, "r1")["port"] = 8443
    assert_silent(doc, "AUTH-02", "AUTH-03")


# ---------------------------------------------------------------- AUTH-03
def test_auth03_port_differs_from_the_listener():
    doc = baseline()
    find(doc, "r1")["port"] = 8443
    find(doc, "hv2")["windows_firewall"]["custom_ports"] = [8443]
    assert_one(doc, "AUTH-03", "error", ("r1", "hv2"), "HV1 → HV2", "host HV2", "8443", "443")


def test_auth03_default_port_against_a_custom_listener():
    doc = baseline()
    find(doc, "hv2")["replica_server"]["certificate_port"] = 8443
    assert_one(doc, "AUTH-03", "error", ("r1", "hv2"), "443", "8443")


def test_auth03_kerberos_port():
    doc = _kerberos_same_site()
    find(doc, "hv2")["replica_server"]["kerberos_port"] = 8080
    assert_one(doc, "AUTH-03", "error", ("r1", "hv2"), "80", "8080")


def test_auth03_silent_on_the_same_custom_port():
    doc = baseline()
    find(doc, "r1")["port"] = 8443
    for host in ("hv2", "hv1"):  # (HV1 too, for failback: FBK-01/03)
        find(doc, host)["replica_server"]["certificate_port"] = 8443
        find(doc, host)["windows_firewall"]["custom_ports"] = [8443]
    assert_clean(doc)


def test_auth03_compares_the_port_of_the_replications_auth():
    """A Kerberos port on the listener doesn't matter to a certificate replication."""
    doc = baseline()
    find(doc, "hv2")["replica_server"]["kerberos_port"] = 8080
    assert_clean(doc)


# ---------------------------------------------------------------- AUTH-04
def test_auth04_kerberos_across_sites():
    doc = kerberos(baseline())
    f = assert_one(doc, "AUTH-04", "warning", ("r1", "hv1", "hv2"), "HV1 → HV2", "HQ", "DR")
    assert "unencrypted" in f.message


def test_auth04_silent_within_a_site():
    assert_clean(_kerberos_same_site(), SAME_SITE_COPY)


def test_auth04_silent_with_certificates_across_sites():
    assert_silent(baseline(), "AUTH-04")
