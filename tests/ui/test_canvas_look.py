"""How the canvas looks on the bundled examples: text that fits its box, labels clear of each
other and of frame edges, WAN pipes that start at their frames, upright badges, and the hint
an empty canvas shows. Geometry where it is geometry, pixels where only pixels tell."""

from __future__ import annotations

import math
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.boundaries import PIPE_HALF
from hvdesigner.canvas.glyphs import glyph_colour
from hvdesigner.canvas.items import FRAME_RADIUS, VM_BADGE_ROOM
from hvdesigner.canvas.looks import FirewallLook
from hvdesigner.canvas.theme import SEVERITY_DARK, SEVERITY_LIGHT
from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import open_example, rules

EXAMPLES = ["cluster-to-cluster-csv.hvd", "three-tier-hosting.hvd", "training.hvd",
            "two-sites-certificates.hvd"]


def test_a_firewall_label_says_what_it_lets_in() -> None:
    assert FirewallLook("FW1", ()).label == "FW1 · Inbound: none"
    assert FirewallLook("FW1", (443,)).label == "FW1 · Inbound: 443"
    assert FirewallLook("FW1", (443, 80)).label == "FW1 · Inbound: 443, 80"


def test_badge_glyphs_contrast_with_their_badge_in_both_themes() -> None:
    for severity, colour in {**SEVERITY_LIGHT, **{f"dark {k}": v for k, v in SEVERITY_DARK.items()}}.items():
        fill, glyph = QColor(colour), glyph_colour(QColor(colour))
        assert abs(fill.lightnessF() - glyph.lightnessF()) > 0.35, severity


@pytest.mark.parametrize("name", ["three-tier-hosting.hvd", "cluster-to-cluster-csv.hvd"])
def test_node_chips_keep_the_os_whole_and_cut_the_name_to_fit(window: MainWindow, example: Any,
                                                              name: str) -> None:
    open_example(window, example, name)
    scene, design = window.scene, window.document.design
    cluster = next(iter(design.clusters))
    node = sorted(design.nodes_of(cluster), key=lambda n: design.hosts[n].name)[0]
    window.document.do(edits.set_fields, node, name="NWH-HYPERV-NODE-WITH-A-LONG-NAME-11")
    metrics = t.detail_metrics()
    checked = 0
    for card in scene.servers.values():
        for i, node_look in enumerate(card.look.nodes):
            chip = card.node_chip_rect(i)
            (name_box, text), (os_box, os) = card.node_chip_texts(i)
            assert os == node_look.os  # the OS is never cut
            assert chip.contains(os_box) and chip.contains(name_box)
            assert name_box.right() < os_box.left()
            assert metrics.horizontalAdvance(text) <= name_box.width() + 0.5, text
            assert metrics.horizontalAdvance(os) <= os_box.width() + 0.5
            if node_look.name.startswith("NWH-HYPERV"):
                assert "…" in text and text.endswith("11")  # cut in the middle: the end tells
            checked += 1
    assert checked >= 3


def test_vm_rows_are_cut_before_their_badge(window: MainWindow, example: Any) -> None:
    open_example(window, example, "training.hvd")
    rules(window)
    scene, design = window.scene, window.document.design
    card = next(c for c in scene.servers.values() if c.vm_severity)
    vm = next(v for v in card.look.vms if v.id in card.vm_severity)
    window.document.do(edits.set_fields, vm.id, name="A-VERY-LONG-VM-NAME-FOR-THE-PAYROLL-DATABASE-01")
    rules(window)
    card = scene.servers[card.entity_id]
    card.set_expanded(True)
    metrics = t.detail_metrics()
    for i, look in enumerate(card.look.vms):
        row = card.vm_row_rect(i)
        end = row.right() - (VM_BADGE_ROOM if look.id in card.vm_severity else 0)
        texts = card.vm_row_texts(i)
        for box, text in texts:
            assert box.right() <= end + 0.5 and box.left() >= row.left()
            assert metrics.horizontalAdvance(text) <= box.width() + 0.5, text
        if look.id == vm.id:
            assert "…" in texts[0][1] and texts[0][1].endswith("01")
            assert texts[1][1].startswith(str(look.disks))  # the disk count still shows
    assert design.vms[vm.id].name.startswith("A-VERY-LONG")


def _outside_by(frame: QRectF, point: QPointF) -> float:
    """Distance from a point to a site frame's rounded outline (negative inside)."""
    r = FRAME_RADIUS
    qx = abs(point.x() - frame.center().x()) - frame.width() / 2 + r
    qy = abs(point.y() - frame.center().y()) - frame.height() / 2 + r
    return math.hypot(max(qx, 0), max(qy, 0)) + min(max(qx, qy), 0) - r


def _assert_pipes_start_at_their_frames(window: MainWindow) -> None:
    design, scene = window.document.design, window.scene
    assert scene.wans
    for wan_id, pipe in scene.wans.items():
        frames = [scene.sites[s].scene_frame() for s in design.wan_links[wan_id].sites]
        for end, frame in zip((pipe.line.p1(), pipe.line.p2()), frames, strict=True):
            assert PIPE_HALF <= _outside_by(frame, end) <= PIPE_HALF + 3, (wan_id, end)


@pytest.mark.parametrize("name", EXAMPLES)
def test_wan_pipes_start_at_the_frame_edge(window: MainWindow, example: Any, name: str) -> None:
    open_example(window, example, name)
    _assert_pipes_start_at_their_frames(window)


def test_a_wan_pipe_between_frames_placed_corner_to_corner_starts_outside_the_corners(
        window: MainWindow, example: Any) -> None:
    """A frame below and beside the other: the pipe leaves through a corner."""
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    wan = next(iter(design.wan_links.values()))
    a, b = (scene.sites[s].scene_frame() for s in wan.sites)
    window.document.do(edits.move, sites={wan.sites[1]: (a.right() + 40, a.bottom() + 60)})
    _assert_pipes_start_at_their_frames(window)
    pipe = scene.wans[wan.id]
    box = pipe.label_box.adjusted(-1, -1, 1, 1)
    line = pipe.line
    for i in range(101):  # the pipe runs clear of its label
        p = line.pointAt(i / 100)
        assert not box.adjusted(-PIPE_HALF, -PIPE_HALF, PIPE_HALF, PIPE_HALF).contains(p)
