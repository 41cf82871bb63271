"""The things a Hyper-V Replica design is made of, as immutable values.

Field names are the keys of the design file (format v2, ``shared/spec/design-format.md``;
version 2 added the sizes, start-up order and failover networking of recovery planning).
Entities are frozen: the only way to change a design is through :class:`~hvdesigner.model.design.Design`,
which swaps whole values and tells its listeners. A default that the format derives from another
field (a domain's forest, a disk's used size, a replication's port) is stored as ``None`` and
resolved by a property, so editing the field it follows keeps the default in step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

OsVersion: TypeAlias = Literal["2012", "2012r2", "2016", "2019", "2022", "2025"]
#: Windows Server releases in order; comparisons go through :func:`os_rank`.
OS_ORDER: tuple[OsVersion, ...] = ("2012", "2012r2", "2016", "2019", "2022", "2025")
OS_LABELS: dict[str, str] = {
    "2012": "2012", "2012r2": "2012 R2", "2016": "2016", "2019": "2019", "2022": "2022",
    "2025": "2025",
}

SiteKind: TypeAlias = Literal["datacenter", "branch", "cloud"]
AuthType: TypeAlias = Literal["kerberos", "certificate"]
InitialMethod: TypeAlias = Literal["network", "scheduled", "media", "backup"]
DiskType: TypeAlias = Literal["vhdx", "vhd", "passthrough", "shared_vhdx", "vhd_set"]
DiskRole: TypeAlias = Literal["os", "data", "log", "pagefile", "temp"]

#: Listener port Hyper-V uses for each authentication type unless configured otherwise.
DEFAULT_PORTS: dict[str, int] = {"kerberos": 80, "certificate": 443}


def os_rank(os: str) -> int:
    """Position of a Windows Server release in :data:`OS_ORDER` (older is smaller)."""
    return OS_ORDER.index(os)


@dataclass(frozen=True, slots=True)
class Site:
    id: str
    name: str
    kind: SiteKind = "datacenter"
    #: IPv4 networks (CIDR, e.g. ``10.20.0.0/16``) the VMs at this site use.
    subnets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Domain:
    id: str
    name: str
    fqdn: str
    forest: str | None = None
    trusts: tuple[str, ...] = ()

    @property
    def forest_root(self) -> str:
        """The forest root FQDN; a domain that names none is its own forest root."""
        return self.forest if self.forest is not None else self.fqdn


@dataclass(frozen=True, slots=True)
class Firewall:
    id: str
    name: str
    protects: tuple[str, ...] = ()
    allow_inbound_tcp: tuple[int, ...] = ()
    #: ``None`` means every outbound port is allowed.
    allow_outbound_tcp: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class WanLink:
    id: str
    name: str
    sites: tuple[str, str]
    bandwidth_mbps: float
    latency_ms: float | None = None


@dataclass(frozen=True, slots=True)
class WindowsFirewall:
    """Inbound rules enabled on a host; Windows ships both listener rules disabled."""

    http_listener: bool = False
    https_listener: bool = False
    custom_ports: tuple[int, ...] = ()

    def allows(self, port: int) -> bool:
        return (
            port in self.custom_ports
            or (port == 80 and self.http_listener)
            or (port == 443 and self.https_listener)
        )


@dataclass(frozen=True, slots=True)
class Certificate:
    subjects: tuple[str, ...]
    issuer: str = ""
    self_signed: bool = False
    expires: dt.date | None = None
    client_auth: bool = True
    server_auth: bool = True


@dataclass(frozen=True, slots=True)
class Authorization:
    primary: str
    storage: str
    trust_group: str = "DEFAULT"


@dataclass(frozen=True, slots=True)
class ReplicaServer:
    """Settings of ``Set-VMReplicationServer`` on a host or a cluster's broker."""

    auth: tuple[AuthType, ...] = ("kerberos",)
    kerberos_port: int = 80
    certificate_port: int = 443
    allow_any_primary: bool = False
    default_storage: str | None = None
    authorizations: tuple[Authorization, ...] = ()

    @property
    def storage_for_any_primary(self) -> str | None:
        """The default storage, or None when it is unset or blank (RS-03)."""
        storage = self.default_storage
        return storage if storage is not None and storage.strip() else None

    def port_for(self, auth: str) -> int:
        return self.kerberos_port if auth == "kerberos" else self.certificate_port


