"""Disk rules DSK-01..06: per-VM disk choices, for VMs listed on a replication."""

from __future__ import annotations

import pytest

from tests.rules.conftest import (
    add_cluster,
    add_replication,
    add_vm,
    assert_clean,
    assert_one,
    assert_silent,
    baseline,
    check,
    cluster_source,
    find,
    of,
    outcome,
    three_tier,
)

DSK = ("DSK-01", "DSK-02", "DSK-03", "DSK-04", "DSK-05", "DSK-06")


def _with_disk(**fields):
    """Baseline with a data disk ``app1-d1`` (``data.vhdx``) added to APP1."""
    doc = baseline()
    disk = {"id": "app1-d1", "name": "data.vhdx", "size_gb": 100, **fields}
    find(doc, "app1")["disks"].append(disk)
    return doc


def _without_pagefile():
    """Baseline without the excluded pagefile disk: no finding at all, not even info."""
    doc = baseline()
    find(doc, "app1")["disks"] = [find(doc, "app1-os")]
    return doc


# ---------------------------------------------------------------- DSK-01
def test_dsk01_replicated_passthrough_disk():
    doc = _with_disk(type="passthrough")
    f = assert_one(doc, "DSK-01", "error", ("app1-d1", "app1"), "data.vhdx", "APP1")
    assert "Pass-through" in f.message


def test_dsk01_silent_when_excluded():
    doc = _with_disk(type="passthrough", replicate=False)
    assert_clean(doc)
    assert_silent(doc, "DSK-01")


# ---------------------------------------------------------------- DSK-02
def test_dsk02_replicated_shared_vhdx():
    doc = _with_disk(type="shared_vhdx")
    f = assert_one(doc, "DSK-02", "error", ("app1-d1", "app1"), "data.vhdx", "APP1")
    assert "Shared VHDX" in f.message


def test_dsk02_silent_for_an_excluded_shared_vhdx():
    assert_clean(_with_disk(type="shared_vhdx", replicate=False))


@pytest.mark.parametrize("server", ["hv1", "hv2"], ids=["placement", "target"])
def test_dsk02_vhd_set_with_a_server_before_2016(server):
    doc = _with_disk(type="vhd_set")
    find(doc, server)["os"] = "2012r2"
    f = assert_one(doc, "DSK-02", "error", ("app1-d1", "app1"), "data.vhdx", "APP1")
    assert "VHD Set" in f.message


def test_dsk02_vhd_set_with_an_extended_replica_before_2016():
    doc = three_tier()
    find(doc, "app1")["disks"].append({"id": "app1-d1", "name": "data.vhdx", "size_gb": 10,
                                       "type": "vhd_set"})
    find(doc, "hv3")["os"] = "2012r2"
    assert_one(doc, "DSK-02", "error", ("app1-d1", "app1"), "data.vhdx")


def test_dsk02_vhd_set_on_a_cluster_with_an_old_node():
    doc = cluster_source()
    find(doc, "c1n1")["os"] = "2012r2"
    find(doc, "app1")["disks"].append({"id": "app1-d1", "name": "data.vhdx", "size_gb": 10,
                                       "type": "vhd_set"})
    assert_one(doc, "DSK-02", "error", ("app1-d1", "app1"), "data.vhdx")


@pytest.mark.parametrize("os", ["2016", "2019", "2025"])
def test_dsk02_silent_for_a_vhd_set_on_2016_and_later(os):
    doc = _with_disk(type="vhd_set")
    find(doc, "hv1")["os"] = os
    find(doc, "hv2")["os"] = os
    assert_clean(doc)


# ---------------------------------------------------------------- DSK-03
def test_dsk03_os_disk_excluded():
    doc = _with_disk()
    find(doc, "app1-os")["replicate"] = False
    f = assert_one(doc, "DSK-03", "error", ("app1-os", "app1"), "os.vhdx", "APP1")
    assert "OS" in f.message


def test_dsk03_no_disk_replicated():
    doc = baseline()
    find(doc, "app1-os")["replicate"] = False
    assert outcome(doc, "DSK-03") == [("error", ("app1",)), ("error", ("app1-os", "app1"))]
    f = of(check(doc), "DSK-03")[0]
    assert "APP1" in f.message and "none of its disks" in f.message


def test_dsk03_vm_without_disks():
    doc = baseline()
    find(doc, "app1")["disks"] = []
    assert_one(doc, "DSK-03", "error", ("app1",), "APP1")


def test_dsk03_silent_with_the_os_disk_replicated():
    assert_silent(baseline(), "DSK-03")


# ---------------------------------------------------------------- DSK-04
@pytest.mark.parametrize("role, holding", [("pagefile", "the paging file"),
                                           ("temp", "the temporary files")])
