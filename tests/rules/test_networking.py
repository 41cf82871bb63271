"""Failover networking rules NET-01..05: the address a VM takes on the replica side and the
switch its test failover connects to."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rules.conftest import (
    add_host,
    add_replication,
    add_site,
    add_vm,
    assert_clean,
    assert_one,
    assert_silent,
    baseline,
    check,
    cluster_target,
    failover_ip,
    find,
    of,
)


def _with_address(doc=None, **fields):
    """Baseline with APP1 failing over to 10.2.0.10/24 (or ``fields``), which HV2's site DR,
    at 10.2.0.0/16, holds."""
    doc = doc if doc is not None else baseline()
    find(doc, "dr")["subnets"] = ["10.2.0.0/16"]
    find(doc, "app1")["failover_ip"] = failover_ip(**fields)
    return doc


def test_failover_addresses_in_the_recovery_site_are_clean():
    assert_clean(_with_address(gateway="10.2.0.1", dns=["10.2.0.5"]))


# ---------------------------------------------------------------- NET-01
def test_net01_failover_ip_without_integration_services():
    doc = _with_address()
    find(doc, "app1")["integration_services"] = False
    f = assert_one(doc, "NET-01", "error", ("app1",), "APP1", "10.2.0.10")
    assert "integration services" in f.message


def test_net01_also_for_a_vm_on_no_replication():
    doc = baseline()
    add_vm(doc, "db1", "hv1", integration_services=False, failover_ip=failover_ip())
    assert_one(doc, "NET-01", "error", ("db1",), "DB1")


def test_net01_silent_without_a_failover_ip():
    doc = baseline()
    find(doc, "app1")["integration_services"] = False
    assert_silent(doc, "NET-01")


# ---------------------------------------------------------------- NET-02
def test_net02_address_outside_the_recovery_sites_subnets():
    doc = _with_address(address="10.9.0.10")
    find(doc, "dr")["subnets"] = ["10.2.0.0/16", "192.168.20.0/24"]
    f = assert_one(doc, "NET-02", "warning", ("app1", "dr"), "APP1", "10.9.0.10", "HV2",
                   "site DR", "10.2.0.0/16, 192.168.20.0/24")
    assert "none of the subnets" in f.message


@pytest.mark.parametrize("address", ["10.2.0.10", "10.2.255.254", "192.168.20.7"])
def test_net02_silent_inside_any_subnet(address):
    doc = _with_address(address=address)
    find(doc, "dr")["subnets"] = ["10.2.0.0/16", "192.168.20.0/24"]
    assert_clean(doc)


def test_net02_silent_when_the_site_lists_no_subnets():
    doc = _with_address(address="10.9.0.10")
    find(doc, "dr")["subnets"] = []
    assert_clean(doc)


def test_net02_looks_at_the_replica_sides_site_not_the_vms():
    doc = _with_address(address="10.1.0.10")
    find(doc, "hq")["subnets"] = ["10.1.0.0/16"]
    assert_one(doc, "NET-02", "warning", ("app1", "dr"), "site DR")


def test_net02_first_primary_link_by_id():
    """Two primary links (TOP-02): the replica side is r0's target HV3, in site NY."""
    doc = _with_address()
    add_site(doc, "ny", "NY")
    find(doc, "ny")["subnets"] = ["10.3.0.0/16"]
    add_host(doc, "hv3", "ny")
    add_replication(doc, "r0", "hv1", "hv3")
    assert_one(doc, "NET-02", "warning", ("app1", "ny"), "APP1", "HV3", "site NY")


def test_net02_silent_for_a_vm_on_no_replication():
    doc = baseline()
    find(doc, "dr")["subnets"] = ["10.2.0.0/16"]
    add_vm(doc, "db1", "hv2", failover_ip=failover_ip("10.9.0.10"))
    assert_clean(doc)


# ---------------------------------------------------------------- NET-03
def test_net03_gateway_outside_the_failover_network():
    doc = _with_address(gateway="10.2.1.1")
    f = assert_one(doc, "NET-03", "error", ("app1",), "APP1", "10.2.1.1", "10.2.0.0/24")
    assert "gateway" in f.message


