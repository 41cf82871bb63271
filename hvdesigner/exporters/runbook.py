"""The failover runbook (``hvdesigner export DESIGN --to runbook``): Markdown an operator follows
during a disaster-recovery test or a real failover.

First, per site loss (``recovery.py``): the VMs to fail over in start order, group by group,
each with the server it comes back on, the VMs to confirm running first, its failover address
and its data-loss bound, a command block per group; the servers that would run over capacity;
and the VMs that don't come back. Then per replication, in the design's order, and per VM in the replication's order: test failover,
planned failover, unplanned failover and failback, with the exact cmdlets (domain reference §4
step 12 and §8), and the disks to recreate before a failed-over VM starts (the excluded ones,
which don't exist on the replica). A VM on a cluster is failed over on the node that owns it.

Design strings are text: in prose they are inline code spans (no emphasis, link, HTML or
autolink is read inside one), in the command blocks they are PowerShell single-quoted literals
(:func:`~hvdesigner.exporters.pslang.ps_literal`) inside a fence longer than any run of
backticks in the block, so no name can close it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hvdesigner import __version__
from hvdesigner.exporters.formats import ExportOptions, ExportRefused
from hvdesigner.exporters.markdown import md, md_code
from hvdesigner.exporters.pslang import ps_literal
from hvdesigner.exporters.recovery import (
    DNS_LEFT_OUT,
    OVER,
    SiteLoss,
    Step,
    dependency_state,
    dns_left_out,
    dns_note,
    failover_ip_text,
    failover_settings,
    memory_text,
    site_losses,
    vcpu_text,
)
from hvdesigner.model import derived
from hvdesigner.model.design import Design
from hvdesigner.model.entities import VM, Cluster, Replication
from hvdesigner.recovery.words import duration
from hvdesigner.rules.check import Finding


def _block(lines: list[str]) -> list[str]:
    body = "\n".join(lines)
    fence = "`" * max(3, max((len(run) for run in re.findall("`+", body)), default=0) + 1)
    return ["", f"{fence}powershell", *lines, fence]


def render(design: Design, findings: Sequence[Finding], options: ExportOptions) -> bytes:
    if options.selection:
        raise ExportRefused("--selection doesn't apply to runbook: it covers the whole design")
    return ("\n".join(_Runbook(design, findings, options).lines) + "\n").encode("utf-8")


class _Runbook:
    def __init__(self, design: Design, findings: Sequence[Finding], options: ExportOptions) -> None:
        self.d = design
        title = design.title or options.source or "untitled design"
        self.lines = [f"# Failover runbook: {md(title)}", ""]
        self.lines.append(f"Made by hvdesigner {__version__}"
                          + (f" from {md_code(options.source)}" if options.source else "") + ". "
                          "When a site is lost, follow its recovery plan: it fails VMs over in "
                          "their start order. The replications follow, in the design's order, "
                          "each VM with its test failover, failovers and failback.")
        errors = [f for f in findings if f.severity == "error" and not f.suppressed]
        if errors and options.findings:
            self.lines += ["", f"> **Warning:** the design has {len(errors)} error "
                           f"finding{'s' * (len(errors) != 1)}; parts of this runbook will fail "
                           "until they are fixed:", ">"]
            self.lines += [f"> - {f.rule}: {md(f.message)}" for f in errors]
        self.lines += ["", "Test failover monthly and after every initial replication. Planned "
                       "failover loses no data; unplanned failover loses what changed since the "
                       "last recovery point."]
        for loss in site_losses(design):
            self._site_loss(loss)
        for n, rep in enumerate(design.replications.values(), 1):
            self._replication(n, rep)

    def _site_loss(self, loss: SiteLoss) -> None:
        site = md_code(loss.site.name)
        self.lines += ["", f"## Recovery plan: site {site} lost", ""]
        if not loss.groups and not loss.not_recoverable:
            self.lines.append("No VM runs at this site: nothing to fail over.")
            return
        self.lines.append(f"{loss.recovering} VM{'s' * (loss.recovering != 1)} to fail over, "
                          f"{len(loss.not_recoverable)} that can't be. Fail over group by group "
                          "(unplanned failover, on the replica side); start a group only once "
                          "every VM of the group before it is running. Within a group, start "
                          "the VMs in the order given.")
        for load in loss.changed_loads:
            over = [text(load).removesuffix(OVER) for text, over in (
                (memory_text, load.over_memory), (vcpu_text, load.over_cores)) if over]
            if over:
                self.lines += ["", f"> **Over capacity:** {md_code(self.d.get(load.id).name)} "
                               f"would need {md(' and '.join(over))}: the VMs started after its "
                               "capacity is used up won't run."]
        for group in loss.groups:
            self.lines += ["", f"### {group.label}: site {site} lost"]
            commands: list[str] = []
            for step in group.steps:
                commands += self._step(step)
            self.lines += _block([*commands, "# Wait until every VM above runs (Get-VM: State "
                                  "Running, Heartbeat OK) before the next group."])
        if loss.groups:
            self.lines += ["", "Once each VM is confirmed good, `Complete-VMFailover` it (see its "
                           "section below); that discards its other recovery points."]
        if loss.not_recoverable:
            self.lines += ["", f"Not recoverable when site {site} is lost:", ""]
            self.lines += [f"- {md_code(vm.name)}: " + (
                f"lost (no replica outside site {site})" if status == "lost"
                else "down (not replicated)") for vm, status in loss.not_recoverable]

    def _step(self, step: Step) -> list[str]:
        """A VM's line in a recovery plan, and its commands."""
        vm = step.vm
        where, on = self._where(step.runs_on, vm)
        via = step.via.name or f"{self.d.get(step.via.source).name} → {self.d.get(step.via.target).name}"
        ip = (md(failover_ip_text(vm.failover_ip)) if vm.failover_ip
              else "none set (it keeps its primary address)")
        if vm.failover_ip is not None and dns_left_out(vm.failover_ip):
            ip += f" ({md(dns_note(vm.failover_ip).removesuffix('.'))})"
        needs = ", ".join(f"{md_code(d.vm.name)} ({md(dependency_state(self.d, d))})"
                          for d in step.depends_on)
        self.lines += ["", f"**{step.position}. {md_code(vm.name)}**", "",
                       f"- Comes back on {where}, through {md_code(via)}",
                       f"- Data loss: up to {duration(step.rpo_s)}",
                       f"- Failover address: {ip}"]
        if needs:
            self.lines.append(f"- Confirm running first: {needs}")
        v = ps_literal(vm.name)
        recreate = (["# Recreate its excluded disks (see its section below), then:"]
                    if any(not d.replicate for d in vm.disks) else [])
        return [*on, f"Start-VMFailover -ComputerName $On -VMName {v}", *recreate,
                f"Start-VM -ComputerName $On -VMName {v}"]

    def _where(self, server_id: str, vm: VM) -> tuple[str, list[str]]:
        """Prose naming a server, and the lines that set ``$On`` to the machine to run on."""
        server = self.d.get(server_id)
        if isinstance(server, Cluster):
            return (f"cluster {md_code(server.name)}, on the node that owns the VM",
                    [f"$On = (Get-ClusterGroup -Cluster {ps_literal(server.fqdn)} "
                     f"-Name {ps_literal(vm.name)}).OwnerNode.Name"])
        return f"host {md_code(server.name)}", [f"$On = {ps_literal(server.fqdn)}"]

    def _replication(self, n: int, rep: Replication) -> None:
        source, target = self.d.get(rep.source), self.d.get(rep.target)
        name = rep.name or f"{source.name} → {target.name}"
        self.lines += ["", f"## {n}. {md(name)}", "",
                       f"From {md_code(source.name)} to {md_code(target.name)}: "
                       f"{rep.auth} authentication on TCP {rep.effective_port}, every "
                       f"{rep.frequency_s} s, {rep.recovery_points} additional recovery points."]
        if not rep.vms:
            self.lines += ["", "No VMs replicate on this link."]
        for vm_id in rep.vms:
            links = derived.vm_links(self.d, vm_id)
            vm = self.d.get(vm_id)
            if rep.id in links.primary:
                self._vm(rep, vm, extended=False)
            elif rep.id in links.extended:
                self._vm(rep, vm, extended=True)
            else:
                self.lines += ["", f"### VM {md_code(vm.name)}", "",
                               "Neither runs on the source nor is a replica there: not replicated "
                               "on this link (see the findings)."]

    def _networking(self, vm: VM, kind: str, replica: str, on_replica: list[str]) -> None:
        """The failover address and the test switch, set on the replica VM (once, before the
        first failover; the deployment script sets them too)."""
        v = ps_literal(vm.name)
        commands = list(on_replica)
        if vm.failover_ip is not None:
            # (splatted, as the script does: the same parameters, one per line to read)
            commands += ["$Address = @{", *(f"    {key} = {ps_literal(value)}"
                                           for key, value in failover_settings(vm.failover_ip)),
                         *([f"    # {DNS_LEFT_OUT}"] if dns_left_out(vm.failover_ip) else []),
                         "}", f"Set-VMNetworkAdapterFailoverConfiguration -ComputerName $On "
                         f"-VMName {v} @Address"]
        if vm.test_switch is not None:
            commands.append(f"Set-VMNetworkAdapter -ComputerName $On -VMName {v} "
                            f"-TestReplicaSwitchName {ps_literal(vm.test_switch)}")
        self.lines += ["", f"**Failover networking** on the {kind} server ({replica}), before the "
                       "first failover: the address the VM takes there, and the switch a test "
                       "failover connects it to (for failback, set the primary VM's own address "
                       "on it the same way):"]
        if vm.failover_ip is not None and dns_left_out(vm.failover_ip):
            self.lines += ["", md(dns_note(vm.failover_ip))]
        self.lines += _block(commands)

    def _vm(self, rep: Replication, vm: VM, extended: bool) -> None:
        v = ps_literal(vm.name)
        primary_at = rep.source if extended else vm.placement
        primary, on_primary = self._where(primary_at, vm)
        replica, on_replica = self._where(rep.target, vm)
        kind = "extended replica" if extended else "replica"
        self.lines += ["", f"### VM {md_code(vm.name)} ({kind} on {md_code(self.d.get(rep.target).name)})"]
        excluded = [d for d in vm.disks if not d.replicate]
        recreate: list[str] = []
        if excluded:
            self.lines += ["", "Disks to recreate on the replica before it starts (they are not "
                           "replicated), at the same controller type, number and location:", ""]
            self.lines += [f"- {md_code(d.name)}: {d.role}, {d.size_gb:g} GB {d.type}" for d in excluded]
            recreate = ["# Recreate the disks listed above and attach them, then:"]
        if vm.failover_ip is not None or vm.test_switch is not None:
            self._networking(vm, kind, replica, on_replica)
        elif vm.static_ip:
            self.lines += ["", "The VM has a static address: set the address the replica takes "
                           "with `Set-VMNetworkAdapterFailoverConfiguration` on the replica VM "
                           "before the first failover (and on the primary VM, for failback)."]
        self.lines += ["", f"**Test failover** on the {kind} server ({replica}). It creates "
                       "the VM \"name - Test\" from the latest recovery point, on the adapter's "
                       "test switch (no network when none is set); replication goes on:"]
        self.lines += _block([*on_replica,
                              f"Start-VMFailover -ComputerName $On -VMName {v} -AsTest",
                              "# Check the test VM, then remove it:",
                              f"Stop-VMFailover -ComputerName $On -VMName {v}"])
        if extended:
            self.lines += ["", "Planned failover runs over the VM's primary link (above); fail over "
                           "to the extended replica only when the primary and the first replica "
                           "are both lost."]
        else:
            self.lines += ["", f"**Planned failover** (no data loss): on the primary ({primary}), "
                           "then on the replica:"]
            self.lines += _block([*on_primary,
                                  f"Stop-VM -ComputerName $On -VMName {v}",
                                  f"Start-VMFailover -ComputerName $On -VMName {v} -Prepare",
                                  *on_replica,
                                  f"Start-VMFailover -ComputerName $On -VMName {v}",
                                  f"Set-VMReplication -ComputerName $On -VMName {v} -Reverse",
                                  *recreate,
                                  f"Start-VM -ComputerName $On -VMName {v}"])
        self.lines += ["", f"**Unplanned failover** (the primary is lost; data since the last "
                       f"recovery point is lost): on the {kind} server. Add `-VMRecoverySnapshot` "
                       "to `Start-VMFailover` to choose an older point:"]
        self.lines += _block([*on_replica,
                              f"Start-VMFailover -ComputerName $On -VMName {v}",
                              *recreate,
                              f"Start-VM -ComputerName $On -VMName {v}",
                              "# Once the VM is confirmed good (this discards the other recovery points):",
                              f"Complete-VMFailover -ComputerName $On -VMName {v}"])
        self.lines += ["", "**Failback**: once the original primary is back, reverse replication "
                       "(after an unplanned failover, `Set-VMReplication -Reverse` on the "
                       f"{kind} server first; the original primary must accept replication as a "
                       "Replica server), let it catch up, then run a planned failover in the "
                       "other direction:"]
        self.lines += _block([*on_replica,
                              f"Stop-VM -ComputerName $On -VMName {v}",
                              f"Start-VMFailover -ComputerName $On -VMName {v} -Prepare",
                              *on_primary,
                              f"Start-VMFailover -ComputerName $On -VMName {v}",
                              f"Set-VMReplication -ComputerName $On -VMName {v} -Reverse",
                              f"Start-VM -ComputerName $On -VMName {v}"])
