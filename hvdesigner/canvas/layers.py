"""Layers: one item paints many others' pictures, and keeps a picture of what it shows.

Thousands of items painting one Python call each are what make a canvas slow: a repaint at
1:1 crossed hundreds of links and WAN pipes. Here such items are *members* of a layer. A
member keeps its route, hit area, selection and tooltip, but has no contents of its own; the
layer paints all of its members in one call into a picture the size of the view. A repaint
that changed nothing copies that picture; panning scrolls it and paints the strip that came
into view; a member that changed repaints it only where the member was and is.

(Qt's own device-coordinate cache does this for items larger than the view too, but now and
then it sizes the picture by the whole item: for the links of a large design at 1:1, a
9,000 x 11,000 pixel picture of 400 MB. This one is never larger than the view.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QLineF, QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen, QPixmap, QRegion, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.items import DesignItem, Flag
from hvdesigner.canvas.paintgrid import PaintGrid, Shape
from hvdesigner.canvas.theme import Theme


@dataclass
class _Picture:
    """What a layer shows in one view: a viewport-sized pixmap at the view's transform."""

    pixmap: QPixmap
    transform: QTransform
    size: QSize
    dpr: float
    dirty: list[QRectF] = field(default_factory=list)  # scene areas to paint again

    def fits(self, transform: QTransform, size: QSize, dpr: float) -> bool:
        """Still usable for this view, if need be scrolled: same size, zoom and rotation."""
        t = self.transform
        return (size == self.size and dpr == self.dpr and t.m11() == transform.m11()
                and t.m12() == transform.m12() and t.m21() == transform.m21()
                and t.m22() == transform.m22())


class LayerMember(DesignItem):
    """An item whose picture its layer paints (see the module). The scene repaints it when
    its selection changes (an itemChange hook would cost a Python call for every change of
    every member, thousands while a design opens)."""

    #: the scene attribute holding this member's layer
    layer_name = ""

    def __init__(self, entity_id: str, z: float) -> None:
        super().__init__(entity_id, Flag.ItemIsSelectable | Flag.ItemHasNoContents, z)

    def repaint_layer(self, old: QRectF, restyle: bool = True) -> None:
        """Repaint where the member was (``old``) and is; ``restyle``: more than a badge."""
        scene = self.scene()
        if scene is not None:
            getattr(scene, self.layer_name).member_changed(self, old, restyle)

    def set_severity(self, severity: str | None) -> None:
        self.severity = severity
        self.repaint_layer(self.boundingRect(), restyle=False)

    def repaint_selection(self) -> None:
        """It was selected, or no longer (it draws the highlight): repaint where it paints."""
        self.repaint_layer(self.boundingRect())

    def paint_into(self, painter: QPainter, theme: Theme, level: float, area: QRectF) -> None:
        """Paint this member (for its layer) where it meets ``area``."""
        raise NotImplementedError

    def shapes(self) -> list[Shape]:
        """What it paints at any zoom, in scene coordinates, for a layer that files its
        members by where they paint (the backdrop: canvas/paintgrid.py)."""
        raise NotImplementedError

    def thin_lines(self, theme: Theme, level: float) -> tuple[QPen, list[QLineF]] | None:
        """All it paints at this zoom, when that is antialiased lines of one thin pen (the
        same pen object for members alike), which its layer may draw with theirs in one
        call; else None."""
        return None


