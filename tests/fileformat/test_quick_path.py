"""The loader's quick path (``Kind.quick``) loads exactly what the full path loads.

The quick path takes the plain values a saved design is made of and leaves everything else to
the full, message-producing path; a value it takes must load to the same thing (same types:
``0`` is not ``0.0``, ``-0.0`` is ``0.0``) with no problem. And the plain case must really be
quick: every entity of a saved design goes through it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesigner.fileformat import dumps, loads
from hvdesigner.fileformat.kinds import Kind, ListOf, Nullable, Obj, Unusual
from hvdesigner.fileformat.loader import parse_json
from hvdesigner.fileformat.problems import Problems
from hvdesigner.fileformat.spec import COLLECTIONS, OBJECTS
from tests.fileformat.test_round_trip import BASES, file_text, values_for


def _kinds() -> list[Kind]:
    found: dict[int, Kind] = {}

    def walk(kind: Kind) -> None:
        if id(kind) in found:
            return
        found[id(kind)] = kind
        if isinstance(kind, (Nullable, ListOf)):
            walk(kind.inner if isinstance(kind, Nullable) else kind.item)
        elif isinstance(kind, Obj):
            for f in kind.fields:
                walk(f.kind)

    for obj in OBJECTS:
        walk(obj)
    return list(found.values())


KINDS = _kinds()


def _in_full(kind: Kind, value: Any) -> tuple[Any, Problems]:
    problems = Problems()
    load = kind.load_in_full if isinstance(kind, Obj) else kind.load
    return load(value, "/x", problems), problems


def _check(kind: Kind, value: Any) -> None:
    try:
        quick = kind.quick(value)
    except Unusual:
        return
    full, problems = _in_full(kind, value)
    assert not problems
    assert repr(quick) == repr(full)  # (repr: tells 0 from 0.0 and -0.0 from 0.0)


#: The edges, tried on every kind.
EDGES = [None, True, False, 0, -0.0, 0.0, 1, 2.0, 80, 300.0, 2.5, -1, 65535, 65536, 2**53 - 1,
         2**53, -(2**53), 1e300, float("inf"), float("-inf"), float("nan"), "", " ", "a", "vm-1",
         "x" * 65, "2016", "kerberos", "Zürich", "\ud800", "٣", "2024-02-30", "2024-02-29",
         "10.0.0.1", "TOP-01", [], [1, 1], ["a", "a"], ["a", "b"], ["kerberos"], {}, {"id": "a"},
         {"name": "n"}, {"id": "a", "name": "n", "kind": "branch"}]


@pytest.mark.parametrize("value", EDGES, ids=repr)
def test_at_the_edges_the_quick_path_loads_the_same_in_full(value: Any) -> None:
    for kind in KINDS:
        _check(kind, value)


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(KINDS).flatmap(lambda kind: st.tuples(st.just(kind), values_for(kind))))
def test_what_the_quick_path_takes_loads_the_same_in_full(drawn: tuple[Kind, Any]) -> None:
    _check(*drawn)


def test_every_entity_of_a_saved_design_takes_the_quick_path() -> None:
    for base in BASES:
        doc = parse_json(dumps(loads(file_text(base))).encode("utf-8"), "<test>")
        for key, kind in COLLECTIONS.items():
            for item in doc.get(key, []):
                kind.quick(item)  # (raises Unusual if not)


def test_an_entity_the_quick_path_makes_is_its_class_own_and_frozen() -> None:
    # (it is filled in as an unfrozen twin, then made the entity)
    for base in BASES:
        doc = parse_json(dumps(loads(file_text(base))).encode("utf-8"), "<test>")
        for key, kind in COLLECTIONS.items():
            for item in doc.get(key, []):
                quick = kind.quick(item)
                full, problems = _in_full(kind, item)
                assert not problems and type(quick) is type(full) is kind.build
                assert quick == full and hash(quick) == hash(full)
                with pytest.raises(dataclasses.FrozenInstanceError):
                    quick.id = "changed"  # type: ignore[misc]
