"""Copy and paste carry the recovery-planning keys (format version 2): sizes, the failover IP,
switches and subnets as they were; dependencies on pasted VMs follow to the copies, on VMs of
the design stay, and on VMs the design doesn't have are dropped."""

from __future__ import annotations

from pathlib import Path

from hvdesigner.editing import clipboard
from hvdesigner.editing.ops import apply_ops
from hvdesigner.fileformat.loader import load
from hvdesigner.model.design import Design
from hvdesigner.model.entities import VM, FailoverIp, Host, Site

EXAMPLE = Path(__file__).parents[2] / "resources" / "examples" / "training.hvd"
SQL_IP = FailoverIp("10.40.0.21", 24, "10.40.0.1", ("10.40.0.10",))


def training() -> Design:
    design = load(str(EXAMPLE))
    design.update("sql01", vcpus=8, memory_gb=64, recovery_group=1, failover_ip=SQL_IP,
                  test_switch="vSwitch-Test", depends_on=())
    design.update("app01", depends_on=("sql01", "web01"), recovery_group=2)
    design.update("fs01", depends_on=())
    design.update("sea-hv03", cores=32, memory_gb=240, switches=("vSwitch-Prod",))
    design.update("sea", subnets=("10.10.0.0/16",))
    return design


def pasted(design: Design, fragment: dict[str, object]) -> list[object]:
    edit = clipboard.paste(design, fragment)
    apply_ops(design, edit.ops)
    return [op.after for op in edit.ops if op.before is None]


def test_a_pasted_vm_keeps_its_sizes_failover_ip_and_group() -> None:
    design = training()
    copies = pasted(design, clipboard.copy(design, ["hvc-sea"]))
    (sql,) = [c for c in copies if isinstance(c, VM) and c.name == "CON-SQL01"]
    assert sql.id != "sql01"
    assert (sql.vcpus, sql.memory_gb, sql.recovery_group, sql.failover_ip, sql.test_switch) == (
        8, 64, 1, SQL_IP, "vSwitch-Test")


def test_dependencies_follow_pasted_vms_and_stay_on_the_designs_own() -> None:
    design = training()
    copies = {c.name: c for c in pasted(design, clipboard.copy(design, ["hvc-sea"]))
              if isinstance(c, VM)}
    app, sql = copies["CON-APP01"], copies["CON-SQL01"]
    assert set(app.depends_on) == {sql.id, "web01"}  # the pasted SQL server; web01 not copied
    assert design.vms["app01"].depends_on == ("sql01", "web01")  # the original untouched


def test_dependencies_on_vms_the_design_does_not_have_are_dropped() -> None:
    source = training()
    source.update("app01", depends_on=("sql01", "pdxfs01"))  # (Portland: not in the copy)
    other = Design()
    copies = {c.name: c for c in pasted(other, clipboard.copy(source, ["sea"]))
              if isinstance(c, VM)}
    assert copies["CON-APP01"].depends_on == (copies["CON-SQL01"].id,)


def test_switches_and_subnets_are_copied_with_their_host_and_site() -> None:
    design = training()
    copies = pasted(design, clipboard.copy(design, ["sea"]))
    (site,) = [c for c in copies if isinstance(c, Site)]
    assert site.subnets == ("10.10.0.0/16",)
    (host,) = [c for c in copies if isinstance(c, Host) and c.name.startswith("SEA-HV03")]
    assert (host.cores, host.memory_gb, host.switches) == (32, 240, ("vSwitch-Prod",))


def test_a_dependency_on_an_id_that_is_not_a_vm_where_pasted_is_dropped() -> None:
    """Copied from one design, pasted into another where the VM it depends on has the id of
    a host: the paste goes through (it was refused whole, as a broken reference), that
    dependency dropped, the one on a VM of the design kept."""
    source = training()
    source.add(VM(id="x1", name="X1", placement="sea-hv03"))
    source.update("app01", depends_on=("sql01", "x1"))
    target = training()
    target.add(Host(id="x1", name="X1-HOST", fqdn="x1.example.com", site="sea"))
    (app,) = [c for c in pasted(target, clipboard.copy(source, ["app01"])) if isinstance(c, VM)]
    assert app.depends_on == ("sql01",)
    assert target.vms[app.id].depends_on == ("sql01",)


def test_a_firewall_and_a_domain_keep_only_references_of_their_kinds() -> None:
    """(No copy holds firewalls or domains; a fragment written by hand may.)"""
    target = training()
    target.add(VM(id="x1", name="X1", placement="sea-hv03"))
    domains = tuple(target.domains)
    fragment = {"format": "hvdesigner-fragment",
                "firewalls": [{"id": "fw9", "name": "FW9", "protects": ["sea", "x1", "sea-hv03"]}],
                "domains": [{"id": "d9", "name": "D9", "fqdn": "d9.example.com",
                             "trusts": ["x1", *domains]}]}
    copies = {type(c).__name__: c for c in pasted(target, fragment)}
    assert copies["Firewall"].protects == ("sea", "sea-hv03")
    assert copies["Domain"].trusts == domains and domains
