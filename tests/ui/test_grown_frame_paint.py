"""A card dropped past its frame's corner grows the frame: the frame's WAN pipes follow it and
the links of its other cards are routed again (most stay where they were). Only what moved
is painted again (canvas/links.py, canvas/boundaries.py, canvas/layers.py), and the picture
after the drop is still the one painted afresh."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QRegion
from PySide6.QtTest import QTest

from hvdesigner.canvas.layers import BackdropLayer
from hvdesigner.canvas.link_layer import LinkLayer
from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import HeldDrag, open_example
from tests.ui.test_partial_paint import grab


def held_past_corner(window: MainWindow, rect: QRectF, frame: QRectF,
                     at: QPointF | None = None) -> HeldDrag:
    """A card (``rect``) pressed on (at its centre, or ``at``) and dragged past its frame's
    bottom right corner, its centre still in the frame, in four steps, each painted; not
    released yet."""
    assert window.view is not None
    shift = QPointF(frame.right() - rect.right() + 60, frame.bottom() - rect.bottom() + 50)
    scale = window.view.transform().m11()
    held = HeldDrag(window.view, rect.center() if at is None else at)
    for step in range(1, 5):
        held.move_by(round(shift.x() * scale * step / 4), round(shift.y() * scale * step / 4))
        grab(window)
    return held


@pytest.mark.parametrize("zoom", [None, 1.0, 0.1])  # fitted, 1:1, and frames, cards layered
@pytest.mark.parametrize("near_most", [LinkLayer.NEAR_MOST, 0])  # (0: as in a dense design)
def test_a_drop_that_grows_a_frame_paints_as_a_fresh_picture_does(
        window: MainWindow, example: Any, zoom: float | None, near_most: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """(With many links about a part, it strokes the groups' paths clipped to it, not the
    links there: the same pixels. The bands along the frame's pipes are a part of several
    rectangles: painted unclipped on a picture of their own and copied through them.)"""
    monkeypatch.setattr(LinkLayer, "NEAR_MOST", near_most)
    through: list[int] = []
    paint_through = BackdropLayer._paint_through

    def counted(layer: BackdropLayer, picture: Any, region: QRegion, *args: Any) -> None:
        through.append(region.rectCount())
        paint_through(layer, picture, region, *args)

    monkeypatch.setattr(BackdropLayer, "_paint_through", counted)
    open_example(window, example, "training.hvd")
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    design = scene.design
    site = max(design.sites, key=lambda s: (sum(s in w.sites for w in design.wan_links.values()),
                                            s))
    pipes = [w for w, link in design.wan_links.items() if site in link.sites]
    cards = [c for c, item in scene.servers.items() if design.get(c).site == site]
    card = max(cards, key=lambda c: (len(design.replications_at(c)), c))
    item = scene.servers[card]
    frame = scene.sites[site].scene_frame()
    rect = item.mapRectToScene(item.card_rect())
    view.fit_content()
    if zoom is not None:
        view.set_zoom(zoom)
        view.centerOn(frame.bottomRight())
    QTest.qWait(200)  # (labels shown once the zoom holds still)
    grab(window)
    before = {w: QLineF(scene.wans[w].line) for w in pipes}
    held_past_corner(window, rect, frame).release()
    QTest.qWait(20)
    dropped = grab(window)
    grown = scene.sites[site].scene_frame()
    assert design.get(card).site == site
    assert grown.right() > frame.right() and grown.bottom() > frame.bottom()
    assert any(scene.wans[w].line != before[w] for w in pipes)
    assert scene.backdrop.painting == "part" and scene.link_layer.painting == "part"
    assert through and min(through) > 1
    for layer in (scene.link_layer, scene.backdrop, scene.card_layer, scene.frame_layer):
        layer.forget_picture()
    assert grab(window) == dropped


@pytest.mark.parametrize("zoom", [None, 1.0])  # fitted, and 1:1
def test_a_node_taken_out_of_its_cluster_and_back_paints_as_a_fresh_picture_does(
        window: MainWindow, example: Any, zoom: float | None) -> None:
    """(Its new card, with its place, grows the frame below the cards; the cluster's card
    loses a chip; only those are routed and painted again: canvas/scene.py.)"""
    open_example(window, example, "training.hvd")
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    design = scene.design
    node = min(h.id for h in design.hosts.values() if h.cluster is not None)
    view.fit_content()
    if zoom is not None:
        view.set_zoom(zoom)
        view.centerOn(scene.servers[design.hosts[node].cluster].sceneBoundingRect().center())
    QTest.qWait(200)
    grab(window)
    for step, edit in enumerate((lambda: window.document.do(edits.set_fields, node, cluster=None),
                                 window.document.undo_stack.undo)):
        edit()
        QTest.qWait(200)  # (labels placed once things hold still)
        shown = grab(window)
        assert (node in scene.servers) == (step == 0)
        for layer in (scene.link_layer, scene.backdrop, scene.card_layer, scene.frame_layer):
            layer.forget_picture()
        assert grab(window) == shown
