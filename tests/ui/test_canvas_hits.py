"""Links and WAN pipes are easy to pick: their labels take clicks and hovers, and so does a
band a few screen pixels wide along their line at any zoom, driven with real mouse events
on the viewport."""

from __future__ import annotations

import math
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from hvdesigner.canvas.pipes import PIPE_HALF
from hvdesigner.canvas.view import HIT_PX, CanvasView
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import click, open_example, rules, send_mouse


def zoom_to(window: MainWindow, zoom: float) -> None:
    """Zoom, and hold still: labels come back placed (what their timer does)."""
    window.view.set_zoom(zoom)
    window.scene.link_layer.show_labels()


def lone_link(window: MainWindow) -> Any:
    """The training design's only link between its two servers (PDX-HV01 to DEN-HV02)."""
    scene = window.scene
    return next(scene.links[p[0]] for p in scene._pair_links.values()
                if len(p) == 1 and scene.links[p[0]].look.auth == "kerberos"
                and scene.links[p[0]].look.frequency_s == 900)


def beside(view: CanvasView, item: Any, at: QPointF, pixels: float, away_from: QPointF) -> QPointF:
    """The scene point ``pixels`` screen pixels from a point of a line, across it, on the
    side away from another point (its label, say)."""
    _, on_line = item.nearest(at.x(), at.y())
    if hasattr(item, "line"):
        dx, dy = item.line.dx(), item.line.dy()
    else:
        (sx, sy), _, (ex, ey) = item.route
        dx, dy = ex - sx, ey - sy
    length = math.hypot(dx, dy)
    nx, ny = -dy / length, dx / length
    if (away_from.x() - on_line.x()) * nx + (away_from.y() - on_line.y()) * ny > 0:
        nx, ny = -nx, -ny
    reach = pixels / view.zoom()
    return QPointF(on_line.x() + nx * reach, on_line.y() + ny * reach)


def label_of(item: Any) -> QPointF:
    return QPointF(*item.label_pos) if hasattr(item, "label_pos") else item.label_box.center()


def clear_spot(window: MainWindow, item: Any, pixels: float) -> QPointF:
    """A point of the item's line where a click ``pixels`` screen pixels beside it (away
    from its label) falls on no card, label or line, nor within reach of another line."""
    scene, view = window.scene, window.view
    lines = [*scene.links.values(), *scene.wans.values()]
    for t in (0.5, 0.4, 0.6, 0.3, 0.7):
        at = item.path.pointAtPercent(t) if hasattr(item, "path") else item.line.pointAt(t)
        far = beside(view, item, at, pixels, label_of(item))
        if all(other is item or other.nearest(far.x(), far.y())[0] * view.zoom() > HIT_PX + 2
               for other in lines) and not any(
                   type(i).__name__ in ("ServerItem", "ReplicationItem", "WanItem")
                   for i in scene.items(far)):
            return at
    raise AssertionError("no clear stretch on this line")


@pytest.mark.parametrize("zoom", [0.3, 1.0, 2.5])
def test_a_click_a_few_pixels_beside_a_link_selects_it_at_any_zoom(window: MainWindow,
                                                                   example: Any, zoom: float) -> None:
    open_example(window, example, "training.hvd")
    scene, view = window.scene, window.view
    link = lone_link(window)
    zoom_to(window, zoom)
    view.centerOn(link.path.pointAtPercent(0.5))
    at = clear_spot(window, link, 12)
    label = label_of(link)
    view.centerOn(at)
    scene.clearSelection()
    click(view, beside(view, link, at, HIT_PX - 1, label))
    assert scene.selectedItems() == [link]
    click(view, beside(view, link, at, 12, label))  # too far: the canvas, which clears
    assert scene.selectedItems() == []


def test_clicking_a_links_label_selects_the_link(window: MainWindow, example: Any) -> None:
    open_example(window, example, "training.hvd")
    scene, view = window.scene, window.view
    zoom_to(window, 1.0)
    for link in scene.links.values():
        label = QPointF(*link.label_pos)
        view.centerOn(label)
        scene.clearSelection()
        click(view, label)
        assert scene.selectedItems() == [link], link.label_text
        if link.severity is not None:  # its badge too
            scene.clearSelection()
            click(view, link.badge_centre())
            assert scene.selectedItems() == [link], link.label_text


def test_ctrl_clicks_beside_a_link_add_it_to_the_selection_and_take_it_away(
        window: MainWindow, example: Any) -> None:
    open_example(window, example, "training.hvd")
    scene, view = window.scene, window.view
    link = lone_link(window)
    card = next(iter(scene.servers.values()))
    zoom_to(window, 1.0)
    at = clear_spot(window, link, 8)
    view.centerOn(at)
    scene.clearSelection()
    card.setSelected(True)
    near = beside(view, link, at, HIT_PX - 1, QPointF(*link.label_pos))
    click(view, near, Qt.KeyboardModifier.ControlModifier)
    assert set(scene.selectedItems()) == {card, link}
    click(view, near, Qt.KeyboardModifier.ControlModifier)
    assert scene.selectedItems() == [card]


