"""The rule catalog v2 (``shared/domain/rules.md``): ids, severities, titles, fixes, BPA rules.

Ids are stable forever; the checks that raise them live in the family modules beside this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

Severity: TypeAlias = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

CATALOG_VERSION = 2

BPA_BROKER = (
    "To participate in replication, servers in failover clusters must have a Hyper-V Replica "
    "Broker configured"
)
BPA_CERT_AUTH = "Certificate-based authentication is recommended for replication"
BPA_ACCEPT = "A Replica server must be configured to accept replication requests"
BPA_SPECIFIC_PRIMARIES = (
    "Replica servers should be configured to identify specific primary servers authorized to "
    "send replication traffic"
)
BPA_COMPRESSION = "Compression is recommended for replication traffic"
BPA_FAILOVER_IP = "Configure the Failover TCP/IP settings for the Replica VM"
BPA_PAGING = "Virtual hard disks with paging files should be excluded from replication"
BPA_ALTERNATE_IP = (
    "Integration services must be installed before primary or Replica virtual machines can use "
    "an alternate IP address after a failover"
)
BPA_VHDX = "VHDX-format virtual hard disks are recommended for VMs that have recovery history enabled"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str
    fix: str
    bpa: str | None = None


_RULES = [
    # Topology
    Rule("TOP-01", "error", "Replication between a server and itself or its own cluster",
         "Pick a target server elsewhere: a different host or cluster."),
    Rule("TOP-02", "error", "VM on more than one primary or extended link",
         "Give each VM one primary and at most one extended link; chain A→B→C instead of A→B and A→C."),
    Rule("TOP-03", "error", "VM on a replication that does not start where it runs or at its replica",
         "List the VM on a link from the server it runs on, or from its replica server."),
    Rule("TOP-04", "error", "Replication beyond the third tier",
         "Stop at three tiers: primary → replica → extended replica."),
    Rule("TOP-05", "error", "Extended replication on Windows Server 2012",
         "Upgrade the servers of the extended link to Windows Server 2012 R2 or later."),
    Rule("TOP-06", "error", "Extended link frequency not 300 or 900 s, or faster than the primary",
         "Set the extended link to 300 or 900 seconds, no faster than the primary link."),
    Rule("TOP-07", "error", "App-consistent snapshots on an extended link",
         "Clear the app-consistent snapshot interval on the extended link."),
    Rule("TOP-08", "warning", "Replication without VMs",
         "Add VMs to the replication or delete it."),
    Rule("TOP-09", "error", "Cluster without nodes",
         "Add node hosts to the cluster."),
    Rule("TOP-10", "warning", "Replicated VM on a cluster node instead of the cluster",
         "Make the VM a clustered role: place it on the cluster, not on a node."),
    # Versions
    Rule("VER-01", "error", "Replica runs an older Windows Server than the primary",
         "Upgrade the replica side to the primary's version or later."),
    Rule("VER-02", "warning", "Replica runs a newer Windows Server: no failback",
         "Plan failback (reverse replication is not supported to an older version), or align versions."),
    Rule("VER-03", "error", "Windows Server 2012 replicating to 2016 or later",
         "Replicate to Windows Server 2012 R2, or upgrade the primary."),
    # Broker
    Rule("BRK-01", "error", "Replicating cluster without a Hyper-V Replica Broker",
         "Add the Hyper-V Replica Broker role to the cluster.", BPA_BROKER),
    Rule("BRK-02", "error", "Replication to or from a cluster node instead of its cluster",
         "Point the replication at the cluster (its Replica Broker), not at a node.", BPA_BROKER),
    Rule("BRK-03", "error", "Invalid or duplicate Replica Broker name",
         "Rename the broker: 1-15 letters, digits or hyphens, starting and ending with a letter "
         "or digit, not all digits, unique in the domain."),
    # Authentication
    Rule("AUTH-01", "error", "Kerberos between untrusted domains or a workgroup",
         "Use certificate authentication, or create a two-way trust between the domains.", BPA_CERT_AUTH),
    Rule("AUTH-02", "error", "Replica server does not accept the replication's authentication",
         "Align the authentication type with what the Replica server accepts."),
    Rule("AUTH-03", "error", "Replication port differs from the Replica server's listener",
         "Use the Replica server's port for that authentication type."),
    Rule("AUTH-04", "warning", "Unencrypted Kerberos replication across sites",
         "Use certificate authentication (HTTPS), or suppress with the reason (for example IPsec or a VPN).",
         BPA_CERT_AUTH),
    # Certificates
    Rule("CERT-01", "error", "Machine without a certificate for certificate authentication",
         "Plan a machine certificate for it."),
    Rule("CERT-02", "error", "Certificate not usable: missing EKU or expired",
         "Reissue the certificate with Client and Server Authentication EKUs and a valid date."),
    Rule("CERT-03", "error", "No certificate covers a name the machine needs",
         "Reissue the certificate with the missing name in its subject or SAN."),
    Rule("CERT-04", "warning", "Only self-signed certificates",
         "Use a CA-issued certificate, or plan DisableCertRevocationCheck and the root import on both sides."),
    # Firewalls
    Rule("FW-01", "error", "Windows Firewall on a receiving machine blocks the port",
         "Enable the listener rule (or a custom rule for the port) on every receiving node."),
    Rule("FW-02", "error", "Network firewall blocks the replication port",
         "Open the port on the firewall in the direction the traffic passes."),
    # Replica server
    Rule("RS-01", "error", "Target is not a Replica server",
         "Enable the target as a Replica server.", BPA_ACCEPT),
    Rule("RS-02", "error", "Primary not authorized on the Replica server",
         "Add an authorization entry for the primary server (or its broker).", BPA_ACCEPT),
    Rule("RS-03", "error", "Replication from any server without default storage",
         "Set the default storage location."),
    Rule("RS-04", "warning", "Replica server accepts any primary",
         "Use authorization entries for specific primary servers.", BPA_SPECIFIC_PRIMARIES),
    Rule("RS-05", "warning", "Primary is not a Replica server: no planned failover or failback",
         "Enable the primary as a Replica server too."),
    Rule("RS-06", "error", "Cluster replica storage is not shared",
         "Store replicas on a Cluster Shared Volume (C:\\ClusterStorage\\...) or an SMB share."),
    # Replication settings
    Rule("VM-01", "error", "Replication frequency not allowed",
         "Use 30, 300 or 900 seconds (300 on Windows Server 2012)."),
    Rule("VM-02", "error", "Too many recovery points",
         "Reduce the additional recovery points (at most 24; 15 on Windows Server 2012)."),
    Rule("VM-03", "error", "App-consistent snapshot interval without recovery points or out of range",
         "Set 1-12 hours and at least one additional recovery point, or clear the interval."),
    Rule("VM-04", "warning", "Compression disabled",
         "Enable compression.", BPA_COMPRESSION),
    Rule("VM-05", "warning", "VM with a static IP replicates across sites without failover TCP/IP",
         "Set the failover IP of the replica VM.", BPA_FAILOVER_IP),
    Rule("VM-06", "warning", "App-consistent snapshots without integration services",
         "Install integration services in the guest."),
    Rule("VM-07", "error", "Generation 2 VM on Windows Server 2012",
         "Use a generation 1 VM, or upgrade the server to 2012 R2 or later."),
    # Disks
    Rule("DSK-01", "error", "Pass-through disk marked for replication",
         "Convert the disk to VHDX, or exclude it."),
    Rule("DSK-02", "error", "Shared disk marked for replication",
         "Use a VHD Set on Windows Server 2016 or later, or exclude the disk."),
    Rule("DSK-03", "error", "Replicated VM without its OS disk",
         "Include the OS disk in replication."),
    Rule("DSK-04", "warning", "Paging-file or temp disk replicated",
         "Move the paging file to its own VHDX and exclude that disk.", BPA_PAGING),
    Rule("DSK-05", "warning", "VHD disk with recovery history",
         "Convert the disk to VHDX.", BPA_VHDX),
    Rule("DSK-06", "info", "Disk excluded from replication",
         "Plan to recreate the disk in the failover runbook."),
    # Sizing
    Rule("SZ-01", "error", "WAN link overloaded by replication",
         "Add bandwidth, lengthen the interval, or exclude disks."),
    Rule("SZ-02", "warning", "WAN link above its utilisation ceiling",
         "Add bandwidth, lengthen the interval, or exclude disks."),
    Rule("SZ-03", "info", "Cross-site replication without a WAN link",
         "Draw the WAN link between the two sites so it can be sized."),
    # Failback (catalog v2): after a failover the replica replicates back to the primary
    Rule("FBK-01", "warning", "Failback would use an authentication or port the primary does not accept",
         "Accept the same authentication on the same port on both sides."),
    Rule("FBK-02", "warning", "Primary does not authorize its replica server for failback",
         "Add an authorization entry for the replica side on the primary."),
    Rule("FBK-03", "warning", "Primary's Windows Firewall blocks failback replication",
         "Enable the listener rule on the primary side too."),
    Rule("FBK-04", "warning", "Network firewall blocks failback replication",
         "Open the port in both directions."),
    # Recovery (catalog v2): the site-loss scenarios of the format
    Rule("RCV-01", "error", "Server out of memory when a site is lost",
         "Add memory on the replica side, or move replicas elsewhere."),
    Rule("RCV-02", "warning", "Cluster could not absorb a node failure (N+1)",
         "Add a node or memory."),
    Rule("RCV-03", "warning", "Server's vCPUs overcommitted",
         "Add cores, or spread the replicas."),
    Rule("RCV-04", "error", "Replica storage too small",
         "Add storage, keep fewer recovery points, or exclude disks."),
    Rule("RCV-05", "error", "Start-up dependencies form a cycle",
         "Break the cycle."),
    Rule("RCV-06", "warning", "VM has no copy outside its own site",
         "Replicate to another site (or extend there)."),
    Rule("RCV-07", "warning", "VM depends on a VM that starts later",
         "Move the dependency to an earlier recovery group."),
    Rule("RCV-08", "warning", "Recovered VM depends on a VM that is lost",
         "Protect the dependency too."),
    # Failover networking (catalog v2)
    Rule("NET-01", "error", "Failover IP without integration services",
         "Install integration services in the guest.", BPA_ALTERNATE_IP),
    Rule("NET-02", "warning", "Failover IP outside the recovery site's subnets",
         "Use an address of the recovery site."),
    Rule("NET-03", "error", "Failover gateway outside the failover network",
         "Fix the gateway or the prefix length."),
    Rule("NET-04", "warning", "Test switch not on the replica server",
         "Name an existing virtual switch of the replica server."),
    Rule("NET-05", "info", "Test failover starts unconnected",
         "Name an isolated test switch for the VM."),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
#: Catalog order, used to sort findings.
RULE_ORDER: dict[str, int] = {rule.id: i for i, rule in enumerate(_RULES)}

_LEARN = "https://learn.microsoft.com/en-us/"
_TEAM_BLOG = _LEARN + "virtualization/community/team-blog/"
_SET_UP = _LEARN + "windows-server/virtualization/hyper-v/manage/set-up-hyper-v-replica"
_BPA_RULES = _TEAM_BLOG + "2013/20131001-hyper-v-replica-bpa-rules"
_EXTENDED = _TEAM_BLOG + "2013/20131209-hyper-v-replica-extend-replication"
_EXCLUDED_DISKS = _TEAM_BLOG + "2014/20140511-excluding-virtual-disks-in-hyper-v-replica"
#: Microsoft's pages behind the rules (sources S1, S12, S20, S22, S25, S29 of
#: ``shared/domain/hyperv-replica.md``), by rule id or family.
_HELP_PAGES = {
    "TOP-02": _EXTENDED, "TOP-04": _EXTENDED, "TOP-05": _EXTENDED, "TOP-06": _EXTENDED,
    "TOP-07": _EXTENDED,
    "BRK": _TEAM_BLOG + "2012/20120327-why-is-the-hyper-v-replica-broker-required",
    "DSK-03": _EXCLUDED_DISKS, "DSK-04": _EXCLUDED_DISKS, "DSK-06": _EXCLUDED_DISKS,
    "SZ": _TEAM_BLOG + "2013/20130522-hyper-v-replica-capacity-planner",
    "NET": _LEARN + "powershell/module/hyper-v/set-vmnetworkadapterfailoverconfiguration",
}


def help_uri(rule_id: str) -> str:
    """The page to read about a rule: its own or its family's, else the Best Practices
    Analyzer's rules when it cites one, else how to set up Hyper-V Replica."""
    return (_HELP_PAGES.get(rule_id) or _HELP_PAGES.get(rule_id.split("-")[0])
            or (_BPA_RULES if RULES[rule_id].bpa else _SET_UP))
