"""Whatever the loader accepts saves, and loads back to the same bytes (property-tested).

Designs are the bundled examples and the rich test design, changed a few times over: a value
anywhere set to one drawn from the kind the format's tables give that place (so mostly the
right type, with the edges: lone surrogates, other scripts' digits, -0.0, whole decimals,
numbers past a double or past 2^53, deep nesting), a field the example leaves out added, an
entity appended, something deleted. Whatever ``loads`` refuses, it refuses with a printable
reason; whatever it accepts, ``dumps`` writes as UTF-8, and ``dumps(loads(dumps(d)))`` gives the
same bytes. (The first save may differ from the file: the writer sorts lists, leaves out
defaults and writes 300.0 as 300.) A key given twice can't be made from a dict: see
test_unsavable.py for that one.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesigner.fileformat import DesignFileError, dumps, loads
from hvdesigner.fileformat.kinds import (
    REQUIRED,
    Bool,
    Date,
    Enum,
    Kind,
    ListOf,
    Nullable,
    Number,
    Obj,
    Str,
)
from hvdesigner.fileformat.spec import DESIGN, RuleId
from hvdesigner.rules.catalog import RULES
from tests.designs import rich_design
from tests.fileformat.test_schema import _paths

EXAMPLES = sorted((Path(__file__).parents[2] / "resources" / "examples").glob("*.hvd"))
BASES = [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES] + [rich_design()]

#: Text with what breaks writers and readers: lone surrogates, other scripts' digits, odd
#: spaces (\x1c is a space to Python, not to JSON Schema; \ufeff the other way round).
#: (A list joined, not st.text: text() drops surrogates from a one_of alphabet.)
EDGY_TEXT = st.lists(st.one_of(st.characters(), st.characters(categories=["Cs"]),
                               st.sampled_from("٣０\x1c\ufeff\u3000 \n-_.*\\")),
                     max_size=8).map("".join)
NUMBERS = st.one_of(
    st.integers(-(2**60), 2**60), st.floats(allow_nan=False),  # infinities included
    st.sampled_from([0, -0.0, 1, 2.0, 30, 300.0, 443.0, 2.5, 65536, 1e300, 2**53 - 1, 2**53,
                     -(2**53), 1e16, 5e-324, float("inf"), float("-inf")]))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, EDGY_TEXT)
ANY_JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(EDGY_TEXT, inner, max_size=3), max_leaves=8)


def _nested(depth: int) -> Any:
    value: Any = 1
    for i in range(depth):
        value = {"k": value} if i % 2 else [value]
    return value


def right_values(kind: Kind) -> st.SearchStrategy[Any]:
    """Values of the type the format wants at a place (valid or not in their range)."""
    if isinstance(kind, Nullable):
        return st.none() | right_values(kind.inner)
    if isinstance(kind, RuleId):
        return st.sampled_from(sorted(RULES))
    if isinstance(kind, Str):
        if kind.pattern is not None:
            return st.from_regex(kind.pattern, fullmatch=True) | EDGY_TEXT
        return st.text(max_size=12) | EDGY_TEXT
    if isinstance(kind, Enum):
        values = st.sampled_from(kind.values)
        return values | values.map(lambda v: float(v) if isinstance(v, int) else v)
    if isinstance(kind, Number):
        return NUMBERS
    if isinstance(kind, Bool):
        return st.booleans()
    if isinstance(kind, Date):
        return st.dates().map(lambda d: d.isoformat()) | st.just("2099-02-30") | EDGY_TEXT
    if isinstance(kind, ListOf):
        return st.lists(right_values(kind.item), max_size=3)
    if isinstance(kind, Obj):
        return st.fixed_dictionaries(
            {f.key: right_values(f.kind) for f in kind.fields if f.default is REQUIRED},
            optional={f.key: right_values(f.kind) for f in kind.fields
                      if f.default is not REQUIRED})
    return LAYOUTS  # free-form


#: The canvas's layout: its own shape, or anything an object can hold, or nested as deep as
#: the issue's 500 levels (the writer's recursion gives out near 450). Only the layout as a
#: whole is drawn from here: inside it, values are ANY_JSON, so the nesting stays within what
#: this test's own recursive helpers can walk.
LAYOUTS = st.one_of(
    st.fixed_dictionaries({}, optional={
        "sites": st.dictionaries(EDGY_TEXT, st.lists(NUMBERS, min_size=4, max_size=4)),
        "servers": st.dictionaries(EDGY_TEXT, st.lists(NUMBERS, min_size=2, max_size=2)),
        "zoom": NUMBERS}),
    st.dictionaries(EDGY_TEXT, ANY_JSON, max_size=4),
    st.integers(1, 500).map(lambda depth: {"deep": _nested(depth)}))


def values_for(kind: Kind | None) -> st.SearchStrategy[Any]:
    """Mostly the right type for the place; now and then any JSON at all."""
    right = right_values(kind) if kind is not None else ANY_JSON
    return st.integers(0, 9).flatmap(lambda n: ANY_JSON if n == 0 else right)


def _unwrap(kind: Kind) -> Kind:
    return kind.inner if isinstance(kind, Nullable) else kind


def kind_at(path: tuple[Any, ...]) -> Kind | None:
    """The kind the format's tables give the value at a path (None: no place for it)."""
    kind: Kind = DESIGN
    for step in path:
        kind = _unwrap(kind)
        if isinstance(kind, Obj) and step in kind.by_key:
            kind = kind.by_key[step].kind
        elif isinstance(kind, ListOf):
            kind = kind.item
        else:  # (inside the layout, or a key the format doesn't have: any JSON goes)
            return None
    return kind


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def change(doc: dict[str, Any], data: st.DataObject) -> None:
    """One change to a design document, in place."""
    places = _paths(doc)  # every value, the document itself included
    path = data.draw(st.sampled_from(places))
    here = _at(doc, path)
    kind = kind_at(path)
    how = data.draw(st.sampled_from(["set", "set", "add", "delete", "layout"]))
    if how == "add" and isinstance(here, dict):  # a field (maybe one the example leaves out)
        room = _unwrap(kind) if kind is not None else None
        keys = [f.key for f in room.fields] if isinstance(room, Obj) else []
        key = data.draw(st.sampled_from(keys) if keys else EDGY_TEXT)
        here[key] = data.draw(values_for(kind_at(path + (key,))))
    elif how == "add" and isinstance(here, list):
        here.append(data.draw(values_for(kind_at(path + (len(here),)))))
    elif how == "delete" and path:
        del _at(doc, path[:-1])[path[-1]]
    elif how == "layout" or not path:
        doc["layout"] = data.draw(values_for(kind_at(("layout",))))
    else:
        _at(doc, path[:-1])[path[-1]] = data.draw(values_for(kind))


