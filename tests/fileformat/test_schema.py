"""The published JSON Schema: generated from the format's tables and agreeing with the loader."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesigner.fileformat import DesignFileError, loads
from hvdesigner.fileformat.schema import schema_text
from tests.designs import SPEC_EXAMPLE, rich_design

SCHEMA_PATH = Path(__file__).parents[2] / "resources" / "schema" / "design-v1.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def test_the_published_schema_is_the_generated_one() -> None:
    assert SCHEMA_PATH.read_text() == schema_text(), "run `make schema` and commit the result"


def test_the_published_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text()))


@pytest.mark.parametrize("doc", [SPEC_EXAMPLE, rich_design()], ids=["spec-example", "rich"])
def test_valid_designs_pass_the_schema(doc: dict[str, Any]) -> None:
    assert list(VALIDATOR.iter_errors(doc)) == []


def _mutations() -> st.SearchStrategy[Any]:
    values = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.floats(-1, 1e6),
                       st.text(max_size=4), st.just([]), st.just({}), st.just("2099-01-01"),
                       st.sampled_from(["kerberos", "2012", "vhd", "hq", "r1", "app1"]))
    return st.tuples(st.integers(0, 10_000), st.sampled_from(["set", "delete", "add"]), values)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


def mutate(doc: dict[str, Any], pick: int, op: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    paths = [p for p in _paths(doc) if p]
    path = paths[pick % len(paths)]
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if op == "set":
        parent[last] = value
    elif op == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent["extra_key"] = value
    else:
        parent.append(value)
    return doc


@settings(max_examples=300, deadline=None)
@given(st.lists(_mutations(), min_size=1, max_size=3))
def test_the_loader_and_the_schema_agree_on_structure(mutations: list[Any]) -> None:
    """Whatever the schema refuses, the loader refuses; a design the loader accepts passes the
    schema. (The loader refuses more: references, duplicate ids, node/cluster agreement.)"""
    doc: dict[str, Any] = rich_design()
    for m in mutations:
        doc = mutate(doc, *m)
    schema_ok = VALIDATOR.is_valid(doc)
    try:
        loads(json.dumps(doc))
        loaded = True
    except DesignFileError:
        loaded = False
    if loaded:
        assert schema_ok, list(VALIDATOR.iter_errors(doc))[:3]
    if not schema_ok:
        assert not loaded
