"""Failback rules FBK-01..04: the primary must take replication back from its replica side, as
the replica side takes it from the primary (RS-02, AUTH-02/03, FW-01/02 the other way round)."""

from __future__ import annotations

import pytest

from tests.rules.conftest import (
    SAME_SITE_COPY,
    assert_clean,
    assert_one,
    assert_silent,
    authorization,
    baseline,
    check,
    cluster_source,
    cluster_target,
    find,
    kerberos,
    problems,
)


def _firewall(doc, protects, inbound, outbound):
    doc["firewalls"] = [{"id": "fw1", "name": "FW1", "protects": protects,
                         "allow_inbound_tcp": inbound, "allow_outbound_tcp": outbound}]
    return doc


# ---------------------------------------------------------------- FBK-01
def test_fbk01_primary_does_not_accept_the_auth():
    doc = baseline()
    find(doc, "hv1")["replica_server"]["auth"] = ["kerberos"]
    f = assert_one(doc, "FBK-01", "warning", ("r1", "hv1"), "HV1", "HV1 → HV2", "kerberos",
                   "certificate")
    assert "accepts kerberos, not certificate" in f.message


def test_fbk01_primary_listens_on_another_port():
    doc = baseline()
    find(doc, "hv1")["replica_server"]["certificate_port"] = 8443
    f = assert_one(doc, "FBK-01", "warning", ("r1", "hv1"), "HV1", "HV1 → HV2")
    assert "listens for certificate on port 8443, not 443" in f.message


def test_fbk01_compares_the_port_of_the_replications_auth():
    doc = baseline()
    find(doc, "hv1")["replica_server"]["kerberos_port"] = 8080
    assert_clean(doc)


def test_fbk01_cluster_primary_uses_the_cluster_settings():
    doc = cluster_source()
    find(doc, "c1")["replica_server"]["auth"] = ["kerberos"]
    assert_one(doc, "FBK-01", "warning", ("r1", "c1"), "Cluster C1", "C1 → HV2")


def test_fbk01_silent_when_both_sides_take_kerberos():
    doc = kerberos(baseline())
    find(doc, "hv2")["site"] = "hq"  # (no AUTH-04; the copy stays in the VM's site: RCV-06)
    assert_clean(doc, SAME_SITE_COPY)


# ---------------------------------------------------------------- FBK-02
def test_fbk02_primary_does_not_authorize_the_replica_side():
    doc = baseline()
    find(doc, "hv1")["replica_server"]["authorizations"] = [authorization("hv9.corp.example.com")]
    f = assert_one(doc, "FBK-02", "warning", ("r1", "hv1"), "HV1", "HV1 → HV2",
                   "hv2.corp.example.com")
    assert "no authorization entry" in f.message


@pytest.mark.parametrize("primary", ["hv2.corp.example.com", "HV2.Corp.Example.com",
                                     "*.example.com"])
def test_fbk02_silent_when_an_entry_matches(primary):
    doc = baseline()
    find(doc, "hv1")["replica_server"]["authorizations"] = [authorization(primary)]
    assert_clean(doc)


def test_fbk02_silent_when_the_primary_accepts_any_server():
    doc = baseline()
    find(doc, "hv1")["replica_server"] = {"auth": ["certificate"], "allow_any_primary": True,
                                         "default_storage": "D:\\Replica"}
    assert problems(check(doc)) == [("RS-04", ("hv1",))]


@pytest.mark.parametrize("primary, fires", [("c1-brk.corp.example.com", False),
                                            ("c1.corp.example.com", True)])
def test_fbk02_cluster_replica_side_is_known_by_its_broker(primary, fires):
    doc = cluster_target()
    find(doc, "hv1")["replica_server"]["authorizations"] = [authorization(primary)]
    if fires:
        assert_one(doc, "FBK-02", "warning", ("r1", "hv1"), "HV1", "c1-brk.corp.example.com")
    else:
        assert_clean(doc)


def test_fbk02_skips_a_replica_cluster_without_broker():
    doc = cluster_target()
    find(doc, "c1")["broker"] = None
    find(doc, "hv1")["replica_server"]["authorizations"] = [authorization("hv9.corp.example.com")]
    assert_silent(doc, "FBK-02")


# ---------------------------------------------------------------- FBK-03
def test_fbk03_primary_firewall_closed():
    doc = baseline()
    find(doc, "hv1")["windows_firewall"] = {"http_listener": True}
    f = assert_one(doc, "FBK-03", "warning", ("r1", "hv1"), "HV1", "443", "HV1 → HV2")
    assert "Windows Firewall" in f.message


def test_fbk03_every_node_of_a_primary_cluster():
    doc = cluster_source()
    find(doc, "c1n2")["windows_firewall"] = {"http_listener": True}
    assert_one(doc, "FBK-03", "warning", ("r1", "c1n2", "c1"), "C1N2", "443", "C1 → HV2")


def test_fbk03_kerberos_needs_the_http_listener_on_the_primary():
    doc = kerberos(baseline())
    find(doc, "hv1")["windows_firewall"] = {"https_listener": True}
    assert_one(doc, "FBK-03", "warning", ("r1", "hv1"), "HV1", "80")


def test_fbk03_custom_port_needs_a_custom_rule_on_the_primary():
    doc = baseline()
    find(doc, "r1")["port"] = 8443
    for host in ("hv1", "hv2"):
        find(doc, host)["replica_server"]["certificate_port"] = 8443
    find(doc, "hv2")["windows_firewall"] = {"custom_ports": [8443]}
    assert_one(doc, "FBK-03", "warning", ("r1", "hv1"), "HV1", "8443")
    find(doc, "hv1")["windows_firewall"] = {"custom_ports": [8443]}
    assert_clean(doc)


# ---------------------------------------------------------------- FBK-04
def test_fbk04_way_back_blocked_inbound_at_the_primary():
    """FW1 lets everything out of HQ (FW-02 silent) but nothing in."""
    doc = _firewall(baseline(), ["hq"], [], None)
    f = assert_one(doc, "FBK-04", "warning", ("r1", "fw1"), "FW1", "inbound", "443", "HV1 → HV2")
    assert "from HV2 back to HV1" in f.message
    assert_silent(doc, "FW-02")


def test_fbk04_way_back_blocked_outbound_at_the_replica_side():
    """FW1 lets 443 into DR (FW-02 silent) but nothing out."""
    doc = _firewall(baseline(), ["dr"], [443], [])
    assert_one(doc, "FBK-04", "warning", ("r1", "fw1"), "FW1", "outbound", "443")
    assert_silent(doc, "FW-02")


@pytest.mark.parametrize("protects, inbound, outbound", [
    (["hq"], [443], None), (["dr"], [443], [443]), (["hq", "dr"], [], []),
])
def test_fbk04_silent_when_the_port_is_open_both_ways(protects, inbound, outbound):
    assert_clean(_firewall(baseline(), protects, inbound, outbound))


# ---------------------------------------------------------------- all four
def test_fbk_rules_only_when_the_primary_is_a_replica_server():
    """Everything a failback would trip on, but HV1 is no Replica server: RS-05 says it all."""
    doc = _firewall(baseline(), ["hq"], [], None)
    find(doc, "hv1")["windows_firewall"] = {}
    find(doc, "hv1")["replica_server"] = None
    assert problems(check(doc)) == [("RS-05", ("r1", "hv1"))]
