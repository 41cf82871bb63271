"""How the canvas looks on the bundled examples: text that fits its box, labels clear of each
other and of frame edges, WAN pipes that start at their frames, upright badges, and the hint
an empty canvas shows. Geometry where it is geometry, pixels where only pixels tell."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QColor

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.glyphs import glyph_colour
from hvdesigner.canvas.items import VM_BADGE_ROOM
from hvdesigner.canvas.looks import FirewallLook
from hvdesigner.canvas.theme import SEVERITY_DARK, SEVERITY_LIGHT
from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import open_example, rules


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
