"""The Design aggregate: the one way to read and change a Hyper-V Replica design.

Entities are held by id; servers (hosts and clusters) and replications also form a networkx
multigraph (``graph``), and a handful of indexes answer the questions the rules and the canvas
ask often (which replications list a VM, which nodes a cluster has, which firewalls protect a
site...). Every change goes through :meth:`Design.add`, :meth:`Design.update`,
:meth:`Design.remove` or :meth:`Design.set`, optionally grouped in :meth:`Design.transaction`;
a change that would break referential integrity is rolled back and raised as
:class:`IntegrityError`, and listeners hear of each committed change with ids, fields and the
before/after values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from hvdesigner.model import indexes
from hvdesigner.model.entities import (
    VM,
    Assumptions,
    Cluster,
    Disk,
    Domain,
    Entity,
    Firewall,
    Host,
    Replication,
    Site,
    Suppression,
    WanLink,
)
from hvdesigner.model.integrity import entity_problems, referrals, sound, valid_id

if TYPE_CHECKING:
    import networkx as nx

#: Design-wide attributes that are not entities, settable with :meth:`Design.set`.
ATTRIBUTES = ("title", "notes", "assumptions", "suppressions", "layout")


class ModelError(ValueError):
    """An edit the model refuses (unknown id, duplicate id, bad id)."""


class IntegrityError(ModelError):
    """An edit or a loaded design that breaks referential integrity.

    ``problems`` lists (entity id, field path, message).
    """

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{i}.{f}: {m}" for i, f, m in problems[:5]))


@dataclass(frozen=True, slots=True)
class Change:
    """One committed change: an entity (``id``) or a design attribute (``id`` None, ``fields``
    names it). ``before`` is None for an addition, ``after`` None for a removal."""

    id: str | None
    before: Any
    after: Any
    fields: frozenset[str]


Listener = Callable[[list[Change]], object]


def _changed_fields(before: Any, after: Any) -> frozenset[str]:
    obj = after if before is None else before
    names = [f.name for f in dataclasses.fields(obj)]
    if before is None or after is None:
        return frozenset(names)
    return frozenset(n for n in names if getattr(before, n) != getattr(after, n))


class Design:
    """A design: entities, indexes and the change journal. See the module docstring."""

    def __init__(self) -> None:
        self._entities: dict[str, Entity] = {}
        self._by_type: dict[type, dict[str, Any]] = {
            t: {} for t in (Site, Domain, Firewall, WanLink, Host, Cluster, VM, Replication)
        }
        self._disk_owner: dict[str, str] = {}
        self._graph: nx.MultiDiGraph | None = None  # (see graph)
        self._listing: indexes.Index = {}
        self._reps_at: indexes.Index = {}
        self._between: indexes.Index = {}  # (by frozenset[str])
        self._nodes: indexes.Index = {}
        self._site_servers: indexes.Index = {}
        self._vms_on: indexes.Index = {}
        self._protectors: indexes.Index = {}
        self._wan: indexes.Index = {}  # (by frozenset[str])
        self._names: indexes.Index = {}  # (by tuple[str | None, str])
        self._referrers: indexes.Index | None = {}  # (None until asked for: see referrers)
        self._attrs: dict[str, Any] = {
            "title": "",
            "notes": "",
            "assumptions": Assumptions(),
            "suppressions": (),
            "layout": None,
        }
        self._listeners: list[Listener] = []
        self._journal: list[tuple[str, Any]] | None = None  # (key, value before) per op
        #: The format version of the file this design was loaded from, when older than the
        #: version saving writes (set by the loader; the designer keeps the old file at the
        #: first save). Not part of the design: edits never change it.
        self.migrated_from: int | None = None

    # ------------------------------------------------------------------ reading
    @property
    def sites(self) -> Mapping[str, Site]:
        return MappingProxyType(self._by_type[Site])

    @property
    def domains(self) -> Mapping[str, Domain]:
        return MappingProxyType(self._by_type[Domain])

    @property
    def firewalls(self) -> Mapping[str, Firewall]:
        return MappingProxyType(self._by_type[Firewall])

    @property
    def wan_links(self) -> Mapping[str, WanLink]:
        return MappingProxyType(self._by_type[WanLink])

    @property
    def hosts(self) -> Mapping[str, Host]:
        return MappingProxyType(self._by_type[Host])

    @property
    def clusters(self) -> Mapping[str, Cluster]:
        return MappingProxyType(self._by_type[Cluster])

    @property
    def vms(self) -> Mapping[str, VM]:
        return MappingProxyType(self._by_type[VM])

    @property
    def replications(self) -> Mapping[str, Replication]:
        return MappingProxyType(self._by_type[Replication])

    @property
    def graph(self) -> nx.MultiDiGraph:
        """Servers as nodes, replications as edges keyed by id (a read-only view).

        Made when first asked for, then kept up to date: nothing in the designer, the checks
        or the command line walks it, and at 5,000 hosts it is 4 MB and a tenth of a second
        of opening."""
        if self._graph is None:
            import networkx as nx  # (here: loading it is half the start-up of the command line)

            self._graph = nx.MultiDiGraph()
            for entity in self._entities.values():  # (in the order they came, as if followed)
                self._regraph(entity, True)
        return self._graph.copy(as_view=True)

    @property
    def title(self) -> str:
        return str(self._attrs["title"])

    @property
    def notes(self) -> str:
        return str(self._attrs["notes"])

    @property
    def assumptions(self) -> Assumptions:
        return self._attrs["assumptions"]  # type: ignore[no-any-return]

    @property
    def suppressions(self) -> tuple[Suppression, ...]:
        return self._attrs["suppressions"]  # type: ignore[no-any-return]

    @property
    def layout(self) -> Any:
        """The canvas's free-form layout object (JSON values), or None."""
        return self._attrs["layout"]

    def __contains__(self, id: str) -> bool:
        return id in self._entities or id in self._disk_owner

    def find(self, id: str) -> Any:
        """The entity or disk with this id, or None."""
        entity = self._entities.get(id)
        if entity is None and id in self._disk_owner:
            vm = self._by_type[VM][self._disk_owner[id]]
            return next(d for d in vm.disks if d.id == id)
        return entity

    def get(self, id: str) -> Any:
        """The entity or disk with this id; KeyError when there is none."""
        entity = self._entities.get(id)
        if entity is not None:
            return entity
        found = self.find(id)
        if found is None:
            raise KeyError(id)
        return found

    def entities_by_id(self) -> Mapping[str, Entity]:
        """Every top-level entity by id (disks excluded), as a live read-only mapping."""
        return MappingProxyType(self._entities)

    def is_disk(self, id: str) -> bool:
        return id in self._disk_owner

    def vm_of_disk(self, disk_id: str) -> str:
        return self._disk_owner[disk_id]

    def ids(self) -> Iterator[str]:
        """Every id in the design, disks included."""
        yield from self._entities
        yield from self._disk_owner

    def replications_listing(self, vm_id: str) -> Set[str]:
        return indexes.members(self._listing, vm_id)

    def replications_at(self, server_id: str) -> Set[str]:
        """Replications whose source or target is this server."""
        return indexes.members(self._reps_at, server_id)

    def replications_between(self, site_a: str, site_b: str) -> Set[str]:
        """Replications from a server in one of two different sites to a server in the other."""
        return indexes.members(self._between, frozenset((site_a, site_b)))

    def nodes_of(self, cluster_id: str) -> Set[str]:
        return indexes.members(self._nodes, cluster_id)

    def servers_in_site(self, site_id: str) -> Set[str]:
        return indexes.members(self._site_servers, site_id)

    def vms_on(self, server_id: str) -> Set[str]:
        return indexes.members(self._vms_on, server_id)

    def firewalls_protecting(self, id: str) -> Set[str]:
        """Firewalls whose ``protects`` lists this site, host or cluster itself."""
        return indexes.members(self._protectors, id)

    def wan_links_on(self, sites: frozenset[str]) -> Set[str]:
        return indexes.members(self._wan, sites)

    def wan_link_between(self, site_a: str, site_b: str) -> str | None:
        links = indexes.members(self._wan, frozenset((site_a, site_b)))
        return min(links) if links else None

    def name_users(self, domain: str | None, name: str) -> Set[str]:
        """Hosts, clusters and brokers (as ``cluster-id`` + ``#broker``) in a domain that use
        this NetBIOS name, compared case-insensitively."""
        return indexes.members(self._names, (domain, name.casefold()))

    def referrers(self, id: str) -> Set[str]:
        """Ids of the entities that refer to this id.

        Of an opened design, the index behind it is made when first asked for, then kept up
        to date: only edits and deletions ask, never the checks, and at 5,000 hosts it is
        33 ms of the 1.4 s ``hvdesigner validate`` takes."""
        return indexes.members(self.index_referrers(), id)

    def index_referrers(self) -> indexes.Index:
        """The index behind :meth:`referrers`, made now if not made yet (the designer makes
        it once its first check is done, so that the user's first edit does not pay)."""
        if self._referrers is None:
            self._referrers = {}
            indexes.mark_each(self._referrers, referrals(self._by_type))
        return self._referrers

    def new_id(self, prefix: str, taken: Set[str] = indexes.EMPTY) -> str:
        """The design's one id allocator: the first free ``prefix1``, ``prefix2``... (not in
        the design, nor in ``taken``: ids handed out for the same edit)."""
        n = 1
        while f"{prefix}{n}" in self or f"{prefix}{n}" in taken:
            n += 1
        return f"{prefix}{n}"

    # ------------------------------------------------------------------ listening
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    # ------------------------------------------------------------------ changing
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group edits: integrity is checked and listeners told once, at the end; any error
        inside rolls every edit of the group back."""
        if self._journal is not None:
            yield
            return
        self._journal = []
        try:
            yield
            self._check_touched()
        except BaseException:
            for key, before in reversed(self._journal):
                self._restore(key, before)
            self._journal = None
            raise
        journal, self._journal = self._journal, None
        if not self._listeners:
            return  # nobody to tell (a design being loaded): skip working out the changes
        changes = self._changes(journal)
        if changes:
            for listener in list(self._listeners):
                listener(changes)

    @classmethod
    def from_loaded(cls, entities: Iterable[Entity], attributes: Mapping[str, Any]) -> Design:
        """A design of these entities and attributes (some of :data:`ATTRIBUTES`), put
        together in one go as a file is opened: the entities and indexes that adding them
        one by one would give, a type's after the type before it in :attr:`_by_type`'s
        order (sites first, replications last), without a journal and an integrity check
        per entity, which would double the time to open a large design. Refused with a
        :class:`ModelError` that does not say what is wrong (the loader says that) where
        adding them would be: an id used twice (disks' too), a reference to nothing or to
        the wrong type, a node outside its cluster's site, a suppression of nothing... Ids
        are not matched against the id pattern: the file format's kinds have done that."""
        design = cls()
        by_type = design._by_type
        count = 0
        for entity in entities:
            members = by_type.get(type(entity))
            if members is None:
                raise ModelError(f"cannot add a {type(entity).__name__}")
            members[entity.id] = entity
            count += 1
        for members in by_type.values():
            design._entities.update(members)
        owner = design._disk_owner
        disks = 0
        for vm in by_type[VM].values():
            for disk in vm.disks:
                owner[disk.id] = vm.id
            disks += len(vm.disks)
        if len(design._entities) != count or len(owner) != disks or not owner.keys().isdisjoint(
                design._entities):
            raise ModelError("an id is used twice")
        for attribute, value in attributes.items():
            if attribute not in ATTRIBUTES:
                raise ModelError(f"unknown design attribute '{attribute}'")
            design._attrs[attribute] = value
        design._index_loaded()
        if not sound(by_type, design.find, design.wan_links_on) or any(
                s.subject not in design for s in design.suppressions):
            raise ModelError("these entities do not make a design: add them one by one to see why")
        return design

    def add(self, entity: Entity) -> None:
        if not valid_id(entity.id):
            raise ModelError(f"'{entity.id}' is not a valid id (letters, digits, _ . -; 1-64)")
        if entity.id in self:
            raise ModelError(f"id '{entity.id}' is already used")
        if type(entity) not in self._by_type:
            raise ModelError(f"cannot add a {type(entity).__name__}")
        with self.transaction():
            self._record(entity.id)
            self._put(entity)

    def update(self, id: str, **fields: Any) -> None:
        """Change fields of an entity or a disk."""
        if id in self._disk_owner:
            vm = self._by_type[VM][self._disk_owner[id]]
            disks = tuple(dataclasses.replace(d, **fields) if d.id == id else d for d in vm.disks)
            self.update(vm.id, disks=disks)
            return
        self.replace(dataclasses.replace(self._existing(id), **fields))

    def replace(self, entity: Entity) -> None:
        """Put a whole new value for an existing entity (same id)."""
        self._existing(entity.id)
        with self.transaction():
            self._record(entity.id)
            self._put(entity)

    def remove(self, id: str) -> None:
        """Remove an entity or a disk; refused while something still refers to it."""
        if id in self._disk_owner:
            vm = self._by_type[VM][self._disk_owner[id]]
            self.update(vm.id, disks=tuple(d for d in vm.disks if d.id != id))
            return
        self._existing(id)
        with self.transaction():
            self._record(id)
            self._drop(id)

    def set(self, attribute: str, value: Any) -> None:
        """Set a design attribute: one of :data:`ATTRIBUTES`."""
        if attribute not in ATTRIBUTES:
            raise ModelError(f"unknown design attribute '{attribute}'")
        with self.transaction():
            assert self._journal is not None
            self._journal.append(("@" + attribute, self._attrs[attribute]))
            self._attrs[attribute] = value

    # ------------------------------------------------------------------ internals
    def _existing(self, id: str) -> Any:
        entity = self._entities.get(id)
        if entity is None:
            raise ModelError(f"there is no entity with id '{id}'")
        return entity

    def _record(self, id: str) -> None:
        assert self._journal is not None
        self._journal.append((id, self._entities.get(id)))

    def _restore(self, key: str, before: Any) -> None:
        if key.startswith("@"):
            self._attrs[key[1:]] = before
        elif before is None:
            self._drop(key)
        else:
            self._put(before)

    def _put(self, entity: Entity) -> None:
        old = self._entities.get(entity.id)
        if isinstance(entity, VM):
            self._claim_disk_ids(entity, old)
        if old is not None:
            self._index(old, False)
        self._entities[entity.id] = entity
        self._by_type[type(entity)][entity.id] = entity
        self._index(entity, True)

    def _drop(self, id: str) -> None:
        old = self._entities.pop(id, None)
        if old is None:
            return
        del self._by_type[type(old)][id]
        self._index(old, False)
        if isinstance(old, VM):
            for disk in old.disks:
                self._disk_owner.pop(disk.id, None)

    def _claim_disk_ids(self, vm: VM, old: Any) -> None:
        """Own the VM's disk ids, which must be valid and unused."""
        seen: set[str] = set()
        for disk in vm.disks:
            if not valid_id(disk.id):
                raise ModelError(f"'{disk.id}' is not a valid disk id")
            owner = self._disk_owner.get(disk.id)
            if (disk.id in seen or disk.id == vm.id or disk.id in self._entities
                    or owner not in (None, vm.id)):  # (vm.id: the VM itself may not be in yet)
                raise ModelError(f"id '{disk.id}' is already used")
            seen.add(disk.id)
        if old is not None:
            kept = {disk.id for disk in vm.disks}
            for disk in old.disks:
                if disk.id not in kept:
                    del self._disk_owner[disk.id]
        for disk in vm.disks:
            self._disk_owner[disk.id] = vm.id

    def _index(self, e: Entity, add: bool) -> None:
        mark = indexes.mark if add else indexes.unmark
        if self._graph is not None:
            self._regraph(e, add)
        if self._referrers is not None:
            for ref, referrer in referrals({type(e): {e.id: e}}):
                mark(self._referrers, ref, referrer)
        if isinstance(e, (Host, Cluster)):
            mark(self._site_servers, e.site, e.id)
            for key, user in _name_uses((e,)):
                mark(self._names, key, user)
            if isinstance(e, Host) and e.cluster is not None:
                mark(self._nodes, e.cluster, e.id)
            for rep_id in indexes.members(self._reps_at, e.id):
                pair = self._sites_of(self._by_type[Replication][rep_id], e)
                if pair is not None:
                    mark(self._between, pair, rep_id)
        elif isinstance(e, Replication):
            mark(self._reps_at, e.source, e.id)
            mark(self._reps_at, e.target, e.id)
            pair = self._sites_of(e)
            if pair is not None:
                mark(self._between, pair, e.id)
            for vm in e.vms:
                mark(self._listing, vm, e.id)
        elif isinstance(e, VM):
            mark(self._vms_on, e.placement, e.id)
        elif isinstance(e, Firewall):
            for protected in e.protects:
                mark(self._protectors, protected, e.id)
        elif isinstance(e, WanLink):
            mark(self._wan, frozenset(e.sites), e.id)

    def _index_loaded(self) -> None:
        """The indexes :meth:`_index` would build, entity after entity in :attr:`_entities`'
        order (each type's after the type before it, so that every replication comes after
        the servers at its ends), index by index."""
        by_type, mark_each = self._by_type, indexes.mark_each
        servers = (*by_type[Host].values(), *by_type[Cluster].values())
        replications = by_type[Replication].values()
        self._referrers = None  # (made when first asked for)
        mark_each(self._site_servers, ((s.site, s.id) for s in servers))
        mark_each(self._names, _name_uses(servers))
        mark_each(self._nodes, ((h.cluster, h.id) for h in by_type[Host].values()
                                if h.cluster is not None))
        mark_each(self._reps_at, ((end, r.id) for r in replications
                                  for end in (r.source, r.target)))
        mark_each(self._between, ((pair, r.id) for r in replications
                                  if (pair := self._sites_of(r)) is not None))
        mark_each(self._listing, ((vm, r.id) for r in replications for vm in r.vms))
        mark_each(self._vms_on, ((vm.placement, vm.id) for vm in by_type[VM].values()))
        mark_each(self._protectors, ((protected, f.id) for f in by_type[Firewall].values()
                                     for protected in f.protects))
        mark_each(self._wan, ((frozenset(w.sites), w.id) for w in by_type[WanLink].values()))

    def _regraph(self, e: Entity, add: bool) -> None:
        graph = self._graph
        assert graph is not None
        if isinstance(e, (Host, Cluster)):
            if add:
                graph.add_node(e.id)
            elif not graph.degree(e.id):
                graph.remove_node(e.id)
        elif isinstance(e, Replication):
            if add:
                graph.add_edge(e.source, e.target, key=e.id)
            else:
                graph.remove_edge(e.source, e.target, key=e.id)
                for end in (e.source, e.target):
                    if end not in self._entities and end in graph and not graph.degree(end):
                        graph.remove_node(end)

    def _sites_of(self, rep: Replication, server: Host | Cluster | None = None) -> frozenset[str] | None:
        """The two sites a replication crosses (None within a site or with an end missing);
        ``server`` stands in for the stored value of that server while it is re-indexed."""
        ends = []
        for end in (rep.source, rep.target):
            value = server if server is not None and server.id == end else self._entities.get(end)
            if not isinstance(value, (Host, Cluster)):
                return None
            ends.append(value.site)
        return frozenset(ends) if ends[0] != ends[1] else None

    def _check_touched(self) -> None:
        assert self._journal is not None
        touched = {key for key, _ in self._journal if not key.startswith("@")}
        suspects = set(touched)
        for id in touched:
            suspects |= self.referrers(id)
        problems: list[tuple[str, str, str]] = []
        for id in sorted(suspects):
            entity = self._entities.get(id)
            if entity is not None:
                problems += [(id, f, m) for f, m in entity_problems(entity, self.find, self.wan_links_on)]
        problems += [
            (s.subject, "", "a suppression refers to it: remove the suppression first")
            for s in self.suppressions
            if s.subject not in self
        ]
        if problems:
            raise IntegrityError(problems)

    def _changes(self, journal: list[tuple[str, Any]]) -> list[Change]:
        first: dict[str, Any] = {}
        for key, before in journal:
            first.setdefault(key, before)
        changes: list[Change] = []
        for key, before in first.items():
            if key.startswith("@"):
                after = self._attrs[key[1:]]
                if after != before:
                    changes.append(Change(None, before, after, frozenset((key[1:],))))
                continue
            after = self._entities.get(key)
            if before == after:
                continue
            changes.append(Change(key, before, after, _changed_fields(before, after)))
            if isinstance(before, VM) or isinstance(after, VM):
                changes += _disk_changes(before if isinstance(before, VM) else None,
                                         after if isinstance(after, VM) else None)
        return changes


def _name_uses(servers: Iterable[Host | Cluster]) -> Iterator[tuple[tuple[str | None, str], str]]:
    """The :meth:`Design.name_users` index's keys and ids of these servers, in order."""
    for server in servers:
        yield (server.domain, server.name.casefold()), server.id
        if isinstance(server, Cluster) and server.broker is not None:
            yield (server.domain, server.broker.name.casefold()), server.id + "#broker"


def _disk_changes(before: VM | None, after: VM | None) -> list[Change]:
    old: dict[str, Disk] = {d.id: d for d in before.disks} if before else {}
    new: dict[str, Disk] = {d.id: d for d in after.disks} if after else {}
    return [
        Change(i, old.get(i), new.get(i), _changed_fields(old.get(i), new.get(i)))
        for i in sorted(old.keys() | new.keys())
        if old.get(i) != new.get(i)
    ]
