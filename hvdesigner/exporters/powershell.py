"""The deployment script (``hvdesigner export DESIGN --to ps1``): the design as the PowerShell
that sets it up, in the order of the domain reference (hyperv-replica.md §4).

1. the listener firewall rules, by rule *Name* (display names are localized), on every node
   that receives (targets, and sources that are Replica servers, for failback);
2. the Hyper-V Replica Broker role of every cluster that replicates;
3. certificate checks (and the revocation-check switch for self-signed certificates);
4. Replica server settings and authorization entries, on both sides;
5. ``Test-VMReplicationConnection`` per replication;
6. ``Enable-VMReplication`` per VM and primary link; 7. its initial replication;
8. extended replication, configured from the replica side;
9. failover networking on each replica (``psfailover.py``, which also writes the failover run
   after a site loss: ``-FailOverLostSite``).

The script is ``[CmdletBinding(SupportsShouldProcess)]`` (``-WhatIf`` says what each step would
do) and stops at the first error. Every design string is defined once, in a data section at
the top, as a single-quoted literal (:func:`~hvdesigner.exporters.pslang.ps_literal`); the
steps refer to those variables and carry values to the servers as ``Invoke-Command``
arguments, never as code. Comments are this module's fixed text only: a blocked step (one an
unsuppressed error finding is about) is commented out line by line, and those lines name
variables, never design text, so a name with a line break can't leave the comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hvdesigner import __version__
from hvdesigner.exporters import psfailover
from hvdesigner.exporters.formats import BlockedByErrors, ExportOptions, ExportRefused
from hvdesigner.exporters.pslang import invoke_step, ps_array, ps_literal, script_bytes
from hvdesigner.exporters.terminal import printable
from hvdesigner.model import derived
from hvdesigner.model.design import Design
from hvdesigner.model.entities import VM, Cluster, Host, Replication
from hvdesigner.rules.check import Finding

_HTTP_RULE, _HTTPS_RULE = "VIRT-HVRHTTPL-In-TCP-NoScope", "VIRT-HVRHTTPSL-In-TCP-NoScope"
_AUTH = {"kerberos": "Kerberos", "certificate": "Certificate"}

_HEADER = r"""<#
.SYNOPSIS
    Sets up Hyper-V Replica as designed in hvdesigner (version @VERSION@).
.DESCRIPTION
    Run from a management station with the Hyper-V, FailoverClusters and NetSecurity modules,
    as an account that administers every server below (PowerShell remoting must reach them).
    Run with -WhatIf first: each step then says what it would do, on which server.
    The script stops at the first error (rule, broker, server settings and authorization steps
    check first, so they can run again; replication steps are for VMs not yet replicating).
    Media-seeded VMs: run again with -ImportInitialReplicationMedia once the media arrived.
    After a disaster: run with -FailOverLostSite SITE to fail the lost site's VMs over.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # When scheduled initial replications start (Hyper-V accepts up to 7 days ahead).
    [datetime]$InitialReplicationStartTime = (Get-Date).Date.AddDays(1).AddHours(22),
    # Where media-seeded initial copies are exported on the primary, and found on the replica.
    [string]$InitialReplicationMediaPath = 'E:\HyperV-Replica-Media',
@FAILOVER_PARAMETERS@
    # Second run, after the media arrived: import the initial copies on the replica servers.
    [switch]$ImportInitialReplicationMedia
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Invoke-Step {
    # One step on one server; under -WhatIf only the line saying what it would do.
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory)][string]$On,
        [Parameter(Mandatory)][string]$Action,
        [object[]]$With = @(),
        [Parameter(Mandatory)][scriptblock]$Do
    )
    if ($PSCmdlet.ShouldProcess($On, $Action)) {
        Invoke-Command -ComputerName $On -ScriptBlock $Do -ArgumentList $With
    }
}

function Get-OwnerNode {
    # A clustered VM is managed on the node that owns it; its cluster group has the VM's name.
    param([string]$Cluster, [string]$VMName)
    if ($WhatIfPreference) { return $Cluster }
    (Get-ClusterGroup -Cluster $Cluster -Name $VMName).OwnerNode.Name
}

