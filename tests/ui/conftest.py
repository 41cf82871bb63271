"""Fixtures for driving the real designer window with pytest-qt."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRectF, QSettings, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from hvdesigner.app import make_application
from hvdesigner.canvas.view import PALETTE_MIME, CanvasView
from hvdesigner.ui.main_window import MainWindow

EXAMPLES = Path(__file__).parents[2] / "resources" / "examples"


class Answers:
    """Answers the window's questions (save? recover?) the way a test wants."""

    def __init__(self) -> None:
        self.queue: list[Any] = []
        self.asked: list[str] = []

    def __call__(self, parent: Any, title: str, text: str, buttons: Any) -> Any:
        self.asked.append(title)
        return self.queue.pop(0) if self.queue else QMessageBox.StandardButton.Cancel


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def window(qapp: QApplication, qtbot: Any, tmp_path: Path, answers: Answers) -> Iterator[MainWindow]:
    make_application("light")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    recovery = tmp_path / "recovery"
    recovery.mkdir()
    win = MainWindow(settings, str(recovery), ask=answers)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.ask = lambda *args: QMessageBox.StandardButton.Discard  # let teardown close it
    win.close()


@pytest.fixture
def example(tmp_path: Path) -> Any:
    """A writable copy of a bundled example."""
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copy(EXAMPLES / name, target)
        return target
    return copy


def open_example(window: MainWindow, example: Any, name: str) -> Path:
    """Open a writable copy of a bundled example in the window."""
    path = example(name)
    assert window.open_path(str(path))
    QTest.qWait(10)  # the deferred fit to content and first check, as after a real open
    return path


def open_generated(window: MainWindow, folder: Path, qtbot: Any, hosts: int = 250) -> None:
    """Open the generated design of ``hosts`` hosts (as the bench's), checked and badged, at
    1:1 (the view's middle where the open left it)."""
    import json

    from bench.generate import generate_design

    path = folder / "generated.hvd"
    path.write_text(json.dumps(generate_design(1, scale=hosts / 1000, hosts=hosts)),
                    encoding="utf-8")
    assert window.open_path(str(path))
    assert window.view is not None and window.scene is not None and window.document
    window.document.check_now()
    scene = window.scene
    qtbot.waitUntil(lambda: not scene.badging, timeout=10_000)  # (opened: fitted, badged)
    window.view.set_zoom(1.0)


def labels_placed(window: MainWindow, qtbot: Any) -> None:
    """Wait for the labels in view (at a legible zoom) to be shown and placed: while a pass
    places many, the labels it moves repaint the picture only once it ends
    (``LabelPlacer.quiet``), so a part painted before then need not look as the whole
    picture does (a loaded machine is slower to get there: CI failed on it)."""
    scene, view = window.scene, window.view
    assert scene is not None and view is not None
    layer, placer = scene.link_layer, scene.link_layer.placer
    shown = view.mapToScene(view.viewport().rect()).boundingRect()

    def placed() -> bool:
        waiting = (scene.links.get(r) for r in placer.waiting)
        return layer.labels and not placer.placing and not any(
            item is not None and item.extent.intersects(shown) for item in waiting)

    if layer.legible:  # (else no label is shown nor placed)
        qtbot.waitUntil(placed, timeout=10_000)


def view_point(view: CanvasView, scene_pos: QPointF) -> QPoint:
    return view.mapFromScene(scene_pos)


def pixels_like(view: CanvasView, around: QPointF, colour: QColor, radius: float = 12,
                tolerance: int = 48) -> int:
    """How many pixels the canvas shows near a scene point in about this colour: what the user
    sees, read back from the window on screen once pending repaints ran (so an area the view
    failed to repaint still shows its old picture)."""
    QTest.qWait(40)  # (a window repaints and flushes on its next update request, not at once)
    viewport = view.viewport()
    box = view.mapFromScene(QRectF(around.x() - radius, around.y() - radius, 2 * radius,
                                   2 * radius)).boundingRect().intersected(viewport.rect())
    top = viewport.window()
    corner = viewport.mapTo(top, box.topLeft())
    image = top.screen().grabWindow(top.winId(), corner.x(), corner.y(), box.width(),
                                    box.height()).toImage()
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if (abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green())
                    + abs(pixel.blue() - colour.blue())) <= tolerance:
                count += 1
    return count


def send_mouse(view: CanvasView, kind: QEvent.Type, pos: QPoint, button: Qt.MouseButton,
               buttons: Qt.MouseButton, modifiers: Qt.KeyboardModifier) -> None:
    event = QMouseEvent(kind, QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)),
                        button, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), event)


class HeldDrag:
    """A mouse drag on the canvas that a test can hold mid-way: press on a scene point, move
    by screen pixels from where it pressed, release where the mouse is."""

    def __init__(self, view: CanvasView, at: QPointF,
                 modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.view, self.modifiers = view, modifiers
        self.start = self.pos = view_point(view, at)
        self._send(QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)

    def move_by(self, dx: int, dy: int) -> None:
        self.pos = self.start + QPoint(dx, dy)
        self._send(QEvent.Type.MouseMove, Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton)

    def release(self) -> None:
        self._send(QEvent.Type.MouseButtonRelease, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)

    def _send(self, kind: QEvent.Type, button: Qt.MouseButton, buttons: Qt.MouseButton) -> None:
        send_mouse(self.view, kind, self.pos, button, buttons, self.modifiers)


def drag(view: CanvasView, start: QPointF, end: QPointF,
         modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier, steps: int = 8) -> None:
    """Press, move in steps and release on the viewport, as a mouse drag does."""
    held = HeldDrag(view, start, modifiers)
    b = view_point(view, end)
    dx, dy = b.x() - held.start.x(), b.y() - held.start.y()
    for i in range(1, steps + 1):
        held.move_by(dx * i // steps, dy * i // steps)
    held.release()


def click(view: CanvasView, at: QPointF,
          modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    p = view_point(view, at)
    send_mouse(view, QEvent.Type.MouseButtonPress, p, left, left, modifiers)
    send_mouse(view, QEvent.Type.MouseButtonRelease, p, left, none, modifiers)


def type_at_end(qtbot: Any, line: QLineEdit, text: str) -> None:
    """What a user adding to a field's text does: click in it, End, type."""
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=line.rect().center())
    qtbot.keyClick(line, Qt.Key.Key_End)
    qtbot.keyClicks(line, text)


def drop_from_palette(view: CanvasView, kind: str, at: QPointF) -> None:
    """What dragging a palette entry over the canvas and dropping it sends the view."""
    data = QMimeData()
    data.setData(PALETTE_MIME, kind.encode())
    pos = view_point(view, at)
    none, left = Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton
    for event in (QDragEnterEvent(pos, Qt.DropAction.CopyAction, data, left, none),
                  QDragMoveEvent(pos, Qt.DropAction.CopyAction, data, left, none),
                  QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, data, left, none)):
        QApplication.sendEvent(view.viewport(), event)


def rules(window: MainWindow) -> set[str]:
    """Rule ids of the findings the window lists (whatever the dock's filters hide), after
    the live check has run."""
    assert window.document is not None
    window.document.check_now()
    return {f.rule for f in window.findings_panel.model.all_findings if not f.suppressed}


def shown(parent: Any, kind: Any, name: str | None = None) -> Any:
    """The child widget the user sees (a replaced form lingers hidden until Qt deletes it;
    a new one is shown once the event loop runs)."""
    QApplication.processEvents()
    found = [w for w in parent.findChildren(kind) if w.isVisible() and (name is None or w.objectName() == name)]
    return found[0] if found else None
