"""A part of the link layer's picture painted again after an edit (the links near it, from
the scene's index: canvas/links.py) looks as the whole picture painted afresh does."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import HeldDrag, open_example


def grab(window: MainWindow) -> QImage:
    assert window.view is not None
    window.view.viewport().repaint()
    return window.view.viewport().grab().toImage()


def test_an_edit_repaints_the_links_as_a_fresh_picture_does(window: MainWindow,
                                                           example: Any) -> None:
    open_example(window, example, "training.hvd")
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    view.set_zoom(1.0)
    view.centerOn(scene.content_rect().center())
    scene.link_layer.show_labels()
    QTest.qWait(50)
    grab(window)
    design = scene.design
    hosts = sorted(h.id for h in design.hosts.values() if h.cluster is None)
    victim = sorted(scene.links)[0]
    for step in (lambda: window.document.do(edits.draw_replication, hosts[0], hosts[-1]),
                 lambda: window.document.do(edits.delete, [victim]),
                 window.document.undo_stack.undo):
        step()
        scene.clearSelection()
        QTest.qWait(20)  # (labels placed, badges come later: the check is not run here)
        partly = grab(window)
        assert scene.link_layer.painting == "part"
        scene.link_layer.forget_picture()
        scene.backdrop.forget_picture()
        assert grab(window) == partly


@pytest.mark.parametrize("zoom", [None, 1.0])  # fitted (labels left out), and 1:1
def test_a_dragged_and_dropped_card_repaints_its_links_as_a_fresh_picture_does(
        window: MainWindow, example: Any, zoom: float | None) -> None:
    """A link going live and coming back repaints bands along its routes, its label and
    arrowhead (``LinkLayer.link_moved``), each painted apart: the picture is still whole."""
    open_example(window, example, "training.hvd")
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    design = scene.design
    card = max((h.id for h in design.hosts.values() if h.cluster is None),
               key=lambda h: len(design.replications_at(h)))
    item = scene.servers[card]
    start = item.mapToScene(item.card_rect().center())
    view.fit_content()
    if zoom is not None:
        view.set_zoom(zoom)
        view.centerOn(start)
    QTest.qWait(200)  # (labels shown once the zoom holds still)
    grab(window)
    held = HeldDrag(view, start)
    for step in range(1, 6):
        held.move_by(step * 6, step * 4)
        grab(window)
    held.release()
    QTest.qWait(20)
    dropped = grab(window)
    assert scene.link_layer.painting == "part"
    scene.link_layer.forget_picture()
    scene.backdrop.forget_picture()
    assert grab(window) == dropped