@dataclass(frozen=True, slots=True)
class Broker:
    """The Hyper-V Replica Broker's client access point."""

    name: str
    fqdn: str
    ip: str | None = None


@dataclass(frozen=True, slots=True)
class Host:
    id: str
    name: str
    fqdn: str
    site: str
    os: OsVersion = "2022"
    domain: str | None = None
    cluster: str | None = None
    replica_server: ReplicaServer | None = None
    windows_firewall: WindowsFirewall = field(default_factory=WindowsFirewall)
    certificates: tuple[Certificate, ...] = ()
    #: Logical processors available to VMs; ``None`` = unknown.
    cores: int | None = None
    #: Memory available to VMs, GB (after the host's own reserve); ``None`` = unknown.
    memory_gb: float | None = None
    #: Free space for replica files on a standalone host, GB (a node's cluster counts).
    storage_gb: float | None = None
    #: Names of the host's virtual switches.
    switches: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    name: str
    fqdn: str
    site: str
    domain: str | None = None
    broker: Broker | None = None
    replica_server: ReplicaServer | None = None
    #: Free space on the cluster's replica storage (CSV or share), GB; ``None`` = unknown.
    storage_gb: float | None = None


@dataclass(frozen=True, slots=True)
class Disk:
    id: str
    name: str
    size_gb: float
    type: DiskType = "vhdx"
    role: DiskRole = "data"
    used_gb: float | None = None
    churn_mb_s: float = 0
    replicate: bool = True

    @property
    def used(self) -> float:
        """Used space in GB; a disk that states none is taken as full."""
        return self.size_gb if self.used_gb is None else self.used_gb


@dataclass(frozen=True, slots=True)
class FailoverIp:
    """The IPv4 settings a VM's network adapter takes on the replica side
    (``Set-VMNetworkAdapterFailoverConfiguration``)."""

    address: str
    prefix_length: int
    gateway: str | None = None
    dns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VM:
    id: str
    name: str
    placement: str
    generation: int = 2
    config_version: str | None = None
    static_ip: bool = False
    integration_services: bool = True
    disks: tuple[Disk, ...] = ()
    vcpus: int | None = None
    #: Startup memory, GB.
    memory_gb: float | None = None
    #: Start-up group in a failover, 1 first; ``None`` starts after every numbered group.
    recovery_group: int | None = None
    #: VMs that must be running before this one starts.
    depends_on: tuple[str, ...] = ()
    failover_ip: FailoverIp | None = None
    #: The replica side's switch a test failover connects to; ``None`` = not connected.
    test_switch: str | None = None


@dataclass(frozen=True, slots=True)
class Replication:
    id: str
    source: str
    target: str
    name: str = ""
    vms: tuple[str, ...] = ()
    auth: AuthType = "kerberos"
    #: ``None`` means the default listener port for :attr:`auth`.
    port: int | None = None
    frequency_s: int = 300
    recovery_points: int = 0
    vss_hours: int | None = None
    compression: bool = True
    initial: InitialMethod = "network"

    @property
    def effective_port(self) -> int:
        return DEFAULT_PORTS[self.auth] if self.port is None else self.port


@dataclass(frozen=True, slots=True)
class Suppression:
    rule: str
    subject: str
    reason: str


@dataclass(frozen=True, slots=True)
class Assumptions:
    """Sizing assumptions: growth headroom, compression saving, WAN utilisation ceiling, and
    the most virtual processors per logical processor before RCV-03 warns."""

    growth: float = 0.3
    compression_saving: float = 0.0
    utilization_ceiling: float = 0.8
    vcpu_per_core: float = 8


Server: TypeAlias = Host | Cluster
Entity: TypeAlias = Site | Domain | Firewall | WanLink | Host | Cluster | VM | Replication
#: Entity classes by the design file's top-level list that holds them, in file order.
COLLECTIONS: dict[str, type] = {
    "sites": Site,
    "domains": Domain,
    "firewalls": Firewall,
    "wan_links": WanLink,
    "hosts": Host,
    "clusters": Cluster,
    "vms": VM,
    "replications": Replication,
}
