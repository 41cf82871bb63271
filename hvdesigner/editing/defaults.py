"""Names and defaults of new things, and values that follow another field (Qt-free).

What a new host, cluster node, VM, disk, certificate, authorization entry, broker or Replica
server starts as, and how a field that was still a default follows the field it derives from
(a port its authentication, an FQDN the name or the domain), decided once for every way an
edit is made. The loader's verdict on a value (``validate``) lives here too: no value it would
refuse reaches the model.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from hvdesigner.editing import vocabulary
from hvdesigner.fileformat.problems import Problems
from hvdesigner.model.derived import (
    authorization_matches,
    endpoint,
    identity,
    needed_certificate_names,
    switch_names,
    vm_links,
)
from hvdesigner.model.design import Design
from hvdesigner.model.entities import (
    DEFAULT_PORTS,
    Authorization,
    AuthType,
    Broker,
    Certificate,
    Cluster,
    Disk,
    FailoverIp,
    Host,
    ReplicaServer,
    Replication,
)


def unique_name(taken: Iterable[str], base: str) -> str:
    """``base``, or ``base 2``, ``base 3``... compared case-insensitively."""
    used = {t.casefold() for t in taken}
    if base.casefold() not in used:
        return base
    n = 2
    while f"{base} {n}".casefold() in used:
        n += 1
    return f"{base} {n}"


def numbered(design: Design, prefix: str, names: Iterable[str]) -> tuple[str, int]:
    """A new id ``prefix<n>`` and its number, skipping numbers whose default name is taken."""
    used = {n.casefold() for n in names}
    n = int(design.new_id(prefix)[len(prefix):])
    while f"{prefix}{n}".casefold() in used or f"{prefix}{n}" in design:
        n += 1
    return f"{prefix}{n}", n


def server_names(design: Design) -> list[str]:
    """NetBIOS names in use by hosts and clusters."""
    return [h.name for h in design.hosts.values()] + [c.name for c in design.clusters.values()]


def common_domain(design: Design, site_id: str) -> str | None:
    domains = [design.get(s).domain for s in design.servers_in_site(site_id) if design.get(s).domain]
    return Counter(domains).most_common(1)[0][0] if domains else None


def dns_suffix(design: Design, domain: str | None) -> str:
    return design.domains[domain].fqdn if domain else "example.local"


def new_disk(vm_id: str, rows: tuple[Disk, ...], design: Design | None = None) -> Disk:
    """A data disk for a VM's disk table; its id is free in the design and the table."""
    taken = {d.id for d in rows}
    n = len(rows) + 1
    while f"{vm_id}-disk{n}" in taken or (design is not None and f"{vm_id}-disk{n}" in design):
        n += 1
    return Disk(f"{vm_id}-disk{n}", f"disk{n}.vhdx", 100)


def new_certificate(design: Design, host_id: str) -> Certificate:
    """A certificate for a machine: its subjects are the names its partners will ask for
    (the machine's FQDN and, on a node, its broker's)."""
    return Certificate(tuple(needed_certificate_names(design, host_id)))


def _primaries(design: Design, server_id: str) -> list[str]:
    """The names the primaries replicating to a server are known by (hosts' FQDNs, brokers')."""
    names = []
    for rep_id in sorted(design.replications_at(server_id)):
        rep = design.replications[rep_id]
        name = identity(design, rep.source) if rep.target == server_id else None
        if name is not None and name not in names:
            names.append(name)
    return names


def new_authorization(design: Design, server_id: str,
                      existing: Iterable[Authorization] = ()) -> Authorization:
    """An authorization entry for the first primary replicating here that none of
    ``existing`` lets in, else for every server in this server's DNS domain; stored on the
    cluster's shared volume or the host's data drive."""
    existing = list(existing)
    server = design.get(server_id)
    storage = ("C:\\ClusterStorage\\Volume1\\Hyper-V Replica" if isinstance(server, Cluster)
               else "D:\\Hyper-V Replica")
    for primary in _primaries(design, server_id):
        if not any(authorization_matches(a.primary, primary) for a in existing):
            return Authorization(primary, storage)
    suffix = server.fqdn.partition(".")[2] or "example.com"
    return Authorization(f"*.{suffix}", storage)


def new_replica_server(design: Design, server_id: str) -> ReplicaServer:
    """Replica server settings that accept what is drawn to the server: the authentication
    its incoming links use, and an authorization entry for each of their primaries."""
    incoming = [design.replications[r] for r in design.replications_at(server_id)
                if design.replications[r].target == server_id]
    auth: tuple[AuthType, ...] = tuple(sorted({r.auth for r in incoming})) or ("kerberos",)
    entries: list[Authorization] = []
    for _ in _primaries(design, server_id):
        entries.append(new_authorization(design, server_id, entries))
    return ReplicaServer(auth=auth, authorizations=tuple(entries))


def new_settings(design: Design, owner_id: str, key: str) -> Any | None:
    """The group of settings a field switched on starts with, made for its owner (a
    cluster's broker, a server's Replica settings, a VM's failover address); None for a
    field with no such defaults (its kind's own then)."""
    if key == "broker":
        return new_broker(design.get(owner_id))
    if key == "replica_server":
        return new_replica_server(design, owner_id)
    if key == "failover_ip":
        return new_failover_ip(design, owner_id)
    return None


