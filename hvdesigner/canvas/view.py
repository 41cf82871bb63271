"""The canvas view: wheel zoom around the cursor, pan (middle button or Space-drag), rubber-band
selection, fit to content, and drops from the palette."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

from hvdesigner.canvas.scene import DesignScene
from hvdesigner.canvas.theme import LOD_BLOCK

PALETTE_MIME = "application/x-hvdesigner-palette"
MIN_ZOOM, MAX_ZOOM = 0.05, 4.0


class CanvasView(QGraphicsView):
    #: (palette kind, scene position) of a palette drop
    palette_dropped = Signal(str, QPointF)
    zoom_changed = Signal(float)
    painted = Signal()

    def __init__(self, scene: DesignScene | None = None) -> None:
        super().__init__(scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setAcceptDrops(True)
        self._panning: QPointF | None = None
        self._space = False
        self._still: QPixmap | None = None
        self._silenced: list[QGraphicsItem] = []
        self.horizontalScrollBar().valueChanged.connect(self._view_changed)
        self.verticalScrollBar().valueChanged.connect(self._view_changed)

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        self.scale(factor / self.zoom(), factor / self.zoom())
        self._zoom_applied()

    def _zoom_applied(self) -> None:
        self._view_changed()
        self.zoom_changed.emit(self.zoom())

    def _view_changed(self, *_: object) -> None:
        """Tell the scene what is in view (it draws links far from it cheaply)."""
        scene = self.scene()
        if isinstance(scene, DesignScene) and self._still is None:
            visible = self.mapToScene(self.viewport().rect()).boundingRect()
            scene.set_view(visible, self.zoom() < LOD_BLOCK)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._view_changed()

    def setScene(self, scene: DesignScene) -> None:  # noqa: N802 (Qt override)
        super().setScene(scene)
        scene.drag_started.connect(self.freeze)
        scene.drag_finished.connect(self.thaw)
        self._zoom_applied()

    # a still background while dragging --------------------------------------
    def freeze(self, moving: set[QGraphicsItem]) -> None:
        """Keep everything a drag does not move as a picture: each frame then repaints only
        the moving items over it, instead of every item their long links cross."""
        scene = self.scene()
        no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        # (not hidden: a hidden item would lose the mouse grab of the drag itself)
        shown = [i for i in moving if not i.flags() & no_contents]
        for item in shown:
            item.setFlag(no_contents, True)
        self._still = self.viewport().grab()
        for item in shown:
            item.setFlag(no_contents, False)
        self._silenced = [i for i in scene.items()
                          if i not in moving and i.isVisible() and not i.flags() & no_contents
                          and i.parentItem() not in moving]
        for item in self._silenced:
            item.setFlag(no_contents, True)

    def thaw(self) -> None:
        if self._still is None:
            return
        for item in self._silenced:
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, False)
        self._still, self._silenced = None, []
        self._view_changed()
        self.viewport().update()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802
        if self._still is None:
            super().drawBackground(painter, rect)
            return
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(0, 0, self._still)
        painter.restore()

    def zoom_by(self, step: float) -> None:
        self.set_zoom(self.zoom() * step)

    def fit_content(self) -> None:
        scene: DesignScene = self.scene()  # type: ignore[assignment]
        rect = QRectF()
        for item in scene.items():
            if item.isVisible() and item.parentItem() is None:
                rect = rect.united(item.sceneBoundingRect())
        if rect.isNull():
            return
        self.fitInView(rect.adjusted(-40, -40, 40, 40), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.0:
            self.set_zoom(1.0)
            self.centerOn(rect.center())
        self._zoom_applied()

    # events -----------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.painted.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.15 ** steps)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self._panning = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None:
            delta = event.position() - self._panning
            self._panning = event.position()
            self.horizontalScrollBar().setValue(int(self.horizontalScrollBar().value() - delta.x()))
            self.verticalScrollBar().setValue(int(self.verticalScrollBar().value() - delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None and event.button() == Qt.MouseButton.MiddleButton:
            self._panning = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(PALETTE_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(PALETTE_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if event.mimeData().hasFormat(PALETTE_MIME):
            kind = bytes(event.mimeData().data(PALETTE_MIME).data()).decode()
            self.palette_dropped.emit(kind, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
        else:
            super().dropEvent(event)
