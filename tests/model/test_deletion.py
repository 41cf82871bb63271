"""Deleting takes along what can't exist without the deleted thing and strips mentions of it."""

from __future__ import annotations

from hvdesigner.model.deletion import plan_deletion
from hvdesigner.model.entities import Suppression
from tests.designs import load_dict, rich_design


def apply(design, plan):  # type: ignore[no-untyped-def]
    with design.transaction():
        design.set("suppressions", plan.suppressions)
        for id in plan.removed:
            design.remove(id)
        for value in plan.replaced.values():
            design.replace(value)


def test_deleting_a_cluster_takes_its_nodes_vms_and_links() -> None:
    design = load_dict(rich_design())
    plan = plan_deletion(design, ["cla"])
    assert plan.removed == {"cla", "na1", "na2", "sql1", "web1", "old1", "r2"}
    assert set(plan.replaced) == {"r3"}
    assert plan.replaced["r3"].vms == ()
    apply(design, plan)
    assert "cla" not in design and design.get("r3").vms == ()


def test_deleting_a_site_takes_everything_in_it_and_its_wan_links() -> None:
    design = load_dict(rich_design())
    plan = plan_deletion(design, ["cloud"])
    assert {"hc1", "wan2", "r3"} <= plan.removed
    assert plan.replaced["fw1"].protects == ()
    apply(design, plan)
    assert design.firewalls_protecting("cloud") == set()


def test_deleting_a_domain_strips_it_from_servers_and_trusts() -> None:
    design = load_dict(rich_design())
    design.update("corp", trusts=("hoster",))
    plan = plan_deletion(design, ["hoster"])
    assert plan.removed == {"hoster"}
    assert plan.replaced["hc1"].domain is None and plan.replaced["corp"].trusts == ()
    apply(design, plan)
    assert design.get("hc1").domain is None


def test_deleting_a_disk_or_vm_drops_suppressions_about_it() -> None:
    design = load_dict(rich_design())
    design.set("suppressions", (Suppression("DSK-06", "sql1-pf", "recreated"),
                                Suppression("VER-02", "r2", "failback planned")))
    plan = plan_deletion(design, ["sql1-pf"])
    assert plan.removed == set() and [d.id for d in plan.replaced["sql1"].disks] == [
        "sql1-os", "sql1-data"]
    assert [s.subject for s in plan.suppressions] == ["r2"]
    apply(design, plan)
    assert "sql1-pf" not in design
