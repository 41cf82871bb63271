"""A link whose label changes (its text, its badge) repaints the label alone; one whose stroke
changes (Kerberos across sites: dashed, in the warning colour) repaints along its route
(canvas/links.py): the picture is still the one painted afresh."""

from __future__ import annotations

from typing import Any

from PySide6.QtTest import QTest

from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import open_example
from tests.ui.test_partial_paint import grab


def test_a_new_label_or_stroke_repaints_as_a_fresh_picture_does(window: MainWindow,
                                                                 example: Any) -> None:
    open_example(window, example, "training.hvd")
    view, scene, document = window.view, window.scene, window.document
    assert view is not None and scene is not None
    design = scene.design
    rep_id = min(r.id for r in design.replications.values()
                 if design.get(r.source).site != design.get(r.target).site)
    link = scene.links[rep_id]
    view.set_zoom(1.0)
    view.centerOn(*link.label_pos)
    document.check_now()
    QTest.qWait(200)  # (labels shown once the zoom holds still)
    grab(window)
    frequency = design.replications[rep_id].frequency_s
    auth = design.replications[rep_id].auth
    for change in ({"frequency_s": 30 if frequency != 30 else 300},
                   {"auth": "kerberos" if auth == "certificate" else "certificate"}):
        text, style = link.label_text, link.look.unencrypted_across_sites
        document.do(edits.set_fields, rep_id, **change)
        document.check_now()
        QTest.qWait(20)
        shown = grab(window)
        assert link.label_text != text or link.look.unencrypted_across_sites != style
        assert scene.link_layer.painting == "part"
        scene.link_layer.forget_picture()
        scene.backdrop.forget_picture()
        assert grab(window) == shown


def test_a_label_hides_what_is_beneath_it(window: MainWindow, example: Any) -> None:
    """Its box is opaque, in the window's colour (a translucent one let a shade of the link
    beneath through, and Qt fills a translucent turned box ten times slower: a drop at 1:1
    repainted fifty of them)."""
    import math

    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter

    open_example(window, example, "training.hvd")
    scene = window.scene
    assert scene is not None
    for link in scene.links.values():
        image = QImage(400, 400, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.black)  # (as if strokes passed everywhere beneath)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(200 - link.label_pos[0], 200 - link.label_pos[1])
        link.paint_into(painter, scene.theme, 1.0, QRectF(-1e6, -1e6, 2e6, 2e6))
        painter.end()
        angle = math.radians(link.angle)
        along = link.label_box().right() - 5  # (past the text, before the box's end)
        spot = QPointF(200 + along * math.cos(angle), 200 + along * math.sin(angle))
        assert image.pixelColor(spot.toPoint()) == scene.theme.window, link.entity_id


def test_a_part_of_two_far_rectangles_paints_the_labels_in_them_not_those_between(
        window: MainWindow, tmp_path: Any, monkeypatch: Any, qtbot: Any) -> None:
    """(A long link handed back by a drop at 1:1 repainted fifty labels round its bands.)"""
    from PySide6.QtCore import QRectF

    from hvdesigner.canvas.links import ReplicationItem
    from tests.ui.conftest import labels_placed, open_generated

    open_generated(window, tmp_path, qtbot)
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    size = view.mapToScene(view.viewport().rect()).boundingRect().size()

    def labels_round(item: ReplicationItem) -> int:  # (in a view centred on its label)
        x, y = item.label_pos
        there = QRectF(x - size.width() / 2, y - size.height() / 2, size.width(), size.height())
        return sum(there.contains(i.label_area) for i in scene.links.values())

    view.centerOn(*max(scene.links.values(), key=labels_round).label_pos)
    QTest.qWait(200)  # (labels shown once the zoom holds still)
    labels_placed(window, qtbot)
    grab(window)
    assert scene.link_layer.labels and view.zoom() == 1.0
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    labelled = sorted((i for i in scene.links.values() if shown.contains(i.label_area)),
                      key=lambda i: i.label_pos)
    first, last = labelled[0], labelled[-1]
    between = QRectF(first.label_area).united(last.label_area)
    near = [item.label_area.adjusted(-8, -8, 8, 8) for item in (first, last)]  # (+ AA)
    others = [i for i in labelled if i.label_area.intersects(between)
              and not any(i.label_area.intersects(r) or i.arrow_area.intersects(r) for r in near)]
    assert others  # (labels round the two, in neither)
    painted: list[str] = []
    paint_into = ReplicationItem.paint_into

    def counted(item: ReplicationItem, *args: Any) -> None:
        painted.append(item.entity_id)
        paint_into(item, *args)

    monkeypatch.setattr(ReplicationItem, "paint_into", counted)
    for item in (first, last):
        scene.link_layer.repaint_area(QRectF(item.label_area))
    partly = grab(window)
    assert first.entity_id in painted and last.entity_id in painted
    assert scene.link_layer.painting == "part"
    assert not {i.entity_id for i in others} & set(painted)
    scene.link_layer.forget_picture()
    assert grab(window) == partly
