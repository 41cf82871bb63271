"""Copy and paste of part of a design, in the file format's own terms.

A fragment holds the selected servers with their VMs and the replications between them (a
copied site brings everything in it). Pasting gives every entity and disk a new id, so a
fragment can be pasted any number of times."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from typing import Any

from hvdesigner.fileformat.problems import Problems
from hvdesigner.fileformat.spec import COLLECTIONS
from hvdesigner.model.design import Design
from hvdesigner.model.entities import VM, Cluster, Domain, Host, Replication, Site

FRAGMENT_FORMAT = "hvdesigner-fragment"

#: The references a paste keeps only when they name an entity of the right kind (in the
#: fragment or in the design), and drops otherwise: a VM copied depending on ``db1`` and pasted
#: into a design where ``db1`` is a host depends on nothing there.
OPTIONAL_REFERENCES: dict[str, tuple[type, ...]] = {
    "domain": (Domain,), "cluster": (Cluster,), "depends_on": (VM,), "trusts": (Domain,),
    "protects": (Site, Host, Cluster)}


def copy_fragment(design: Design, ids: Iterable[str]) -> dict[str, Any]:
    """A JSON-able fragment: the entities in file form, keyed like a design file."""
    chosen: set[str] = set()
    for id in ids:
        entity = design.find(id)
        if isinstance(entity, Site):
            chosen.add(id)
            chosen |= design.servers_in_site(id)
        elif isinstance(entity, (Host, Cluster)):
            chosen.add(id)
            chosen |= design.nodes_of(id)
        elif isinstance(entity, VM):
            chosen.add(id)
    for server in [i for i in chosen if i in design.hosts or i in design.clusters]:
        chosen |= design.vms_on(server)
    for rep in design.replications.values():
        if rep.source in chosen and rep.target in chosen:
            chosen.add(rep.id)
    fragment: dict[str, Any] = {"format": FRAGMENT_FORMAT}
    for key, kind in COLLECTIONS.items():
        items = [kind.dump(e) for i, e in sorted(getattr(design, key).items()) if i in chosen]
        if items:
            fragment[key] = items
    return fragment


def paste_fragment(design: Design, fragment: dict[str, Any]) -> tuple[list[Any], dict[str, str]]:
    """New entities for a fragment, and the map from old ids to new: fresh ids, references
    inside the fragment remapped, references outside it kept where they still exist (a pasted
    host stays in its site, a pasted VM keeps depending on a VM of the design) and dropped
    where they don't, or name an entity of another kind (:data:`OPTIONAL_REFERENCES`)."""
    mapping: dict[str, str] = {}
    taken = set(design.ids())

    def fresh(old: str) -> str:
        for n in itertools.count(2):
            candidate = f"{old}-{n}"[:64]
            if candidate not in taken:
                taken.add(candidate)
                return candidate
        raise AssertionError("unreachable")

    loaded: list[Any] = []
    for key, kind in COLLECTIONS.items():
        for raw in fragment.get(key, []):
            entity = kind.load(raw, "", Problems())
            mapping[entity.id] = fresh(entity.id)
            if isinstance(entity, VM):
                for disk in entity.disks:
                    mapping[disk.id] = fresh(disk.id)
            loaded.append(entity)

    def remap(value: Any) -> Any:
        return mapping.get(value, value)

    pasted = {entity.id: entity for entity in loaded}

    def names(value: str, kinds: tuple[type, ...]) -> bool:
        """Whether a reference names one of ``kinds``, among the pasted or the design's."""
        return isinstance(pasted[value] if value in pasted else design.find(value), kinds)

    result = []
    for entity in loaded:
        changes: dict[str, Any] = {"id": mapping[entity.id]}
        for f in dataclasses.fields(entity):
            value = getattr(entity, f.name)
            kinds = OPTIONAL_REFERENCES.get(f.name)
            if f.name in ("domain", "cluster"):
                # (pasted elsewhere: a workgroup, a standalone host)
                changes[f.name] = remap(value) if value and names(value, kinds or ()) else None
            elif f.name in ("site", "placement", "source", "target"):
                changes[f.name] = remap(value)
            elif kinds is not None:
                changes[f.name] = tuple(remap(v) for v in value if names(v, kinds))
        if isinstance(entity, VM):
            changes["disks"] = tuple(dataclasses.replace(d, id=mapping[d.id]) for d in entity.disks)
        if isinstance(entity, Replication):
            changes["vms"] = tuple(mapping[v] for v in entity.vms if v in mapping)
        result.append(dataclasses.replace(entity, **changes))
    return result, mapping
