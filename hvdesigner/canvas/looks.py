"""What each canvas item shows, computed from the design (Qt-free).

Items hold their id and one of these looks; the scene recomputes a look when the model says
something it shows has changed. Keeping this apart from painting makes it testable without a
display and keeps items ignorant of the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hvdesigner.capacity.bandwidth import replication_mbps
from hvdesigner.model.derived import Reader, is_cross_site, replica_settings, vms_extended_on
from hvdesigner.model.design import Design
from hvdesigner.model.entities import OS_LABELS, Cluster, Host, Replication


@dataclass(frozen=True)
class VmLook:
    id: str
    name: str
    disks: int
    excluded: int


@dataclass(frozen=True)
class NodeLook:
    id: str
    name: str
    os: str


@dataclass(frozen=True)
class ServerLook:
    kind: str  # "host" or "cluster"
    name: str
    os: str
    domain: str | None  # short name, None for a workgroup
    domain_index: int | None
    replica: bool
    listeners: tuple[str, ...]
    vms: tuple[VmLook, ...]
    nodes: tuple[NodeLook, ...] = ()
    broker: str | None = None


@dataclass(frozen=True)
class SiteLook:
    name: str
    kind: str


def every(frequency_s: int) -> str:
    """A replication frequency as people say it: "30 s", "5 min"."""
    return f"{frequency_s // 60} min" if frequency_s % 60 == 0 else f"{frequency_s} s"


def auth_name(auth: str) -> str:
    return "certificate" if auth == "certificate" else "Kerberos"


def recovery_points(count: int) -> str:
    """Additional recovery points kept; none means only the latest."""
    return str(count) if count else "latest only"


def app_consistent(hours: int | None) -> str:
    return f"every {hours} h" if hours else "none"


@dataclass(frozen=True)
class LinkLook:
    auth: str
    port: int
    frequency_s: int
    vm_count: int
    mbps: float
    cross_site: bool
    extended: bool
    name: str = ""

    @property
    def unencrypted_across_sites(self) -> bool:
        return self.auth == "kerberos" and self.cross_site

    @property
    def transport(self) -> str:
        """"HTTPS 443" for certificate authentication, "HTTP 80" for Kerberos."""
        return f"{'HTTPS' if self.auth == 'certificate' else 'HTTP'} {self.port}"

    @property
    def label(self) -> str:
        vms = f"{self.vm_count} VM{'s' if self.vm_count != 1 else ''}"
        parts = [self.transport, every(self.frequency_s), vms]
        if self.mbps:
            parts.append(f"{self.mbps:.1f} Mbps")
        return " · ".join(parts)

    @property
    def text(self) -> str:
        """What the link's label says: the label, tagged "EXT" on an extended (third-tier)
        link."""
        return ("EXT · " if self.extended else "") + self.label


@dataclass(frozen=True)
class WanLook:
    name: str
    bandwidth_mbps: float
    load_mbps: float

    @property
    def label(self) -> str:
        share = f" · {self.load_mbps / self.bandwidth_mbps:.0%}" if self.bandwidth_mbps else ""
        return f"{self.name} · {self.bandwidth_mbps:g} Mbps{share}"


@dataclass(frozen=True)
class FirewallLook:
    name: str
    inbound: tuple[int, ...]
    protects: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """"FW1 · Inbound: 443, 80", or "Inbound: none" when it lets nothing in."""
        ports = ", ".join(str(p) for p in self.inbound) or "none"
        return f"{self.name} · Inbound: {ports}"


def domain_order(design: Design) -> list[str]:
    """Domains in a stable order, which fixes their chip colours."""
    return sorted(design.domains)


def server_look(design: Design, server_id: str) -> ServerLook:
    server = design.get(server_id)
    domains = domain_order(design)
    domain = design.domains[server.domain].name if server.domain else None
    index = domains.index(server.domain) if server.domain else None
    vms = tuple(
        VmLook(vm.id, vm.name, len(vm.disks), sum(not d.replicate for d in vm.disks))
        for vm in sorted((design.vms[v] for v in design.vms_on(server_id)), key=lambda v: v.name)
    )
    settings = replica_settings(design, server_id)
    if isinstance(server, Cluster):
        nodes = tuple(NodeLook(h.id, h.name, OS_LABELS[h.os]) for h in
                      sorted((design.hosts[n] for n in design.nodes_of(server_id)), key=lambda h: h.name))
        node_vms = tuple(v for n in nodes for v in server_look(design, n.id).vms)
        oldest = min((design.hosts[n.id].os for n in nodes), default=None, key=lambda o: list(OS_LABELS).index(o))
        listeners = _listeners([design.hosts[n.id] for n in nodes])
        return ServerLook("cluster", server.name, OS_LABELS[oldest] if oldest else "no nodes",
                          domain, index, settings is not None, listeners, vms + node_vms, nodes,
                          server.broker.name if server.broker else None)
    host: Host = server
    return ServerLook("host", host.name, OS_LABELS[host.os], domain, index, settings is not None,
                      _listeners([host]), vms)


def _listeners(hosts: list[Host]) -> tuple[str, ...]:
    """Listener pips shown when every machine has the rule enabled."""
    if not hosts:
        return ()
    pips = []
    if all(h.windows_firewall.http_listener for h in hosts):
        pips.append("80")
    if all(h.windows_firewall.https_listener for h in hosts):
        pips.append("443")
    return tuple(pips)


def link_look(design: Design, rep_id: str, reader: Reader | None = None) -> LinkLook:
    """A link's look; ``reader`` may carry a memo shared by a batch of looks (see
    ``derived.per_pass``), so that VM links are worked out once, not once per link."""
    r = reader or design
    rep: Replication = design.replications[rep_id]
    return LinkLook(rep.auth, rep.effective_port, rep.frequency_s, len(rep.vms),
                    replication_mbps(r, rep_id), is_cross_site(r, rep),
                    bool(vms_extended_on(r, rep)), rep.name)


def site_look(design: Design, site_id: str) -> SiteLook:
    site = design.sites[site_id]
    return SiteLook(site.name, site.kind)
