"""The link layer: every replication link that is not live, painted through a picture of
the view (canvas/layers.py), its strokes grouped (canvas/linkgroups.py), its labels placed
(canvas/labels.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QPaintEngine, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.bands import Route, bands
from hvdesigner.canvas.labels import LabelPlacer
from hvdesigner.canvas.layers import CachedLayer, LayerMember
from hvdesigner.canvas.linkgroups import TILE, LinkGroups
from hvdesigner.canvas.linkindex import LinkIndex
from hvdesigner.canvas.links import ReplicationItem, link_colour, link_pen
from hvdesigner.canvas.theme import Theme


class LinkLayer(CachedLayer):
    """Every replication link that is not live (see ``ReplicationItem``): the strokes grouped
    by style (a handful of calls), then arrowheads and labels where exposed and legible."""

    #: How long labels wait after the last zoom step: rotated text is four fifths of the
    #: cost of painting the links anew, and a wheel turn repaints at every step.
    LABELS_AFTER_MS = 150
    #: A part of the picture of more than one rectangle is painted as the one round them:
    #: Qt strokes the links' curves clipped to a few rectangles several times slower than
    #: to their bounds (a fitted drop at 5,000 hosts: 95 ms for bands covering two fifths
    #: of their bounds, 25 ms for the bounds). Where labels are drawn, the part is painted
    #: so on a scratch picture and copied through its rectangles (``scratch``), so that
    #: only the labels in them are drawn again, not every label round them (a drop at 1:1
    #: repainted fifty labels about a long link).
    CLIP_RECTS = 1
    #: A part with more links about it than this strokes the groups' paths (clipped to
    #: it): gathering thousands of long links' curves anew cost more than the whole view's.
    NEAR_MOST = 400
    #: A link handed back by a drag repaints at most this many bands along its route, else
    #: its rectangle (see link_moved).
    BANDS = 48
    #: The link index is made for a view this long after its last paint (the view held
    #: still), not at the first edit there: 50 ms at 5,000 hosts that drawing a link waited.
    INDEX_AFTER_MS = 300

    def __init__(self) -> None:
        super().__init__(5)
        self.groups = LinkGroups()  # the strokes, by style and tile (canvas/linkgroups.py)
        self.index = LinkIndex()  # where the links pass round the view (canvas/linkindex.py)
        self.labels = True  # False while zooming: pictures are made without labels
        self._picture_labels = "all"  # the picture has "all", "none" or ("mixed") some
        self._zoom = 0.0
        self._labels_timer: QTimer | None = None
        self._index_timer: QTimer | None = None
        #: whether labels are drawn at the view's zoom (and so can be clicked); not until a
        #: view says so
        self.legible = False
        self.placer = LabelPlacer(self)  # finds the labels their spots (canvas/labels.py)

    def zooming(self, zoom: float) -> None:
        """The view's zoom changed: leave labels out until it holds still."""
        self.legible = zoom >= t.LOD_SIMPLE
        scene = self.scene()
        if scene is None or zoom == self._zoom:
            return
        self._zoom = zoom
        if self._labels_timer is None:  # (the scene's child: it goes with the scene)
            self._labels_timer = QTimer(scene, singleShot=True, interval=self.LABELS_AFTER_MS)
            self._labels_timer.timeout.connect(self.show_labels)
        self.labels = False
        self._labels_timer.start()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        super().paint(painter, option, widget)
        scene = self.scene()
        if widget is not None and not scene.theme.printing:  # type: ignore[attr-defined]
            if self._index_timer is None:  # (the scene's child: it goes with the scene)
                self._index_timer = QTimer(scene, singleShot=True, interval=self.INDEX_AFTER_MS)
                self._index_timer.timeout.connect(self._index_view)
            self._index_timer.start()

    def _index_view(self) -> None:
        """Make the link index for the view, unless made: a part to paint again takes its
        links from it (zoomed out, the view holds most of the design, and the groups' paths
        paint it). The view holding still does, or an edit before that."""
        shown = self.shown()
        if shown is not None and not self.held:
            zoom, area = shown
            if area.width() * area.height() < TILE * TILE:
                self.index.cover(area, zoom, self._links_near)

    def show_labels(self) -> None:
        """The zoom held still: add the labels to the picture (the timer's doing)."""
        self.labels = True
        self.placer.settle()
        if self._picture_labels == "none":
            self.paint_over(self._paint_labels)
        elif self._picture_labels == "mixed":  # (labels in some places only: start afresh)
            self.forget_picture()
        self._picture_labels = "all"

    def members(self) -> Iterable[ReplicationItem]:
        return self.scene().links.values()  # type: ignore[attr-defined, no-any-return]

    def member_changed(self, member: LayerMember, old: QRectF, restyle: bool = True,
                       areas: Iterable[QRectF] | None = None) -> None:
        if restyle:  # the route, style, selection or liveness changed
            self.groups.changed(member)
        self.index.changed(member)  # (or its label)
        super().member_changed(member, old, restyle, areas)

    def link_moved(self, link: ReplicationItem, old: QRectF, old_route: Route | None,
                   old_areas: tuple[QRectF, ...] = (), most: int | None = None) -> None:
        """A link was routed anew, or handed to or taken back from the live painter: repaint
        thin bands along where it was and is, and its label and arrowhead, as a drag frame
        does (a drop at a fitted zoom repainted the rectangles the dropped card's links span:
        0.2 s of strokes at 5,000 hosts; drawing a link at 1:1, 20 ms). ``most``: its
        rectangle instead when that takes more bands (a drop hands many links back at once:
        their bands together make a clip Qt strokes across slowly)."""
        shown = self.shown()
        if shown is None:
            self.member_changed(link, old)
            return
        zoom, area = shown
        if most is None:  # (not for a drag's links, whose first frame would wait for it)
            self._index_view()  # (made already, unless edited before the view held still)
        thin = bands(old_route, link.route, zoom, area, most)
        if thin is None:  # (a long link across the view: its rectangle costs less)
            self.member_changed(link, old)
            return
        if zoom >= t.LOD_SIMPLE:  # (else the picture has no labels nor arrowheads)
            thin += [r for r in (link.label_area, link.arrow_area, *old_areas)
                     if r.intersects(area)]
        self.member_changed(link, old, areas=thin)

    def label_changed(self, link: ReplicationItem, old: QRectF, old_label: QRectF) -> None:
        """A link's label changed (its text, its badge), not its stroke: repaint where the
        label was and is, if the picture has labels."""
        shown = self.shown()
        legible = shown is None or shown[0] >= t.LOD_SIMPLE
        self.member_changed(link, old, restyle=False,
                            areas=(old_label, link.label_area) if legible else ())

    def refit(self, regroup: bool = True) -> None:
        """Shrink the bounds to the links; ``regroup``: group them afresh too (after a hold,
        routes may have changed unannounced; an export hides some)."""
        super().refit()
        if regroup:
            self.groups.regroup_all()
            self.index.forget()

    def reset(self) -> None:
        super().reset()
        self.groups.regroup_all()
        self.index.forget()
        self.placer.clear()

    def scratch(self, level: float) -> bool:
        # (see CLIP_RECTS: only where the part draws labels; below LOD_SIMPLE, or while the
        # zoom changes, it draws none)
        return level >= t.LOD_SIMPLE and self.labels

    def scratch_clip(self, level: float) -> bool:
        return True  # (unclipped, a part would stroke every link's whole length in view)

    def paint_part(self, painter: QPainter, theme: Theme, level: float, area: QRectF,
                   near: list[QRectF]) -> None:
        self.paint_members(painter, theme, level, area, parts=near)

    def paint_members(self, painter: QPainter, theme: Theme, level: float,
                      area: QRectF, parts: list[QRectF] | None = None) -> None:
        """Stroke the links that meet a scene area, then their arrowheads and labels there;
        ``parts``: only those that meet one of these areas (a part on a scratch picture)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, level >= t.LOD_BLOCK)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        near: list[ReplicationItem] | None = None  # (the links there, when looked up)
        if self.painting is None and painter.paintEngine().type() != QPaintEngine.Type.Pdf:
            self._stroke_each(painter, theme, area)  # an image: see there
        else:  # (a stroke reaches a pixel or two, antialiased, beyond its curve)
            margin = 8 + 3 / max(level, 1e-3)
            # (a part smaller than a tile: the links there alone; a larger one, zoomed out,
            # where the index would list thousands of items: the groups' paths)
            if self.painting == "part" and area.width() * area.height() < TILE * TILE:
                near = self._near(area.adjusted(-margin, -margin, margin, margin))
            if near is not None and len(near) <= self.NEAR_MOST:
                strokes = self.groups.part(self.scene().links, near)  # type: ignore[attr-defined]
            else:
                strokes = self.groups.strokes(self.scene().links,  # type: ignore[attr-defined]
                                              area, margin)
            style = None
            for key, path in strokes:
                if key != style:
                    style = key
                    warn, extended, selected = key
                    painter.setPen(link_pen(warn, extended, link_colour(theme, warn, selected),
                                            theme.printing))
                painter.drawPath(path)
        if level < t.LOD_SIMPLE:  # arrowheads and labels would be specks
            return
        labelled = self.labels or self.painting is None  # (an image or a print: always)
        if self.painting == "whole":
            self._picture_labels = "all" if labelled else "none"
        elif self.painting == "part" and self._picture_labels != ("all" if labelled else "none"):
            self._picture_labels = "mixed"
        if labelled:
            self._paint_labels(painter, theme, level, area, near, parts)

    def _stroke_each(self, painter: QPainter, theme: Theme, area: QRectF) -> None:
        """Stroke the links one by one, a style at a time: a picture of the view is small,
        but an exported image may be 10,000 pixels a side, and Qt's raster engine strokes
        one path of all the links across it twenty times slower than each link alone (a
        large design's PNG took minutes)."""
        keyed = sorted(((item.look.unencrypted_across_sites, item.look.extended), item.entity_id)
                       for item in self.members()
                       if not item.live and item.isVisible() and item._bounds.intersects(area))
        links = self.scene().links  # type: ignore[attr-defined]
        style = None
        for key, rep_id in keyed:
            if key != style:
                style = key
                painter.setPen(link_pen(*key, link_colour(theme, key[0], False), theme.printing))
            painter.drawPath(links[rep_id].path)

    def _near(self, area: QRectF) -> list[ReplicationItem]:
        """The links whose curve, label or arrowhead may come into a scene area of the
        picture, in the scene's order: from the link index where it reaches, else from the
        scene's, by their rectangles (a long diagonal link's covers most of the view)."""
        if self.index.covers(area):
            return self.index.near(self.scene().links, area)  # type: ignore[attr-defined]
        return self._links_near(area)

    def _links_near(self, area: QRectF) -> list[ReplicationItem]:
        """The links whose bounds (labels included) meet a scene area, from the scene's
        index, in the order they were added (its ascending order)."""
        scene: Any = self.scene()
        return [i for i in scene.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect,
                                       Qt.SortOrder.AscendingOrder)
                if isinstance(i, ReplicationItem)]

    def _paint_labels(self, painter: QPainter, theme: Theme, level: float, area: QRectF,
                      near: list[ReplicationItem] | None = None,
                      parts: list[QRectF] | None = None) -> None:
        """The arrowheads and labels that meet the area, links in the scene's order. The view
        asks the scene's index for the links there (it knows their bounds, labels included),
        not every link of the design, or takes ``near`` (the links around the area, asked
        for their strokes); an image or a print goes through them all. Of those, only the
        links whose label or arrowhead is there paint: thousands of long links cross a part
        of a large design, a handful of labels are in it. ``parts``: and in one of these."""
        candidates = self.members() if self.painting is None else \
            near if near is not None else self._links_near(area)
        for item in candidates:
            label, arrow = item.label_area, item.arrow_area
            if not item.live and (label.intersects(area) or arrow.intersects(area)) \
                    and item.isVisible() and (parts is None or any(
                        label.intersects(part) or arrow.intersects(part) for part in parts)):
                item.paint_into(painter, theme, level, area)

