"""Moves and deletes in a design whose layout is complete read and write only the sites they
concern (``Layout.part``); what the canvas reads back (``Layout.of``) is what reading and
writing the whole layout gave. Whether a layout is complete is known from the layout it was
written over, not looked at place by place again, and agrees with such a look."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesigner.editing import edits
from hvdesigner.editing.layout import Layout, Rect, moved_in
from hvdesigner.editing.ops import Op, apply_ops, inverse
from hvdesigner.model.design import Design
from tests.designs import load_dict, rich_design


def laid_out() -> Design:
    design = load_dict(rich_design())
    design.set("layout", Layout.of(design).to_json())
    return design


def layout_after(design: Design, edit: edits.Edit | None) -> dict:
    assert edit is not None
    (op,) = [op for op in edit.ops if op.attribute == "layout"]
    return op.after


def test_a_drop_in_its_frame_writes_the_card_and_its_frame_alone() -> None:
    design = laid_out()
    whole = Layout.of(design)
    x, y = whole.servers["hv1"]
    given = design.layout
    after = layout_after(design, edits.move(design, {"hv1": (x + 200, y + 90)}))
    changed = {k for k in given["servers"] if given["servers"][k] != after["servers"][k]}
    assert changed == {"hv1"}
    assert {k for k in given["sites"] if given["sites"][k] != after["sites"][k]} <= {"hq"}
    apply_ops(design, edits.move(design, {"hv1": (x + 200, y + 90)}).ops)
    expected = whole.with_servers({"hv1": (x + 200, y + 90)})._grown(design)
    assert Layout.of(design) == expected


def test_a_part_grows_its_frames_as_the_whole_layout_does() -> None:
    design = laid_out()
    frames = dict(design.layout["sites"])
    frames["hq"] = [*frames["hq"][:2], 10, 10]  # too small for its cards: grown on reading
    design.set("layout", {**design.layout, "sites": frames})
    part = Layout.part(design, {"hq"})
    assert part is not None and part.sites["hq"] == Layout.of(design).sites["hq"]
    assert set(part.servers) == {s for s in Layout.of(design).servers
                                 if design.get(s).site == "hq"}


def test_an_incomplete_layout_is_completed_by_a_drop_as_before() -> None:
    design = load_dict(rich_design())
    assert Layout.part(design, {"hq"}) is None
    whole = Layout.of(design)
    x, y = whole.servers["hv1"]
    after = layout_after(design, edits.move(design, {"hv1": (x + 20, y)}))
    assert set(after["servers"]) == set(whole.servers) and set(after["sites"]) == set(whole.sites)


def test_a_card_dragged_out_of_its_frame_is_placed_from_the_whole_layout() -> None:
    design = laid_out()
    dr = Layout.of(design).sites["dr"]
    apply_ops(design, edits.move(design, {"hv1": (dr.x + 40, dr.y + 60)}).ops)
    assert design.hosts["hv1"].site == "dr"
    assert Layout.of(design).servers["hv1"] == (dr.x + 40, dr.y + 60)


def test_nudging_a_frame_carries_its_cards_from_the_part() -> None:
    design = laid_out()
    before = Layout.of(design)
    apply_ops(design, edits.nudge(design, ["hq"], 10, 20).ops)
    after = Layout.of(design)
    assert after.sites["hq"].x == before.sites["hq"].x + 10
    for server in before.servers:
        dx, dy = (10, 20) if design.get(server).site == "hq" else (0, 0)
        assert after.servers[server] == (before.servers[server][0] + dx,
                                         before.servers[server][1] + dy)


def test_deleting_a_link_leaves_the_layout_unwritten() -> None:
    design = laid_out()
    rep_id = next(iter(design.replications))
    edit = edits.delete(design, [rep_id])
    assert edit is not None and not any(op.attribute == "layout" for op in edit.ops)


def test_deleting_a_card_writes_its_frame_as_grown_and_drops_its_place() -> None:
    design = laid_out()
    whole = Layout.of(design)
    after = layout_after(design, edits.delete(design, ["hv1"]))
    assert "hv1" not in after["servers"]
    frame = whole.sites["hq"]
    assert after["sites"]["hq"] == [frame.x, frame.y, frame.w, frame.h]


def complete(design: Design) -> bool:
    """Whether a design's layout gives every site a valid frame and every card a valid
    place, looked at place by place."""
    given = design.layout
    frames, places = given.get("sites", {}), given.get("servers", {})

    def number(v: object) -> bool:
        return isinstance(v, (int, float)) and math.isfinite(v)

    cards = [*design.clusters, *(h for h, host in design.hosts.items() if host.cluster is None)]
    return (all(isinstance(f := frames.get(s), list) and len(f) == 4 and all(map(number, f))
                for s in design.sites)
            and all(isinstance(p := places.get(c), list) and len(p) == 2 and all(map(number, p))
                    for c in cards))


step = st.one_of(
    st.tuples(st.just("move"), st.integers(0, 99), st.integers(-300, 900), st.integers(-300, 600)),
    st.tuples(st.just("delete"), st.integers(0, 99)),
    st.tuples(st.just("break"), st.integers(0, 99),
              st.sampled_from([None, [1.0], [math.inf, 0.0], ["x", 0], [3.0, 4.0, 5.0, 6.0]])),
    st.tuples(st.just("undo")),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(step, max_size=8))
def test_a_part_is_read_when_every_place_is_valid_whatever_the_edits_before(
        steps: list[tuple[Any, ...]]) -> None:
    """Drops, deletes, undos and places broken by hand, in any order: reading a part agrees
    with looking at every place, and what each change moved with comparing every place
    (what is remembered of the layouts before never stands in for a look at one it has not
    seen)."""
    design = laid_out()
    done: list[edits.Edit] = []
    for kind, *args in steps:
        cards = sorted([*design.clusters, *(h for h, v in design.hosts.items() if v.cluster is None)])
        edit: edits.Edit | None = None
        if kind == "move" and cards:
            edit = edits.move(design, {cards[args[0] % len(cards)]: (float(args[1]), float(args[2]))})
        elif kind == "delete" and cards:
            edit = edits.delete(design, [cards[args[0] % len(cards)]])
        elif kind == "break":
            ids = sorted([*design.sites, *cards])
            key = "sites" if ids[args[0] % len(ids)] in design.sites else "servers"
            broken = {**design.layout[key], ids[args[0] % len(ids)]: args[1]}
            edit = edits.Edit("break", (Op(design.layout, {**design.layout, key: broken},
                                           attribute="layout"),))
        before = design.layout
        if kind == "undo" and done:
            apply_ops(design, inverse(done.pop().ops))
        if edit is not None:
            apply_ops(design, edit.ops)
            done.append(edit)
        assert (Layout.part(design, ()) is not None) == complete(design)
        assert moved_in(before, design.layout) == compared(before, design.layout)


def compared(before: dict[str, Any], after: dict[str, Any]) -> Layout | None:
    """What a change of the layout moved, every place compared."""
    moved: dict[str, dict[str, Any]] = {}
    for key, size in (("sites", 4), ("servers", 2)):
        old, new = before[key], after[key]
        if not old.keys() <= new.keys():
            return None
        moved[key] = {k: v for k, v in new.items() if old.get(k) != v}
        if not all(isinstance(v, list) and len(v) == size and all(
                isinstance(n, (int, float)) and math.isfinite(n) for n in v)
                for v in moved[key].values()):
            return None
    return Layout({k: Rect(*v) for k, v in moved["sites"].items()},
                  {k: (float(v[0]), float(v[1])) for k, v in moved["servers"].items()},
                  {k: v for k, v in after.items() if k not in ("sites", "servers")})


def test_a_layout_written_whole_is_known_complete_without_a_look_at_each_place(
        monkeypatch: Any) -> None:
    """The layout a design without one opens with (``completed``) and one a drop that
    leaves its frame writes whole: every place in it is valid (a Layout holds no other),
    so the next drop reads its part without looking at thousands of places again."""
    from hvdesigner.editing import layout as layouts

    design = load_dict(rich_design())
    opened = layouts.completed(design)
    assert opened is not None
    design.set("layout", opened)
    whole = Layout.of(design)
    x, y = whole.servers["hv1"]
    far = edits.move(design, {"hv1": (x + 90_000, y)})  # (out of its frame: written whole)
    assert far is not None
    monkeypatch.setattr(layouts, "_is_point", lambda value: 1 / 0)  # (no look at a place)
    monkeypatch.setattr(layouts, "_is_rect", lambda value: 1 / 0)
    assert Layout.part(design, {"hq"}) is not None
    apply_ops(design, far.ops)
    assert Layout.part(design, {"hq"}) is not None
    monkeypatch.undo()
    assert Layout.of(design) == Layout.of(load_dict({**rich_design(), "layout": design.layout}))
