"""The card layer: zoomed out below LOD_BLOCK, the server cards not selected painted into a
picture of the view (a layer, canvas/layers.py), so that a drag frame paints the moving
cards alone."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.items import ServerItem
from hvdesigner.canvas.layers import CachedLayer, LayerMember
from hvdesigner.canvas.paintgrid import PaintGrid
from hvdesigner.canvas.theme import Theme

#: The largest part of the card layer's picture (scene units square) painted again with
#: the cards its grid finds there; a larger one goes through all the cards.
PART_AREA = 4096.0 * 4096.0


class CardLayer(CachedLayer):
    """Server cards zoomed out below ``LOD_BLOCK`` (filled boxes): thousands of them in view,
    which Qt painted one by one, each from its own cached picture, for every drag frame (15
    of a frame's 20 ms fitted to 5,000 hosts). Here the layer paints them into its picture
    of the view, and a drag frame copies it and paints the moving cards alone.

    Selected cards paint themselves (highlighted, or dragged), and so does every card when
    zoomed in, where each shows its details from Qt's cache. Cards sit in their site frames;
    the layer paints them above every frame and below the WAN pipes and firewall bounds, as
    they were (frames don't overlap). Members are cards, not :class:`LayerMember` s: a card
    says where it moved or changed (``card_changed``), and where the layer last painted it
    is what is painted over."""

    SPAN_CLIP = True
    #: The side of the cells its grid files the cards by (scene units): a card takes one to
    #: four. (The scene's index, asked for a small part fitted to 5,000 hosts, listed the
    #: thousands of long links whose rectangles cover it: 3.5 ms of a drop.)
    CELL = 512.0

    def __init__(self) -> None:
        super().__init__(-9)
        self.active = False
        self.grid = PaintGrid(self.CELL)  # (the cards taken in, by where they are)

    def cards(self) -> Iterable[ServerItem]:
        return self.scene().servers.values()  # type: ignore[attr-defined, no-any-return]

    def zooming(self, zoom: float) -> None:
        """The view's zoom: take the cards in below LOD_BLOCK, hand them back above it."""
        if (zoom < t.LOD_BLOCK) != self.active:
            self.active = not self.active
            self.restack()

    def restack(self) -> None:
        """Take in (or hand back) every card as the zoom and its selection say, and paint
        them all again (a rebuilt scene, everything re-routed)."""
        bounds = QRectF()
        self.grid.clear()
        self._order = {}
        for index, card in enumerate(self.cards()):
            card.set_layered(self.active and not card.isSelected())
            card.layer_rect = None
            if card.layered:
                rect = card.sceneBoundingRect()
                bounds = bounds.united(rect)
                self.grid.file(card, [rect.getCoords()])
                self._order[card] = index
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
        self.forget_picture()

    def card_changed(self, card: ServerItem) -> None:
        """A card moved, was resized, added or selected (or no longer): take it in or hand
        it back, and paint again where the layer painted it and where it is."""
        if not self.active:
            return
        card.set_layered(not card.isSelected() and card.scene() is self.scene())
        if card.layer_rect is not None:
            self.repaint_area(card.layer_rect)
            card.layer_rect = None
        self.grid.drop(card)
        if card.layered:
            rect = card.sceneBoundingRect()
            if not self._bounds.contains(rect):
                self.prepareGeometryChange()
                self._bounds = self._bounds.united(rect)
            self.repaint_area(rect)
            self.grid.file(card, [rect.getCoords()])

    def card_gone(self, card: ServerItem) -> None:
        """A card is being removed: paint over where the layer painted it."""
        if card.layer_rect is not None:
            self.repaint_area(card.layer_rect)
        card.set_layered(False)
        card.layer_rect = None
        self.grid.drop(card)

    def members(self) -> Iterable[LayerMember]:
        return ()  # (the cards: see paint_members)

    def refit(self) -> None:
        """(Its bounds only grow while it is active; ``restack`` fits them.)"""

    def reset(self) -> None:
        super().reset()
        self.grid.clear()

    def paint_members(self, painter: QPainter, theme: Theme, level: float,
                      area: QRectF) -> None:
        # (a small part, what a drop or a selection changed: the cards there, from the
        # grid, in the whole picture's order, not all of them)
        cards: Iterable[ServerItem] = self.cards()
        if self.painting == "part" and area.width() * area.height() <= PART_AREA:
            cards = self.in_order(self.grid.meeting([area.getCoords()]), self.cards())
        for card in cards:
            if card.layered and card.isVisible():
                at = card.scenePos()
                rect = card.boundingRect().translated(at)
                if rect.intersects(area):
                    card.layer_rect = rect
                    painter.save()
                    painter.translate(at)
                    card.paint_card(painter, level)
                    painter.restore()
