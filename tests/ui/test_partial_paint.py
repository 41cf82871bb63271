"""A part of the link layer's picture painted again after an edit (the links near it, from
the scene's index: canvas/links.py) looks as the whole picture painted afresh does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import HeldDrag, click, labels_placed, open_example, open_generated


def grab(window: MainWindow) -> QImage:
    assert window.view is not None
    window.view.viewport().repaint()
    return window.view.viewport().grab().toImage()


def training_at_one_to_one(window: MainWindow, example: Any) -> tuple[Any, Any]:
    """The training example open at 1:1 on its middle, link labels shown and painted."""
    open_example(window, example, "training.hvd")
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    view.set_zoom(1.0)
    view.centerOn(scene.content_rect().center())
    scene.link_layer.show_labels()
    QTest.qWait(50)
    grab(window)
    return view, scene


def test_an_edit_repaints_the_links_as_a_fresh_picture_does(window: MainWindow,
                                                           example: Any) -> None:
    view, scene = training_at_one_to_one(window, example)
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
        window: MainWindow, example: Any, qtbot: Any, zoom: float | None) -> None:
    """A link going live and coming back repaints bands along its routes, its label and
    arrowhead (``LinkLayer.link_moved``), each painted apart: the picture is still whole.
    The drop is painted first with its links still live, over the picture (the layer takes
    them back once a view has painted it: ``LiveLinks.dropped``)."""
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
    moved = {scene.links[r] for r in scene._card_links[card]}
    assert moved and scene.live_links.links == moved
    picture = scene.link_layer._picture
    assert picture is not None and not picture.dirty  # (the layer has nothing to paint again)
    grab(window)  # (the drop, painted: its links still live)
    assert scene.live_links.links == moved
    qtbot.waitUntil(lambda: not scene.live_links.links, timeout=2_000)
    labels_placed(window, qtbot)
    QTest.qWait(20)
    dropped = grab(window)
    assert scene.link_layer.painting == "part"
    scene.link_layer.forget_picture()
    scene.backdrop.forget_picture()
    assert grab(window) == dropped


def test_deleting_a_link_repaints_along_it_alone(window: MainWindow, example: Any) -> None:
    """A delete (and its undo) re-routes no other link of the two cards and marks only the
    deleted link's ground for the link layer to paint again (bands along its route, its
    label and arrowhead; the layer paints the one rectangle round them, CLIP_RECTS): what
    such a paint costs is the links crossing there, which Qt strokes clipped to it (issue
    10: a long diagonal link across a dense view at 1,000 hosts, 5 to 9 ms)."""
    view, scene = training_at_one_to_one(window, example)
    design = scene.design
    hosts = sorted(h.id for h in design.hosts.values() if h.cluster is None)
    before = set(design.replications)
    for target in (hosts[1], hosts[-1]):  # two links from one card, to two others
        window.document.do(edits.draw_replication, hosts[0], target)
    QTest.qWait(20)
    grab(window)
    victim = next(r for r in set(design.replications) - before
                  if design.replications[r].target == hosts[-1])
    ends = scene._link_ends  # (the cards each link joins)
    others = {r for r in ends if r != victim and set(ends[r]) & set(ends[victim])}
    assert others and all(set(ends[r]) != set(ends[victim]) for r in others)
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.intersects(scene.links[victim].boundingRect())
    routes = {r: scene.links[r].route for r in others}
    where = QRectF(scene.links[victim].boundingRect())
    picture = scene.link_layer._picture
    assert picture is not None
    for step in (lambda: window.document.do(edits.delete, [victim]),
                 window.document.undo_stack.undo):
        step()
        assert picture.dirty
        assert all(where.contains(rect) for rect in picture.dirty)
        # (bands along it, its label and arrowhead, not its rectangle, which for a long
        # diagonal link is most of the view)
        assert sum(r.width() * r.height() for r in picture.dirty) < \
            where.width() * where.height() / 2
        assert {r: scene.links[r].route for r in others} == routes
        grab(window)


def test_deleting_a_long_diagonal_link_across_a_generated_design_repaints_it_as_a_fresh_picture_does(
        window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    """A long diagonal link across a generated 250-host design at 1:1, deleted and put back:
    the part painted again along it takes the links there from the link index, which lists
    fewer than the scene's index finds by their rectangles (canvas/linkindex.py), and looks
    as the whole picture painted afresh does (a link the index missed would lose its stroke
    or its label there)."""
    open_generated(window, tmp_path, qtbot)
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    view.centerOn(scene.content_rect().center())
    scene.link_layer.show_labels()
    labels_placed(window, qtbot)
    grab(window)
    shown = view.mapToScene(view.viewport().rect()).boundingRect()

    def slant(rep_id: str) -> float:  # (how far it runs both across and down)
        (sx, sy), _, (ex, ey) = scene.links[rep_id].route
        return min(abs(ex - sx), abs(ey - sy))

    victim = max((r for r, link in scene.links.items()
                  if shown.contains(link.nearest(*shown.center().toTuple())[1])), key=slant)
    assert slant(victim) > shown.height() / 3
    ground = scene.links[victim].boundingRect().intersected(shown)
    layer = scene.link_layer
    for step in (lambda: window.document.do(edits.delete, [victim]),
                 window.document.undo_stack.undo):
        step()
        assert layer.index.covers(ground)
        assert len(layer.index.near(scene.links, ground)) < len(layer._links_near(ground))
        partly = grab(window)
        assert layer.painting == "part"
        layer.forget_picture()
        scene.backdrop.forget_picture()
        assert grab(window) == partly


def test_the_link_index_is_made_for_a_view_once_it_holds_still(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    """Not at the first edit there (50 ms at 5,000 hosts that drawing a link waited); a
    pan makes it again for the new view, once that holds still."""
    view, scene = training_at_one_to_one(window, example)
    layer = scene.link_layer
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    qtbot.waitUntil(lambda: layer.index.covers(shown), timeout=2_000)
    assert layer.index.near(scene.links, shown)  # (the links there, filed)
    bar = view.horizontalScrollBar()  # (half a view to the right: past the grid's reach)
    bar.setValue(bar.value() + view.viewport().width() // 2)
    grab(window)
    moved = view.mapToScene(view.viewport().rect()).boundingRect()
    assert not layer.index.covers(moved) and scene.link_layer.boundingRect().intersects(moved)
    qtbot.waitUntil(lambda: layer.index.covers(moved), timeout=2_000)


@pytest.mark.parametrize(("kind", "zoom"), [("links", 1.0), ("wans", None), ("wans", 1.0),
                                          ("links", None)])
def test_a_link_or_pipe_clicked_and_clicked_off_repaints_along_it_as_a_fresh_picture_does(
        window: MainWindow, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        kind: str, zoom: float | None) -> None:
    """Selected, a link or WAN pipe is drawn highlighted: its layer paints again bands along
    it (and its label), not the rectangle it spans, which for a long slanted one is much of
    the view and every label there. (Zoomed out below 40 %, the link layer paints the
    rectangle round the bands all the same: Qt strokes its curves across a clip of several
    rectangles slower than across their bounds; the pipes' bands stay apart.)"""
    open_generated(window, tmp_path, qtbot)
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    view.fit_content()
    QTest.qWait(200)  # (the window fits the design it opened once shown)
    if zoom is not None:
        view.set_zoom(zoom)
        view.centerOn(scene.content_rect().center())
        QTest.qWait(200)  # (labels shown once the zoom holds still)
        labels_placed(window, qtbot)
    grab(window)
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    members = getattr(scene, kind)
    layer = scene.link_layer if kind == "links" else scene.backdrop
    painted: list[int] = []  # (the area of each region the layer painted again, pixels)
    paint_picture = type(layer)._paint_picture
    monkeypatch.setattr(type(layer), "_paint_picture", lambda self, picture, region, *args: (
        painted.append(sum(r.width() * r.height() for r in region) if region else -1)
        if self is layer else None, paint_picture(self, picture, region, *args))[1])

    def slant(member: Any) -> float:  # (how far it runs both across and down, in view)
        rect = member.boundingRect().intersected(shown)
        return min(rect.width(), rect.height())

    def spot(member: Any) -> QPointF | None:  # (a point of it a click there picks)
        for step in range(5, 96, 3):
            if kind == "links":
                (sx, sy), (cx, cy), (ex, ey) = member.route
                u = step / 100
                at = QPointF((1 - u) ** 2 * sx + 2 * u * (1 - u) * cx + u * u * ex,
                             (1 - u) ** 2 * sy + 2 * u * (1 - u) * cy + u * u * ey)
            else:
                at = member.line.pointAt(step / 100)
            pixel = view.mapFromScene(at)
            if not shown.contains(at):
                continue
            top = view.itemAt(pixel)  # (a line hit squarely, else the one within reach)
            near = view.member_near(QPointF(pixel))
            if top is member or (near is not None and near[0] is member):
                return at
        return None

    member, at = next((m, a) for m in sorted(members.values(), key=slant, reverse=True)
                      if (a := spot(m)) is not None)
    assert slant(member) > shown.height() / 6
    zoom_now = view.transform().m11()
    spans = member.boundingRect().intersected(shown)
    spans_px = spans.width() * spans.height() * zoom_now ** 2
    control = Qt.KeyboardModifier.ControlModifier  # (a Ctrl+click takes it off again)
    for modifiers, selected in ((Qt.KeyboardModifier.NoModifier, True), (control, False)):
        click(view, at, modifiers)
        assert member.isSelected() == selected
        painted.clear()
        partly = grab(window)
        assert layer.painting == "part" and painted and -1 not in painted
        if kind == "wans" or zoom is not None:  # (see above)
            assert sum(painted) < spans_px / 2
        scene.link_layer.forget_picture()
        scene.backdrop.forget_picture()
        assert grab(window) == partly


def test_select_all_and_a_click_off_repaint_as_a_fresh_picture_does(
        window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    """(Thousands of links and pipes selected at once, then none, repaint their rectangles,
    which the layers paint as one: bands along each took seconds.)"""
    open_generated(window, tmp_path, qtbot)
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    view.fit_content()
    QTest.qWait(200)
    grab(window)
    window.select_all()
    assert all(link.isSelected() for link in scene.links.values())
    for step in (lambda: None, scene.clearSelection):
        step()
        partly = grab(window)
        scene.link_layer.forget_picture()
        scene.backdrop.forget_picture()
        assert grab(window) == partly
