"""The recovery-planning parts of the deployment script (``powershell.py``): the failover
networking it sets up on the replica side, and the failover it runs after a site is lost.

- **Failover networking** (domain reference §8), on every replica of a VM (its primary link's
  target and its extended link's), on the server or the node owning the replica VM:
  ``Set-VMNetworkAdapterFailoverConfiguration`` with the VM's failover address (the prefix
  length as the dotted mask Hyper-V takes) and ``Set-VMNetworkAdapter -TestReplicaSwitchName``
  with its test switch.
- **Failover** (``-FailOverLostSite NAME``, a run of its own, like the media import): the plan
  of that site loss (``recovery.py``), group by group: each VM's unplanned failover and start
  on the server it comes back on, in start order, a VM started only once the VMs of its group
  it depends on run and answer; then the script waits until the group runs before it starts
  the next. A VM with disks that are not replicated (or depending on one in its group) is
  failed over but not started: nothing waits for it, and the run ends listing those left for
  the operator to start. The run can be run again after a stop (a timeout, a lost session): a
  VM already failed over is not failed over again, one already running not started again.

The same rules as the rest of the script: design strings only through the data section's
variables (:func:`~hvdesigner.exporters.pslang.ps_literal`), steps through ``Invoke-Step``
(``-WhatIf`` says what each would do), comments fixed text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hvdesigner.exporters.pslang import invoke_step, ps_literal
from hvdesigner.exporters.recovery import (
    DNS_LEFT_OUT,
    Group,
    Step,
    dns_left_out,
    failover_settings,
    site_losses,
)
from hvdesigner.exporters.terminal import printable
from hvdesigner.model import derived
from hvdesigner.model.entities import VM

if TYPE_CHECKING:
    from hvdesigner.exporters.powershell import _Script

#: Parameters of the script, inside its ``param()`` block.
PARAMETERS = """\
    # After a disaster: the site (its name or its id) that is lost. Only the failover of the
    # VMs it ran runs then, group by group, on the servers they come back on.
    [string]$FailOverLostSite,
    # How long a start-up group may take to run before the failover stops.
    [int]$GroupTimeoutMinutes = 30,"""

#: The steps' script blocks and the group wait, with the header's others.
BLOCKS = r"""$SetFailoverAddress = {
    # The address the replica VM takes when it fails over (planned, unplanned or test); the
    # guest's integration services apply it.
    param($VMName, $Address)
    $ErrorActionPreference = 'Stop'
    Set-VMNetworkAdapterFailoverConfiguration -VMName $VMName @Address
}
$SetTestSwitch = {
    # The switch a test failover connects the test VM to.
    param($VMName, $Switch)
    $ErrorActionPreference = 'Stop'
    Set-VMNetworkAdapter -VMName $VMName -TestReplicaSwitchName $Switch
}
$FailOver = {
    # Unplanned failover to the latest recovery point, then start (unless disks must be
    # recreated first, or what it depends on was not started). Says what it did: started,
    # running (by an earlier run: nothing done) or not started. Run again, it skips what is
    # done: a replica already failed over (waiting for completion, or completed) is not
    # failed over again.
    param($VMName, $Start)
    $ErrorActionPreference = 'Stop'
    if ((Get-VM -Name $VMName).State -eq 'Running') { return 'running' }
    if ("$((Get-VMReplication -VMName $VMName).State)" -notlike 'Fail*Over*') {
        Start-VMFailover -VMName $VMName -Confirm:$false
    }
    if (-not $Start) { return 'not started' }
    Start-VM -VMName $VMName
    'started'
}

function Wait-Group {
    # Until every VM given that the run started (or found running) runs and its guest
    # answers (a VM without the heartbeat service: once it runs), or the group's time is up;
    # the VMs left for the operator to start are not waited for.
    param([object[]]$Members)
    if ($WhatIfPreference) { return }
    foreach ($Member in @($Members | Where-Object { $_.Result -ne 'not started' })) {
        while ($true) {
            $State = Get-VM -ComputerName $Member.On -Name $Member.VMName
            if ($State.State -eq 'Running' -and ("$($State.Heartbeat)" -like 'Ok*' -or
                    "$($State.Heartbeat)" -eq 'Disabled')) { break }
            if ((Get-Date) -gt $Deadline) {
                throw ('Not running after ' + $GroupTimeoutMinutes + ' minutes: ' + $Member.VMName)
            }
            Start-Sleep -Seconds 10
        }
    }
}"""


def vm_data(vm: VM) -> list[str]:
    """A VM's failover address and test switch, for its entry in the data section."""
    lines = []
    if vm.failover_ip is not None:
        lines.append("    FailoverAddress = @{ " + "; ".join(
            f"{key} = {ps_literal(value)}" for key, value in failover_settings(vm.failover_ip))
            + " }" + (f"  # {DNS_LEFT_OUT}" if dns_left_out(vm.failover_ip) else ""))
    if vm.test_switch is not None:
        lines.append(f"    TestSwitch = {ps_literal(vm.test_switch)}")
    return lines


