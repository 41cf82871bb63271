"""Firewall rules FW-01 (Windows Firewall on receiving machines) and FW-02 (network firewalls)."""

from __future__ import annotations

import pytest

from tests.rules.conftest import (
    add_cluster,
    add_replication,
    assert_clean,
    assert_one,
    assert_silent,
    baseline,
    check,
    cluster_target,
    find,
    kerberos,
    of,
    outcome,
    problems,
)


def _firewall(doc, id="fw1", protects=("dr",), inbound=(), outbound=None):
    doc.setdefault("firewalls", []).append({
        "id": id, "name": id.upper(), "protects": list(protects),
        "allow_inbound_tcp": list(inbound), "allow_outbound_tcp": outbound,
    })
    return doc


# ---------------------------------------------------------------- FW-01
def test_fw01_https_listener_closed_on_the_target():
    doc = baseline()
    find(doc, "hv2")["windows_firewall"] = {}
    f = assert_one(doc, "FW-01", "error", ("r1", "hv2"), "HV2", "443", "HV1 → HV2")
    assert "Windows Firewall" in f.message


def test_fw01_only_receiving_machines_count():
    """HV1 (the sender) with no listener open: only the failback rule minds (FBK-03)."""
    doc = baseline()
    find(doc, "hv1")["windows_firewall"] = {}
    assert problems(check(doc)) == [("FBK-03", ("r1", "hv1"))]


def test_fw01_every_node_of_a_receiving_cluster():
    doc = cluster_target()
    find(doc, "c1n2")["windows_firewall"] = {"http_listener": True}
    assert_one(doc, "FW-01", "error", ("r1", "c1n2", "c1"), "C1N2", "443")


def test_fw01_kerberos_needs_the_http_listener():
    doc = kerberos(baseline())
    find(doc, "hv2")["windows_firewall"] = {"https_listener": True}
    assert_one(doc, "FW-01", "error", ("r1", "hv2"), "HV2", "80")


@pytest.mark.parametrize("windows_firewall, fires", [
    ({"custom_ports": [8443]}, False),
    ({"https_listener": True}, True),  # the built-in listener rule covers 443 only
    ({"https_listener": True, "custom_ports": [443]}, True),
])
def test_fw01_custom_port_needs_a_custom_rule(windows_firewall, fires):
    doc = baseline()
    find(doc, "r1")["port"] = 8443
    find(doc, "hv2")["replica_server"]["certificate_port"] = 8443
    find(doc, "hv2")["windows_firewall"] = windows_firewall
    find(doc, "hv1")["replica_server"]["certificate_port"] = 8443  # (failback: FBK-01/03)
    find(doc, "hv1")["windows_firewall"] = {"custom_ports": [8443]}
    if fires:
        assert_one(doc, "FW-01", "error", ("r1", "hv2"), "HV2", "8443")
    else:
        assert_clean(doc)


def test_fw01_custom_rule_for_443_without_the_listener():
    doc = baseline()
    find(doc, "hv2")["windows_firewall"] = {"custom_ports": [443]}
    assert_clean(doc)


# ---------------------------------------------------------------- FW-02
@pytest.mark.parametrize("inbound, fires", [([], True), ([80], True), ([443], False),
                                            ([80, 443], False)])
def test_fw02_inbound_at_the_target_site(inbound, fires):
    doc = _firewall(baseline(), protects=["dr"], inbound=inbound)
    if fires:
        f = assert_one(doc, "FW-02", "error", ("r1", "fw1"), "FW1", "inbound", "443", "HV1 → HV2")
        assert "blocks" in f.message
    else:
        assert_clean(doc)


@pytest.mark.parametrize("outbound, fires", [(None, False), ([], True), ([80], True),
                                             ([443], False)])
def test_fw02_outbound_at_the_source_site(outbound, fires):
    """Inbound rules don't matter outbound; ``null`` allows every outbound port."""
    doc = _firewall(baseline(), protects=["hq"], inbound=[], outbound=outbound)
    if fires:
        assert_one(doc, "FW-02", "error", ("r1", "fw1"), "FW1", "outbound", "443")
    else:  # (the way back, inbound at HQ, is closed: FBK-04)
        assert problems(check(doc)) == [("FBK-04", ("r1", "fw1"))]


def test_fw02_inbound_ignores_the_outbound_list():
    doc = _firewall(baseline(), protects=["dr"], inbound=[], outbound=[443])
    assert_one(doc, "FW-02", "error", ("r1", "fw1"), "inbound")


@pytest.mark.parametrize("protects", [["hq", "dr"], ["hv1", "hv2"], ["hq", "hv2"]])
def test_fw02_servers_behind_the_same_firewall_do_not_pass_it(protects):
    doc = _firewall(baseline(), protects=protects, inbound=[], outbound=[])
    assert_clean(doc)


def test_fw02_firewall_listing_the_target_host():
    doc = _firewall(baseline(), protects=["hv2"])
    assert_one(doc, "FW-02", "error", ("r1", "fw1"), "FW1", "inbound")


def test_fw02_one_finding_per_firewall_passed():
    doc = _firewall(baseline(), "fw1", protects=["hq"], outbound=[])
    _firewall(doc, "fw2", protects=["dr"], inbound=[])
    assert outcome(doc, "FW-02") == [("error", ("r1", "fw1")), ("error", ("r1", "fw2"))]
    messages = [f.message for f in of(check(doc), "FW-02")]
    assert "FW1 blocks outbound" in messages[0] and "FW2 blocks inbound" in messages[1]


def test_fw02_firewall_listing_the_target_cluster():
    doc = _firewall(cluster_target(), protects=["c1"])
    assert_one(doc, "FW-02", "error", ("r1", "fw1"), "FW1", "inbound")


def test_fw02_a_node_is_behind_a_firewall_listing_its_cluster():
    """A node that is itself an endpoint (BRK-02) is behind its cluster's firewall."""
    doc = _firewall(baseline(), protects=["c1"])
    add_cluster(doc, "c1", "dr")
    find(doc, "r1")["target"] = "c1n1"
    assert_one(doc, "FW-02", "error", ("r1", "fw1"), "FW1", "inbound")


def test_fw02_a_node_listed_alone_protects_it_only_as_an_endpoint():
    doc = _firewall(cluster_target(), protects=["c1n1"])
    assert_silent(doc, "FW-02")
    find(doc, "r1")["target"] = "c1n1"
    assert_one(doc, "FW-02", "error", ("r1", "fw1"), "FW1", "inbound")


def test_fw02_a_node_and_its_cluster_behind_the_same_firewall():
    """Node → its cluster behind a firewall listing the cluster: both behind it (TOP-01)."""
    doc = _firewall(baseline(), protects=["c1"])
    add_cluster(doc, "c1", "dr")
    add_replication(doc, "r9", "c1n1", "c1", vms=[])
    assert_silent(doc, "FW-02")
