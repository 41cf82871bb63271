"""Disk rules (DSK-*): the per-VM choice of which virtual disks replicate. They look only at
VMs listed on at least one replication."""

from __future__ import annotations

from collections.abc import Iterator, Set

from hvdesigner.model.derived import server_os
from hvdesigner.model.entities import VM, Disk, os_rank
from hvdesigner.rules.check import Finding, RuleReader, check, finding


@check("vm")
def disk_choices(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    listing = r.replications_listing(vm_id)
    if not listing:
        return
    vm: VM = r.get(vm_id)
    replicates = False
    history: bool | None = None  # (whether a link keeps recovery points: asked once, if ever)
    for disk in vm.disks:
        if disk.replicate:
            replicates = True
            if disk.role not in ("pagefile", "temp"):
                # the usual disks, with nothing to say: a VHDX, and a VHD without recovery
                # history (checked first: nine disks in ten are one or the other)
                if disk.type == "vhdx":
                    continue
                if disk.type == "vhd":
                    if history is None:
                        history = _with_history(r, listing)
                    if not history:
                        continue
        elif disk.role != "os":
            yield _excluded(vm, disk)  # (DSK-06 alone: most excluded disks, pagefile and temp)
            continue
        yield from _disk(r, vm, disk, listing)
    if not replicates:
        yield finding("DSK-03", f"VM {vm.name} is replicated but replicates none of its disks.",
                      vm_id)


# The replications and servers below are read only for the disk types whose rule needs them
# (few disks are): reading them for every replicated VM was a fifth of a full check, and what
# a check did not read cannot change its findings.
def _with_history(r: RuleReader, listing: Set[str]) -> bool:
    """Some replication of the VM keeps recovery points."""
    return any(r.get(rep).recovery_points > 0 for rep in sorted(listing))


def _before_2016(r: RuleReader, vm: VM, listing: Set[str]) -> bool:
    """A server the VM runs on or replicates to is older than Windows Server 2016."""
    servers = [vm.placement] + sorted({r.get(rep).target for rep in listing})
    return any(
        (os := server_os(r, s)) is not None and os_rank(os) < os_rank("2016") for s in servers
    )


def _disk(r: RuleReader, vm: VM, disk: Disk, listing: Set[str]) -> Iterator[Finding]:
    name, subjects = f"disk {disk.name} of VM {vm.name}", (disk.id, vm.id)
    if not disk.replicate:
        if disk.role == "os":
            yield finding("DSK-03", f"The OS {name} is excluded from replication.", *subjects)
        yield _excluded(vm, disk)
        return
    if disk.type == "passthrough":
        yield finding("DSK-01", f"Pass-through {name} is marked for replication; pass-through "
                      "disks can't be replicated.", *subjects)
    elif disk.type == "shared_vhdx":
        yield finding("DSK-02", f"Shared VHDX {name} is marked for replication.", *subjects)
    elif disk.type == "vhd_set" and _before_2016(r, vm, listing):
        yield finding("DSK-02", f"VHD Set {name} is replicated, but a server it runs on or "
                      "replicates to is older than Windows Server 2016.", *subjects)
    if disk.role in ("pagefile", "temp"):
        yield finding("DSK-04", f"The {disk.role} {name} is replicated; its churn is wasted "
                      "bandwidth.", *subjects, fix=_exclude_fix(disk))
    if disk.type == "vhd" and _with_history(r, listing):
        yield finding("DSK-05", f"VHD {name} is replicated with recovery history; VHDX is "
                      "recommended.", *subjects)


def _excluded(vm: VM, disk: Disk) -> Finding:
    return finding("DSK-06", f"Disk {disk.name} of VM {vm.name} is excluded: it won't exist on "
                   "the replica and must be recreated at failover.", disk.id, vm.id)


#: What a pagefile or temp disk holds, as the fix names it.
_HOLDS = {"pagefile": "the paging file", "temp": "the temporary files"}


def _exclude_fix(disk: Disk) -> str | None:
    """DSK-04's fix for this disk. The catalog says "move to its own VHDX and exclude", right
    when the paging file shares a disk; a disk whose role is pagefile or temp that is a VHDX
    or VHD is already a virtual disk of its own, so the fix is only to exclude it. On a
    pass-through or shared disk, moving is still the fix (None: the catalog's words)."""
    if disk.type in ("vhdx", "vhd"):
        return (f"Exclude {disk.name} from replication: it is already a "
                f"{disk.type.upper()} of its own, holding only {_HOLDS[disk.role]}.")
    if disk.role == "temp":
        return "Move the temporary files to a VHDX of their own and exclude that disk."
    return None
