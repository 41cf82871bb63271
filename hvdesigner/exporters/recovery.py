"""The recovery plan of each site loss, as the deliverables present it (the runbook, the
PowerShell failover section, the report and the deck): one source, so that they agree.

Per site lost (by site name), from :func:`~hvdesigner.recovery.scenarios.single_site_scenarios`:
the VMs that recover, in start order, grouped by recovery group, each with the server it comes
back on, the replication it comes back through, its data-loss bound and the VMs it depends on
(with what becomes of them in that loss); the hit VMs that don't come back (lost, down); and
the loads of the surviving servers worth showing (VMs recover to them, or they are over
capacity), against their capacity.

Only facts and plain-text phrases live here; each deliverable escapes them its own way.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from hvdesigner.model.design import Design
from hvdesigner.model.entities import VM, FailoverIp, Replication, Site
from hvdesigner.recovery.scenarios import Load, Scenario, Status, single_site_scenarios
from hvdesigner.recovery.words import amount


@dataclass(frozen=True)
class Dependency:
    """A VM another one depends on, and what becomes of it in the site loss."""

    vm: VM
    status: Status
    #: Its start order when it recovers too.
    position: int | None
    runs_on: str | None


@dataclass(frozen=True)
class Step:
    """One VM to fail over."""

    vm: VM
    #: Start order, from 1.
    position: int
    #: The server it comes back on (a cluster for a clustered replica).
    runs_on: str
    via: Replication
    rpo_s: int
    depends_on: tuple[Dependency, ...]


@dataclass(frozen=True)
class Group:
    """VMs that start together; the next group waits for them. ``number`` None: the VMs in no
    recovery group, which start last."""

    number: int | None
    steps: tuple[Step, ...]

    @property
    def label(self) -> str:
        return f"Group {self.number}" if self.number is not None else "No group (last)"


@dataclass(frozen=True)
class SiteLoss:
    site: Site
    scenario: Scenario
    groups: tuple[Group, ...]
    #: Hit VMs that don't come back, with why ("lost": no copy outside the site; "down": not
    #: replicated), lost first, then by name.
    not_recoverable: tuple[tuple[VM, Status], ...]
    #: The loads worth showing (``Scenario.loads_to_show``), by server name.
    changed_loads: tuple[Load, ...]

    @property
    def recovering(self) -> int:
        return sum(len(g.steps) for g in self.groups)

    @property
    def others(self) -> int:
        """The surviving servers not shown: they run as in normal operation."""
        return len(self.scenario.loads) - len(self.changed_loads)


def site_losses(design: Design) -> list[SiteLoss]:
    """The plan of every single-site loss, by site name."""
    def by_name(id: str) -> tuple[str, str]:
        return str(design.get(id).name).casefold(), id

    plans = []
    for found in single_site_scenarios(design)[1:]:
        site = design.sites[found.lost[0]]
        groups: dict[int | None, list[Step]] = {}
        for vm_id in found.start_order:
            vm: VM = design.get(vm_id)
            o = found.outcomes[vm_id]
            assert o.runs_on is not None and o.via is not None and o.rpo_s is not None
            deps = tuple(_dependency(design, found, d) for d in vm.depends_on)
            groups.setdefault(vm.recovery_group, []).append(
                Step(vm, found.start_positions[vm_id], o.runs_on, design.replications[o.via],
                     o.rpo_s, deps))
        missing = [(design.vms[v], o.status) for v, o in found.hit.items()
                   if o.status in ("lost", "down")]
        missing.sort(key=lambda m: (m[1] != "lost", *by_name(m[0].id)))
        plans.append(SiteLoss(site, found, tuple(Group(n, tuple(s)) for n, s in groups.items()),
                              tuple(missing),
                              tuple(sorted(found.loads_to_show(), key=lambda load: by_name(load.id)))))
    return sorted(plans, key=lambda p: (p.site.name.casefold(), p.site.id))


def _dependency(design: Design, found: Scenario, vm_id: str) -> Dependency:
    o = found.outcomes[vm_id]
    return Dependency(design.vms[vm_id], o.status, found.start_positions.get(vm_id), o.runs_on)


# ---------------------------------------------------------------------- phrases
def subnet_mask(prefix_length: int) -> str:
    """A prefix length as the dotted mask Hyper-V takes: 24 → 255.255.255.0."""
    return str(ipaddress.IPv4Network(f"0.0.0.0/{prefix_length}").netmask)


#: The DNS servers ``Set-VMNetworkAdapterFailoverConfiguration`` takes: two, no more.
FAILOVER_DNS = ("IPv4PreferredDNSServer", "IPv4AlternateDNSServer")


def failover_settings(ip: FailoverIp) -> list[tuple[str, str]]:
    """A failover address as ``Set-VMNetworkAdapterFailoverConfiguration``'s parameters and
    their values (the DNS servers: the preferred, then the alternate; the others can't be set
    there, see :func:`dns_left_out`)."""
    settings = [("IPv4Address", ip.address), ("IPv4SubnetMask", subnet_mask(ip.prefix_length))]
    if ip.gateway:
        settings.append(("IPv4DefaultGateway", ip.gateway))
    return settings + list(zip(FAILOVER_DNS, ip.dns, strict=False))


def dns_left_out(ip: FailoverIp) -> tuple[str, ...]:
    """The DNS servers of a failover address after the second: Hyper-V has no parameter for
    them, so the guest needs them set after failover."""
    return tuple(ip.dns[len(FAILOVER_DNS):])


#: What a script says beside a failover address with more DNS servers than Hyper-V takes.
DNS_LEFT_OUT = "Hyper-V sets two DNS servers: set the others in the guest after failover"


def dns_note(ip: FailoverIp) -> str:
    """"Hyper-V sets the first two DNS servers only: set 10.2.0.13 in the guest after
    failover."; "" when it sets them all."""
    left = dns_left_out(ip)
    if not left:
        return ""
    return (f"Hyper-V sets the first two DNS servers only: set {', '.join(left)} in the guest "
            "after failover.")


