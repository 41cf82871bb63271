"""A design put together in one go (``Design.from_loaded``, how a file opens) is the design that
adding its entities one by one makes: the same entities, the same indexes in the same order
(the rules iterate their sets), and refused exactly where adding them would be refused."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import generate_design
from hvdesigner.model.design import ATTRIBUTES, Design, ModelError
from hvdesigner.model.entities import VM, Entity, Suppression
from hvdesigner.model.integrity import MANY, REFERENCES
from tests.designs import load_dict, rich_design

#: Every piece of state a design keeps, compared in order (a set's order is its iteration's).
_STATE = ("_entities", "_disk_owner", "_listing", "_reps_at", "_between", "_nodes",
          "_site_servers", "_vms_on", "_protectors", "_wan", "_names", "_referrers", "_attrs")


def _state(design: Design) -> list[Any]:
    design.referrers("")  # (an opened design makes that index when first asked for)

    def plain(value: Any) -> Any:
        return list(value) if isinstance(value, (set, frozenset)) else value

    return [[(plain(k), plain(v)) for k, v in getattr(design, name).items()] for name in _STATE] + [
        {t.__name__: list(members.items()) for t, members in design._by_type.items()}]


def _one_by_one(entities: list[Entity], attributes: dict[str, Any]) -> Design:
    """Each entity added on its own, checked as a whole at the end, as an edit would."""
    design = Design()
    with design.transaction():
        for entity in entities:
            design.add(entity)
        for attribute, value in attributes.items():
            design.set(attribute, value)
    return design


def _parts(design: Design) -> tuple[list[Entity], dict[str, Any]]:
    return (list(design.entities_by_id().values()),
            {attribute: getattr(design, attribute) for attribute in ATTRIBUTES})


@pytest.mark.parametrize("doc", [rich_design(), generate_design(3, scale=0.02)],
                         ids=["rich", "generated"])
def test_a_design_in_one_go_is_the_design_entity_by_entity(doc: dict[str, Any]) -> None:
    entities, attributes = _parts(load_dict(doc))
    assert _state(Design.from_loaded(entities, attributes)) == _state(
        _one_by_one(entities, attributes))


def _changed(entities: list[Entity], pick: int, op: str, to: str) -> list[Entity]:
    """One change that may break integrity: a reference pointed elsewhere, an entity given
    another's id, or an entity left out."""
    entities = list(entities)
    i = pick % len(entities)
    entity = entities[i]
    if op == "drop":
        del entities[i]
    elif op == "id":
        entities[i] = dataclasses.replace(entity, id=to)  # type: ignore[type-var]
    elif op == "disk" and isinstance(entity, VM) and entity.disks:
        entities[i] = dataclasses.replace(
            entity, disks=(*entity.disks[1:], dataclasses.replace(entity.disks[0], id=to)))
    elif REFERENCES.get(type(entity)):
        fields = REFERENCES[type(entity)]
        field, how, _ = fields[pick // len(entities) % len(fields)]
        value: Any = (*getattr(entity, field)[1:], to) if how == MANY else to
        entities[i] = dataclasses.replace(entity, **{field: value})  # type: ignore[type-var]
    return entities


_RICH = _parts(load_dict(rich_design()))
_IDS = sorted({*(e.id for e in _RICH[0]), "sql1-os", "nothing"})


_CHANGES = st.sampled_from(["ref", "ref", "id", "drop", "disk"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), _CHANGES, st.sampled_from(_IDS)), max_size=3),
       st.sampled_from([None, *_IDS]))
def test_one_go_refuses_what_one_by_one_refuses_and_builds_the_same_otherwise(
        changes: list[tuple[int, str, str]], suppressed: str | None) -> None:
    entities, attributes = _RICH
    for change in changes:
        entities = _changed(entities, *change)
    if suppressed is not None:
        attributes = attributes | {"suppressions": (Suppression("TOP-01", suppressed, "why"),)}
    try:
        expected: Any = _state(_one_by_one(entities, attributes))
    except ModelError:  # (an IntegrityError too)
        expected = ModelError
    try:
        got: Any = _state(Design.from_loaded(entities, attributes))
    except ModelError:
        got = ModelError
    assert got == expected


def test_a_design_in_one_go_takes_edits_as_one_made_entity_by_entity() -> None:
    entities, attributes = _parts(load_dict(rich_design()))
    designs = [Design.from_loaded(entities, attributes), _one_by_one(entities, attributes)]
    for design in designs:
        design.update("r2", vms=("web1",), source="clb", target="cla")
        design.remove("r3")
        design.update("sql1", placement="hv1")
    assert _state(designs[0]) == _state(designs[1])
    assert designs[0].replications_listing("sql1") == set()
    assert designs[0].vms_on("hv1") == {"app1", "sql1"}