def file_text(doc: Any) -> str:
    """JSON text, with infinities written the way a file overflows a double: 1e999."""
    def mark(value: Any) -> Any:
        if isinstance(value, float) and value in (float("inf"), float("-inf")):
            return "\x00+INF" if value > 0 else "\x00-INF"
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    return (json.dumps(mark(doc)).replace('"\\u0000+INF"', "1e999")
            .replace('"\\u0000-INF"', "-1e999"))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(range(len(BASES))), st.integers(1, 4), st.data())
def test_whatever_loads_saves_and_loads_back_to_the_same_bytes(
        base: int, changes: int, data: st.DataObject) -> None:
    doc = copy.deepcopy(BASES[base])
    for _ in range(changes):
        change(doc, data)
    text = file_text(doc)
    try:
        design = loads(text)
    except DesignFileError as e:
        assert e.problems
        e.report().encode("utf-8")  # the reason can be printed, whatever the file held
        return
    saved = dumps(design)
    saved.encode("utf-8")
    assert dumps(loads(saved)) == saved


def test_every_bundled_example_saves_to_its_own_bytes() -> None:
    """The examples are written by the writer: loading and saving one changes nothing."""
    for path in EXAMPLES:
        assert dumps(loads(path.read_bytes())) == path.read_text(encoding="utf-8"), path.name
