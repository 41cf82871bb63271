"""WAN pipes moved by a drag repaint bands along where they were and are, not the
rectangles they span (canvas/pipes.py): the picture after the drop is still the one
painted afresh."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QLineF, QPointF
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from hvdesigner.canvas.layers import BackdropLayer
from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import HeldDrag, open_example


def grab(window: MainWindow) -> QImage:
    assert window.view is not None
    window.view.viewport().repaint()
    return window.view.viewport().grab().toImage()


@pytest.mark.parametrize("zoom", [None, 1.0, 0.1])  # fitted, 1:1, pipes as lines (LOD_BLOCK)
def test_a_dragged_site_repaints_its_pipes_as_a_fresh_picture_does(
        window: MainWindow, example: Any, zoom: float | None) -> None:
    open_example(window, example, "training.hvd")
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    design = scene.design
    site = max(design.sites, key=lambda s: sum(s in w.sites for w in design.wan_links.values()))
    pipes = [w for w, link in design.wan_links.items() if site in link.sites]
    assert pipes
    frame = scene.sites[site].scene_frame()
    title = frame.topLeft() + QPointF(frame.width() / 2, 12)
    view.fit_content()
    if zoom is not None:
        view.set_zoom(zoom)
        view.centerOn(title)
    QTest.qWait(200)
    grab(window)
    before = {w: QLineF(scene.wans[w].line) for w in pipes}
    held = HeldDrag(view, title)
    for step in range(1, 6):
        held.move_by(step * 8, step * 5)
        grab(window)
    held.release()
    QTest.qWait(20)
    dropped = grab(window)
    assert scene.sites[site].scene_frame() != frame  # (the drag moved the frame)
    assert any(scene.wans[w].line != before[w] for w in pipes)
    assert scene.backdrop.painting == "part"
    scene.link_layer.forget_picture()
    scene.backdrop.forget_picture()
    assert grab(window) == dropped


def test_a_new_bandwidth_repaints_the_pipe_label_as_a_fresh_picture_does(
        window: MainWindow, example: Any) -> None:
    """A WAN link's new look repaints its label alone (the line stayed): the picture is
    still the one painted afresh."""
    open_example(window, example, "training.hvd")
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    wan_id, pipe = next(iter(scene.wans.items()))
    view.set_zoom(1.0)
    view.centerOn(pipe.label_box.center())
    QTest.qWait(200)
    grab(window)
    bandwidth = scene.design.wan_links[wan_id].bandwidth_mbps
    window.document.do(edits.set_fields, wan_id, bandwidth_mbps=bandwidth * 10)
    QTest.qWait(20)
    shown = grab(window)
    assert scene.backdrop.painting == "part"
    assert str(int(bandwidth * 10)) in pipe.look.label
    scene.link_layer.forget_picture()
    scene.backdrop.forget_picture()
    assert grab(window) == shown


def test_a_pipe_changed_out_of_view_paints_nothing_until_it_comes_into_view(
        window: MainWindow, example: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """(Going through the members for a part wholly out of view took 3 ms at 5,000 hosts,
    for every link drawn or deleted that changed the load of a pipe off screen.) Panned
    to, the pipe shows its new label. (Only the label is compared there: after a pan a
    few antialiased pixels at the view's edge are a shade off the fresh picture's, as
    they were before.)"""
    open_example(window, example, "training.hvd")
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    view.set_zoom(1.0)
    far = max(scene.wans.items(), key=lambda w: w[1].label_box.center().x())
    near = min(scene.wans.items(), key=lambda w: w[1].label_box.center().x())
    view.centerOn(near[1].label_box.center())
    QTest.qWait(200)
    grab(window)
    assert not view.mapToScene(view.viewport().rect()).boundingRect().intersects(
        far[1].boundingRect())
    painted: list[str] = []
    paint_members = BackdropLayer.paint_members
    monkeypatch.setattr(BackdropLayer, "paint_members",
                        lambda layer, *args: painted.append(layer.painting) or paint_members(layer, *args))
    bandwidth = scene.design.wan_links[far[0]].bandwidth_mbps
    window.document.do(edits.set_fields, far[0], bandwidth_mbps=bandwidth * 10)
    QTest.qWait(20)
    shown = grab(window)
    assert painted == []
    scene.backdrop.forget_picture()
    assert grab(window) == shown
    view.centerOn(far[1].label_box.center())
    QTest.qWait(20)
    label = view.mapFromScene(far[1].label_box).boundingRect().adjusted(-2, -2, 2, 2)
    panned = grab(window).copy(label)
    assert str(int(bandwidth * 10)) in far[1].look.label
    scene.backdrop.forget_picture()
    assert grab(window).copy(label) == panned  # (its new label, as painted afresh)


@pytest.mark.parametrize("zoom", [0.1, 0.3])
def test_a_pipe_zoomed_out_below_lod_block_is_one_line_above_it_a_pipe(
        qapp: Any, zoom: float) -> None:
    """Below LOD_BLOCK (cards are filled boxes there) a pipe is one line, about as wide as
    the pipe at LOD_BLOCK; above, the pipe's two edges with its base-coloured core between."""
    from PySide6.QtGui import QPainter, QTransform

    from hvdesigner.canvas import theme as t
    from hvdesigner.canvas.looks import WanLook
    from hvdesigner.canvas.pipes import WanItem
    from hvdesigner.canvas.theme import Theme, light_palette

    theme = Theme.from_palette(light_palette())
    pipe = WanItem("w1", WanLook("MPLS", 200, 0))
    pipe.line = QLineF(0, 50 / zoom, 4000 / zoom, 50 / zoom)  # (level, across row 50)
    image = QImage(400, 100, QImage.Format.Format_ARGB32)
    image.fill(theme.frame_fill())  # (a site frame's: the core is the base colour)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setWorldTransform(QTransform.fromScale(zoom, zoom))
    pipe.paint_into(painter, theme, zoom, pipe.boundingRect())
    painter.end()
    column = [image.pixelColor(200, y) for y in range(100)]
    inked = [y for y, c in enumerate(column) if c.rgb() != theme.frame_fill().rgb()]
    assert inked and inked == list(range(inked[0], inked[-1] + 1))  # (one run of ink)
    darkest = min(c.lightness() for c in column)
    core = [column[y].lightness() for y in inked[1:-1]]
    if zoom < t.LOD_BLOCK:
        assert len(inked) <= 3 and not any(c > darkest + 40 for c in core)
    else:  # (the core, lighter than the edges, between them)
        assert any(c > darkest + 40 for c in core)


def test_a_pan_keeps_a_firewall_boundary_s_dashes_in_step(
        window: MainWindow, tmp_path: Any) -> None:
    """The picture panned along keeps the dashes it had; those must be where a fresh paint
    puts them (a dashed pen's pattern restarted where the outline entered the picture, so
    76 pixels of a boundary round many sites, across the view's edge, were out of step).
    (Only the first pan: after the next, a long pipe across the view's edge keeps a few
    hundred pixels a shade off, Qt cutting its wide line at the picture's edge.)"""
    import json

    from tests.ui.test_mesh_drop_paint import mesh_design

    path = tmp_path / "mesh.hvd"
    path.write_text(json.dumps(mesh_design()), encoding="utf-8")
    assert window.open_path(str(path))
    view, scene = window.view, window.scene
    assert view is not None and scene is not None and scene.firewalls
    view.set_zoom(1.0)
    wans = sorted(scene.design.wan_links)
    for wan in wans[:2]:  # (from one pipe's label to the next: a pan of whole pixels)
        view.centerOn(scene.wans[wan].label_box.center())
        QTest.qWait(20)
        shown = grab(window)
        scene.backdrop.forget_picture()
        assert grab(window) == shown, wan
