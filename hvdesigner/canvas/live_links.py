"""The live links: those a drag is moving, painted over the cached pictures of the link
layer (:mod:`hvdesigner.canvas.link_layer`), so that a drag frame leaves the picture as it
is; from once the press that may begin the drag has been painted, until once its drop has
(see ``LiveLinks.after_paint``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.bands import Route, bands
from hvdesigner.canvas.items import Flag, lod
from hvdesigner.canvas.links import ReplicationItem, link_pen


class LiveLinks(QGraphicsItem):
    """Paints the live links (those a drag is moving) over the cached pictures.

    It spans the scene and is never cached: each drag frame asks the views to repaint thin
    bands along each moved link where it was and where it is (the card's own area repaints
    anyway), and this item strokes the live links again inside whatever is exposed.

    It stays visible, painting nothing while no link is live: Qt repaints the whole of an
    item that is shown or hidden, and this one spans the scene (the whole view repainted at
    the first frame of a drag and at its drop: 40 ms of a drop fitted to 5,000 hosts)."""

    #: What waits for a view to paint (``after_paint``) is done this long after at the
    #: latest, if no view paints by then (one hidden, say).
    WAIT_MS = 250

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(6)
        self.setFlag(Flag.ItemUsesExtendedStyleOption)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.links: set[ReplicationItem] = set()
        #: what waits for a view to paint: giving a drop's links back to the link layer,
        #: or taking a pressed card's live (``after_paint``)
        self._pending: Callable[[], None] | None = None
        self._timers: dict[int, QTimer] = {}

    def moved(self, item: ReplicationItem, old_route: Route | None,
              old_areas: tuple[QRectF, ...] = ()) -> None:
        """A live link moved (or became live, or stopped being): repaint along both routes,
        and where its label and arrowhead were and are."""
        scene = self.scene()
        if scene is None:
            return
        if item.live:
            self.links.add(item)
        else:
            self.links.discard(item)
        for view in scene.views():
            shown = view.mapToScene(view.viewport().rect()).boundingRect()
            for rect in bands(old_route, item.route, view.transform().m11(), shown):
                scene.update(rect)
            for rect in (item.label_area, item.arrow_area, *old_areas):
                if rect.intersects(shown):
                    scene.update(rect)

    def dropped(self) -> None:
        """A drag ended: its links stay live, painted here, until a view has painted the
        drop; then ``hand_back`` gives them to the link layer, which paints them again
        along their routes, with the links crossing there (``after_paint``). A drop
        shows as soon as its cards and frames are painted: of a drop fitted to 5,000 hosts
        the links crossing the dropped card's were 14-15 ms. Only where the dropped links
        cross others does the picture change then: the live ones were painted over them."""
        self.after_paint(self.hand_back)

    def hand_back(self) -> None:
        """Give every live link back to the link layer now (what waited for a paint is
        forgotten: a press takes a drop's links or its own afresh)."""
        self.cancel()
        for item in list(self.links):
            if item.scene() is not None:  # (else removed mid-drag, given back then)
                item.set_live(False)
        self.links.clear()

    def after_paint(self, action: Callable[[], None]) -> None:
        """Do ``action`` on the turn of the event loop after a view has painted (its frame
        on screen first), ``WAIT_MS`` from now at the latest if none does (a window
        hidden), or at ``settle``. One waiting already is done first."""
        self.settle()
        scene = self.scene()
        if scene is None:
            action()
            return
        self._pending = action
        self._timer(self.WAIT_MS).start()
        for view in scene.views():
            # (a paint to come, if nothing else asks for one: a press on a card selected
            # already, a drop that moved nothing. A pixel of the viewport: the scene's
            # update of bands along a drop's links was painted first alone, the drop's
            # layout a paint later, and Qt left the old picture of the legend where that
            # layout moved it from)
            view.viewport().update(0, 0, 1, 1)

    def view_painted(self) -> None:
        """A view has painted (the canvas view says so once its paint is done)."""
        if self._pending is not None:
            self._timer(0).start()

    def _timer(self, ms: int) -> QTimer:
        timer = self._timers.get(ms)
        if timer is None:  # (the scene's child: it goes with the scene)
            timer = self._timers[ms] = QTimer(self.scene(), singleShot=True, interval=ms)
            timer.timeout.connect(self.settle)
        return timer

    def settle(self) -> None:
        """Do the action waiting for a paint now, if any (a press does this first: a
        drop's links are then where it hits, selects or drags them)."""
        action = self._pending
        self.cancel()
        if action is not None:
            action()

    def cancel(self) -> None:
        """Forget the action waiting for a paint (a press let go before it came)."""
        self._pending = None
        for timer in self._timers.values():
            timer.stop()

    def boundingRect(self) -> QRectF:
        scene = self.scene()
        return scene.sceneRect() if scene is not None else QRectF()

    def shape(self) -> QPainterPath:
        return QPainterPath()  # never hit: the links' own items are

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if not self.links:
            return
        theme = self.scene().theme  # type: ignore[attr-defined]
        level = lod(painter, option)
        area = option.exposedRect
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, level >= t.LOD_BLOCK)
        for item in self.links:
            if not item.extent.intersects(area):
                continue
            look = item.look
            painter.setPen(link_pen(look.unencrypted_across_sites, look.extended,
                                    item.colour(theme), theme.printing))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            # stroke band by band: within the many-rectangle area of a drag frame, Qt strokes
            # a long curve five to ten times slower than within one rectangle
            for band in bands(None, item.route, level, area):
                painter.save()
                painter.setClipRect(band, Qt.ClipOperation.IntersectClip)
                painter.drawPath(item.path)
                painter.restore()
            if level >= t.LOD_SIMPLE:
                item.paint_into(painter, theme, level, area)