def test_dsk04_pagefile_or_temp_disk_replicated(role, holding):
    """The disk is already a VHDX of its own: the fix is to exclude it, not to move anything."""
    doc = _with_disk(role=role)
    f = assert_one(doc, "DSK-04", "warning", ("app1-d1", "app1"), "data.vhdx", "APP1",
                   fix=f"Exclude data.vhdx from replication: it is already a VHDX of its own, "
                   f"holding only {holding}.")
    assert role in f.message


def test_dsk04_the_baseline_pagefile_replicated():
    doc = baseline()
    find(doc, "app1-pf")["replicate"] = True
    assert_one(doc, "DSK-04", "warning", ("app1-pf", "app1"), "pagefile.vhdx", "APP1",
               fix="Exclude pagefile.vhdx from replication: it is already a VHDX of its own, "
               "holding only the paging file.")


@pytest.mark.parametrize("type, role, fix", [
    ("vhd", "pagefile", "Exclude data.vhdx from replication: it is already a VHD of its own, "
     "holding only the paging file."),
    ("vhd_set", "pagefile", "Move the paging file to its own VHDX and exclude that disk."),
    ("vhd_set", "temp", "Move the temporary files to a VHDX of their own and exclude that disk."),
])
def test_dsk04_moving_is_the_fix_only_where_the_disk_is_not_a_virtual_disk_of_its_own(
        type, role, fix):
    doc = _with_disk(role=role, type=type)
    assert [f.fix for f in of(check(doc), "DSK-04")] == [fix]


@pytest.mark.parametrize("role", ["os", "data", "log"])
def test_dsk04_silent_for_other_roles(role):
    doc = _without_pagefile()
    find(doc, "app1")["disks"].append({"id": "app1-d1", "name": "d.vhdx", "size_gb": 1,
                                       "role": role})
    assert check(doc) == []


# ---------------------------------------------------------------- DSK-05
def test_dsk05_vhd_with_recovery_history():
    doc = _with_disk(type="vhd")
    f = assert_one(doc, "DSK-05", "warning", ("app1-d1", "app1"), "data.vhdx", "APP1")
    assert "VHDX" in f.message


def test_dsk05_any_listing_replication_with_recovery_points():
    doc = three_tier(_with_disk(type="vhd"))
    find(doc, "r1").update(recovery_points=0, vss_hours=None)
    find(doc, "r2")["recovery_points"] = 2
    assert_one(doc, "DSK-05", "warning", ("app1-d1", "app1"), "data.vhdx")


def test_dsk05_silent_without_recovery_points():
    doc = _with_disk(type="vhd")
    find(doc, "r1").update(recovery_points=0, vss_hours=None)
    assert_clean(doc)


def test_dsk05_silent_for_vhdx_or_an_excluded_vhd():
    assert_silent(_with_disk(type="vhdx"), "DSK-05")
    assert_silent(_with_disk(type="vhd", replicate=False), "DSK-05")


# ---------------------------------------------------------------- DSK-06
def test_dsk06_excluded_disk_is_advice():
    f = assert_one(baseline(), "DSK-06", "info", ("app1-pf", "app1"), "pagefile.vhdx", "APP1")
    assert "recreated at failover" in f.message


def test_dsk06_silent_when_every_disk_replicates():
    assert check(_without_pagefile()) == []


# ---------------------------------------------------------------- only replicated VMs
@pytest.mark.parametrize("disk", [
    {"type": "passthrough"},
    {"type": "shared_vhdx"},
    {"type": "vhd_set"},
    {"role": "os", "replicate": False},
    {"role": "pagefile"},
    {"type": "vhd"},
    {"replicate": False},
], ids=lambda d: "-".join(f"{k}={v}" for k, v in d.items()))
def test_disk_rules_skip_a_vm_on_no_replication(disk):
    doc = baseline()
    find(doc, "hv1")["os"] = "2012r2"
    find(doc, "hv2")["os"] = "2012r2"
    add_vm(doc, "db1", "hv1")
    find(doc, "db1")["disks"].append({"id": "db1-d1", "name": "x.vhdx", "size_gb": 1, **disk})
    assert [f for f in check(doc) if f.rule in DSK and "db1" in f.subjects] == []
    add_replication(doc, "r2", "hv1", "hv2", vms=["db1"], recovery_points=1)
    assert [f for f in check(doc) if f.rule in DSK and "db1" in f.subjects] != []


def test_disk_rules_see_a_vm_on_a_cluster_node_placement():
    doc = baseline()
    add_cluster(doc, "c1", "hq", nodes=["2012r2", "2022"])
    find(doc, "app1")["placement"] = "c1n1"
    find(doc, "r1")["source"] = "c1"
    find(doc, "app1")["disks"].append({"id": "app1-d1", "name": "data.vhdx", "size_gb": 10,
                                       "type": "vhd_set"})
    assert_one(doc, "DSK-02", "error", ("app1-d1", "app1"), "data.vhdx")
    find(doc, "app1")["placement"] = "c1n2"
    find(doc, "c1n1")["os"] = "2016"
    assert_silent(doc, "DSK-02")
