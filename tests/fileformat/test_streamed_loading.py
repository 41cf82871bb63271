"""Loading a file one entity at a time gives what loading its whole JSON tree gives.

``loads`` reads a clean file item by item (``loader._streamed``) and hands anything unusual to
the loader of the whole tree (``load_document``), which alone words problems: so the design,
its order, and every error must be exactly that loader's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import generate_design
from hvdesigner.fileformat import DesignFileError, dumps, loads
from hvdesigner.fileformat.loader import load_document, parse_json
from hvdesigner.model.design import Design
from tests.designs import rich_design
from tests.fileformat.test_schema import _mutations, mutate


def _outcome(load: Any, text: str) -> tuple[str, Any]:
    try:
        design: Design = load(text)
    except DesignFileError as e:
        return "error", [(p.path, p.message) for p in e.problems]
    return "design", (dumps(design), list(design.entities_by_id()), list(design.ids()))


def _in_full(text: str) -> Design:
    return load_document(parse_json(text.encode("utf-8"), "<design>"), "<design>")


def assert_same(text: str) -> None:
    assert _outcome(loads, text) == _outcome(_in_full, text)


def test_a_generated_estate_loads_the_same_in_the_same_order() -> None:
    assert_same(json.dumps(generate_design(2, scale=0.05), indent=1))


@settings(max_examples=200, deadline=None)
@given(st.lists(_mutations(), min_size=0, max_size=4))
def test_mutated_designs_load_or_fail_the_same(mutations: list[object]) -> None:
    doc = rich_design()
    for m in mutations:
        doc = mutate(doc, *m)  # type: ignore[arg-type]
    assert_same(json.dumps(doc))


CLEAN = json.dumps(rich_design())


@pytest.mark.parametrize("text", [
    CLEAN + " x",  # extra data
    CLEAN[:-1] + ', "title": "again"}',  # a repeated top-level key
    CLEAN.replace('"sites": [', '"sites": [1, ', 1),  # a bad item
    CLEAN.replace('"sites": [', '"sites": {"a": [', 1),  # not a list
    CLEAN[:-1],  # cut short
    CLEAN[:-1] + ",}",  # a trailing comma
    "\ufeff" + CLEAN,  # a second BOM (the first is decoded away)
    " \n\t" + CLEAN.replace(", ", " ,\n ") + "\r\n",  # JSON's whitespace anywhere
    '{"format": "hvdesigner", "version": 1, "sites": [], "hosts": []}',
    '{"format": "hvdesigner", "version": 2}',
    '{"version": 1, "format": "hvdesigner", "vms": [ ] }',
    '{"format": "hvdesigner", "version": 1, "title": NaN}',
    "[]", "{}", '{"format": "hvdesigner" "version": 1}',
])
def test_unusual_text_fails_or_loads_as_the_whole_tree_does(text: str) -> None:
    assert_same(text)


def test_equal_strings_and_decimals_of_a_file_are_one_object() -> None:
    """The parser makes an object per occurrence; the model keeps one per value (memory)."""
    doc = generate_design(2, scale=0.05)
    for text in (json.dumps(doc), json.dumps(doc).replace('"version": 2', '"version": 2.0')):
        design = loads(text)  # (1.0: a file the whole-tree loader reads)
        vm = next(v for v in design.vms.values() if len(v.disks) > 1)
        assert vm.placement is design.get(vm.placement).id
        disks = [d for v in design.vms.values() for d in v.disks]
        for field in ("type", "role", "name"):
            values = [getattr(d, field) for d in disks]
            assert len({id(v) for v in values}) == len(set(values))
        sizes = [d.churn_mb_s for d in disks if type(d.churn_mb_s) is float]
        assert sizes and len({id(s) for s in sizes}) == len(set(sizes))


def test_an_item_the_quick_path_leaves_is_loaded_in_full_without_reading_the_file_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole number written as a decimal (300.0) is left by the quick path to the full load
    of that one item; the file stays on the streamed path and loads as the whole tree does."""
    doc = rich_design()
    doc["replications"][0]["frequency_s"] = 300.0
    doc["vms"][0]["disks"][0]["size_gb"] = 80.0
    text = json.dumps(doc)
    expected = _outcome(_in_full, text)

    def read_again(*_: Any) -> Design:
        raise AssertionError("the streamed loader gave up on a valid file")

    monkeypatch.setattr("hvdesigner.fileformat.loader.load_document", read_again)
    assert _outcome(loads, text) == expected
    assert loads(text).replications["r1"].frequency_s == 300


def test_a_design_whose_references_do_not_hold_is_left_to_the_loader_that_words_why() -> None:
    doc = rich_design()
    doc["vms"][0]["placement"] = "sql1-os"  # (a disk's id)
    doc["replications"].append(dict(doc["replications"][0], id="r1"))
    with pytest.raises(DesignFileError) as caught:
        loads(json.dumps(doc))
    assert [str(p) for p in caught.value.problems] == [
        "/replications/3/id: id 'r1' is already used by /replications/0",
        "/vms/0/placement: 'sql1-os' is a disk, not a host or cluster",
    ]
    assert_same(json.dumps(doc))