def new_broker(cluster: Cluster) -> Broker:
    """A broker named after its cluster (NetBIOS: at most 15 characters), in its DNS suffix."""
    name = f"{cluster.name[:12]}-RB"
    suffix = cluster.fqdn.partition(".")[2]
    return Broker(name, f"{name.lower()}.{suffix}" if suffix else name.lower())


def recovery_server(design: Design, vm_id: str) -> str | None:
    """The server a VM recovers on when its site is lost: its primary link's target (a node
    counts as its cluster), as the format's site-loss scenarios have it."""
    links = vm_links(design, vm_id)
    return endpoint(design, design.replications[links.primary[0]].target) if links.primary else None


def replica_switches(design: Design, vm_id: str) -> list[str]:
    """The virtual switches of the server a VM recovers on (a cluster's: the names every node
    has), for its test switch."""
    server_id = recovery_server(design, vm_id)
    return (switch_names(design, server_id) or []) if server_id is not None else []


def new_failover_ip(design: Design, vm_id: str) -> FailoverIp:
    """Failover settings to start from, in the site the VM recovers to: in the subnet where
    most other VMs' failover addresses are (else its first), the next free address from the
    tenth up, with the gateway and DNS servers those neighbours use (else the network's first
    address as gateway)."""
    server_id = recovery_server(design, vm_id)
    subnets = design.sites[design.get(server_id).site].subnets if server_id is not None else ()
    others = [vm.failover_ip for vm in design.vms.values()
              if vm.id != vm_id and vm.failover_ip is not None]
    networks = [ipaddress.IPv4Network(s) for s in subnets or ("192.168.0.0/24",)]
    neighbours = {n: [ip for ip in others if ipaddress.IPv4Address(ip.address) in n]
                  for n in networks}
    network = max(networks, key=lambda n: len(neighbours[n]))  # (ties: the first listed)
    gateways = Counter(ip.gateway for ip in neighbours[network] if ip.gateway is not None)
    servers = Counter(ip.dns for ip in neighbours[network] if ip.dns)
    gateway = gateways.most_common(1)[0][0] if gateways else str(next(network.hosts(), network[0]))
    dns = servers.most_common(1)[0][0] if servers else ()
    taken = {ip.address for ip in others} | {gateway, *dns}
    hosts = [str(a) for a in itertools.islice(network.hosts(), 4096)]
    # (from the tenth address up: the first ones are usually the routers' and servers')
    free = (a for a in hosts[9:] + hosts[:9] if a not in taken)
    return FailoverIp(next(free, hosts[0]), network.prefixlen, gateway, dns)


def follow_defaults(before: Any, after: Any) -> Any:
    """Values that follow another field when they were still its default: a replication's
    port follows its authentication (switching to Kerberos means port 80 unless a custom
    port was set); a server's FQDN follows its name (HV1 renamed SEA-HV01: hv1.corp.com
    becomes sea-hv01.corp.com, unless the FQDN was typed apart from the name)."""
    if (isinstance(before, Replication) and isinstance(after, Replication)
            and before.auth != after.auth and before.port == after.port
            and before.effective_port == DEFAULT_PORTS[before.auth]):
        return dataclasses.replace(after, port=None)
    if (isinstance(before, (Host, Cluster)) and type(after) is type(before)
            and before.name != after.name and before.fqdn == after.fqdn):
        first, dot, suffix = before.fqdn.partition(".")
        label = _dns_label(after.name)
        if _follows(first.casefold(), before.name) and label:
            return dataclasses.replace(after, fqdn=f"{label}{dot}{suffix}")
    return after


def _dns_label(name: str) -> str:
    """A name as the first label of a DNS name: its letters and digits (Windows DNS takes
    other scripts' too: "Zürich", "東京01"), each run of other characters one hyphen, at most
    63 characters; empty when none is left. (A host renamed "<b>HV3</b> & Co" had
    "<b>hv3</b>-&-co" as its FQDN's first label.)"""
    return re.sub(r"[\W_]+", "-", name.casefold()).strip("-")[:63].rstrip("-")


def _follows(label: str, name: str) -> bool:
    """Whether an FQDN's first label is still the one its server's name gives: as names
    give it now, as they gave it before (spaces as hyphens, the rest kept: "hv_01"), or any
    when the name gives none (a name retyped from its first character: "(" kept the FQDN,
    which "(D" must then carry on)."""
    made = _dns_label(name)
    return not made or label in (made, "-".join(name.casefold().split()))


def validate(kind: Any, value: Any) -> str | None:
    """The file loader's verdict on a value: None when it is fine, else what is wrong, at
    the field the user knows ("Allowed inbound ports, item 2: …", not the file's
    "/allow_inbound_tcp/1: …"). A value the loader would refuse never reaches the model."""
    problems = Problems()
    kind.load(kind.dump(value), "", problems)
    if not problems:
        return None
    where = ", ".join(f"item {int(step) + 1}" if step.isdigit() else vocabulary.label(step)
                      for step in problems[0].path.split("/")[1:])
    return f"{where}: {problems[0].message}" if where else problems[0].message


def resuffixed(fqdn: str, old: str, new: str) -> str:
    first, _, suffix = fqdn.partition(".")
    return f"{first}.{new}" if suffix.casefold() == old.casefold() else fqdn
