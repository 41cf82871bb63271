"""A card dropped past its frame's corner, fitted to a design whose WAN pipes make a mesh:
the frame grows, its seven pipes move, and twenty others cross them. The backdrop paints
again the pipes that come within the bands along the moved ones (canvas/paintgrid.py), not
every pipe whose rectangle meets the bands' (canvas/layers.py), and its picture after the
drop, and after its undo, is still the one painted afresh."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtTest import QTest

from bench.generate import generate_design
from hvdesigner.canvas.bands import nearest_on_segment
from hvdesigner.canvas.layers import LayerMember
from hvdesigner.canvas.pipes import PIPE_HALF, WanItem
from hvdesigner.ui.main_window import MainWindow
from tests.ui.test_grown_frame_paint import held_past_corner
from tests.ui.test_partial_paint import grab


def mesh_design() -> dict[str, Any]:
    """A small generated design (16 sites) with forty WAN links more, between every third
    pair of sites it does not join yet: pipes across each other's ways, as in a large one."""
    doc = generate_design(3, sites=16, hosts=32, clusters=2, vms=32, replications=20,
                          firewalls=3)
    sites = [s["id"] for s in doc["sites"]]
    joined = {frozenset(w["sites"]) for w in doc["wan_links"]}
    pairs = [(a, b) for a, b in itertools.combinations(sites, 2) if frozenset((a, b)) not in joined]
    for n, (a, b) in enumerate(pairs[::3][:40]):
        doc["wan_links"].append({"id": f"mesh-{n}", "name": f"Mesh {n}", "sites": [a, b],
                                 "bandwidth_mbps": 100})
    return doc


def apart(a: QLineF, b: QLineF) -> float:
    """How far apart two segments are (0 where they cross)."""
    if a.intersects(b)[0] == QLineF.IntersectionType.BoundedIntersection:
        return 0.0
    return min(nearest_on_segment(s.x1(), s.y1(), s.x2(), s.y2(), p.x(), p.y())[0]
               for s, t in ((a, b), (b, a)) for p in (t.p1(), t.p2()))


def fresh_backdrop(scene: Any) -> None:
    """Paint the backdrop and the cards afresh, the links' picture kept: the links' own
    parts are left out of this comparison (a few antialiased pixels where links cross the
    grown frame's corner are a shade off the fresh picture's, as they were before)."""
    scene.backdrop.forget_picture()
    scene.card_layer.forget_picture()


@pytest.mark.parametrize("zoom", [None, 0.14])  # fitted (0.28); pipes as thin lines
def test_a_drop_fitted_to_a_mesh_of_pipes_paints_the_pipes_it_crossed_as_a_fresh_picture_does(
        window: MainWindow, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        zoom: float | None) -> None:
    path = tmp_path / "mesh.hvd"
    path.write_text(json.dumps(mesh_design()))
    assert window.open_path(str(path))
    view, scene, document = window.view, window.scene, window.document
    assert view is not None and scene is not None
    document.check_now()
    qtbot.waitUntil(lambda: not scene.badging, timeout=10_000)
    design = scene.design
    site = max(sorted(design.sites), key=lambda s: sum(s in w.sites for w in design.wan_links.values()))
    pipes = [scene.wans[w] for w, link in design.wan_links.items() if site in link.sites]
    card = max((c for c in scene.servers if design.get(c).site == site),
               key=lambda c: (len(design.replications_at(c)), c))
    item = scene.servers[card]
    frame = scene.sites[site].scene_frame()
    rect = item.mapRectToScene(item.card_rect())
    view.fit_content()
    QTest.qWait(200)  # (the window fits the design it opened once shown: before zooming)
    if zoom is not None:
        view.set_zoom(zoom)
        view.centerOn(frame.center())
        QTest.qWait(200)
    grab(window)
    before = {pipe: QLineF(pipe.line) for pipe in pipes}
    painted: list[LayerMember] = []

    def recorded(paint: Any) -> Any:
        return lambda pipe, *args: (
            painted.append(pipe) if scene.backdrop.painting == "part" else None,
            paint(pipe, *args))[1]

    for name in ("paint_into", "thin_lines"):  # (below LOD_BLOCK the layer draws the latter)
        monkeypatch.setattr(WanItem, name, recorded(getattr(WanItem, name)))
    clipped: list[QRectF | None] = []  # (the clip of each part's thin lines)
    draw_lines = QPainter.drawLines
    monkeypatch.setattr(QPainter, "drawLines", lambda painter, *args: (
        clipped.append(painter.clipBoundingRect() if painter.hasClipping() else None)
        if scene.backdrop.painting == "part" else None, draw_lines(painter, *args))[1])
    # (by its name: zoomed out, a pipe or link over the card's middle takes a click there)
    held = held_past_corner(window, rect, frame, rect.topLeft() + QPointF(40, 12))
    assert item.isSelected()
    painted.clear()
    held.release()
    QTest.qWait(20)
    dropped = grab(window)
    assert design.get(card).site == site
    grown = scene.sites[site].scene_frame()
    assert grown.right() > frame.right() and grown.bottom() > frame.bottom()
    moved = [pipe for pipe in pipes if pipe.line != before[pipe]]
    assert len(moved) >= 5
    assert scene.backdrop.painting == "part"
    # every moved pipe, and of the others those that come within a band along one (16
    # pixels across its slant, a few more round it), not every one whose rectangle meets
    # the rectangle round the moved pipes
    around = QRectF()
    for pipe in moved:
        around = around.united(pipe.boundingRect()).united(
            QRectF(before[pipe].p1(), before[pipe].p2()).normalized())
    by_bounds = {pipe for pipe in scene.wans.values() if pipe.boundingRect().intersects(around)}
    reach = 40 / view.transform().m11() + PIPE_HALF + 1
    lines = [line for pipe in moved for line in (before[pipe], pipe.line)]
    assert set(moved) <= set(painted)
    assert all(min(apart(pipe.line, line) for line in lines) <= reach for pipe in painted)
    assert len(set(painted)) < len(by_bounds)
    # below LOD_BLOCK, the thin lines clipped to the part's bounds (not stroked the length
    # of the view), and as painted afresh all the same
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    if zoom is not None:
        assert clipped and None not in clipped
        assert all(r is not None and r.width() * r.height() < shown.width() * shown.height() / 2
                   for r in clipped)
    else:
        assert not clipped
    fresh_backdrop(scene)
    assert grab(window) == dropped

    document.undo_stack.undo()
    QTest.qWait(20)
    undone = grab(window)
    assert all(pipe.line == before[pipe] for pipe in pipes)
    fresh_backdrop(scene)
    assert grab(window) == undone
