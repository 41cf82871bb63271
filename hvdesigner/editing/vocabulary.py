"""The words the user reads for each field of the format: a label and a tooltip saying what it
means and its unit (Qt-free; the inspector and the History entries both use them).

Keys are the format's own (``frequency_s``); a label is looked up by the object's name in the
format's tables and the key (``("Replication", "auth")``), then by the key alone.
"""

from __future__ import annotations

from collections.abc import Iterable

#: key -> (label, tooltip)
FIELDS: dict[str, tuple[str, str]] = {
    "name": ("Name", "The name shown on the canvas; for a server, its NetBIOS name."),
    "fqdn": ("FQDN", "Fully qualified DNS name, e.g. hv01.contoso.com."),
    "kind": ("Kind", "Datacenter, branch office, or a hosting provider's cloud."),
    "forest": ("Forest root", "FQDN of the forest root domain; empty: this domain is its own "
                              "forest root."),
    "trusts": ("Trusts", "Domains with a two-way trust to this one (declaring it on either "
                         "side is enough)."),
    "protects": ("Protects", "The sites and servers behind this firewall."),
    "allow_inbound_tcp": ("Inbound TCP ports", "TCP ports the firewall lets in, e.g. 443, 8443."),
    "allow_outbound_tcp": ("Outbound TCP ports", "TCP ports the firewall lets out; \"any\" "
                                                 "allows every port."),
    "sites": ("Sites", "The two sites this WAN link joins."),
    "bandwidth_mbps": ("Bandwidth (Mbps)", "Usable bandwidth of the link, in megabits per "
                                           "second."),
    "latency_ms": ("Latency (ms)", "Round-trip latency in milliseconds; \"none\" if unknown."),
    "os": ("Windows Server", "The Windows Server release the machine runs."),
    "site": ("Site", "The site the machine stands in."),
    "domain": ("Domain", "The Active Directory domain the machine is joined to, or a "
                         "workgroup."),
    "cluster": ("Cluster", "The failover cluster this host is a node of; standalone if none."),
    "replica_server": ("Replica server", "Enabled as a Replica server "
                                         "(Set-VMReplicationServer): accepts replication."),
    "windows_firewall": ("Windows Firewall", "Inbound rules enabled in the machine's Windows "
                                             "Firewall."),
    "certificates": ("Certificates", "Certificates installed for Replica's certificate "
                                     "authentication."),
    "broker": ("Replica Broker", "The cluster's Hyper-V Replica Broker role (needed to "
                                 "replicate to or from a cluster)."),
    "http_listener": ("HTTP listener (80)", "The \"Hyper-V Replica HTTP Listener (TCP-In)\" "
                                            "rule is enabled."),
    "https_listener": ("HTTPS listener (443)", "The \"Hyper-V Replica HTTPS Listener (TCP-In)\" "
                                               "rule is enabled."),
    "custom_ports": ("Custom ports", "Other inbound TCP ports opened for Replica, e.g. 8080."),
    "subjects": ("Subjects", "Subject and alternative names, comma-separated (the machine's "
                             "FQDN; on a node, the broker's too)."),
    "issuer": ("Issuer", "Who issued the certificate (empty: unknown)."),
    "self_signed": ("Self-signed", "Signed by itself rather than by a certificate authority."),
    "expires": ("Expires", "Expiry date, YYYY-MM-DD."),
    "client_auth": ("Client authentication", "Has the Client Authentication usage."),
    "server_auth": ("Server authentication", "Has the Server Authentication usage."),
    "primary": ("Primary server", "The primary server (or wildcard, e.g. *.contoso.com) "
                                  "allowed to replicate here."),
    "storage": ("Storage path", "Where replica files of that primary are kept."),
    "trust_group": ("Trust group", "Primaries in one trust group may fail over among "
                                   "themselves."),
    "kerberos_port": ("Kerberos port", "Listener port for Kerberos (HTTP); 80 by default."),
    "certificate_port": ("Certificate port", "Listener port for certificates (HTTPS); 443 by "
                                             "default."),
    "allow_any_primary": ("Allow any primary", "Accept replication from any authenticated "
                                               "server, stored in the default location."),
    "default_storage": ("Default storage", "Where replicas from any primary are stored."),
    "authorizations": ("Authorization entries", "Primaries allowed to replicate here, each "
                                                "with its storage."),
    "ip": ("IP address", "The broker's static IPv4 address; \"none\" for DHCP."),
    "placement": ("Runs on", "The host or cluster the VM runs on."),
    "generation": ("Generation", "Hyper-V VM generation (1 or 2)."),
    "config_version": ("Configuration version", "VM configuration version, e.g. 9.0; empty: "
                                                "the host's default."),
    "static_ip": ("Static IP", "The guest uses a static IP address (it needs failover IP "
                               "settings)."),
    "integration_services": ("Integration services", "Integration services are installed and "
                                                     "current in the guest."),
    "disks": ("Virtual disks", "The VM's virtual disks; untick Replicate to exclude one."),
    "type": ("Type", "Kind of virtual disk."),
    "role": ("Role", "What the disk holds (OS, data, log, pagefile, temp)."),
    "size_gb": ("Size (GB)", "Provisioned size in gigabytes."),
    "used_gb": ("Used (GB)", "Space used in gigabytes; empty: taken as full."),
    "churn_mb_s": ("Churn (MB/s)", "Rate of writes, 95th percentile, in megabytes per second."),
    "replicate": ("Replicate", "Include the disk in replication."),
    "source": ("Primary server", "The server the VMs run on (replication starts here)."),
    "target": ("Replica server", "The server that receives the replicas."),
    "vms": ("VMs", "The VMs this link replicates."),
    "auth": ("Authentication", "Kerberos (HTTP) or certificate (HTTPS)."),
    "port": ("Port", "The Replica server's listener port; empty: 80 for Kerberos, 443 for "
                     "certificates."),
    "frequency_s": ("Replication frequency", "How often changes are sent: 30 seconds, 5 minutes "
                                             "or 15 minutes."),
    "recovery_points": ("Recovery points", "Additional hourly recovery points kept, 0-24."),
    "vss_hours": ("App-consistent snapshots", "Hours between VSS (app-consistent) recovery "
                                              "points, 1-12; none: crash-consistent only."),
    "compression": ("Compression", "Compress data sent over the network."),
    "initial": ("Initial replication", "How the first copy travels: over the network, at a "
                                       "scheduled time, on external media, or from a backup."),
    "growth": ("Growth headroom", "Expected growth, as a fraction (0.3 = 30 %)."),
    "compression_saving": ("Compression saving", "Share of the traffic compression saves "
                                                 "(0-1)."),
    "utilization_ceiling": ("WAN utilisation ceiling", "Highest share of a WAN link's bandwidth "
                                                       "replication may use (0-1)."),
    "vcpu_per_core": ("vCPUs per core", "Most virtual processors per logical processor a "
                                        "server may run before it is overcommitted (RCV-03)."),
    # format v2: recovery planning
    "subnets": ("Subnets", "IPv4 networks VMs use at this site, in CIDR notation, e.g. "
                           "10.20.0.0/16, comma-separated."),
    "cores": ("Cores", "Logical processors available to VMs; \"unknown\" if not known."),
    "memory_gb": ("Memory (GB)", "Memory available to VMs, after the host's own reserve; "
                                 "\"unknown\" if not known."),
    "storage_gb": ("Replica storage (GB)", "Free space for replica files; \"unknown\" if "
                                           "not known."),
    "switches": ("Virtual switches", "Names of the host's virtual switches, comma-separated."),
    "vcpus": ("vCPUs", "Virtual processors; \"unknown\" if not known."),
    "recovery_group": ("Recovery group", "Start-up group in a failover, 1-9: group 1 starts "
                                         "first; none starts after every numbered group."),
    "depends_on": ("Depends on", "VMs that must be running before this one starts."),
    "failover_ip": ("Failover IP", "IPv4 settings the replica VM takes after a failover "
                                   "(Set-VMNetworkAdapterFailoverConfiguration)."),
    "address": ("Address", "IPv4 address on the replica side, e.g. 10.20.0.15."),
    "prefix_length": ("Prefix length", "Subnet prefix length, 0-32 (24 = 255.255.255.0)."),
    "gateway": ("Gateway", "Default gateway on the replica side; \"none\" if none."),
    "dns": ("DNS servers", "DNS servers on the replica side, in order, comma-separated."),
    "test_switch": ("Test switch", "The replica side's virtual switch a test failover "
                                   "connects to; none: the test VM is not connected."),
    "title": ("Title", "The design's title."),
    "notes": ("Notes", "Free text about the design."),
}

