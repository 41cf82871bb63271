"""Referential integrity of a design: what must hold for a design to exist at all.

These are the format's load errors that involve more than one entity (dangling references, a
node that disagrees with its cluster, two WAN links on one pair of sites). The file loader
reports them with JSON paths; the :class:`~hvdesigner.model.design.Design` refuses an edit that
would break them. Both call :func:`entity_problems`, so the two can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Set
from itertools import chain
from operator import attrgetter
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


#: How a field refers: one id, one id or None, or a tuple of ids.
ONE, OPTIONAL, MANY = "one", "optional", "many"

#: Every reference of each entity type: (field, how it refers, the entity types it may name),
#: in the order :func:`references` gives them (a list's items come after the single ids).
REFERENCES: dict[type, tuple[tuple[str, str, tuple[type, ...]], ...]] = {
    Host: (("site", ONE, (Site,)), ("domain", OPTIONAL, (Domain,)),
           ("cluster", OPTIONAL, (Cluster,))),
    Cluster: (("site", ONE, (Site,)), ("domain", OPTIONAL, (Domain,))),
    Domain: (("trusts", MANY, (Domain,)),),
    Firewall: (("protects", MANY, (Site, Host, Cluster)),),
    WanLink: (("sites", MANY, (Site,)),),
    VM: (("placement", ONE, _SERVER), ("depends_on", MANY, (VM,))),
    Replication: (("source", ONE, _SERVER), ("target", ONE, _SERVER), ("vms", MANY, (VM,))),
}


def references(entity: object) -> Iterator[tuple[str, str, tuple[type, ...]]]:
    """Every id an entity refers to: (field path, id, the entity types it may name)."""
    for field, how, types in REFERENCES.get(type(entity), ()):
        value = getattr(entity, field)
        if how == MANY:
            for i, ref in enumerate(value):
                yield f"{field}/{i}", ref, types
        elif value is not None or how == ONE:
            yield field, value, types


def referrals(by_type: Mapping[type, Mapping[str, Any]]) -> Iterator[tuple[str, str]]:
    """(id referred to, id of the entity that refers to it) for every reference of these
    entities (by type, then id), type after type, each entity's in :func:`references`' order:
    a large design's 100,000 in one loop."""
    for entity_type, entities in by_type.items():
        fields = REFERENCES.get(entity_type)
        for entity in entities.values() if fields else ():
            id = entity.id
            for field, how, _ in fields:  # type: ignore[union-attr]
                value = getattr(entity, field)
                if how == MANY:
                    for ref in value:
                        yield ref, id
                elif value is not None or how == ONE:
                    yield value, id


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
    constraints = _CONSTRAINTS.get(type(entity))
    return [] if constraints is None else constraints(entity, lookup, wan_links_on)


def _node_problems(host: Host, lookup: Lookup, *_: Any) -> list[Problem]:
    if host.cluster is None:
        return []
    problems: list[Problem] = []
    cluster = lookup(host.cluster)
    if host.site != cluster.site:
        problems.append(("site", f"a node must be in its cluster's site '{cluster.site}'"))
    if host.domain != cluster.domain:
        problems.append(
            ("domain", f"a node must be in its cluster's domain ({cluster.domain or 'workgroup'})")
        )
    if host.replica_server is not None:
        problems.append(
            ("replica_server", "a node takes its Replica settings from its cluster: set null")
        )
    return problems


def _trust_problems(domain: Domain, *_: Any) -> list[Problem]:
    if domain.id in domain.trusts:
        return [("trusts", "a domain cannot list a trust to itself")]
    return []


def _dependency_problems(vm: VM, *_: Any) -> list[Problem]:
    return [("depends_on", "a VM cannot depend on itself")] if vm.id in vm.depends_on else []


def _wan_problems(link: WanLink, _: Lookup,
                  wan_links_on: Callable[[frozenset[str]], Any]) -> list[Problem]:
    if link.sites[0] == link.sites[1]:
        return [("sites", WAN_SITES_DIFFER)]
    others = sorted(set(wan_links_on(frozenset(link.sites))) - {link.id})
    return [("sites", f"WAN link '{others[0]}' already joins these sites")] if others else []


#: What must hold between an entity and those it refers to, by entity type, once every
#: reference names something of the right type.
_CONSTRAINTS: dict[type, Callable[[Any, Lookup, Callable[..., Any]], list[Problem]]] = {
    Host: _node_problems, Domain: _trust_problems, VM: _dependency_problems,
    WanLink: _wan_problems,
}


def sound(by_type: Mapping[type, Mapping[str, Any]], lookup: Lookup,
          wan_links_on: Callable[[frozenset[str]], Any]) -> bool:
    """Whether :func:`entity_problems` finds nothing wrong with any of these entities (by type,
    then id; every entity of a design whose ids are all different, disks' included, which
    ``lookup`` finds). What the loader asks of a large file: a set of the ids each reference
    field holds, compared with the ids of the types it may name, instead of a lookup per
    reference (290,000 at 5,000 hosts)."""
    for entity_type, fields in REFERENCES.items():
        entities = by_type.get(entity_type, {}).values()
        for field, how, types in fields:
            values = map(attrgetter(field), entities)
            refs = set(chain.from_iterable(values)) if how == MANY else set(values)
            if how == OPTIONAL:
                refs.discard(None)
            named = [by_type.get(t, {}) for t in types]
            if not (named[0].keys() >= refs if len(named) == 1
                    else all(any(ref in ids for ids in named) for ref in refs)):
                return False
    return not any(constraints(entity, lookup, wan_links_on)
                   for entity_type, constraints in _CONSTRAINTS.items()
                   for entity in by_type.get(entity_type, {}).values())


def _describe_kind(entity: object) -> str:
    return _KIND_NAMES.get(type(entity), type(entity).__name__.lower())


def valid_id(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None
