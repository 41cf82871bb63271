"""What a check read, and which of those reads an edit invalidates.

Checks read the design through a :class:`TrackingReader`, which notes a *key* for every read:
an entity id, or an index query such as ``("listing", vm_id)``. :func:`keys_of` gives, for an
entity value, every key whose answer that value takes part in. An edit invalidates the keys of
the entity before and after it, so a check is re-run exactly when something it read may have
changed. The two halves below must stay in step: each index query's key is built from the same
fields that :func:`keys_of` uses for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Set
from typing import Any, Generic, TypeVar

from hvdesigner.model.derived import PlainReader
from hvdesigner.model.design import Change, Design
from hvdesigner.model.entities import (
    VM,
    Assumptions,
    Cluster,
    Firewall,
    Host,
    Replication,
    WanLink,
)

ASSUMPTIONS = ("assumptions",)
__all__ = ["ASSUMPTIONS", "PlainReader", "Readers", "TrackingReader", "between_keys", "keys_of"]


class TrackingReader:
    """The :class:`~hvdesigner.model.derived.Reader` interface over a Design, recording keys."""

    __slots__ = ("_design", "_entities", "reads", "as_of", "memo")

    def __init__(self, design: Design, as_of: dt.date, memo: dict[Any, Any] | None = None) -> None:
        self._design = design
        self._entities = design.entities_by_id()  # the hot path of get(), read-only
        self.reads: set[Hashable] = set()
        self.as_of = as_of
        #: derived facts of the current pass (see ``derived.per_pass``)
        self.memo = memo

    def fork(self) -> TrackingReader:
        """A reader for one derived fact: same design, date and memo; its own reads."""
        return TrackingReader(self._design, self.as_of, self.memo)

    @property
    def assumptions(self) -> Assumptions:
        self.reads.add(ASSUMPTIONS)
        return self._design.assumptions

    def get(self, id: str) -> Any:
        self.reads.add(id)
        try:  # (subscripting the mapping proxy is quicker than its .get(), a method call)
            return self._entities[id]
        except KeyError:  # a disk, or no such id
            return self._design.get(id)

    def replications_listing(self, vm_id: str) -> Set[str]:
        self.reads.add(("listing", vm_id))
        return self._design.replications_listing(vm_id)

    def replications_at(self, server_id: str) -> Set[str]:
        self.reads.add(("at", server_id))
        return self._design.replications_at(server_id)

    def replications_between(self, site_a: str, site_b: str) -> Set[str]:
        self.reads.add(("between", frozenset((site_a, site_b))))
        return self._design.replications_between(site_a, site_b)

    def nodes_of(self, cluster_id: str) -> Set[str]:
        self.reads.add(("nodes", cluster_id))
        return self._design.nodes_of(cluster_id)

    def servers_in_site(self, site_id: str) -> Set[str]:
        self.reads.add(("site", site_id))
        return self._design.servers_in_site(site_id)

    def vms_on(self, server_id: str) -> Set[str]:
        self.reads.add(("on", server_id))
        return self._design.vms_on(server_id)

    def firewalls_protecting(self, id: str) -> Set[str]:
        self.reads.add(("fw", id))
        return self._design.firewalls_protecting(id)

    def wan_link_between(self, site_a: str, site_b: str) -> str | None:
        self.reads.add(("wan", frozenset((site_a, site_b))))
        return self._design.wan_link_between(site_a, site_b)

    def name_users(self, domain: str | None, name: str) -> Set[str]:
        self.reads.add(("name", domain, name.casefold()))
        return self._design.name_users(domain, name)


#: Up to this many readers of a key are kept in a tuple, more in a set.
_FEW = 8


U = TypeVar("U", bound=Hashable)


class Readers(Generic[U]):
    """Which units read each key: the inverse of the checker's record of each unit's reads,
    which an edit's keys are looked up in. Most keys of a large design have one to five
    readers (a VM, its replication, its host's units...), so a few are kept in a tuple and
    only more in a set: a set for each of the 75k keys at 5,000 hosts was 38 MB.

    It also keeps one object per key: checks build a new ("listing", id) tuple for every read,
    and the units' records of their reads (:meth:`add` returns them) share these instead."""

    __slots__ = ("_of", "_one")

    def __init__(self) -> None:
        self._of: dict[Hashable, tuple[U, ...] | set[U]] = {}
        self._one: dict[Hashable, Hashable] = {}

    def get(self, key: Hashable, default: Set[U] = frozenset()) -> Set[U]:
        """The units that read this key (not to be changed by the caller)."""
        readers = self._of.get(key)
        if readers is None:
            return default
        return frozenset(readers) if isinstance(readers, tuple) else readers

    def add(self, unit: U, keys: Iterable[Hashable]) -> list[Hashable]:
        """Note that ``unit`` read each of ``keys``; the keys, as the objects kept for them."""
        of, one = self._of, self._one
        kept = []
        for key in keys:
            key = one.setdefault(key, key)
            kept.append(key)
            readers = of.get(key)
            if readers is None:
                of[key] = (unit,)
            elif isinstance(readers, tuple):
                if unit not in readers:
                    of[key] = readers + (unit,) if len(readers) < _FEW else {*readers, unit}
            else:
                readers.add(unit)
        return kept

    def discard(self, unit: U, key: Hashable) -> None:
        """Forget that ``unit`` read ``key``."""
        readers = self._of.get(key)
        if isinstance(readers, tuple):
            if unit in readers:
                rest = tuple(u for u in readers if u != unit)
                if rest:
                    self._of[key] = rest
                else:
                    self._forget(key)
        elif readers is not None:
            readers.discard(unit)
            if not readers:
                self._forget(key)

    def _forget(self, key: Hashable) -> None:
        del self._of[key]
        del self._one[key]

    def clear(self) -> None:
        self._of.clear()
        self._one.clear()


def between_keys(changes: list[Change], design: Design) -> set[Hashable]:
    """``replications_between`` keys an edit touches: the site pairs that replications left or
    joined, through their own change or a move of one of their servers to another site."""
    site_before = {c.id: c.before.site for c in changes if isinstance(c.before, (Host, Cluster))}

    def site(server_id: str, before: bool) -> str | None:
        if before and server_id in site_before:
            return site_before[server_id]
        server = design.find(server_id)
        return server.site if isinstance(server, (Host, Cluster)) else None

    keys: set[Hashable] = set()

    def add(a: str | None, b: str | None) -> None:
        if a is not None and b is not None and a != b:
            keys.add(("between", frozenset((a, b))))

    for change in changes:
        if isinstance(change.before or change.after, Replication):
            for value, before in ((change.before, True), (change.after, False)):
                if value is not None:
                    add(site(value.source, before), site(value.target, before))
        elif isinstance(change.after, (Host, Cluster)) and "site" in change.fields:
            for rep_id in design.replications_at(change.after.id):
                rep: Replication = design.get(rep_id)
                other = rep.target if rep.source == change.after.id else rep.source
                if change.before is not None:
                    add(change.before.site, site(other, True))
                add(change.after.site, site(other, False))
    return keys


def keys_of(entity: Any) -> set[Hashable]:
    """Every read key whose answer depends on this entity value."""
    keys: set[Hashable] = {entity.id}
    if isinstance(entity, (Host, Cluster)):
        keys.add(("site", entity.site))
        keys.add(("name", entity.domain, entity.name.casefold()))
        if isinstance(entity, Host) and entity.cluster is not None:
            keys.add(("nodes", entity.cluster))
        if isinstance(entity, Cluster) and entity.broker is not None:
            keys.add(("name", entity.domain, entity.broker.name.casefold()))
    elif isinstance(entity, Replication):
        keys.add(("at", entity.source))
        keys.add(("at", entity.target))
        keys.update(("listing", vm) for vm in entity.vms)
    elif isinstance(entity, VM):
        keys.add(("on", entity.placement))
    elif isinstance(entity, Firewall):
        keys.update(("fw", protected) for protected in entity.protects)
    elif isinstance(entity, WanLink):
        keys.add(("wan", frozenset(entity.sites)))
    return keys
