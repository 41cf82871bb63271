"""The text of machine-readable reports: ``dumps`` writes what ``json.dumps(indent=2)`` writes,
byte for byte (its own writer is only faster), and SARIF regions count lines and UTF-16
columns the way SARIF does, whatever the line breaks."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesigner.exporters.findings import dumps
from hvdesigner.exporters.locations import regions_of_ids

_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats()
            | st.text(st.characters(blacklist_categories=("Cs",))))
_VALUES = st.recursive(_SCALARS, lambda inner: (
    st.lists(inner) | st.tuples(inner, inner)
    | st.dictionaries(st.text() | st.integers() | st.booleans() | st.none(), inner)),
    max_leaves=40)


@settings(max_examples=1500, deadline=None)
@given(_VALUES)
def test_a_report_is_written_as_json_writes_it(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=True)


def test_a_lone_surrogate_in_a_report_becomes_the_replacement_character() -> None:
    assert dumps({"file": "a\ud800b", "n": [1.5, float("inf")]}) == json.dumps(
        {"file": "a\ufffdb", "n": [1.5, float("inf")]}, indent=2)


def test_regions_count_every_kind_of_line_break_and_columns_in_utf16_units() -> None:
    text = ('{"title": "😀",\r\n "a": {"id": "one"},\r "b": {"id"\n: "t\\u0077o"},'
            '\n\n"c": [{"id": "one"}, {"id": "bad\\x"}, {"name": "é", "id": "3"}]}')
    assert regions_of_ids(text) == {
        "one": {"startLine": 2, "startColumn": 8, "endLine": 2, "endColumn": 19},
        "two": {"startLine": 3, "startColumn": 8, "endLine": 4, "endColumn": 13},
        "3": {"startLine": 6, "startColumn": 53, "endLine": 6, "endColumn": 62},
    }


def test_a_design_on_one_line_counts_each_character_beyond_the_bmp_twice() -> None:
    text = '{"t": "😀😀", "x": {"id": "a"}, "y": "😀", "z": {"id": "b"}}'
    assert regions_of_ids(text) == {
        "a": {"startLine": 1, "startColumn": 21, "endLine": 1, "endColumn": 30},
        "b": {"startLine": 1, "startColumn": 50, "endLine": 1, "endColumn": 59},
    }


def test_regions_of_some_ids_are_where_all_ids_put_them() -> None:
    text = '{"a": {"id": "x"},\n "b": {"id": "😀y"}, "c": {"id": "x"},\r\n"d": {"id": "z"}}'
    every = regions_of_ids(text)
    assert regions_of_ids(text, {"z", "x"}) == {"x": every["x"], "z": every["z"]}
    assert regions_of_ids(text, {"z"}) == {"z": {"startLine": 3, "startColumn": 7, "endLine": 3,
                                                 "endColumn": 16}}
