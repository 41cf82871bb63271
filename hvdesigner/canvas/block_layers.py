"""Block layers: zoomed out below LOD_BLOCK, where a server card is a filled box and a site
frame a plain rounded one, those not selected are painted into pictures of the view (layers,
canvas/layers.py): the cards' above every frame, the frames' below them. A drag frame then
paints the moving cards alone, and a drop the frames it grew, not every frame its repaint
crosses."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.items import FRAME_LAYER_Z, BlockItem
from hvdesigner.canvas.layers import CachedLayer, LayerMember
from hvdesigner.canvas.paintgrid import PaintGrid
from hvdesigner.canvas.theme import Theme

#: The largest part of a block layer's picture (scene units square) painted again with
#: the blocks its grid finds there; a larger one goes through all of them.
PART_AREA = 4096.0 * 4096.0


class BlockLayer(CachedLayer):
    """Cards or frames zoomed out below ``LOD_BLOCK``: thousands in view, which Qt painted one
    by one, each a Python call, for every paint that crossed them. Here the layer paints them
    into its picture of the view, and a paint copies it.

    Selected blocks paint themselves (highlighted, or dragged), and so does every block when
    zoomed in, where each shows its details. Members are the blocks, not
    :class:`LayerMember` s: a block says where it moved or changed (``changed``), and where
    the layer last painted it is what is painted over."""

    SPAN_CLIP = True
    #: The side of the cells its grid files the blocks by (scene units).
    CELL = 512.0

    def __init__(self, z: float) -> None:
        super().__init__(z)
        self.active = False
        self.grid = PaintGrid(self.CELL)  # (the blocks taken in, by where they are)

    def blocks(self) -> Iterable[BlockItem]:
        """What it paints when they are not selected, in the order Qt paints them."""
        raise NotImplementedError

    def zooming(self, zoom: float) -> None:
        """The view's zoom: take the blocks in below LOD_BLOCK, hand them back above it."""
        if (zoom < t.LOD_BLOCK) != self.active:
            self.active = not self.active
            self.restack()

    def restack(self) -> None:
        """Take in (or hand back) every block as the zoom and its selection say, and paint
        them all again (a rebuilt scene, everything re-routed)."""
        bounds = QRectF()
        self.grid.clear()
        self._order = {}
        for index, block in enumerate(self.blocks()):
            block.set_layered(self.active and not block.isSelected())
            block.layer_rect = None
            if block.layered:
                rect = block.sceneBoundingRect()
                bounds = bounds.united(rect)
                self.grid.file(block, [rect.getCoords()])
                self._order[block] = index
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
        self.forget_picture()

    def changed(self, block: BlockItem) -> None:
        """A block moved, was resized, restyled, added or selected (or no longer): take it in
        or hand it back, and paint again where the layer painted it and where it is."""
        if not self.active:
            return
        block.set_layered(not block.isSelected() and block.scene() is self.scene())
        if block.layer_rect is not None:
            self.repaint_area(block.layer_rect)
            block.layer_rect = None
        self.grid.drop(block)
        if block.layered:
            rect = block.sceneBoundingRect()
            if not self._bounds.contains(rect):
                self.prepareGeometryChange()
                self._bounds = self._bounds.united(rect)
            self.repaint_area(rect)
            self.grid.file(block, [rect.getCoords()])

    def gone(self, block: BlockItem) -> None:
        """A block is being removed: paint over where the layer painted it."""
        if block.layer_rect is not None:
            self.repaint_area(block.layer_rect)
        block.set_layered(False)
        block.layer_rect = None
        self.grid.drop(block)

    def members(self) -> Iterable[LayerMember]:
        return ()  # (the blocks: see paint_members)

    def refit(self) -> None:
        """(Its bounds only grow while it is active; ``restack`` fits them.)"""

    def reset(self) -> None:
        super().reset()
        self.grid.clear()

    def paint_members(self, painter: QPainter, theme: Theme, level: float,
                      area: QRectF) -> None:
        # (a small part, what a drop or a selection changed: the blocks there, from the
        # grid, in the whole picture's order, not all of them)
        blocks: Iterable[BlockItem] = self.blocks()
        if self.painting == "part" and area.width() * area.height() <= PART_AREA:
            blocks = self.in_order(self.grid.meeting([area.getCoords()]), self.blocks())
        for block in blocks:
            if block.layered and block.isVisible():
                at = block.scenePos()
                rect = block.boundingRect().translated(at)
                if rect.intersects(area):
                    block.layer_rect = rect
                    painter.save()
                    painter.translate(at)
                    block.paint_at(painter, level)
                    painter.restore()


class CardLayer(BlockLayer):
    """Server cards (filled boxes): a drag frame fitted to 5,000 hosts spent 15 of its 20 ms
    with Qt painting the cards in view one by one, each from its own cached picture. Cards
    sit in their site frames; the layer paints them above every frame and below the WAN
    pipes and firewall bounds, as they were (frames don't overlap)."""

    #: (The scene's index, asked for a small part fitted to 5,000 hosts, listed the
    #: thousands of long links whose rectangles cover it: 3.5 ms of a drop. A card takes one
    #: to four cells.)
    CELL = 512.0

    def __init__(self) -> None:
        super().__init__(-9)

    def blocks(self) -> Iterable[BlockItem]:
        return self.scene().servers.values()  # type: ignore[attr-defined, no-any-return]


class FrameLayer(BlockLayer):
    """Site frames (plain rounded boxes), below the frames that paint themselves (the
    selected: a layered frame is stacked as low, see ``SiteItem.set_layered``) and all that
    frames hold. A drop fitted to 5,000 hosts repaints bands along the WAN pipes of the
    frame it grew, across most of the view, and Qt painted each of the 190 frames there: 6
    of the 13 ms that the view took to paint that region unchanged."""

    CELL = 2048.0  # (a frame takes a few)

    def __init__(self) -> None:
        super().__init__(FRAME_LAYER_Z)

    def blocks(self) -> Iterable[BlockItem]:
        return self.scene().sites.values()  # type: ignore[attr-defined, no-any-return]
