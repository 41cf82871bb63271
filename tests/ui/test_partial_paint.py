"""A part of the link layer's picture painted again after an edit (the links near it, from
the scene's index: canvas/links.py) looks as the whole picture painted afresh does."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import open_example


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
