"""Derived facts about a design, computed in this one place.

The rules, the canvas and the exporters all ask the same questions: which machines send and
receive for a server, which replication is a VM's primary or extended link, whether two domains
trust each other, which firewalls and WAN link a replication passes. The answers follow the
definitions of the design format and the rule catalog, and every choice where those documents
leave room is made here and said so.

Functions take a :class:`Reader` (the :class:`~hvdesigner.model.design.Design` itself, or the
rule engine's dependency-recording wrapper around it), so live checking sees exactly what the
rules read.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Set
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from hvdesigner.model.entities import (
    Assumptions,
    Cluster,
    Domain,
    Firewall,
    Host,
    ReplicaServer,
    Replication,
    os_rank,
)

if TYPE_CHECKING:
    from hvdesigner.model.design import Design

F = TypeVar("F", bound=Callable[..., Any])


def per_pass(fn: F) -> F:
    """Compute a derived fact of one id once per checking pass.

    A reader that carries a ``memo`` dict (the rule engine's, cleared before every pass, while
    the design holds still) gets the stored answer, and the reads that produced it are replayed
    into its own record, so dependency tracking stays exact. Other readers compute directly.
    The memo keeps a table per fact, keyed by the id alone: hundreds of thousands of lookups a
    pass, cheaper without a (fact, id) tuple to build and hash for each. A reader that records
    nothing (:class:`PlainReader`'s ``facts``) keeps the bare answers, with no reads to replay:
    the one-shot check asks 340,000 facts at 5,000 hosts.
    """

    @functools.wraps(fn)
    def wrapper(r: Any, id: str) -> Any:
        facts = getattr(r, "facts", None)
        if facts is not None:  # (a PlainReader with a memo: nothing recorded, nothing to replay)
            table = facts[fn]
            answer = table.get(id, _UNSET)
            if answer is _UNSET:
                answer = table[id] = fn(r, id)
            return answer
        memo = getattr(r, "memo", None)
        if memo is None:
            return fn(r, id)
        table = memo.get(fn)
        if table is None:
            table = memo[fn] = {}
        hit = table.get(id)
        if hit is None:  # (a reader that records: the fact's own reads, to replay)
            sub = r.fork()
            # (a tuple: the memo of a large design holds 50k of these for a whole pass,
            # 20 MB as sets, a quarter of that as tuples)
            hit = table[id] = (fn(sub, id), tuple(sub.reads))
        r.reads.update(hit[1])
        return hit[0]

    return wrapper  # type: ignore[return-value]


_UNSET = object()


#: The memo's key for a plain reader's derived facts of one pass: a table per fact.
_FACTS = object()


class Reader(Protocol):
    """What derived facts and rules may read of a design."""

    @property
    def assumptions(self) -> Assumptions: ...

    def get(self, id: str) -> Any: ...
    def replications_listing(self, vm_id: str) -> Set[str]: ...
    def replications_at(self, server_id: str) -> Set[str]: ...
    def replications_between(self, site_a: str, site_b: str) -> Set[str]: ...
    def nodes_of(self, cluster_id: str) -> Set[str]: ...
    def servers_in_site(self, site_id: str) -> Set[str]: ...
    def vms_on(self, server_id: str) -> Set[str]: ...
    def firewalls_protecting(self, id: str) -> Set[str]: ...
    def wan_link_between(self, site_a: str, site_b: str) -> str | None: ...
    def name_users(self, domain: str | None, name: str) -> Set[str]: ...


# ---------------------------------------------------------------- servers and machines
def is_node(r: Reader, server_id: str) -> bool:
    server = r.get(server_id)
    return isinstance(server, Host) and server.cluster is not None


def endpoint(r: Reader, server_id: str) -> str:
    """The server a replication to or from here is classified by: a node host counts as its
    cluster (format: "counts as placed on the node's cluster when links are classified")."""
    server = r.get(server_id)
    if isinstance(server, Host) and server.cluster is not None:
        return server.cluster
    return server_id


def server_os(r: Reader, server_id: str) -> str | None:
    """A host's OS; a cluster's is its oldest node's, None for a cluster without nodes."""
    server = r.get(server_id)
    if isinstance(server, Host):
        return server.os  # (not per_pass: remembering it would cost more than reading it)
    return _cluster_os(r, server_id)


@per_pass
def _cluster_os(r: Reader, cluster_id: str) -> str | None:
    versions = [r.get(n).os for n in r.nodes_of(cluster_id)]
    return min(versions, key=os_rank) if versions else None


def machines(r: Reader, server_id: str) -> list[str]:
    """The hosts that send and receive for a server: a cluster's nodes, or the host itself."""
    if isinstance(r.get(server_id), Cluster):
        return sorted(r.nodes_of(server_id))
    return [server_id]


def closed_machines(r: Reader, server_id: str, port: int) -> list[Host]:
    """The machines receiving for a server whose Windows Firewall blocks inbound TCP ``port``."""
    server = r.get(server_id)
    if isinstance(server, Host):  # (a host is its own one machine: most servers, FW-01, FBK-03)
        return [] if server.windows_firewall.allows(port) else [server]
    hosts: list[Host] = [r.get(h) for h in machines(r, server_id)]
    return [host for host in hosts if not host.windows_firewall.allows(port)]


def switch_names(r: Reader, server_id: str) -> list[str] | None:
    """A server's virtual switches: a host's own; a cluster's, the names every node has
    (format v2), compared without case as Windows does, spelled as its first node spells
    them. None when a machine of the server lists none: unknown, not "none" (one node whose
    switches are not entered yet says nothing about the cluster's)."""
    lists = [r.get(h).switches for h in machines(r, server_id)]
    if not lists or not all(lists):
        return None
    others = [{s.casefold() for s in names} for names in lists[1:]]
    return [s for s in lists[0] if all(s.casefold() in names for names in others)]


@per_pass
def virtual_switches(r: Reader, server_id: str) -> frozenset[str] | None:
    """:func:`switch_names`, casefolded, to look a name up in (once a pass: every VM
    replicating to the server looks its test switch up in them)."""
    names = switch_names(r, server_id)
    return None if names is None else frozenset(s.casefold() for s in names)


def replica_settings(r: Reader, server_id: str) -> ReplicaServer | None:
    """A server's Replica settings; a node uses its cluster's."""
    server = r.get(server_id)
    if isinstance(server, Host) and server.cluster is not None:
        return r.get(server.cluster).replica_server  # type: ignore[no-any-return]
    return server.replica_server  # type: ignore[no-any-return]


def identity(r: Reader, server_id: str) -> str | None:
    """The name a server is known by to its replication partners: a host's FQDN, a cluster's
    broker FQDN (None for a cluster without a broker)."""
    server = r.get(server_id)
    if isinstance(server, Host):
        return server.fqdn
    return server.broker.fqdn if server.broker is not None else None


def needed_certificate_names(r: Reader, host_id: str) -> list[str]:
    """DNS names a machine's certificates must cover: its FQDN, and on a node its broker's."""
    host: Host = r.get(host_id)
    names = [host.fqdn]
    if host.cluster is not None:
        broker = r.get(host.cluster).broker
        if broker is not None and broker.fqdn.casefold() != host.fqdn.casefold():
            names.append(broker.fqdn)
    return names


def server_label(r: Reader, server_id: str) -> str:
    return f'{"cluster" if isinstance(r.get(server_id), Cluster) else "host"} {r.get(server_id).name}'


def replication_label(r: Reader, rep: Replication) -> str:
    """How messages name a replication: its name, else "SOURCE → TARGET"."""
    route = f"{r.get(rep.source).name} → {r.get(rep.target).name}"
    return f"replication {rep.name} ({route})" if rep.name else f"replication {route}"


# ---------------------------------------------------------------- VMs and their links
class VmLinks(NamedTuple):
    primary: tuple[str, ...]
    extended: tuple[str, ...]


@per_pass
def vm_links(r: Reader, vm_id: str) -> VmLinks:
    """A VM's primary links (listing it, from where it runs) and extended links (listing it,
    from a primary link's target). A primary link is never also counted as extended."""
    listing = r.replications_listing(vm_id)
    if not listing:  # (a VM on no link: where it runs says nothing)
        return _NO_LINKS
    home = endpoint(r, r.get(vm_id).placement)
    if len(listing) == 1:  # (nearly every other VM: one link, no extended link)
        rid = next(iter(listing))
        return VmLinks((rid,), ()) if r.get(rid).source == home else _NO_LINKS
    # (one pass over the links, by id: those from home, then those from a replica side)
    primary: list[str] = []
    others: list[tuple[str, str]] = []
    replica_sides: set[str] = set()
    for rid in sorted(listing):
        rep: Replication = r.get(rid)
        if rep.source == home:
            primary.append(rid)
            replica_sides.add(rep.target)
        else:
            others.append((rid, rep.source))
    extended = tuple(rid for rid, source in others if source in replica_sides)
    return VmLinks(tuple(primary), extended)


_NO_LINKS = VmLinks((), ())


def vms_extended_on(r: Reader, rep: Replication) -> list[str]:
    """The VMs a replication is an extended link of."""
    return [vm for vm in rep.vms if rep.id in vm_links(r, vm).extended]


# ---------------------------------------------------------------- domains and sites
def mutually_trusted(r: Reader, domain_a: str | None, domain_b: str | None) -> bool:
    """Same domain, same forest, or a two-way trust declared on either side. A workgroup
    (None) trusts nobody, itself included."""
    if domain_a is None or domain_b is None:
        return False
    if domain_a == domain_b:
        return True
    a: Domain = r.get(domain_a)
    b: Domain = r.get(domain_b)
    return (
        a.forest_root.casefold() == b.forest_root.casefold()
        or domain_b in a.trusts
        or domain_a in b.trusts
    )


def is_cross_site(r: Reader, rep: Replication) -> bool:
    return bool(r.get(rep.source).site != r.get(rep.target).site)


def wan_link_of(r: Reader, rep: Replication) -> str | None:
    """The WAN link a cross-site replication uses (no multi-hop routing in v1)."""
    source_site, target_site = r.get(rep.source).site, r.get(rep.target).site
    if source_site == target_site:
        return None
    return r.wan_link_between(source_site, target_site)


# ---------------------------------------------------------------- firewalls
@per_pass
def firewalls_behind(r: Reader, server_id: str) -> frozenset[str]:
    """Firewalls a server is behind: listing it or its site; a node also behind its cluster's."""
    server = r.get(server_id)
    found = set(r.firewalls_protecting(server_id)) | set(r.firewalls_protecting(server.site))
    if isinstance(server, Host) and server.cluster is not None:
        found |= r.firewalls_protecting(server.cluster)
    return frozenset(found)


class Crossing(NamedTuple):
    firewall: Firewall
    direction: str  # "inbound" or "outbound"


def firewalls_passed(r: Reader, rep: Replication, reverse: bool = False) -> list[Crossing]:
    """Firewalls replication traffic (source → target; target → source for failback when
    ``reverse``) passes, sorted by id."""
    inbound, outbound = _firewall_ids_passed(r, rep, reverse)
    crossings = [Crossing(r.get(f), "inbound") for f in inbound]
    crossings += [Crossing(r.get(f), "outbound") for f in outbound]
    return sorted(crossings, key=lambda c: c.firewall.id)


def blocking_firewalls(r: Reader, rep: Replication, reverse: bool = False) -> list[Crossing]:
    """The firewalls passed (see :func:`firewalls_passed`) that block the replication's port:
    inbound, unless they list it; outbound, when they list allowed ports and not it."""
    inbound, outbound = _firewall_ids_passed(r, rep, reverse)
    if not (inbound or outbound):  # (most links)
        return []
    port = rep.effective_port
    # (a Crossing only for a firewall that blocks: most of the 25,000 crossings of a 5,000-host
    # design let the port through)
    crossings = [Crossing(fw, "inbound") for f in inbound
                 if port not in (fw := r.get(f)).allow_inbound_tcp]
    crossings += [Crossing(fw, "outbound") for f in outbound
                  if (allowed := (fw := r.get(f)).allow_outbound_tcp) is not None
                  and port not in allowed]
    return sorted(crossings, key=lambda c: c.firewall.id)


def _firewall_ids_passed(r: Reader, rep: Replication,
                         reverse: bool) -> tuple[frozenset[str], frozenset[str]]:
    """The ids of the firewalls the traffic passes inbound, and outbound."""
    sender, receiver = (rep.target, rep.source) if reverse else (rep.source, rep.target)
    at_sender = firewalls_behind(r, sender)
    at_receiver = firewalls_behind(r, receiver)
    if at_sender == at_receiver:  # (most links: behind the same firewalls, or none, at both ends)
        return _NO_FIREWALLS
    return at_receiver - at_sender, at_sender - at_receiver


_NO_FIREWALLS: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


# ---------------------------------------------------------------- name matching
def certificate_covers(subject: str, name: str) -> bool:
    """A certificate subject covers a DNS name: equal, or ``*.suffix`` for exactly one more
    label; case-insensitive."""
    subject, name = subject.casefold(), name.casefold()
    if subject.startswith("*."):
        label, _, rest = name.partition(".")
        return bool(label) and rest == subject[2:]
    return subject == name


def authorization_matches(primary: str, name: str) -> bool:
    """An authorization entry's ``primary`` admits a server name: equal, or ``*.suffix``
    for any name ending in ``.suffix`` (any depth); case-insensitive."""
    primary, name = primary.casefold(), name.casefold()
    if primary.startswith("*."):
        return name.endswith(primary[1:])
    return primary == name


def admits(settings: ReplicaServer, primary_identity: str | None) -> bool:
    """A Replica server accepts replication from a primary known by this name: it accepts
    any primary, or one of its authorization entries matches. A primary without a name (a
    cluster without a broker) is not judged here: BRK-01 covers it."""
    if settings.allow_any_primary or primary_identity is None:
        return True
    for entry in settings.authorizations:  # (a loop, not any(): RS-02 and FBK-02, 24,000 asks)
        if authorization_matches(entry.primary, primary_identity):
            return True
    return False


def listener_mismatch(settings: ReplicaServer, rep: Replication) -> tuple[bool, int] | None:
    """How a Replica server's listener refuses a replication's traffic: None when it accepts
    the replication's auth on the replication's port, else (whether it accepts the auth at
    all, the port it listens on for that auth)."""
    accepted, expected = rep.auth in settings.auth, settings.port_for(rep.auth)
    if accepted and rep.effective_port == expected:
        return None
    return accepted, expected


def replica_storage_for(settings: ReplicaServer, primary_identity: str | None) -> str | None:
    """Where a Replica server stores a primary's replicas: the first exact authorization
    match, else the first wildcard match, else the default storage when any primary is
    allowed; None when nothing applies."""
    if primary_identity is not None:
        entries = [a for a in settings.authorizations if authorization_matches(a.primary, primary_identity)]
        exact = [a for a in entries if not a.primary.startswith("*.")]
        if exact or entries:
            return (exact or entries)[0].storage
    if settings.allow_any_primary:
        return settings.storage_for_any_primary
    return None


_SHARED_PATH = re.compile(r"^(?:[A-Za-z]:\\ClusterStorage\\|\\\\)", re.IGNORECASE)


def is_shared_path(path: str) -> bool:
    """A path every cluster node reaches: a Cluster Shared Volume or a UNC share."""
    return _SHARED_PATH.match(path) is not None


# ---------------------------------------------------------------- a reader with a memo
class _NoReads:
    """Where a :class:`PlainReader` "records" reads: nowhere."""

    def add(self, key: Hashable) -> None:
        pass

    def __ior__(self, other: object) -> _NoReads:
        return self


class _Answers(dict[str, Set[str]]):
    """An index's answers by key, each asked of the design the first time only."""

    __slots__ = ("_ask",)

    def __init__(self, ask: Callable[[str], Set[str]]) -> None:
        super().__init__()
        self._ask = ask

    def __missing__(self, key: str) -> Set[str]:
        answer = self[key] = self._ask(key)
        return answer


class PlainReader:
    """A reader straight onto a design that records nothing, with a per-pass ``memo``: the
    one-shot check's (the same interface as ``rules.dependencies.TrackingReader``), and what
    the capacity figures, the canvas looks and the exports read a design through."""

    def __init__(self, design: Design, as_of: dt.date, memo: dict[Any, Any] | None = None,
                 whole_pass: bool = False) -> None:
        self._design = design
        self.as_of = as_of
        self.memo = memo
        # (the derived facts' answers, in the memo: they live as long as it does; a key of
        # their own, since a recording reader's memo holds each answer with its reads)
        self.facts = None if memo is None else memo.setdefault(_FACTS, defaultdict(dict))
        self.reads = _NoReads()
        # Checks only ever get entities by id (never disks, which live in their VM), so the
        # mapping's own C-level lookup will do: the hottest call of a full check (1.6 million
        # at 5,000 hosts). For a ``whole_pass`` over the design (a one-shot check, while the
        # design holds still), from a copy of the mapping: a dict's lookup is twice as quick
        # as its read-only view's, and the copy (1 ms at 5,000 hosts) would be most of what
        # a reader made after an edit costs (the canvas's, the capacity figures').
        entities = design.entities_by_id()
        self.get = (dict(entities) if whole_pass else entities).__getitem__
        # The index asked most (a dozen times by each VM's unit: 200,000 times at 5,000 hosts)
        # answered from a table of this pass, without a Python call once asked; only with a
        # memo, whose life (while the design holds still) the table shares.
        self.replications_listing = (design.replications_listing if memo is None
                                     else _Answers(design.replications_listing).__getitem__)
        self.replications_at = design.replications_at
        self.replications_between = design.replications_between
        self.nodes_of = design.nodes_of
        self.servers_in_site = design.servers_in_site
        self.vms_on = design.vms_on
        self.firewalls_protecting = design.firewalls_protecting
        self.wan_link_between = design.wan_link_between
        self.name_users = design.name_users

    @property
    def assumptions(self) -> Assumptions:
        return self._design.assumptions
