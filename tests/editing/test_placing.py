"""An edit that leaves a card without a place (a node taken out of its cluster) gives it one in
the same undo step (``Document._placing``, ``layout.placed_anew``): in a row below the other
cards of its site's frame, so that the next drop reads and writes the sites it concerns
instead of laying the whole design out again; undo puts back the layout exactly as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication

from hvdesigner.editing import edits, shared
from hvdesigner.editing import layout as layout_module
from hvdesigner.editing.document import Document
from hvdesigner.editing.layout import Layout, Rect
from hvdesigner.fileformat.loader import load
from hvdesigner.fileformat.writer import dumps

EXAMPLE = Path(__file__).parents[2] / "resources" / "examples" / "three-tier-hosting.hvd"
NODES = ("dal-hv01", "dal-hv02", "nwh-hv11", "nwh-hv12", "nwh-hv13")


def overlap(a: Rect, b: Rect) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def no_whole_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    def whole_layout(design: Any) -> Any:
        raise AssertionError("the whole design was laid out")

    monkeypatch.setattr(layout_module, "auto_layout", whole_layout)


@pytest.fixture
def document(qapp: QApplication) -> Document:
    return Document(load(str(EXAMPLE)), str(EXAMPLE))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(taken=st.sets(st.sampled_from(NODES), min_size=1))
def test_nodes_taken_out_get_places_in_their_frames_clear_of_every_card(
        qapp: QApplication, taken: set[str]) -> None:
    document = Document(load(str(EXAMPLE)), str(EXAMPLE))
    design = document.design
    before, text = design.layout, dumps(design)
    assert document.do(shared.set_shared_fields, sorted(taken), cluster=None) is not None
    assert document.undo_stack.count() == 1
    assert Layout.part(design, ()) is not None  # (every card has its place written down)
    whole = Layout.of(design)
    for node in taken:
        card = whole.card(design, node)
        frame = whole.sites[design.hosts[node].site]
        assert frame.contains((card.x, card.y)) and frame.contains((card.right, card.bottom))
        others = [c for c in whole.servers if c != node and design.get(c).site == design.hosts[node].site]
        assert not any(overlap(card, whole.card(design, c)) for c in others)
    document.undo_stack.undo()
    assert design.layout is before and dumps(design) == text
    document.undo_stack.redo()
    assert Layout.of(design) == whole


def test_the_node_and_the_drop_after_it_lay_out_no_whole_design(
        document: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    no_whole_layout(monkeypatch)
    design = document.design
    document.do(edits.set_fields, "nwh-hv12", cluster=None)
    x, y = design.layout["servers"]["nwh-hv12"]
    edit = document.do(edits.move, {"nwh-hv12": (x + 20, y + 10)})
    assert edit is not None
    assert Layout.of(design).servers["nwh-hv12"] == (x + 20, y + 10)


def test_saving_writes_the_place_until_undone_then_the_file_as_opened(
        document: Document, tmp_path: Path) -> None:
    path = tmp_path / "placed.hvd"
    document.save(str(path))
    assert path.read_bytes() == EXAMPLE.read_bytes()
    document.do(edits.set_fields, "dal-hv02", cluster=None)
    document.save()
    assert load(str(path)).layout["servers"]["dal-hv02"] == document.design.layout["servers"]["dal-hv02"]
    document.undo_stack.undo()
    document.save()
    assert path.read_bytes() == EXAMPLE.read_bytes()


def test_a_node_placed_and_its_step_merged_with_the_next_undoes_as_one(document: Document) -> None:
    """(Typing in a field merges steps: the merged step keeps the layout from before the
    first.)"""
    design = document.design
    before, text = design.layout, dumps(design)
    document.do(edits.set_fields, "dal-hv01", merge_key="typing", cluster=None)
    document.do(edits.set_fields, "dal-hv01", merge_key="typing", cores=48)
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert design.layout is before and dumps(design) == text


@pytest.mark.parametrize("path", sorted(EXAMPLE.parent.glob("*.hvd")), ids=lambda p: p.stem)
def test_a_whole_cluster_taken_out_stays_inside_its_frame_clear_of_the_sites_beside_it(
        qapp: QApplication, path: Path) -> None:
    """Every node of a cluster taken out at once: they wrap in rows as wide as their frame,
    which grows down, not sideways over the next site (four nodes in one row reached into
    the next site's frame)."""
    clusters = {h.cluster for h in load(str(path)).hosts.values() if h.cluster}
    for cluster in sorted(clusters):
        document = Document(load(str(path)), str(path))
        design = document.design
        nodes = sorted(design.nodes_of(cluster))
        frames_before = Layout.of(design).sites
        assert document.do(shared.set_shared_fields, nodes, cluster=None) is not None
        whole = Layout.of(design)
        cards = {c: whole.card(design, c) for c in whole.servers}
        assert not [(a, b) for a in cards for b in cards if a < b and overlap(cards[a], cards[b])]
        frames = whole.sites
        assert not [(a, b) for a in frames for b in frames if a < b and overlap(frames[a], frames[b])]
        site = design.clusters[cluster].site
        assert frames[site].w == frames_before[site].w  # (grown down only)
