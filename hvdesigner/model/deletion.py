"""What deleting something takes with it.

Deleting in the designer must leave a whole design: what cannot exist without the deleted thing
goes too (a site's servers and WAN links, a server's VMs and replications, a cluster's nodes),
and what merely mentions it forgets it (a replication's VM list, a firewall's protected list,
a domain's trusts, a server's domain, a VM's dependencies, suppressions about it). :func:`plan_deletion` works this
out from the model's reference table, so the rule lives in one place.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hvdesigner.model.design import Design
from hvdesigner.model.entities import VM, Disk, Suppression
from hvdesigner.model.integrity import references

#: Fields whose references are optional: deleting the target strips the reference.
_OPTIONAL = ("domain", "trusts", "protects", "vms", "depends_on")


@dataclass
class DeletionPlan:
    removed: set[str] = field(default_factory=set)          # top-level entity ids
    replaced: dict[str, Any] = field(default_factory=dict)  # survivor id -> its new value
    suppressions: tuple[Suppression, ...] = ()


def _strip(entity: Any, gone: set[str]) -> Any:
    changes: dict[str, Any] = {}
    if getattr(entity, "domain", None) in gone:
        changes["domain"] = None
    for name in _OPTIONAL[1:]:
        values = getattr(entity, name, None)
        if isinstance(values, tuple) and any(v in gone for v in values):
            changes[name] = tuple(v for v in values if v not in gone)
    return dataclasses.replace(entity, **changes) if changes else entity


def plan_deletion(design: Design, ids: Iterable[str]) -> DeletionPlan:
    plan = DeletionPlan()
    disks: set[str] = set()
    pending = list(ids)
    while pending:
        id = pending.pop()
        if id in plan.removed or id in disks or id not in design:
            continue
        if isinstance(design.find(id), Disk):
            disks.add(id)
            continue
        plan.removed.add(id)
        for holder_id in design.referrers(id):
            holder = design.get(holder_id)
            if any(ref == id and path.split("/")[0] not in _OPTIONAL
                   for path, ref, _ in references(holder)):
                pending.append(holder_id)
    for id in sorted(plan.removed):
        for holder_id in sorted(design.referrers(id) - plan.removed):
            current = plan.replaced.get(holder_id, design.get(holder_id))
            plan.replaced[holder_id] = _strip(current, plan.removed)
    for disk_id in sorted(disks):
        vm_id = design.vm_of_disk(disk_id)
        if vm_id not in plan.removed:
            vm: VM = plan.replaced.get(vm_id, design.get(vm_id))
            plan.replaced[vm_id] = dataclasses.replace(
                vm, disks=tuple(d for d in vm.disks if d.id != disk_id))
    gone = plan.removed | disks
    gone |= {d.id for id in plan.removed if isinstance(vm := design.get(id), VM) for d in vm.disks}
    plan.suppressions = tuple(s for s in design.suppressions if s.subject not in gone)
    return plan
