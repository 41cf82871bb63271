"""The canvas view: wheel zoom around the cursor, pan (middle button or Space-drag), rubber-band
selection, fit to content, and drops from the palette."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmapCache,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView

from hvdesigner.canvas.rename import InlineRename
from hvdesigner.canvas.scene import DesignScene
from hvdesigner.editing import edits

PALETTE_MIME = "application/x-hvdesigner-palette"
MIN_ZOOM, MAX_ZOOM = 0.05, 4.0
#: Room for the items' cached pictures (Qt keeps them in QPixmapCache, 10 MB by default):
#: the link and backdrop layers each hold up to a viewport's worth, the cards and site frames
#: in view theirs. Too little, and the caches evict each other and every repaint redraws.
PIXMAP_CACHE_KB = 96 * 1024


class CanvasView(QGraphicsView):
    #: (palette kind, scene position) of a palette drop
    palette_dropped = Signal(str, QPointF)
    zoom_changed = Signal(float)
    #: (scene position, global position) of a right-click
    context_menu = Signal(QPointF, QPoint)
    painted = Signal()

    def __init__(self, scene: DesignScene | None = None) -> None:
        super().__init__(scene)
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setAcceptDrops(True)
        self._panning: QPointF | None = None
        self.renaming: InlineRename | None = None
        self._space = False

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        self.scale(factor / self.zoom(), factor / self.zoom())
        self._zoom_applied()

    def _zoom_applied(self) -> None:
        scene = self.scene()
        if isinstance(scene, DesignScene):
            scene.link_layer.zooming(self.zoom())
        self.zoom_changed.emit(self.zoom())

    def setScene(self, scene: DesignScene) -> None:  # noqa: N802 (Qt override)
        super().setScene(scene)
        scene.rename_requested.connect(self.start_rename)
        self._zoom_applied()

    def start_rename(self, entity_id: str) -> None:
        """Edit a name in place, over where it is drawn (F2, a double-click, the menu)."""
        scene: DesignScene = self.scene()  # type: ignore[assignment]
        rect = scene.name_rect(entity_id)
        entity = scene.design.find(entity_id)
        if rect is None or entity is None:
            return
        self.ensureVisible(rect, 40, 40)
        box = self.mapFromScene(rect).boundingRect()
        box.setWidth(max(box.width(), 180))
        box.setHeight(max(box.height(), 24))
        if self.renaming is not None:
            self.renaming.cancel()
        self.renaming = InlineRename(self.viewport(), box, getattr(entity, "name", ""),
                                     lambda text: scene.document.do(edits.rename, entity_id, text))
        self.renaming.destroyed.connect(self._rename_gone)

    def _rename_gone(self) -> None:
        self.renaming = None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        """Right-click: the window builds the menu for what is under the mouse."""
        self.context_menu.emit(self.mapToScene(event.pos()), event.globalPos())
        event.accept()

    def zoom_by(self, step: float) -> None:
        self.set_zoom(self.zoom() * step)

    def fit_content(self) -> None:
        scene: DesignScene = self.scene()  # type: ignore[assignment]
        rect = scene.content_rect()
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
