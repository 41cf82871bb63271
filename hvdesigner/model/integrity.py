"""Referential integrity of a design: what must hold for a design to exist at all.

These are the format's load errors that involve more than one entity (dangling references, a
node that disagrees with its cluster, two WAN links on one pair of sites). The file loader
reports them with JSON paths; the :class:`~hvdesigner.model.design.Design` refuses an edit that
would break them. Both call :func:`entity_problems`, so the two can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Set
from typing import Any

from hvdesigner.model.entities import (
    VM,
    Cluster,
    Domain,
    Firewall,
    Host,
    Replication,
    Site,
    WanLink,
)

ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")
WAN_SITES_DIFFER = "a WAN link joins two different sites"

#: (field path inside the entity, message)
Problem = tuple[str, str]
Lookup = Callable[[str], Any]  # id -> entity, or None when there is none

_SERVER = (Host, Cluster)


def references(entity: object) -> Iterator[tuple[str, str, tuple[type, ...]]]:
    """Every id an entity refers to: (field path, id, the entity types it may name)."""
    if isinstance(entity, Host):
        yield "site", entity.site, (Site,)
        if entity.domain is not None:
            yield "domain", entity.domain, (Domain,)
        if entity.cluster is not None:
            yield "cluster", entity.cluster, (Cluster,)
    elif isinstance(entity, Cluster):
        yield "site", entity.site, (Site,)
        if entity.domain is not None:
            yield "domain", entity.domain, (Domain,)
    elif isinstance(entity, Domain):
        for i, other in enumerate(entity.trusts):
            yield f"trusts/{i}", other, (Domain,)
    elif isinstance(entity, Firewall):
        for i, protected in enumerate(entity.protects):
            yield f"protects/{i}", protected, (Site, Host, Cluster)
    elif isinstance(entity, WanLink):
        for i, site in enumerate(entity.sites):
            yield f"sites/{i}", site, (Site,)
    elif isinstance(entity, VM):
        yield "placement", entity.placement, _SERVER
        for i, other in enumerate(entity.depends_on):
            yield f"depends_on/{i}", other, (VM,)
    elif isinstance(entity, Replication):
        yield "source", entity.source, _SERVER
        yield "target", entity.target, _SERVER
        for i, vm in enumerate(entity.vms):
            yield f"vms/{i}", vm, (VM,)


_KIND_NAMES = {Site: "site", Domain: "domain", Host: "host", Cluster: "cluster", VM: "VM"}


def _kinds(types: tuple[type, ...]) -> str:
    names = [_KIND_NAMES[t] for t in types]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def entity_problems(
    entity: object,
    lookup: Lookup,
    wan_links_on: Callable[[frozenset[str]], Any],
    unknown: Set[str] = frozenset(),
) -> list[Problem]:
    """What is wrong with one entity's references and cross-entity constraints.

    ``lookup(id)`` gives the entity with that id (or None); ``wan_links_on(pair)`` the ids of
    the WAN links joining a frozenset of two sites. References to ``unknown`` ids (entities
    that exist but could not be read, already reported) are not checked.
    """
    problems: list[Problem] = []
    blind = False  # a reference to an unreadable entity: constraints can't be checked
    for path, ref, types in references(entity):
        if ref in unknown:
            blind = True
            continue
        target = lookup(ref)
        if target is None:
            problems.append((path, f"there is no {_kinds(types)} with id '{ref}'"))
        elif not isinstance(target, types):
            problems.append((path, f"'{ref}' is a {_describe_kind(target)}, not a {_kinds(types)}"))
    if problems or blind:
        return problems
    if isinstance(entity, Host) and entity.cluster is not None:
        cluster = lookup(entity.cluster)
        if entity.site != cluster.site:
            problems.append(("site", f"a node must be in its cluster's site '{cluster.site}'"))
        if entity.domain != cluster.domain:
            problems.append(
                ("domain", f"a node must be in its cluster's domain ({cluster.domain or 'workgroup'})")
            )
        if entity.replica_server is not None:
            problems.append(
                ("replica_server", "a node takes its Replica settings from its cluster: set null")
            )
    elif isinstance(entity, Domain) and entity.id in entity.trusts:
        problems.append(("trusts", "a domain cannot list a trust to itself"))
    elif isinstance(entity, VM) and entity.id in entity.depends_on:
        problems.append(("depends_on", "a VM cannot depend on itself"))
    elif isinstance(entity, WanLink):
        if entity.sites[0] == entity.sites[1]:
            problems.append(("sites", WAN_SITES_DIFFER))
        else:
            others = sorted(set(wan_links_on(frozenset(entity.sites))) - {entity.id})
            if others:
                problems.append(("sites", f"WAN link '{others[0]}' already joins these sites"))
    return problems


def _describe_kind(entity: object) -> str:
    return _KIND_NAMES.get(type(entity), type(entity).__name__.lower())


def valid_id(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None
