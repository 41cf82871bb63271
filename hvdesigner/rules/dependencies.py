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
from collections.abc import Hashable, Set
from typing import Any

from hvdesigner.model.design import Design
from hvdesigner.model.entities import (
    Assumptions,
    Cluster,
    Firewall,
    Host,
    Replication,
    WanLink,
)

ASSUMPTIONS = ("assumptions",)


class TrackingReader:
    """The :class:`~hvdesigner.model.derived.Reader` interface over a Design, recording keys."""

    __slots__ = ("_design", "reads", "as_of")

    def __init__(self, design: Design, as_of: dt.date) -> None:
        self._design = design
        self.reads: set[Hashable] = set()
        self.as_of = as_of

    @property
    def assumptions(self) -> Assumptions:
        self.reads.add(ASSUMPTIONS)
        return self._design.assumptions

    def get(self, id: str) -> Any:
        self.reads.add(id)
        return self._design.get(id)

    def replications_listing(self, vm_id: str) -> Set[str]:
        self.reads.add(("listing", vm_id))
        return self._design.replications_listing(vm_id)

    def replications_at(self, server_id: str) -> Set[str]:
        self.reads.add(("at", server_id))
        return self._design.replications_at(server_id)

    def nodes_of(self, cluster_id: str) -> Set[str]:
        self.reads.add(("nodes", cluster_id))
        return self._design.nodes_of(cluster_id)

    def servers_in_site(self, site_id: str) -> Set[str]:
        self.reads.add(("site", site_id))
        return self._design.servers_in_site(site_id)

    def firewalls_protecting(self, id: str) -> Set[str]:
        self.reads.add(("fw", id))
        return self._design.firewalls_protecting(id)

    def wan_link_between(self, site_a: str, site_b: str) -> str | None:
        self.reads.add(("wan", frozenset((site_a, site_b))))
        return self._design.wan_link_between(site_a, site_b)

    def name_users(self, domain: str | None, name: str) -> Set[str]:
        self.reads.add(("name", domain, name.casefold()))
        return self._design.name_users(domain, name)


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
    elif isinstance(entity, Firewall):
        keys.update(("fw", protected) for protected in entity.protects)
    elif isinstance(entity, WanLink):
        keys.add(("wan", frozenset(entity.sites)))
    return keys