#: Where one key means different things in different objects.
BY_OBJECT: dict[tuple[str, str], tuple[str, str]] = {
    ("ReplicaServer", "auth"): ("Accepts", "Authentication types the Replica server accepts."),
    ("Replication", "name"): ("Name", "An optional name for the link."),
    ("Broker", "name"): ("CAP name", "The broker's client access point (NetBIOS) name."),
    ("Broker", "fqdn"): ("CAP FQDN", "The broker's client access point FQDN."),
    ("VM", "memory_gb"): ("Memory (GB)", "Startup memory in gigabytes; \"unknown\" if not "
                                         "known."),
    ("Cluster", "storage_gb"): ("Replica storage (GB)", "Free space on the cluster's replica "
                                                        "storage (CSV or share)."),
}

#: What an empty optional number means, where "none" would mislead.
NONE_TEXT: dict[tuple[str, str], str] = {
    ("Replication", "port"): "default (80 / 443)",
    ("WanLink", "latency_ms"): "unknown",
    **{(obj, key): "unknown" for obj, key in (
        ("Host", "cores"), ("Host", "memory_gb"), ("Host", "storage_gb"),
        ("Cluster", "storage_gb"), ("VM", "vcpus"), ("VM", "memory_gb"))},
    ("VM", "recovery_group"): "after the numbered groups",
    ("VM", "test_switch"): "not connected",
}

