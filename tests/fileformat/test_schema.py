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

from hvdesigner.fileformat import DesignFileError, dumps, loads
from hvdesigner.fileformat.kinds import Enum, ListOf, Nullable, Number
from hvdesigner.fileformat.schema import schema_text
from hvdesigner.fileformat.spec import DESIGN, OBJECTS
from tests.designs import SPEC_EXAMPLE, rich_design

SCHEMA_PATH = Path(__file__).parents[2] / "resources" / "schema" / "design-v2.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def test_the_published_schema_is_the_generated_one() -> None:
    assert SCHEMA_PATH.read_text() == schema_text(), "run `make schema` and commit the result"


def test_the_published_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text()))


# (the format's example is a version 1 file, which loads migrated; the schema is version 2's)
@pytest.mark.parametrize("doc", [{**SPEC_EXAMPLE, "version": 2}, rich_design()],
                         ids=["spec-example", "rich"])
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


# ---------------------------------------------------------------- the same verdicts, case by case
def _integer_fields() -> set[str]:
    """Every field whose value is a whole number (or a list of them), from the format's tables."""
    def whole(kind: Any) -> bool:
        kind = kind.inner if isinstance(kind, Nullable) else kind
        kind = kind.item if isinstance(kind, ListOf) else kind
        return ((isinstance(kind, Number) and kind.integer)
                or (isinstance(kind, Enum) and all(type(v) is int for v in kind.values)))

    return {f.key for obj in [DESIGN, *OBJECTS] for f in obj.fields if whole(f.kind)}


#: A valid whole-number value for each such field, and where to put it in the rich design.
WHOLE_NUMBERS: dict[str, tuple[tuple[Any, ...], Any]] = {
    "version": ((), 2),
    "generation": (("vms", 0), 2),
    "port": (("replications", 0), 443),
    "frequency_s": (("replications", 0), 300),
    "recovery_points": (("replications", 0), 4),
    "vss_hours": (("replications", 0), 4),
    "kerberos_port": (("hosts", 0, "replica_server"), 80),
    "certificate_port": (("hosts", 0, "replica_server"), 443),
    "custom_ports": (("hosts", 1, "windows_firewall"), [443]),
    "allow_inbound_tcp": (("firewalls", 0), [443]),
    "allow_outbound_tcp": (("firewalls", 0), [443]),
    "cores": (("hosts", -1), 32),
    "vcpus": (("vms", -3), 8),
    "recovery_group": (("vms", -3), 1),
    "prefix_length": (("vms", -3, "failover_ip"), 16),
}


def _with(key: str, value: Any) -> dict[str, Any]:
    doc = rich_design()
    place, _ = WHOLE_NUMBERS[key]
    target = doc
    for step in place:
        target = target[step]
    target[key] = value
    return doc


def _verdicts(doc: dict[str, Any]) -> tuple[bool, bool]:
    try:
        loads(json.dumps(doc))
        loaded = True
    except DesignFileError:
        loaded = False
    return VALIDATOR.is_valid(doc), loaded


def test_the_whole_number_cases_cover_every_whole_number_field() -> None:
    assert set(WHOLE_NUMBERS) == _integer_fields()


@pytest.mark.parametrize("key", sorted(WHOLE_NUMBERS))
def test_a_whole_decimal_is_a_whole_number_to_both(key: str) -> None:
    """One rule: 300.0 is 300 wherever the format wants a whole number (JSON Schema's
    "integer" reads it so), and it saves as 300; 300.5 is refused by both."""
    _, value = WHOLE_NUMBERS[key]
    as_decimal = [float(v) for v in value] if isinstance(value, list) else float(value)
    assert _verdicts(_with(key, as_decimal)) == (True, True)
    assert dumps(loads(json.dumps(_with(key, as_decimal)))) == dumps(loads(json.dumps(_with(key, value))))
    halves = [v + 0.5 for v in value] if isinstance(value, list) else value + 0.5
    assert _verdicts(_with(key, halves)) == (False, False)


def _set(path: tuple[Any, ...], value: Any) -> Any:
    def change(doc: dict[str, Any]) -> None:
        for step in path[:-1]:
            doc = doc[step]
        doc[path[-1]] = value
    return change


@pytest.mark.parametrize("change, valid", [
    (_set(("suppressions",), [{"rule": "TOP-01", "subject": "r1", "reason": "x"}]), True),
    (_set(("suppressions",), [{"rule": "TOP-1", "subject": "r1", "reason": "x"}]), False),
    (_set(("suppressions",), [{"rule": "top-01", "subject": "r1", "reason": "x"}]), False),
    (_set(("wan_links", 0, "sites"), ["hq", "hq"]), False),
    (_set(("hosts", 2, "replica_server"), None), True),  # hosts/2 is node na1 of cluster cla
    (_set(("hosts", 2, "replica_server"), {}), False),
    (_set(("hosts", 2, "cluster"), None), True),  # no longer a node: may leave Replica unset
    (_set(("clusters", 0, "broker", "ip"), "١٠.٠.٠.١"), False),  # Arabic-Indic digits
    (_set(("hosts", 0, "certificates", 0, "expires"), "２０９９-01-01"), False),  # full-width
], ids=["rule-id", "rule-id-near-miss", "rule-id-lowercase", "wan-link-one-site",
        "node-replica-null", "node-replica-set", "standalone-now", "ip-other-digits",
        "date-other-digits"])
def test_the_loader_and_the_schema_give_the_same_verdict(change: Any, valid: bool) -> None:
    doc = rich_design()
    change(doc)
    assert _verdicts(doc) == (valid, valid)