class CachedLayer(QGraphicsItem):
    """A layer: paints its members (``members()``) through a picture of the view."""

    #: Areas to paint again that make a region of more rectangles than this (the bands
    #: along moved links) are painted as the one rectangle round them: Qt strokes a long
    #: curve across a many-rectangle clip five to ten times slower. (Not for SCRATCH: it
    #: strokes unclipped, and copies through the many rectangles in a millisecond.)
    CLIP_RECTS = 16
    #: Clip a part to a region of two rectangles at least (a pixel of a corner joins a lone
    #: rectangle, and is painted again with it). Qt's raster engine clips to a lone
    #: rectangle by cutting the shapes, which shifts the antialiased edges of thin outlines
    #: (cards zoomed out) by a shade from the whole picture's, painted unclipped; a region
    #: clips the spans of the shapes as painted unclipped, but strokes long curves slower.
    SPAN_CLIP = False
    #: Paint a part unclipped on a clear picture of the view, then copy that through the
    #: part's region: the same pixels as the whole picture's (a lone rectangle's clip cuts
    #: the shapes and shifts a firewall's antialiased edge by a shade), and faster for WAN
    #: pipes: Qt strokes them across a clip of a few rectangles three times slower than
    #: unclipped (a drop growing a frame fitted to 5,000 hosts repainted bands along its
    #: pipes, which 600 pipes cross: 55 ms), and cuts a wide line at a lone rectangle
    #: slower than it strokes the line (a pipe's load label repainted at 1:1: 9 ms); the
    #: copy costs a millisecond. (The links' curves, clipped to one rectangle, are stroked
    #: only there: unclipped, their whole length in view. Zoomed out, the backdrop's thin
    #: lines are clipped too: see ``scratch_clip``.)
    SCRATCH = False

    def scratch(self, level: float) -> bool:
        """Whether a part is painted on a scratch picture (see SCRATCH) at this zoom."""
        return self.SCRATCH

    def scratch_clip(self, level: float) -> bool:
        """Whether a part is painted on the scratch picture clipped to its bounds, one
        rectangle (the links: see LinkLayer), or unclipped (see SCRATCH), at this zoom."""
        return False

    def __init__(self, z: float) -> None:
        super().__init__()
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._bounds = QRectF()
        self._picture: _Picture | None = None
        #: what paint_members is painting: the whole picture, a part of it, or (None) not the
        #: picture at all (an image or a print)
        self.painting: str | None = None
        self.held = False
        self._order: dict[Any, int] = {}  # (what the whole picture paints, by its order)

    def members(self) -> Iterable[LayerMember]:
        raise NotImplementedError

    def member_changed(self, member: LayerMember, old: QRectF, restyle: bool = True,
                       areas: Iterable[QRectF] | None = None) -> None:
        """Repaint where a member was (``old``) and is, or the ``areas`` that cover both (a
        long link: thin bands along its routes, not the rectangle its diagonal spans)."""
        if self.held:
            return
        bounds = member.boundingRect()
        if not self._bounds.contains(bounds):
            self.prepareGeometryChange()
            self._bounds = self._bounds.united(bounds)
        for area in [old.united(bounds)] if areas is None else areas:
            self.repaint_area(area)

    def shown(self) -> tuple[float, QRectF] | None:
        """The zoom of the picture and the scene area it shows; None without a picture."""
        picture = self._picture
        if picture is None:
            return None
        inverse, _ = picture.transform.inverted()
        return picture.transform.m11(), inverse.mapRect(QRectF(QRect(QPoint(0, 0), picture.size)))

    def repaint_area(self, rect: QRectF) -> None:
        """Paint a scene area of the picture again (only its part in view matters: what
        scrolls into view later is painted then)."""
        if self._picture is not None:
            self._picture.dirty.append(rect)
        self.update(rect)

    def forget_picture(self) -> None:
        """Paint everything again (the look of all members may have changed)."""
        self._picture = None
        self.update()

    def reset(self) -> None:
        """Every member is gone (the scene is rebuilt)."""
        self.prepareGeometryChange()
        self._bounds = QRectF()
        self._picture = None
        self._order = {}

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Ignore member changes while everything is re-routed, then repaint all at once
        (thousands of small repaints, each growing the bounds, cost more than one)."""
        self.held = True
        try:
            yield
        finally:
            self.release()

    def release(self) -> None:
        """After a hold (``held`` set, as :meth:`holding` does, or over several turns of the
        event loop): fit the bounds to the members and paint them all again."""
        if self.held:
            self.held = False
            self.refit()
            self.forget_picture()

    def refit(self) -> None:
        """Shrink the bounds to the members (they only grow as members move)."""
        bounds = QRectF()
        for member in self.members():
            if member.isVisible():
                bounds = bounds.united(member.boundingRect())
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()  # never hit: clicks and tooltips belong to the members

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme: Theme = self.scene().theme  # type: ignore[attr-defined]
        transform = painter.worldTransform()
        level = QStyleOptionGraphicsItem.levelOfDetailFromTransform(transform)
        if widget is None or theme.printing:  # an image or a print: paint directly
            inverse, _ = transform.inverted()
            area = inverse.mapRect(QRectF(painter.viewport())).intersected(option.exposedRect)
            self.painting = None
            self.paint_members(painter, theme, level, area)
            return
        picture = self._picture_for(widget, transform, theme, level)
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(0, 0, picture.pixmap)
        painter.restore()

    def _picture_for(self, widget: QWidget, transform: QTransform, theme: Theme,
                     level: float) -> _Picture:
        """The picture for this view: made, scrolled or touched up as needed."""
        size, dpr = widget.size(), widget.devicePixelRatioF()
        old = self._picture
        if old is None or not old.fits(transform, size, dpr):
            pixmap = QPixmap(size * dpr)
            pixmap.setDevicePixelRatio(dpr)
            self._picture = _Picture(pixmap, QTransform(transform), QSize(size), dpr)
            self._paint_picture(self._picture, None, theme, level)
            return self._picture
        dx, dy = transform.dx() - old.transform.dx(), transform.dy() - old.transform.dy()
        fresh = QRegion()
        if dx or dy:  # panned: move the picture along, paint what came into view
            if dx * dpr != round(dx * dpr) or dy * dpr != round(dy * dpr):  # (not whole pixels)
                self._picture = None
                return self._picture_for(widget, transform, theme, level)
            pixmap = QPixmap(old.pixmap.size())
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            mover = QPainter(pixmap)
            mover.drawPixmap(QPointF(dx, dy), old.pixmap)  # (whole device pixels, see above)
            mover.end()
            whole = QRect(QPoint(0, 0), size)
            moved = QRectF(whole).translated(dx, dy)
            kept = QRect(QPoint(math.ceil(moved.left()), math.ceil(moved.top())),
                         QPoint(math.floor(moved.right()) - 1, math.floor(moved.bottom()) - 1))
            fresh = QRegion(whole).subtracted(QRegion(kept))
            old.pixmap, old.transform = pixmap, QTransform(transform)
        parts = [transform.mapRect(rect).toAlignedRect().adjusted(-2, -2, 2, 2)
                 for rect in old.dirty]
        old.dirty = []
        region = QRegion()
        for part in parts:
            region = region.united(part)
        if region.rectCount() > self.CLIP_RECTS and not self.scratch(level):  # (CLIP_RECTS)
            region = QRegion(region.boundingRect())
        parts += list(fresh)
        fresh = fresh.united(region)
        if not fresh.isEmpty():
            self._paint_picture(old, fresh, theme, level, parts)
        return old

    def _paint_picture(self, picture: _Picture, region: QRegion | None, theme: Theme,
                       level: float, parts: list[QRect] | None = None) -> None:
        """Paint the members into the picture: all of it, or a region (cleared first), the
        union of ``parts`` (device rectangles)."""
        pixmap = picture.pixmap
        whole = QRect(QPoint(0, 0), picture.size)
        if region is not None:
            region = region.intersected(whole)
            if region.isEmpty():
                return  # (what changed is out of view: going through the members for
                # nothing took 3 ms at 5,000 hosts, for the load of a pipe off screen)
            if self.scratch(level):
                self._paint_through(picture, region, theme, level, parts or list(region))
                return
        if region is None:
            pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        if region is None:
            bounds = whole
        else:
            bounds = region.boundingRect()
            if region.rectCount() == 1 and self.SPAN_CLIP:
                corner = QRect(0, 0, 1, 1) if bounds.left() > 1 or bounds.top() > 1 \
                    else QRect(whole.right(), whole.bottom(), 1, 1)
                region = region.united(corner)
            painter.setClipRegion(region)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            painter.fillRect(bounds, Qt.GlobalColor.transparent)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        painter.setWorldTransform(picture.transform)
        inverse, _ = picture.transform.inverted()
        self.painting = "whole" if region is None else "part"
        self.paint_members(painter, theme, level, inverse.mapRect(QRectF(bounds)))
        painter.end()

    def _paint_through(self, picture: _Picture, region: QRegion, theme: Theme,
                       level: float, parts: list[QRect]) -> None:
        """Paint a part as the whole picture is painted (on a clear picture of the view,
        unclipped or clipped to the part's bounds: see SCRATCH, scratch_clip), then copy it
        into the picture through the part's region (the union of ``parts``, device
        rectangles)."""
        scratch = QPixmap(picture.pixmap.size())  # (of the view: see below)
        scratch.setDevicePixelRatio(picture.dpr)
        painter = QPainter(scratch)
        # (cleared within the part's bounds alone, the rest never copied: clearing it all
        # cost 19 ms a repaint at 5120 x 2880 pixels. A picture of the bounds alone, painted
        # shifted, would not have the whole picture's pixels: Qt's antialiasing varies with
        # the shift.)
        bounds = region.boundingRect()
        painter.setClipRect(bounds)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.fillRect(bounds, Qt.GlobalColor.transparent)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        if not self.scratch_clip(level):
            painter.setClipping(False)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.setWorldTransform(picture.transform)
        inverse, _ = picture.transform.inverted()
        self.painting = "part"
        # (the members that come within a few pixels: zoomed out, an antialiased edge
        # reaches a pixel or two past a member's shapes)
        whole = QRect(QPoint(0, 0), picture.size)
        near = [inverse.mapRect(QRectF(part.adjusted(-3, -3, 3, 3))) for part in parts
                if part.intersects(whole)]
        area = inverse.mapRect(QRectF(region.boundingRect().adjusted(-3, -3, 3, 3)))
        self.paint_part(painter, theme, level, area, near)
        painter.end()
        copy = QPainter(picture.pixmap)
        copy.setClipRegion(region)
        copy.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        copy.drawPixmap(0, 0, scratch)
        copy.end()

    def in_order(self, found: Iterable[Any], everything: Iterable[Any]) -> list[Any]:
        """Of the members found for a part, those still among ``everything`` (the layer's, in
        the order its whole picture paints them), in that order (``_order``, made again when
        one found came since)."""
        found = list(found)
        if any(m not in self._order for m in found):
            self._order = {m: i for i, m in enumerate(everything)}
        return sorted((m for m in found if m in self._order), key=self._order.__getitem__)

    def paint_over(self, paint: Any) -> bool:
        """Let ``paint(painter, theme, level, area)`` add to the current picture (in scene
        coordinates, over all of it); False when there is no picture to add to."""
        picture = self._picture
        if picture is None:
            return False
        theme: Theme = self.scene().theme  # type: ignore[attr-defined]
        painter = QPainter(picture.pixmap)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.setWorldTransform(picture.transform)
        inverse, _ = picture.transform.inverted()
        area = inverse.mapRect(QRectF(QRect(QPoint(0, 0), picture.size)))
        paint(painter, theme, QStyleOptionGraphicsItem.levelOfDetailFromTransform(
            picture.transform), area)
        painter.end()
        self.update()
        return True

    def paint_members(self, painter: QPainter, theme: Theme, level: float,
                      area: QRectF) -> None:
        """Paint the members that meet a scene area."""
        for member in self.members():
            if member.isVisible() and member.boundingRect().intersects(area):
                member.paint_into(painter, theme, level, area)

    def paint_part(self, painter: QPainter, theme: Theme, level: float, area: QRectF,
                   near: list[QRectF]) -> None:
        """Paint (unclipped: see SCRATCH) the members that paint within the scene areas
        ``near``, inside ``area``, in the order the whole picture paints them."""
        self.paint_members(painter, theme, level, area)


class BackdropLayer(CachedLayer):
    """Firewall boundaries, then WAN pipes: behind the cards, above the site frames.

    A part of its picture paints the members whose shapes (not bounds) come within the
    part's rectangles, found by cells of the scene (canvas/paintgrid.py). A member that
    changed is filed again before the next part is painted, or when the layer is refitted
    after a hold (members come and go only while it is held: the scene lays everything out
    anew), which also files the members that came and drops those that went."""

    SCRATCH = True
    #: The side of the index's cells (scene units): 45 pixels fitted to 5,000 hosts, most
    #: of a view at 1:1. (Filing every member, after a hold, takes 21 ms at 5,000 hosts;
    #: 33 ms with cells half as wide, which a fitted drop asks 0.3 ms faster.)
    CELL = 1024.0

    def __init__(self) -> None:
        super().__init__(-5)
        self.grid = PaintGrid(self.CELL)
        self._changed: set[LayerMember] = set()  # (to be filed again)

    def members(self) -> Iterable[LayerMember]:
        scene: Any = self.scene()
        yield from scene.firewalls.values()
        yield from scene.wans.values()

    def scratch_clip(self, level: float) -> bool:
        # Below LOD_BLOCK its members are thin lines (a pipe two: see WanItem.paint_into, a
        # boundary one: merged_outline_pen), which Qt's cosmetic stroker paints clipped to a
        # rectangle with the very pixels it paints unclipped, and only there.
        return level < t.LOD_BLOCK

    def member_changed(self, member: LayerMember, old: QRectF, restyle: bool = True,
                       areas: Iterable[QRectF] | None = None) -> None:
        super().member_changed(member, old, restyle, areas)
        self._changed.add(member)

    def refit(self) -> None:
        super().refit()
        self._order = {member: index for index, member in enumerate(self.members())}
        for member in self.grid.members():
            if member not in self._order:
                self.grid.drop(member)
        self._changed.update(m for m in self._order if m not in self.grid)
        self._file_changed()

    def reset(self) -> None:
        super().reset()
        self.grid.clear()
        self._changed.clear()

    def _file_changed(self) -> None:
        scene = self.scene()
        for member in self._changed:
            if member.scene() is scene:
                self.grid.file(member, member.shapes())
        self._changed.clear()

    def paint_part(self, painter: QPainter, theme: Theme, level: float, area: QRectF,
                   near: list[QRectF]) -> None:
        self._file_changed()
        scene = self.scene()
        found = [m for m in self.grid.meeting(r.getCoords() for r in near)
                 if m.scene() is scene and m.isVisible()]
        self._paint_in_turn(painter, theme, level, area, self.in_order(found, self.members()))

    def paint_members(self, painter: QPainter, theme: Theme, level: float,
                      area: QRectF) -> None:
        self._paint_in_turn(painter, theme, level, area, (
            m for m in self.members() if m.isVisible() and m.boundingRect().intersects(area)))

    @staticmethod
    def _paint_in_turn(painter: QPainter, theme: Theme, level: float, area: QRectF,
                       members: Iterable[LayerMember]) -> None:
        """Paint members in turn, each run of thin lines of one pen in one call (zoomed out
        a pipe is two: a Python call for each of the 470 pipes a fitted drop at 5,000 hosts
        painted again was half of its backdrop's time)."""
        pen: QPen | None = None
        lines: list[QLineF] = []

        def draw_lines() -> None:
            if lines and pen is not None:
                draw_thin(painter, pen, lines)
                lines.clear()

        for member in members:
            thin = member.thin_lines(theme, level)
            if thin is None or thin[0] is not pen:
                draw_lines()
            if thin is None:
                pen = None
                member.paint_into(painter, theme, level, area)
            else:
                pen = thin[0]
                lines.extend(thin[1])
        draw_lines()


def draw_thin(painter: QPainter, pen: QPen, lines: list[QLineF]) -> None:
    """Lines of a thin pen (``LayerMember.thin_lines``), antialiased."""
    antialiased = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(pen)
    painter.drawLines(lines)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialiased)