def site_data(script: _Script) -> None:
    """The sites, by which the failover run is asked for."""
    for n, site in enumerate(script.d.sites.values(), 1):
        script.var[site.id] = f"Site{n}"
        script.lines.append(f"$Site{n} = @{{ Id = {ps_literal(site.id)}; "
                            f"Name = {ps_literal(site.name)} }}")
    script.lines.append("$Sites = @(" + ", ".join(
        f"$Site{n}" for n in range(1, len(script.d.sites) + 1)) + ")")


def network_steps(script: _Script) -> None:
    vms = [vm for vm in script.d.vms.values() if vm.id in script.var
           and (vm.failover_ip is not None or vm.test_switch is not None)]
    if not vms:
        return
    script.section("9. Failover networking: on each replica", [
        "The address each replica VM takes when it fails over, and the switch a test failover",
        "connects it to. For failback, set the primary VM's own address on it the same way."])
    for vm in vms:
        v = script.var[vm.id]
        links = derived.vm_links(script.d, vm.id)
        for rep_id in (*links.primary[:1], *links.extended):
            rep = script.d.replications[rep_id]
            on, subjects = script.on_vm(rep.target, vm), script.rep_subjects(rep) | {vm.id}
            if vm.failover_ip is not None:
                script.step(invoke_step(on, f"('Set the failover address of ' + ${v}.Name)",
                                    f"${v}.Name, ${v}.FailoverAddress", "$SetFailoverAddress"),
                            *subjects)
            if vm.test_switch is not None:
                script.step(invoke_step(on, f"('Set the test failover switch of ' + ${v}.Name)",
                                    f"${v}.Name, ${v}.TestSwitch", "$SetTestSwitch"), *subjects)


def failover_run(script: _Script) -> None:
    """The run after a site is lost: its plan, then the script ends."""
    plans = [p for p in site_losses(script.d) if p.groups or p.not_recoverable]
    if not plans:
        return
    script.section("After a disaster: fail over the VMs of the lost site, group by group", [
        "Run with -FailOverLostSite (a site's name or id) on the surviving side; nothing else",
        "runs then. Each group starts once the group before it runs; check each VM, then",
        "Complete-VMFailover it (the runbook has every step, failback included)."])
    script.lines += [
        "if ($FailOverLostSite) {",
        "    $Lost = @($Sites | Where-Object { $FailOverLostSite -in @($_.Id, $_.Name) })",
        "    if ($Lost.Count -ne 1) { throw ('Not the name or id of one site: ' + $FailOverLostSite) }",
        "    $NotStarted = @()"]
    for plan in plans:
        script.lines.append(f"    if ($Lost[0].Id -eq ${script.var[plan.site.id]}.Id) {{")
        for n, group in enumerate(plan.groups):
            script.lines += [""] * (n > 0) + [
                f"        Write-Host '{group.label}'",
                "        $Deadline = (Get-Date).AddMinutes($GroupTimeoutMinutes)", "        $Group = @()"]
            for step in group.steps:
                script.step("\n".join("        " + line for line in _failover_step(script, group, step)),
                            *script.rep_subjects(step.via), step.vm.id)
            script.lines += ["        Wait-Group $Group",
                             "        $NotStarted += @($Group | Where-Object { $_.Result -eq 'not started' })"]
        for vm, status in plan.not_recoverable:
            script.lines.append(f"        Write-Warning ('{status.capitalize()}, not recoverable: ' + "
                                f"{ps_literal(printable(vm.name))})")
        script.lines.append("    }")
    script.lines += [
        "    foreach ($Member in $NotStarted) {",
        "        Write-Warning ('Failed over, not started: ' + $Member.VMName + ' (recreate the disks"
        " not replicated, or start what it depends on, then start it)')",
        "    }",
        "    Write-Host 'Failed over. Check each VM, then Complete-VMFailover it.'",
        "    return", "}"]


def _failover_step(script: _Script, group: Group, step: Step) -> list[str]:
    """A VM's failover in the run: once the VMs of its group it depends on run and answer,
    started unless its disks must be recreated or one of those was not started."""
    v = script.var[step.vm.id]
    in_group = {s.vm.id for s in group.steps if s.position < step.position}
    needs = [f"${script.var[d.vm.id]}.Name" for d in step.depends_on if d.vm.id in in_group]
    start = "$true" if all(d.replicate for d in step.vm.disks) else "$false"
    code = [f"$On = {script.on_vm(step.runs_on, step.vm)}"]
    if needs:
        code += [f"$Needs = @($Group | Where-Object {{ $_.VMName -in @({', '.join(needs)}) }})",
                 "Wait-Group $Needs"]
        if start == "$true":
            code.append("$Start = -not @($Needs | Where-Object { $_.Result -eq 'not started' }).Count")
            start = "$Start"
    code += ["$Result = " + invoke_step("$On", f"('Fail over ' + ${v}.Name)", f"${v}.Name, {start}",
                                        "$FailOver"),
             f"$Group += @{{ On = $On; VMName = ${v}.Name; Result = \"$Result\" }}"]
    return code
