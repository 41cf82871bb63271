"""Cached layers: one item paints many others' pictures, and Qt keeps the result.

Thousands of items painting one Python call each are what make a canvas slow: a repaint at
1:1 crossed hundreds of links and WAN pipes. Here such items are *members* of a layer. A
member keeps its route, hit area, selection and tooltip, but has no contents of its own; the
layer paints all of its members in one call, into Qt's device-coordinate cache. A repaint
that changed nothing copies that picture (for a view larger than the viewport Qt caches the
part in view and scrolls it along when panning), and a member that changed repaints the
layer only where it was and is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from hvdesigner.canvas.items import DesignItem, Flag, lod
from hvdesigner.canvas.theme import Theme


def painted_area(painter: QPainter) -> QRectF:
    """The part of the scene a painter can still mark: its device, narrowed by its clip. (Qt
    paints an item's cache with the whole item as the exposed area even when the cache holds
    only the part in view; culling by this keeps a layer from drawing what nobody sees.)"""
    inverse, invertible = painter.worldTransform().inverted()
    area = inverse.mapRect(QRectF(painter.viewport())) if invertible else QRectF()
    return area.intersected(painter.clipBoundingRect()) if painter.hasClipping() else area


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

    def paint_into(self, painter: QPainter, theme: Theme, level: float, area: QRectF) -> None:
        """Paint this member (for its layer) where it meets ``area``."""
        raise NotImplementedError


class CachedLayer(QGraphicsItem):
    """A layer: paints its members (``members()``) into a device-coordinate cache."""

    def __init__(self, z: float) -> None:
        super().__init__()
        self.setZValue(z)
        self.setFlag(Flag.ItemUsesExtendedStyleOption)  # exposedRect: repaint only what changed
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._bounds = QRectF()
        self.held = False

    def members(self) -> Iterable[LayerMember]:
        raise NotImplementedError

    def member_changed(self, member: LayerMember, old: QRectF, restyle: bool = True) -> None:
        if self.held:
            return
        bounds = member.boundingRect()
        if not self._bounds.contains(bounds):
            self.prepareGeometryChange()
            self._bounds = self._bounds.united(bounds)
        dirty = self._in_view(old.united(bounds))
        if not dirty.isEmpty():
            self.update(dirty)

    def _in_view(self, rect: QRectF) -> QRectF:
        """The part of a changed area that some view shows. The cache holds only that part
        (what scrolls into view later is painted then), and Qt would otherwise size the
        repaint of a cache by the whole area: a re-layout once asked for a 9,000 x 10,000
        pixel picture."""
        views = self.scene().views()
        if not views:  # (painted elsewhere, e.g. rendered to an image: all of it may show)
            return rect
        shown = QRectF()
        for view in views:
            shown = shown.united(view.mapToScene(view.viewport().rect()).boundingRect())
        return rect.intersected(shown.adjusted(-2, -2, 2, 2))

    def reset(self) -> None:
        """Every member is gone (the scene is rebuilt)."""
        self.prepareGeometryChange()
        self._bounds = QRectF()

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Ignore member changes while everything is re-routed, then repaint all at once
        (thousands of small repaints, each growing the bounds, cost more than one)."""
        self.held = True
        try:
            yield
        finally:
            self.held = False
            self.refit()
            self.update()

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
        area = option.exposedRect.intersected(painted_area(painter))
        theme = self.scene().theme  # type: ignore[attr-defined]
        level = lod(painter, option)
        for member in self.members():
            if member.isVisible() and member.boundingRect().intersects(area):
                member.paint_into(painter, theme, level, area)


class BackdropLayer(CachedLayer):
    """Firewall boundaries, then WAN pipes: behind the cards, above the site frames."""

    def __init__(self) -> None:
        super().__init__(-5)

    def members(self) -> Iterable[LayerMember]:
        scene: Any = self.scene()
        yield from scene.firewalls.values()
        yield from scene.wans.values()
