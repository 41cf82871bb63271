"""Fuzzing the loader: mutated designs and mangled bytes load or raise DesignFileError."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesigner.fileformat import DesignFileError, dumps, loads
from tests.designs import rich_design
from tests.fileformat.test_schema import _mutations, mutate

VALID = dumps(loads(json.dumps(rich_design()))).encode()


@settings(max_examples=300, deadline=None)
@given(st.lists(_mutations(), min_size=1, max_size=6))
def test_mutated_designs_load_or_raise_the_loaders_error(mutations: list[object]) -> None:
    doc = rich_design()
    for m in mutations:
        doc = mutate(doc, *m)  # type: ignore[arg-type]
    try:
        design = loads(json.dumps(doc))
    except DesignFileError as e:
        assert e.problems and all(p.message for p in e.problems)
    else:
        assert loads(dumps(design)) is not None


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(VALID) - 1), st.binary(min_size=0, max_size=8), st.integers(0, 8))
def test_mangled_bytes_load_or_raise_the_loaders_error(at: int, insert: bytes, cut: int) -> None:
    data = VALID[:at] + insert + VALID[at + cut:]
    try:
        loads(data)
    except DesignFileError as e:
        assert e.problems