#: What each entity is called where the user reads it.
ENTITY_NAMES: dict[str, str] = {
    "Site": "Site", "Domain": "Domain", "Firewall": "Firewall", "WanLink": "WAN link",
    "Host": "Host", "Cluster": "Cluster", "VM": "VM", "Replication": "Replication",
    "Disk": "Disk", "Node": "Node",
}


#: The order of a table's columns where the format's order would hide what matters most
#: off to the right.
COLUMNS: dict[str, tuple[str, ...]] = {
    "Disk": ("name", "role", "replicate", "size_gb", "churn_mb_s", "used_gb", "type", "id"),
}

#: How enumerated values read where they are not plain words.
VALUES: dict[str, str] = {
    "kerberos": "Kerberos (HTTP)", "certificate": "Certificate (HTTPS)", "vhd_set": "VHD Set",
    "shared_vhdx": "Shared VHDX", "os": "OS", "vhdx": "VHDX", "vhd": "VHD", "2012r2": "2012 R2",
}


def value_label(value: object) -> str:
    text = str(value)
    return VALUES.get(text, text.capitalize())


def label(key: str, obj: str = "") -> str:
    return BY_OBJECT.get((obj, key), FIELDS.get(key, (key.replace("_", " ").capitalize(), "")))[0]


def tooltip(key: str, obj: str = "") -> str:
    return BY_OBJECT.get((obj, key), FIELDS.get(key, ("", "")))[1]


def plural(count: int, noun: str) -> str:
    """A count of things: "1 host", "3 hosts"."""
    return f"{count} {noun}{'s' if count != 1 else ''}"


def labels(keys: Iterable[str], obj: str = "") -> str:
    """Field labels for a History entry: "Replication frequency, Compression"."""
    return ", ".join(label(k, obj) for k in keys)


def _frequency(seconds: int) -> str:
    return f"{seconds} seconds" if seconds < 60 else f"{seconds // 60} minutes"


#: Values Hyper-V offers for a field, as (label, value); a file written by hand may hold
#: another, which the inspector shows as it is (and the rules report).
CHOICES: dict[tuple[str, str], list[tuple[str, int | None]]] = {
    ("Replication", "frequency_s"): [(_frequency(s), s) for s in (30, 300, 900)],
    ("Replication", "recovery_points"): [("latest only" if n == 0 else str(n), n) for n in range(25)],
    ("Replication", "vss_hours"): [("none", None)] + [(f"every {h} h", h) for h in range(1, 13)],
}


def choices(key: str, obj: str, current: object) -> list[tuple[str, object]]:
    """The choices for an enumerated field, with ``current`` added when it is not one of them."""
    offered: list[tuple[str, object]] = list(CHOICES.get((obj, key), []))
    if offered and all(value != current for _, value in offered):
        offered.append((f"{current} (not allowed)", current))
    return offered
