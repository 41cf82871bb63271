"""The canvas view: wheel zoom around the cursor, pan (middle button or Space-drag), rubber-band
selection, fit to content, drops from the palette; clicks and hovers that reach a link or WAN
pipe a few screen pixels away at any zoom; and, on an empty design, how to start."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmapCache,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QGraphicsSceneHelpEvent, QGraphicsView

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.boundaries import FirewallItem
from hvdesigner.canvas.items import ServerItem, SiteItem
from hvdesigner.canvas.layers import LayerMember
from hvdesigner.canvas.links import ReplicationItem
from hvdesigner.canvas.pipes import WanItem
from hvdesigner.canvas.rename import InlineRename
from hvdesigner.canvas.scene import DesignScene
from hvdesigner.editing import edits

PALETTE_MIME = "application/x-hvdesigner-palette"
MIN_ZOOM, MAX_ZOOM = 0.05, 4.0
#: Room for the items' cached pictures (Qt keeps them in QPixmapCache, 10 MB by default):
#: the link and backdrop layers each hold up to a viewport's worth, the cards and site frames
#: in view theirs. Too little, and the caches evict each other and every repaint redraws.
PIXMAP_CACHE_KB = 96 * 1024
#: How far past its line (in screen pixels, at any zoom) a click or a hover reaches a link
#: or a WAN pipe.
HIT_PX = 4
#: What an empty canvas says.
START_HINT = ("Drag a Site from the palette to start;\nthen hosts and clusters into it;\n"
              "Shift-drag between servers to draw a replication")


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
        self._aimed: tuple[QPoint, QPoint] | None = None  # a press moved onto a line: (from, to)
        self._hinting = False  # the empty-canvas hint is showing

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, about_mouse: bool = False) -> None:
        """Zoom to ``factor`` about the middle of the view, or (the wheel) about the mouse:
        Ctrl+1 or Zoom In about the mouse took a view zoomed out, the mouse resting on empty
        canvas, to that empty canvas."""
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        middle = self.mapToScene(self.viewport().rect()).boundingRect().center()
        self.scale(factor / self.zoom(), factor / self.zoom())  # (the anchor: under the mouse)
        if not about_mouse:
            self.centerOn(middle)
        self._zoom_applied()

    def _zoom_applied(self) -> None:
        scene = self.scene()
        if isinstance(scene, DesignScene):
            scene.link_layer.zooming(self.zoom())
            scene.card_layer.zooming(self.zoom())
            scene.frame_layer.zooming(self.zoom())
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
        """Right-click: the window builds the menu for what is under the mouse (a link or
        WAN pipe within reach counts, as for a click: the point of its line goes)."""
        near = self.member_near(QPointF(event.pos()))
        at = near[1] if near is not None else self.mapToScene(event.pos())
        self.context_menu.emit(at, event.globalPos())
        event.accept()

    def zoom_by(self, step: float, about_mouse: bool = False) -> None:
        self.set_zoom(self.zoom() * step, about_mouse)

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

    # lines within reach -----------------------------------------------------
    def member_near(self, pos: QPointF) -> tuple[LayerMember, QPointF] | None:
        """The link or WAN pipe whose line passes within ``HIT_PX`` screen pixels of a
        viewport point, and its line's nearest point (scene coordinates); None when nothing
        but site frames and firewall boundaries is under the point (a card, a label, the
        legend or a line hit squarely take the click as they are)."""
        scene = self.scene()
        if not isinstance(scene, DesignScene):
            return None
        scene.live_links.settle()  # (a drop's links: found where they now run)
        exact = pos.toPoint()
        if any(not isinstance(i, (SiteItem, FirewallItem)) for i in self.items(exact)):
            return None
        here = self.mapToScene(exact) + (pos - QPointF(exact)) / self.zoom()
        reach = HIT_PX / self.zoom()
        area = QRect(exact.x() - HIT_PX - 1, exact.y() - HIT_PX - 1, 2 * HIT_PX + 3, 2 * HIT_PX + 3)
        best: tuple[float, LayerMember, QPointF] | None = None
        for item in self.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            if isinstance(item, (ReplicationItem, WanItem)) and item.isVisible():
                distance, point = item.nearest(here.x(), here.y())
                if distance <= reach and (best is None or distance < best[0]):
                    best = (distance, item, point)
        return None if best is None else (best[1], best[2])

    def _aim(self, event: QMouseEvent) -> QMouseEvent:
        """A left press near a line, as a press on the line: the pixel the line crosses
        (Qt looks for items under that pixel), unless a card is there too."""
        near = self.member_near(event.position())
        if near is None:
            return event
        on_line = self.viewportTransform().map(near[1])
        pixel = QPoint(math.floor(on_line.x()), math.floor(on_line.y()))
        if any(isinstance(i, ServerItem) for i in self.items(pixel)):
            return event
        self._aimed = (event.position().toPoint(), pixel)
        return self._moved(event, pixel)

    def _moved(self, event: QMouseEvent, pixel: QPoint) -> QMouseEvent:
        return QMouseEvent(event.type(), QPointF(pixel),
                           QPointF(self.viewport().mapToGlobal(pixel)), event.button(),
                           event.buttons(), event.modifiers())

    def viewportEvent(self, event: QEvent) -> bool:
        """A hover near a link or WAN pipe shows its tooltip (the scene's, for that line)."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            near = self.member_near(QPointF(event.pos()))
            if near is not None:
                help = QGraphicsSceneHelpEvent(QEvent.Type.GraphicsSceneHelp)
                help.setScreenPos(event.globalPos())
                help.setScenePos(near[1])
                QApplication.sendEvent(self.scene(), help)
                event.setAccepted(help.isAccepted())
                return True
        return super().viewportEvent(event)

    # the empty canvas --------------------------------------------------------
    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 (Qt override)
        """On a design without sites, how to start, in the middle of the view (the view's,
        not the scene's: images of the design never show it)."""
        super().drawForeground(painter, rect)
        if not self._hinting:
            return
        painter.save()
        painter.resetTransform()
        painter.setFont(t.name_font())
        painter.setPen(self.hint_colour())
        painter.drawText(QRectF(self.viewport().rect()), Qt.AlignmentFlag.AlignCenter, START_HINT)
        painter.restore()

    def hint_colour(self) -> QColor:
        """The text colour halfway to the background: there to read, not to shout."""
        text = self.palette().color(QPalette.ColorRole.Text)
        base = self.palette().color(QPalette.ColorRole.Base)
        return QColor.fromRgbF(*((a + b) / 2 for a, b in zip(text.getRgbF()[:3], base.getRgbF()[:3],
                                                              strict=True)))

    def hint_rect(self) -> QRectF:
        """Where the empty-canvas hint is drawn (viewport coordinates)."""
        return t.name_metrics().boundingRect(QRectF(self.viewport().rect()),
                                             Qt.AlignmentFlag.AlignCenter, START_HINT)

    def _update_hint(self) -> None:
        """Show or take away the hint: the whole view repaints then (a repaint of only what
        changed would leave the hint, or a part of it, behind)."""
        scene = self.scene()
        hinting = isinstance(scene, DesignScene) and not scene.sites
        if hinting != self._hinting:
            self._hinting = hinting
            self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 (Qt override)
        super().scrollContentsBy(dx, dy)
        if self._hinting:  # (scrolling moves the pixels: the hint stays put)
            self.viewport().update()
        scene = self.scene()
        if isinstance(scene, DesignScene):  # labels brought into view find their spots
            scene.link_layer.placer.panned()

    # events -----------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        self._update_hint()
        super().paintEvent(event)
        scene = self.scene()
        if isinstance(scene, DesignScene):  # (a drop's links go back to their layer next)
            scene.live_links.view_painted()
        self.painted.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.15 ** steps, about_mouse=True)
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
        self._aimed = None
        if event.button() == Qt.MouseButton.LeftButton and not self._space:
            event = self._aim(event)
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
        aimed, self._aimed = self._aimed, None
        if aimed is not None and event.position().toPoint() == aimed[0]:
            event = self._moved(event, aimed[1])  # (a click: released where it pressed)
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
