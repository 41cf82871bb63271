"""Zoomed far out, the cards and site frames that are not selected are painted by the card
and frame layers (pictures of the view, canvas/block_layers.py): a drag frame then paints
the moving card alone, and a repaint across many frames copies them. These drive the canvas
zoomed out below ``LOD_BLOCK`` and check that what it shows after each change is what a
picture painted afresh shows, and where."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from hvdesigner.canvas.items import ServerItem
from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import HeldDrag, click, open_example, pixels_like

ZOOM = 0.1  # (below LOD_BLOCK: cards are filled boxes)


def zoomed_out(window: MainWindow, example: Any) -> Any:
    open_example(window, example, "training.hvd")
    view, scene = window.view, window.scene
    assert view is not None and scene is not None
    view.fit_content()
    view.set_zoom(ZOOM)
    view.centerOn(scene.content_rect().center())
    QTest.qWait(50)
    assert scene.card_layer.active and scene.frame_layer.active
    return scene


def grab(window: MainWindow) -> QImage:
    assert window.view is not None
    window.view.viewport().repaint()
    return window.view.viewport().grab().toImage()


def fresh(window: MainWindow) -> QImage:
    """The view with every picture painted anew."""
    scene = window.scene
    assert scene is not None
    for layer in (scene.card_layer, scene.frame_layer, scene.link_layer, scene.backdrop):
        layer.forget_picture()
    return grab(window)


def each_shown_as_fresh(window: MainWindow, steps: list[Any],
                        then: Any = lambda: None) -> list[Any]:
    """Take the steps in turn (the selection cleared after each: every block back in its
    layer); after each the view shows what a fresh picture shows. What ``then`` says after
    each step."""
    scene = window.scene
    assert scene is not None
    grab(window)
    said = []
    for step in steps:
        step()
        scene.clearSelection()
        QTest.qWait(20)
        shown = grab(window)
        assert shown == fresh(window)
        said.append(then())
    return said


def centre(card: ServerItem) -> QPointF:
    return card.mapToScene(card.card_rect().center())


def test_zoomed_out_the_layer_paints_the_cards_and_zoomed_in_they_paint_themselves(
        window: MainWindow, example: Any) -> None:
    scene = zoomed_out(window, example)
    view = window.view
    assert view is not None
    blocks = [*scene.servers.values(), *scene.sites.values()]
    assert all(b.layered for b in blocks)
    view.set_zoom(1.0)
    assert not any(b.layered for b in blocks)
    view.set_zoom(ZOOM)
    assert all(b.layered for b in blocks)
    assert grab(window) == fresh(window)


def test_a_card_dragged_zoomed_out_shows_at_its_new_place_and_not_at_the_old(
        window: MainWindow, example: Any) -> None:
    scene = zoomed_out(window, example)
    view = window.view
    assert view is not None
    design = scene.design
    card = scene.servers[min(h for h in design.hosts if design.hosts[h].cluster is None)]
    start = centre(card)
    grab(window)
    held = HeldDrag(view, start)
    assert card.isSelected() and not card.layered  # (it paints itself while it moves)
    for step in range(1, 7):
        held.move_by(step * 5, step * 4)
        grab(window)
    held.release()
    QTest.qWait(20)
    moved = centre(card)
    assert (moved - start).manhattanLength() > 200
    assert grab(window) == fresh(window)
    scene.clearSelection()  # (back into the layer's picture)
    assert card.layered
    dropped = grab(window)
    mid = scene.theme.mid
    assert pixels_like(view, moved, mid, radius=3) > 0
    assert pixels_like(view, start, mid, radius=3) == 0
    assert fresh(window) == dropped


def test_edits_zoomed_out_keep_the_picture_of_the_cards_right(window: MainWindow,
                                                              example: Any) -> None:
    scene = zoomed_out(window, example)
    document = window.document
    design = scene.design
    host = min(h for h in design.hosts if design.hosts[h].cluster is None)
    site = design.hosts[host].site
    near = centre(scene.servers[host])
    steps = [
        lambda: document.do(edits.rename, host, "a much longer name for this host"),
        lambda: document.do(edits.add_server, "host", (near.x() + 300, near.y() + 200), site),
        lambda: document.do(edits.delete, [host]),
        document.undo_stack.undo,  # (the deleted card comes back)
        document.undo_stack.undo,
    ]
    each_shown_as_fresh(window, steps)
    assert host in scene.servers and scene.servers[host].layered


def test_a_card_clicked_zoomed_out_shows_its_selection(window: MainWindow,
                                                       example: Any) -> None:
    scene = zoomed_out(window, example)
    view = window.view
    assert view is not None
    card = next(iter(scene.servers.values()))
    box = view.mapFromScene(card.sceneBoundingRect()).boundingRect().adjusted(-3, -3, 3, 3)
    before = grab(window).copy(box)
    click(view, centre(card))
    assert card.isSelected() and not card.layered
    chosen = grab(window)
    assert chosen.copy(box) != before  # (the highlighted outline)
    assert chosen == fresh(window)
    scene.clearSelection()
    assert card.layered
    assert grab(window).copy(box) == before


def test_a_card_dropped_over_the_foot_of_a_tall_card_repaints_the_tall_card_there(
        window: MainWindow, example: Any) -> None:
    """A part of the picture paints every card whose bounds reach into it: a card showing
    sixteen VM rows, whose top is far above the part, is painted again where a card moved
    from below it was laid over its foot."""
    open_example(window, example, "training.hvd")
    scene, document, view = window.scene, window.document, window.view
    assert scene is not None and view is not None
    for _ in range(16):
        document.do(edits.add_vm, "den-hv01")
    tall, other = scene.servers["den-hv01"], scene.servers["den-hv02"]
    tall.set_expanded(True)
    scene.clearSelection()
    view.fit_content()
    view.set_zoom(ZOOM)
    view.centerOn(centre(tall))
    QTest.qWait(50)
    assert scene.card_layer.active and tall.layered and other.layered
    foot = tall.mapRectToScene(tall.card_rect())
    assert foot.height() > 3 * other.card_rect().height()
    for y in (foot.bottom() + 30, foot.bottom() - 20):  # (below the foot, then over it)
        document.do(edits.move, {"den-hv02": (foot.left() + 40, y)})
        scene.clearSelection()
        QTest.qWait(20)
        grab(window)
    moved = other.mapRectToScene(other.card_rect())
    assert moved.intersects(foot) and moved.top() > foot.top() + 2 * moved.height()
    shown = grab(window)
    assert shown == fresh(window)


def test_the_layer_s_grid_files_every_card_it_paints_where_it_is(window: MainWindow,
                                                                  example: Any) -> None:
    """A part of the picture paints the cards its grid finds there (not those the scene's
    index finds: thousands of long links' rectangles cover any spot of a large design), so
    after every edit the grid holds each card the layer paints, filed where it is now."""
    scene = zoomed_out(window, example)
    document, design = window.document, scene.design
    host = min(h for h in design.hosts if design.hosts[h].cluster is None)
    at = centre(scene.servers[host])
    site = design.hosts[host].site  # (its frame moved: its cards are carried)
    frame = scene.sites[site].scene_frame()

    def filed() -> dict[str, tuple[float, ...]]:
        return {card.entity_id: tuple(shapes[0])
                for card, (shapes, _) in scene.card_layer.grid._of.items()}

    def painted() -> dict[str, tuple[float, ...]]:
        return {c.entity_id: c.sceneBoundingRect().getCoords()
                for c in scene.servers.values() if c.layered}

    steps = [
        lambda: document.do(edits.move, {host: (at.x() + 900, at.y() + 400)}),
        lambda: document.do(edits.rename, host, "a much longer name for this host"),
        lambda: scene.servers[host].set_expanded(True),
        lambda: document.do(edits.add_vm, host),
        lambda: document.do(edits.delete, [host]),
        document.undo_stack.undo,
        lambda: document.do(edits.move, sites={site: (frame.x() + 700, frame.y() + 500)}),
        lambda: window.view.set_zoom(1.0),  # (in: every card paints itself)
        lambda: window.view.set_zoom(ZOOM),
    ]
    assert filed() == painted() and painted()
    for step in steps:
        step()
        scene.clearSelection()
        QTest.qWait(20)
        grab(window)
        assert filed() == painted()
    assert host in filed()


def frame_edge(scene: Any, site: str) -> QPointF:
    """A point on a site frame's empty left edge (a click there picks the frame)."""
    frame = scene.sites[site].scene_frame()
    return QPointF(frame.left() + 6, frame.center().y())


def zoomed_out_frame(window: MainWindow, example: Any) -> tuple[Any, Any, str, Any]:
    """Zoomed out (``zoomed_out``): the scene, the view, the first site and its frame."""
    scene = zoomed_out(window, example)
    assert window.view is not None
    site = min(scene.sites)
    return scene, window.view, site, scene.sites[site]


def test_a_frame_clicked_zoomed_out_shows_its_selection_and_clicked_off_goes_back(
        window: MainWindow, example: Any) -> None:
    scene, view, site, item = zoomed_out_frame(window, example)
    box = view.mapFromScene(item.sceneBoundingRect()).boundingRect().adjusted(-3, -3, 3, 3)
    before = grab(window).copy(box)
    click(view, frame_edge(scene, site))
    assert item.isSelected() and not item.layered  # (it paints its highlight itself)
    chosen = grab(window)
    assert chosen.copy(box) != before  # (its outline in the highlight's colour)
    assert chosen == fresh(window)
    click(view, scene.content_rect().topLeft() + QPointF(-200, -200))  # (empty canvas)
    assert not item.isSelected() and item.layered
    assert grab(window).copy(box) == before


def test_a_frame_dragged_zoomed_out_shows_at_its_new_place_and_not_at_the_old(
        window: MainWindow, example: Any) -> None:
    scene, view, site, item = zoomed_out_frame(window, example)
    start = item.scene_frame()
    grab(window)
    held = HeldDrag(view, frame_edge(scene, site))
    for step in range(1, 5):
        held.move_by(0, -step * 20)  # (up, clear of the other frames)
        grab(window)
    held.release()
    QTest.qWait(20)
    moved = item.scene_frame()
    assert moved.top() < start.top() - 300 and moved.left() == start.left()
    assert grab(window) == fresh(window)
    scene.clearSelection()  # (back into the layer's picture)
    assert item.layered
    shown = grab(window)
    fill = scene.theme.frame_fill()
    below = QPointF(start.center().x(), start.bottom() - 20)  # (left bare by the move)
    assert moved.bottom() < below.y()
    assert pixels_like(view, below, fill, radius=3, tolerance=2) == 0
    assert pixels_like(view, QPointF(moved.center().x(), moved.top() + 30), fill,
                       radius=3, tolerance=2) > 0
    assert fresh(window) == shown


def test_edits_of_sites_zoomed_out_keep_the_picture_of_the_frames_right(
        window: MainWindow, example: Any) -> None:
    """A frame added, grown by a card dropped past its corner, moved by undo, deleted and
    brought back: each time the picture is the one painted afresh."""
    scene = zoomed_out(window, example)
    document, design = window.document, scene.design
    site = min(scene.sites)
    frame = scene.sites[site].scene_frame()
    host = min(h for h in design.hosts if design.hosts[h].site == site
               and design.hosts[h].cluster is None)
    card = scene.servers[host].mapRectToScene(scene.servers[host].card_rect())
    past = (frame.right() - card.width() / 2 - 10, frame.bottom() - card.height() / 2 + 40)
    steps = [
        lambda: document.do(edits.add_site, (frame.left(), frame.top() - 2000)),
        lambda: document.do(edits.move, {host: past}),
        lambda: document.do(edits.move, sites={site: (frame.x() + 400, frame.y() - 900)}),
        document.undo_stack.undo,
        lambda: document.do(edits.delete, [site]),
        document.undo_stack.undo,
    ]
    frames = each_shown_as_fresh(window, steps, lambda: scene.sites[site].scene_frame()
                                 if site in scene.sites else None)
    assert frames[1].bottom() > frame.bottom()  # (the drop grew the frame)
    assert frames[2].top() < frames[1].top() and frames[3] == frames[1]
    assert frames[4] is None and frames[5] == frames[1]
    assert len(scene.sites) == len(design.sites) and scene.sites[site].layered


def test_a_frame_that_loses_its_selection_mid_drag_shows_where_it_is_dropped(
        window: MainWindow, example: Any) -> None:
    """(A paste while dragging selects what it pasted.) The frame goes back into the layer's
    picture as the drag goes on: it is painted where each frame moves it, and dropped."""
    scene, view, site, item = zoomed_out_frame(window, example)
    grab(window)
    held = HeldDrag(view, frame_edge(scene, site))
    held.move_by(0, -20)
    held.move_by(0, -40)
    assert item.isSelected()
    scene.clearSelection()
    assert item.layered
    for step in range(3, 6):
        held.move_by(0, -step * 20)
        assert grab(window) == fresh(window)
    held.release()
    QTest.qWait(20)
    assert grab(window) == fresh(window)


def test_zoomed_out_a_click_where_frames_overlap_picks_the_one_shown_on_top(
        window: MainWindow, example: Any) -> None:
    """A selected frame paints itself above the layer's picture of the others: where it
    overlaps one of them, a click picks it, as the picture shows it on top."""
    scene, view, site, item = zoomed_out_frame(window, example)
    document = window.document
    other = max(scene.sites)  # (added after it: of two frames alike, Qt's hits go to it)
    frame = item.scene_frame()
    document.do(edits.move, sites={other: (frame.x() + frame.width() / 2, frame.y() + 40)})
    overlap = item.scene_frame().intersected(scene.sites[other].scene_frame())
    assert not overlap.isEmpty()
    spot = QPointF(overlap.right() - 8, overlap.bottom() - 8)
    assert not any(isinstance(i, ServerItem) for i in scene.items(spot))  # (frames alone)
    click(view, frame_edge(scene, site))
    assert item.isSelected() and scene.sites[other].layered
    picked = scene.itemAt(spot, view.transform())
    assert picked is item
    shown = grab(window)
    assert shown == fresh(window)
    scene.clearSelection()
    assert scene.itemAt(spot, view.transform()) is scene.sites[other]
