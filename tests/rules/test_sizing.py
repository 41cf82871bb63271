"""Sizing rules SZ-01..03: does replication fit the WAN links it crosses.

APP1's replicated churn is 0.5 MB/s (its OS disk): 4 Mbps before growth. Most tests set
``growth`` to 0 so the boundaries are exact.
"""

from __future__ import annotations

import pytest

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
    find,
    of,
    three_tier,
)

SZ = ("SZ-01", "SZ-02", "SZ-03")


def _wan(bandwidth, doc=None, **assumptions):
    doc = doc if doc is not None else baseline()
    doc["assumptions"] = {"growth": 0, **assumptions}
    find(doc, "wan1")["bandwidth_mbps"] = bandwidth
    return doc


def _sizing(doc):
    return [(f.rule, f.severity, f.subjects) for f in check(doc) if f.rule in SZ]


@pytest.mark.parametrize("bandwidth, expected", [
    (3.9, [("SZ-01", "error", ("wan1",))]),
    (4, [("SZ-02", "warning", ("wan1",))]),     # exactly full: not over, but over the ceiling
    (4.9, [("SZ-02", "warning", ("wan1",))]),
    (5, []),                                    # exactly at the 80 % ceiling: not over it
    (200, []),
])
def test_sz01_and_sz02_are_exclusive(bandwidth, expected):
    assert _sizing(_wan(bandwidth)) == expected


def test_sz01_message():
    f = assert_one(_wan(2), "SZ-01", "error", ("wan1",), "MPLS", "4.0 Mbps", "2 Mbps")
    assert "won't keep up" in f.message


def test_sz02_message():
    f = assert_one(_wan(4.5), "SZ-02", "warning", ("wan1",), "MPLS", "4.0 Mbps", "4.5 Mbps")
    assert "80%" in f.message


def test_sz02_follows_the_utilization_ceiling():
    assert _sizing(_wan(7, utilization_ceiling=0.5)) == [("SZ-02", "warning", ("wan1",))]
    assert _sizing(_wan(8, utilization_ceiling=0.5)) == []


def test_growth_default_is_30_percent():
    doc = baseline()
    find(doc, "wan1")["bandwidth_mbps"] = 5  # 0.5 MB/s × 8 × 1.3 = 5.2 Mbps
    assert_one(doc, "SZ-01", "error", ("wan1",), "5.2 Mbps of 5 Mbps")


@pytest.mark.parametrize("compression, expected", [
    (True, [("SZ-02", "warning", ("wan1",))]),  # 2 Mbps on 2.4: over 80 %, under 100 %
    (False, [("SZ-01", "error", ("wan1",))]),   # the saving applies only with compression
])
def test_compression_saving(compression, expected):
    doc = _wan(2.4, compression_saving=0.5)
    find(doc, "r1")["compression"] = compression
    assert _sizing(doc) == expected


def test_excluded_disks_do_not_count():
    doc = _wan(5)
    find(doc, "app1-pf")["churn_mb_s"] = 100  # excluded pagefile
    assert _sizing(doc) == []
    find(doc, "app1-pf")["replicate"] = True
    assert _sizing(doc) == [("SZ-01", "error", ("wan1",))]


def test_vms_add_up():
    doc = _wan(5.5)  # ceiling 4.4 Mbps
    add_vm(doc, "db1", "hv1")  # 0.1 MB/s: 0.8 Mbps
    assert _sizing(doc) == []
    find(doc, "r1")["vms"] = ["app1", "db1"]
    assert _sizing(doc) == [("SZ-02", "warning", ("wan1",))]


def test_replications_add_up():
    doc = _wan(5.5)
    add_vm(doc, "db1", "hv2")
    add_replication(doc, "r2", "hv2", "hv1", vms=["db1"])  # the other direction counts too
    assert _sizing(doc) == [("SZ-02", "warning", ("wan1",))]


def test_an_extended_link_back_across_the_wan_counts_again():
    doc = _wan(9, three_tier())  # ceiling 7.2 Mbps
    assert _sizing(doc) == []
    find(doc, "hv3")["site"] = "hq"  # r2 HV2 (DR) → HV3 (HQ): APP1 crosses twice, 8 Mbps
    assert _sizing(doc) == [("SZ-02", "warning", ("wan1",))]


def test_only_primary_and_extended_links_count():
    """A link that is neither for APP1 (TOP-03) carries no load for it."""
    doc = _wan(5)
    add_host(doc, "hv3", "hq")
    add_replication(doc, "r3", "hv3", "hv2")
    findings = check(doc)
    assert [f.subjects for f in of(findings, "TOP-03")] == [("app1", "r3")]
    assert [f for f in findings if f.rule in SZ] == []


def test_load_goes_only_on_the_link_between_the_two_sites():
    doc = _wan(5)
    add_site(doc, "br", "Branch")
    doc["wan_links"].append({"id": "wan2", "name": "VPN", "sites": ["hq", "br"],
                             "bandwidth_mbps": 1})
    assert _sizing(doc) == []
    find(doc, "hv2")["site"] = "br"
    assert _sizing(doc) == [("SZ-01", "error", ("wan2",))]


def test_sz01_silent_on_the_baseline():
    assert_silent(baseline(), *SZ)


# ---------------------------------------------------------------- SZ-03
def test_sz03_cross_site_without_a_wan_link():
    doc = baseline()
    add_site(doc, "dr2", "DR2")
    find(doc, "hv2")["site"] = "dr2"
    f = assert_one(doc, "SZ-03", "info", ("r1",), "HV1 → HV2", "HQ", "DR2")
    assert "can't be sized" in f.message
    assert_clean(doc)


def test_sz03_silent_with_a_wan_link():
    assert_silent(baseline(), "SZ-03")


def test_sz03_silent_within_a_site():
    doc = baseline()
    doc["wan_links"] = []
    find(doc, "hv2")["site"] = "hq"
    assert_silent(doc, "SZ-03")