@pytest.mark.parametrize("prefix_length, gateway", [(24, "10.2.0.1"), (16, "10.2.1.1"),
                                                    (24, None), (32, "10.2.0.10")])
def test_net03_silent_inside_the_network(prefix_length, gateway):
    assert_clean(_with_address(prefix_length=prefix_length, gateway=gateway))


def test_net03_also_for_a_vm_on_no_replication():
    doc = baseline()
    add_vm(doc, "db1", "hv1", failover_ip=failover_ip(gateway="192.168.0.1"))
    assert_one(doc, "NET-03", "error", ("db1",), "DB1", "192.168.0.1")


# ---------------------------------------------------------------- NET-04
def test_net04_test_switch_missing_on_the_replica_server():
    doc = baseline()
    find(doc, "hv2")["switches"] = ["LAN", "Isolated"]
    f = assert_one(doc, "NET-04", "warning", ("app1", "hv2"), "APP1", "Test", "host HV2")
    assert "test switch" in f.message


def test_net04_switch_names_compare_without_case():
    doc = baseline()
    find(doc, "hv2")["switches"] = ["LAN", "TEST"]
    assert_clean(doc)


def test_net04_silent_when_the_server_lists_no_switches():
    assert find(baseline(), "hv2").get("switches") is None
    assert_silent(baseline(), "NET-04")


# (a node whose switches are not entered yet makes the cluster's unknown: no finding)
@pytest.mark.parametrize("second_node, fires", [(["LAN", "Test"], False), (["LAN"], True),
                                                (["lan", "TEST"], False), ([], False)])
def test_net04_cluster_switches_are_those_every_node_has(second_node, fires):
    doc = cluster_target()
    find(doc, "c1n1")["switches"] = ["Test", "LAN"]
    find(doc, "c1n2")["switches"] = second_node
    if fires:
        assert_one(doc, "NET-04", "warning", ("app1", "c1"), "every node of cluster C1")
    else:
        assert_clean(doc)


def test_net04_silent_when_no_node_lists_switches():
    assert_silent(cluster_target(), "NET-04")


# ---------------------------------------------------------------- NET-05
def test_net05_replicated_vm_without_a_test_switch():
    doc = baseline()
    find(doc, "app1")["test_switch"] = None
    f = assert_one(doc, "NET-05", "info", ("app1",), "APP1")
    assert "unconnected" in f.message
    assert_clean(doc)  # advice only


def test_net05_silent_for_a_vm_on_no_replication():
    doc = baseline()
    add_vm(doc, "db1", "hv1")
    assert of(check(doc), "NET-05") == []


# ---------------------------------------------------------------- address arithmetic
_ADDRESS = st.tuples(*[st.integers(0, 255)] * 4).map(lambda q: ".".join(map(str, q)))


@settings(max_examples=150, deadline=None)
@given(address=_ADDRESS, prefix_length=st.integers(0, 32), gateway=_ADDRESS,
       subnet=st.tuples(_ADDRESS, st.integers(0, 32)))
def test_net02_and_net03_agree_with_ipaddress(address, prefix_length, gateway, subnet):
    """The rules compare addresses as numbers; whatever the address, prefix, gateway and
    recovery subnet, they say what Python's ipaddress says of them."""
    network = ipaddress.IPv4Network(f"{address}/{prefix_length}", strict=False)
    recovery = ipaddress.IPv4Network(f"{subnet[0]}/{subnet[1]}", strict=False)
    doc = baseline()
    find(doc, "dr")["subnets"] = [str(recovery)]
    find(doc, "app1")["failover_ip"] = failover_ip(address, prefix_length, gateway=gateway)
    found = check(doc)
    assert bool(of(found, "NET-03")) == (ipaddress.IPv4Address(gateway) not in network)
    assert [f.message for f in of(found, "NET-03")] == (
        [] if ipaddress.IPv4Address(gateway) in network else
        [f"VM APP1's failover gateway {gateway} lies outside its failover network {network}."])
    assert bool(of(found, "NET-02")) == (ipaddress.IPv4Address(address) not in recovery)