def failover_ip_text(ip: FailoverIp) -> str:
    """"10.1.0.20/16, gateway 10.1.0.1, DNS 10.1.0.5, 10.1.0.4"."""
    parts = [f"{ip.address}/{ip.prefix_length}"]
    if ip.gateway:
        parts.append(f"gateway {ip.gateway}")
    if ip.dns:
        parts.append("DNS " + ", ".join(ip.dns))
    return ", ".join(parts)


def dependency_state(design: Design, dep: Dependency) -> str:
    """What becomes of a dependency: "recovered, start 1", "running on HV2", "lost"."""
    if dep.status == "recovered":
        return f"recovered, start {dep.position}"
    if dep.status == "running":
        return f"running on {design.get(dep.runs_on or '').name}"
    return f"{dep.status}: it won't be running"


def dependency_text(design: Design, dep: Dependency) -> str:
    """"SQL1 (recovered, start 1)"."""
    return f"{dep.vm.name} ({dependency_state(design, dep)})"


#: What a demand above capacity ends with (the report and the deck colour it).
OVER = ", over capacity"


def memory_text(load: Load) -> str:
    """"36.5 / 256 GB", "36.5 GB (capacity unknown)", "72 / 48 GB, over capacity"."""
    capacity = load.capacity.memory_gb
    if capacity is None:
        return f"{amount(load.memory_demand_gb)} GB (capacity unknown)"
    return (f"{amount(load.memory_demand_gb)} / {amount(capacity)} GB"
            + (OVER if load.over_memory else ""))


def vcpu_text(load: Load) -> str:
    """"20 / 64 vCPU (8 cores, 8 per core)": the demand against the vCPUs the cores may carry
    at the design's ``vcpu_per_core``, over capacity as RCV-03 says it (``Load.over_cores``);
    "20 vCPU (cores unknown)"."""
    cores, capacity = load.capacity.cpus, load.vcpu_capacity
    if cores is None or capacity is None:
        return f"{load.vcpu_demand} vCPU (cores unknown)"
    return (f"{load.vcpu_demand} / {amount(capacity)} vCPU ({cores} "
            f"core{'s' * (cores != 1)}, {amount(load.vcpu_per_core)} per core)"
            + (OVER if load.over_cores else ""))