def test_a_click_beside_a_wan_pipe_or_on_its_label_selects_the_pipe(window: MainWindow,
                                                                   example: Any) -> None:
    open_example(window, example, "training.hvd")
    scene, view = window.scene, window.view
    tried = 0
    for zoom in (0.3, 1.0):
        zoom_to(window, zoom)
        for pipe in scene.wans.values():
            try:
                at = clear_spot(window, pipe, PIPE_HALF * zoom + HIT_PX - 1)
            except AssertionError:
                continue  # (zoomed out, one pipe runs too close to links all along)
            tried += 1
            view.centerOn(at)
            scene.clearSelection()
            # past the pipe's edge, not its middle line
            click(view, beside(view, pipe, at, PIPE_HALF * zoom + HIT_PX - 1, label_of(pipe)))
            assert scene.selectedItems() == [pipe]
            scene.clearSelection()
            click(view, pipe.label_box.center())
            assert scene.selectedItems() == [pipe]
    assert tried >= 3


def test_a_click_on_a_card_where_a_link_leaves_it_selects_the_card(window: MainWindow,
                                                                  example: Any) -> None:
    open_example(window, example, "training.hvd")
    scene, view = window.scene, window.view
    link = lone_link(window)
    zoom_to(window, 1.0)
    start = link.path.pointAtPercent(0)
    card = next(c for c in scene.servers.values()
                if c.mapRectToScene(c.card_rect()).adjusted(-1, -1, 1, 1).contains(start))
    inside = card.mapRectToScene(card.card_rect()).center()
    towards = QPointF(inside.x() - start.x(), inside.y() - start.y())
    press = start + towards * (3 / math.hypot(towards.x(), towards.y()))  # 3 px into the card
    view.centerOn(press)
    scene.clearSelection()
    click(view, press)
    assert scene.selectedItems() == [card]


def hover(view: CanvasView, at: QPointF) -> str:
    """What a tooltip says after the mouse rests on a scene point ("" when none comes up)."""
    pos = view.mapFromScene(at)
    sentinel = "(no new tooltip)"  # (hideText only starts hiding the last one)
    QToolTip.showText(view.viewport().mapToGlobal(pos), sentinel)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    text = QToolTip.text()
    return "" if text == sentinel else text


@pytest.mark.parametrize("zoom", [0.3, 1.0])
def test_hovering_a_link_or_its_label_shows_its_findings(window: MainWindow, example: Any,
                                                         zoom: float) -> None:
    open_example(window, example, "training.hvd")
    rules(window)
    scene, view = window.scene, window.view
    link = lone_link(window)
    assert link.severity is not None
    expected = scene.tooltip_for(link)
    assert expected
    zoom_to(window, zoom)
    at = clear_spot(window, link, 16)
    view.centerOn(at)
    assert hover(view, beside(view, link, at, HIT_PX - 1, QPointF(*link.label_pos))) == expected
    if zoom >= 0.4:  # (labels are drawn from 40 %)
        assert hover(view, QPointF(*link.label_pos)) == expected
        assert hover(view, link.badge_centre()) == expected
    assert hover(view, beside(view, link, at, 16, QPointF(*link.label_pos))) != expected
    QToolTip.hideText()


def test_a_press_beside_a_link_moves_no_card(window: MainWindow, example: Any) -> None:
    """A press that reaches a link is a press on the link: a drag from there moves nothing."""
    open_example(window, example, "training.hvd")
    scene, view = window.scene, window.view
    link = lone_link(window)
    zoom_to(window, 1.0)
    at = clear_spot(window, link, 8)
    view.centerOn(at)
    for card in scene.servers.values():
        card.setSelected(True)
    before = {c.entity_id: c.scenePos() for c in scene.servers.values()}
    start = view.mapFromScene(beside(view, link, at, HIT_PX - 1, QPointF(*link.label_pos)))
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send_mouse(view, QEvent.Type.MouseButtonPress, start, left, left, Qt.KeyboardModifier.NoModifier)
    for step in range(1, 5):
        send_mouse(view, QEvent.Type.MouseMove, start + QPoint(10 * step, 10 * step), none, left,
                   Qt.KeyboardModifier.NoModifier)
    send_mouse(view, QEvent.Type.MouseButtonRelease, start + QPoint(40, 40), left, none,
               Qt.KeyboardModifier.NoModifier)
    assert {c.entity_id: c.scenePos() for c in scene.servers.values()} == before
    assert window.document.undo_stack.count() == 0


def test_a_right_click_beside_a_link_is_about_the_link(window: MainWindow, example: Any) -> None:
    from PySide6.QtGui import QContextMenuEvent

    from hvdesigner.ui.context_menu import thing_at
    open_example(window, example, "training.hvd")
    view = window.view
    link = lone_link(window)
    zoom_to(window, 0.5)
    at = clear_spot(window, link, 10)
    view.centerOn(at)
    asked: list[QPointF] = []
    view.context_menu.connect(lambda pos, _global: asked.append(pos))
    for pixels, about in ((HIT_PX - 1, ("link", link.entity_id)), (16, None)):
        pos = view.mapFromScene(beside(view, link, at, pixels, label_of(link)))
        QApplication.sendEvent(view.viewport(), QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos)))
        kind = thing_at(window, asked[-1])
        assert kind == about if about else kind[0] != "link"