# ==============================================================================================
# How each step is done on a server (the values arrive as arguments, from the section below)
# ==============================================================================================
$EnableListenerRule = {
    param($Rule)
    $ErrorActionPreference = 'Stop'
    Enable-NetFirewallRule -Name $Rule
}
$AllowListenerPort = {
    # A port of its own: the built-in listener rules cover only 80 and 443.
    param($Port)
    $ErrorActionPreference = 'Stop'
    $Name = 'HyperV-Replica-TCP-' + $Port
    if (-not (Get-NetFirewallRule -Name $Name -ErrorAction SilentlyContinue)) {
        New-NetFirewallRule -Name $Name -DisplayName ('Hyper-V Replica Listener (TCP ' + $Port + ')') `
            -Direction Inbound -Protocol TCP -LocalPort $Port -Action Allow | Out-Null
    }
}
$CreateBroker = {
    param($Name, $Ip)
    $ErrorActionPreference = 'Stop'
    if (-not (Get-ClusterGroup -Name $Name -ErrorAction SilentlyContinue)) {
        if ($Ip) { Add-ClusterServerRole -Name $Name -StaticAddress $Ip | Out-Null }
        else { Add-ClusterServerRole -Name $Name | Out-Null }  # an address by DHCP
        $Resource = 'Virtual Machine Replication Broker'
        Add-ClusterResource -Name $Resource -Type $Resource -Group $Name | Out-Null
        Add-ClusterResourceDependency -Resource $Resource -Provider $Name | Out-Null
        Start-ClusterGroup -Name $Name | Out-Null
    }
}
$CheckCertificates = {
    # Each name needs a valid certificate with its private key (a wildcard subject covers it).
    param($Names)
    $ErrorActionPreference = 'Stop'
    foreach ($CertName in $Names) {
@THUMBPRINT@
    }
}
$SkipRevocationCheck = {
    $ErrorActionPreference = 'Stop'
    $Key = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization\Replication'
    if (-not (Test-Path $Key)) { New-Item -Path $Key | Out-Null }
    Set-ItemProperty -Path $Key -Name DisableCertRevocationCheck -Value 1 -Type DWord
}
$EnableReplicaServer = {
    param($Settings, $CertName)
    $ErrorActionPreference = 'Stop'
@USE_CERTIFICATE@
    Set-VMReplicationServer @Settings
}
$AuthorizePrimaries = {
    param($Entries)
    $ErrorActionPreference = 'Stop'
    foreach ($Entry in $Entries) {
        if (-not (Get-VMReplicationAuthorizationEntry -AllowedPrimaryServer $Entry.Primary -ErrorAction SilentlyContinue)) {
            New-VMReplicationAuthorizationEntry -AllowedPrimaryServer $Entry.Primary `
                -ReplicaStorageLocation $Entry.Storage -TrustGroup $Entry.TrustGroup | Out-Null
        }
    }
}
$TestConnection = {
    param($Settings, $CertName)
    $ErrorActionPreference = 'Stop'
@USE_CERTIFICATE@
    Test-VMReplicationConnection @Settings
}
$EnableReplication = {
    # Disks are left out by file name; Hyper-V takes them only when replication is enabled.
    param($Settings, $ExcludedNames, $CertName)
    $ErrorActionPreference = 'Stop'
@USE_CERTIFICATE@
    $Excluded = @(Get-VMHardDiskDrive -VMName $Settings.VMName | Where-Object {
        $_.Path -and (Split-Path $_.Path -Leaf) -in $ExcludedNames })
    if ($Excluded.Count -ne @($ExcludedNames).Count) {
        throw ('Not every disk to leave out was found on ' + $Settings.VMName)
    }
    if ($Excluded.Count) { $Settings.ExcludedVhd = $Excluded }
    Enable-VMReplication @Settings
}
$EnableAsReplica = {
    # A replica seeded from a backup: the restored VM (its checkpoints deleted) becomes the replica.
    param($VMName)
    $ErrorActionPreference = 'Stop'
    Enable-VMReplication -VMName $VMName -AsReplica
}
$StartInitialReplication = {
    param($VMName, $How)
    $ErrorActionPreference = 'Stop'
    Start-VMInitialReplication -VMName $VMName @How
}
$ImportInitialReplication = {
    param($VMName, $Path)
    $ErrorActionPreference = 'Stop'
    Import-VMInitialReplication -VMName $VMName -Path $Path
}
@FAILOVER_BLOCKS@
"""

# The newest valid certificate, with its private key, that covers $CertName.
_THUMBPRINT = """\
        $Thumbprint = (Get-ChildItem Cert:\\LocalMachine\\My | Where-Object {
            $_.HasPrivateKey -and $_.NotAfter -gt (Get-Date) -and
            ($_.DnsNameList.Unicode | Where-Object { $CertName -like $_ })
        } | Sort-Object NotAfter | Select-Object -Last 1).Thumbprint
        if (-not $Thumbprint) { throw ('No valid certificate in LocalMachine\\My covers ' + $CertName) }"""


# Certificate authentication: the settings take the thumbprint of the certificate for $CertName.
_USE_CERTIFICATE = """\
    if ($CertName) {
@THUMBPRINT@
        $Settings.CertificateThumbprint = $Thumbprint
    }"""


#: Error findings about what a disaster would bring, not about setting replication up: memory
#: short when a site is lost (RCV-01) and a start-up dependency cycle (RCV-05). No step of the
#: deployment fails because of them, so they neither refuse the script nor comment steps out
#: (the runbook's recovery plan names the servers that would run short).
NOT_DEPLOYMENT = frozenset({"RCV-01", "RCV-05"})


def render(design: Design, findings: Sequence[Finding], options: ExportOptions) -> bytes:
    if options.selection:
        raise ExportRefused("--selection doesn't apply to ps1: a deployment covers the whole design")
    errors = [f for f in findings
              if f.severity == "error" and not f.suppressed and f.rule not in NOT_DEPLOYMENT]
    if errors and not options.force:
        raise BlockedByErrors(errors)
    return script_bytes(_Script(design, errors, options.source).lines)


class _Script:
    """The script's lines, built section by section."""

    def __init__(self, design: Design, errors: list[Finding], source: str) -> None:
        self.d = design
        self.errors = errors
        #: error findings (numbered from 1) by their first, most specific, subject
        self.blocking: dict[str, list[int]] = {}
        for i, f in enumerate(errors, 1):
            if f.subjects:
                self.blocking.setdefault(f.subjects[0], []).append(i)
        self.reps = list(design.replications.values())
        header = _HEADER.replace("@USE_CERTIFICATE@", _USE_CERTIFICATE).replace(
            "@FAILOVER_PARAMETERS@", psfailover.PARAMETERS).replace("@FAILOVER_BLOCKS@",
                                                                   psfailover.BLOCKS)
        self.lines = header.replace("@THUMBPRINT@", _THUMBPRINT).replace("@VERSION@", __version__).splitlines()
        self.var: dict[str, str] = {}
        self._data(source)
        self._import_media()
        psfailover.failover_run(self)
        self._firewall()
        self._brokers()
        self._certificates()
        self._replica_servers()
        self._tests()
        self._enable(extended=False)
        self._enable(extended=True)
        psfailover.network_steps(self)
        self.lines += ["", "Write-Host 'Done. Measure-VMReplication on each primary server shows the health "
                       "(-ReplicationRelationshipType Extended for an extended link).'"]

    # ------------------------------------------------------------ helpers
    def section(self, title: str, why: Iterable[str]) -> None:
        self.lines += ["", "# " + "=" * 94, f"# {title}"]
        self.lines += [f"# {line}" for line in why]
        self.lines.append("# " + "=" * 94)

    def step(self, code: str, *subjects: str, note: str = "") -> None:
        """Emit a step, commented out when an error finding is about one of its subjects."""
        self.lines.append("")
        if note:
            self.lines.append(f"# {note}")
        blockers = sorted(i for s in set(subjects) for i in self.blocking.get(s, ()))
        if not blockers:
            self.lines += code.splitlines()
            return
        numbers = ", ".join(f"{i} ({self.errors[i - 1].rule})" for i in blockers)
        self.lines.append(f"# BLOCKED by error finding{'s' * (len(blockers) > 1)} {numbers} of "
                          "$ErrorFindings: fix the design and export again.")
        self.lines += [f"# {line}" for line in code.splitlines()]

    def endpoint(self, server_id: str) -> str:
        return derived.endpoint(self.d, server_id)

    def machines(self, server_id: str) -> list[str]:
        return derived.machines(self.d, self.endpoint(server_id))

    def identity(self, server_id: str) -> str:
        """The variable holding the name partners use for a server."""
        ep = self.endpoint(server_id)
        return f"${self.var[ep]}.{'BrokerFqdn' if isinstance(self.d.get(ep), Cluster) else 'Fqdn'}"

    def on_vm(self, server_id: str, vm: VM) -> str:
        """Where a VM (or its replica) is managed: a host, or the node owning it on a cluster."""
        if isinstance(self.d.get(server_id), Cluster):
            return f"(Get-OwnerNode ${self.var[server_id]}.Fqdn ${self.var[vm.id]}.Name)"
        return f"${self.var[server_id]}.Fqdn"

    def rep_subjects(self, rep: Replication) -> set[str]:
        ids = {rep.id, rep.source, rep.target, self.endpoint(rep.source), self.endpoint(rep.target)}
        ids |= set(self.machines(rep.source)) | set(self.machines(rep.target))
        wan = derived.wan_link_of(self.d, rep)
        return ids | ({wan} if wan else set())

    def cert_name(self, server_id: str, rep_auth: Iterable[str]) -> str:
        return self.identity(server_id) if "certificate" in rep_auth else "$null"

    # ------------------------------------------------------------ data
    def _data(self, source: str) -> None:
        self.section("What the design says", [
            "Every name, FQDN and path below is from the design; the steps refer to them."])
        self.lines.append(f"$DesignTitle = {ps_literal(self.d.title)}")
        self.lines.append(f"$DesignFile = {ps_literal(source)}")
        self.lines.append("$ErrorFindings = @(")
        # Printed by Write-Warning as the script starts: escaped like everything a terminal shows.
        self.lines += [f"    {ps_literal(printable(f'{f.rule}: {f.message}'))}" for f in self.errors]
        self.lines.append(")")
        servers = {self.endpoint(s) for r in self.reps for s in (r.source, r.target)}
        hosts = [h for h in self.d.hosts.values() if h.id in servers or h.cluster in servers]
        for n, host in enumerate(hosts, 1):
            self.var[host.id] = f"Host{n}"
            self._server(host, [("Fqdn", ps_literal(host.fqdn)), ("CertificateNames", ps_array(
                derived.needed_certificate_names(self.d, host.id)))])
        for n, cluster in enumerate(c for c in self.d.clusters.values() if c.id in servers):
            self.var[cluster.id] = f"Cluster{n + 1}"
            b = cluster.broker
            values = (b.name, b.fqdn, b.ip) if b is not None else (None, None, None)
            self._server(cluster, [("Fqdn", ps_literal(cluster.fqdn))] + [
                (key, "$null" if value is None else ps_literal(value))
                for key, value in zip(("Broker", "BrokerFqdn", "BrokerIp"), values, strict=True)])
        listed = {v for r in self.reps for v in r.vms}
        for n, vm in enumerate((v for v in self.d.vms.values() if v.id in listed), 1):
            self.var[vm.id] = f"VM{n}"
            excluded = [d.name for d in vm.disks if not d.replicate and d.type != "passthrough"]
            self.lines += [f"$VM{n} = @{{", f"    Name = {ps_literal(vm.name)}",
                           f"    Excluded = {ps_array(excluded)}  # disks not replicated",
                           *psfailover.vm_data(vm), "}"]
        psfailover.site_data(self)
        self.lines += ["", "Write-Verbose ('Deploying ' + $DesignTitle + ' from ' + $DesignFile)",
                       "foreach ($Finding in $ErrorFindings) { Write-Warning $Finding }",
                       "if ($ErrorFindings.Count) { Write-Warning 'Exported with error findings:"
                       " the steps they block are commented out.' }"]

    def _server(self, server: Host | Cluster, fields: list[tuple[str, str]]) -> None:
        name = self.var[server.id]
        self.lines += [f"${name} = @{{", f"    Name = {ps_literal(server.name)}"]
        self.lines += [f"    {key} = {value}" for key, value in fields]
        settings = server.replica_server
        if settings is not None and not (isinstance(server, Host) and server.cluster):
            if settings.default_storage is not None:
                self.lines.append(f"    DefaultStorage = {ps_literal(settings.default_storage)}")
            self.lines.append("    Authorizations = @(")
            self.lines += [f"        @{{ Primary = {ps_literal(a.primary)}; Storage = "
                           f"{ps_literal(a.storage)}; TrustGroup = {ps_literal(a.trust_group)} }}"
                           for a in settings.authorizations]
            self.lines.append("    )")
        self.lines.append("}")

    # ------------------------------------------------------------ steps
    def _import_media(self) -> None:
        media = [(r, self.d.get(v)) for r in self.reps if r.initial == "media" for v in r.vms
                 if self._role(r, v) is not None]
        if not media:
            return
        self.section("Second run: import the initial copies shipped on media", [
            "Run with -ImportInitialReplicationMedia once the media is copied to",
            "$InitialReplicationMediaPath on each replica server; nothing else runs then."])
        self.lines.append("if ($ImportInitialReplicationMedia) {")
        for rep, vm in media:
            v = self.var[vm.id]
            self.step(invoke_step(self.on_vm(rep.target, vm), f"('Import the initial copy of ' + ${v}.Name)",
                              f"${v}.Name, $InitialReplicationMediaPath", "$ImportInitialReplication"),
                      *self.rep_subjects(rep), vm.id)
        self.lines += ["    return", "}"]

    def _firewall(self) -> None:
        self.section("1. Firewall: open the Replica listener on every node that receives", [
            "Windows ships the listener rules disabled; they are enabled by Name, because their",
            "display names are translated. Sources that are Replica servers receive too, after a",
            "failover (failback)."])
        wanted: dict[tuple[str, int], str] = {}
        for rep in self.reps:
            sides = [rep.target]
            if derived.replica_settings(self.d, self.endpoint(rep.source)) is not None:
                sides.append(rep.source)
            for side in sides:
                for machine in self.machines(side):
                    wanted.setdefault((machine, rep.effective_port), rep.auth)
        for (machine, port), auth in wanted.items():
            on = f"${self.var[machine]}.Fqdn"
            rule = {("kerberos", 80): _HTTP_RULE, ("certificate", 443): _HTTPS_RULE}.get((auth, port))
            if rule is not None:
                self.step(invoke_step(on, f"'Enable the listener rule for TCP {port}'", ps_literal(rule),
                                  "$EnableListenerRule"))
            else:
                self.step(invoke_step(on, f"'Allow the listener on TCP {port}'", str(port), "$AllowListenerPort"))

    def _brokers(self) -> None:
        clusters = [c for c in self.d.clusters.values() if c.id in self.var]
        if not clusters:
            return
        self.section("2. Hyper-V Replica Broker: one per cluster", [
            "Partners address a cluster through its broker, which keeps replication going when a",
            "VM moves to another node. Creating it needs rights to add a computer object in AD."])
        for c in clusters:
            v = self.var[c.id]
            self.step(invoke_step(f"${v}.Fqdn", "'Create the Hyper-V Replica Broker role'",
                              f"${v}.Broker, ${v}.BrokerIp", "$CreateBroker"), c.id)

    def _certificates(self) -> None:
        reps = [r for r in self.reps if r.auth == "certificate"]
        machines = list(dict.fromkeys(m for r in reps for s in (r.source, r.target) for m in self.machines(s)))
        if not machines:
            return
        self.section("3. Certificates: check them before they are used", [
            "Import each machine's certificate (PFX, with its private key) to Cert:\\LocalMachine\\My",
            "and the partner's root CA to Cert:\\LocalMachine\\Root. A node needs its own FQDN and",
            "its broker's FQDN in the subject or SAN; the check stops if a name is not covered."])
        for m in machines:
            self.step(invoke_step(f"${self.var[m]}.Fqdn", "'Check the replication certificates'",
                              f"(,${self.var[m]}.CertificateNames)", "$CheckCertificates"), m)
        if any(c.self_signed for m in machines for c in self.d.get(m).certificates):
            self.lines += ["", "# Self-signed certificates have no revocation list to check: both "
                           "sides skip the check."]
            for m in machines:
                self.step(invoke_step(f"${self.var[m]}.Fqdn", "'Skip the certificate revocation check'",
                                  "@()", "$SkipRevocationCheck"), m)

    def _replica_servers(self) -> None:
        order = [self.endpoint(r.target) for r in self.reps] + [self.endpoint(r.source) for r in self.reps]
        self.section("4. Replica servers: who may send here, and where replicas are stored", [
            "The receiving side first; then each source, which receives after a failover",
            "(planned failover and failback need it)."])
        for sid in dict.fromkeys(order):
            settings = derived.replica_settings(self.d, sid)
            v = self.var[sid]
            if settings is None:
                self.lines += ["", f"# ${v} is not a Replica server in the design: nothing can "
                               "replicate to it (failback included)."]
                continue
            auths = sorted(settings.auth)
            allowed = "CertificateAndKerberos" if len(auths) == 2 else _AUTH[auths[0]]
            code = ["$Settings = @{", "    ReplicationEnabled = $true",
                    f"    AllowedAuthenticationType = '{allowed}'",
                    f"    KerberosAuthenticationPort = {settings.kerberos_port}",
                    f"    CertificateAuthenticationPort = {settings.certificate_port}",
                    f"    ReplicationAllowedFromAnyServer = ${str(settings.allow_any_primary).lower()}", "}"]
            if settings.default_storage is not None:
                code.append(f"$Settings.DefaultStorageLocation = ${v}.DefaultStorage")
            code.append(invoke_step(f"${v}.Fqdn", "'Enable the Replica server'",
                                f"$Settings, {self.cert_name(sid, auths)}", "$EnableReplicaServer"))
            self.step("\n".join(code), sid)
            if settings.authorizations:
                self.step(invoke_step(f"${v}.Fqdn", "'Authorize the primary servers'",
                                  f"(,${v}.Authorizations)", "$AuthorizePrimaries"), sid)

    def _tests(self) -> None:
        self.section("5. Test each connection before replicating", [
            "Hyper-V answers 'The connection to the specified Replica server with the specified",
            "parameters was successful.' or says what is wrong."])
        for rep in self.reps:
            source = self.endpoint(rep.source)
            self.step("\n".join([
                "$Settings = @{", f"    ReplicaServerName = {self.identity(rep.target)}",
                f"    ReplicaServerPort = {rep.effective_port}",
                f"    AuthenticationType = '{_AUTH[rep.auth]}'", "}",
                invoke_step(f"${self.var[source]}.Fqdn", "'Test the connection to the Replica server'",
                        f"$Settings, {self.cert_name(source, [rep.auth])}", "$TestConnection")]),
                *self.rep_subjects(rep))

    def _role(self, rep: Replication, vm_id: str) -> str | None:
        links = derived.vm_links(self.d, vm_id)
        return "primary" if rep.id in links.primary else "extended" if rep.id in links.extended else None

    def _enable(self, extended: bool) -> None:
        if extended:
            self.section("8. Extended replication: configured on the replica side", [
                "The replica VM replicates on to a third server: 300 or 900 s, no app-consistent",
                "snapshots (an extended replica takes none). Hyper-V extends only a replica that is",
                "replicating: with a scheduled or media initial copy, run these lines once it arrived."])
        else:
            self.section("6-7. Replicate each VM, then send its initial copy", [
                "Run where the VM runs. The disks left out are those the design doesn't replicate;",
                "they must be recreated on the replica at failover (see the runbook)."])
        for rep in self.reps:
            for vm_id in rep.vms:
                role = self._role(rep, vm_id)
                if role is None and not extended:
                    self.lines += ["", f"# ${self.var[vm_id]} neither runs on this replication's "
                                   "source nor is a replica there: skipped (see the findings)."]
                if role == ("extended" if extended else "primary"):
                    self._enable_vm(rep, self.d.get(vm_id), extended)

    def _enable_vm(self, rep: Replication, vm: VM, extended: bool) -> None:
        v, source = self.var[vm.id], self.endpoint(rep.source)
        old = derived.server_os(self.d, source) == "2012"  # fixed 300 s, older parameter name
        code = ["$Settings = @{", f"    VMName = ${v}.Name",
                f"    ReplicaServerName = {self.identity(rep.target)}",
                f"    ReplicaServerPort = {rep.effective_port}",
                f"    AuthenticationType = '{_AUTH[rep.auth]}'"]
        if not old:
            code.append(f"    ReplicationFrequencySec = {rep.frequency_s}")
        code.append(f"    RecoveryHistory = {rep.recovery_points}")
        if rep.vss_hours is not None and not extended:
            code.append(f"    VSSSnapshotFrequency{'' if old else 'Hour'} = {rep.vss_hours}")
        code += [f"    CompressionEnabled = ${str(rep.compression).lower()}", "}"]
        on = self.on_vm(rep.source if extended else vm.placement, vm)
        code.append(invoke_step(on, f"('Enable replication of ' + ${v}.Name)",
                            f"$Settings, ${v}.Excluded, {self.cert_name(source, [rep.auth])}",
                            "$EnableReplication"))
        subjects = self.rep_subjects(rep) | {vm.id} | {d.id for d in vm.disks}
        self.step("\n".join(code), *subjects)
        if rep.initial == "backup":
            self.step(invoke_step(self.on_vm(rep.target, vm), f"('Make the restored copy of ' + ${v}.Name"
                              " + ' its replica')", f"${v}.Name", "$EnableAsReplica"), *subjects,
                      note="Seeded from a backup restored on the replica side.")
        how = {"network": "@{}", "scheduled": "@{ InitialReplicationStartTime = $InitialReplicationStartTime }",
               "media": "@{ DestinationPath = $InitialReplicationMediaPath }",
               "backup": "@{ UseBackup = $true }"}[rep.initial]
        self.step(invoke_step(on, f"('Start the initial replication ({rep.initial}) of ' + ${v}.Name)",
                          f"${v}.Name, {how}", "$StartInitialReplication"), *subjects)
