"""Canvas items for sites and servers.

Items know their id and their look (:mod:`hvdesigner.canvas.looks`), never the model. They
paint with level of detail (plain boxes when zoomed out). Dragging them is the scene's work
(:mod:`hvdesigner.canvas.gestures`): it snaps them to the grid and re-routes their links.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.glyphs import BADGE, draw_badge, draw_domain_chip, draw_site_icon
from hvdesigner.canvas.looks import ServerLook, SiteLook
from hvdesigner.editing.layout import card_size, node_chip

if TYPE_CHECKING:
    from hvdesigner.canvas.scene import DesignScene

Flag = QGraphicsItem.GraphicsItemFlag
#: The corner radius of a site frame.
FRAME_RADIUS = 12.0
#: The depth of a site frame, and of the frame layer that paints those not selected zoomed
#: out (canvas/block_layers.py): below every frame that paints itself.
SITE_Z, FRAME_LAYER_Z = -10.0, -11.0
#: Room at a VM row's right end for its (three-quarter size) badge.
VM_BADGE_ROOM = 16.0


def lod(painter: QPainter, option: QStyleOptionGraphicsItem) -> float:
    return option.levelOfDetailFromTransform(painter.worldTransform())


class DesignItem(QGraphicsItem):
    """An item standing for one entity: its id, its findings badge and their tooltip."""

    def __init__(self, entity_id: str, flags: QGraphicsItem.GraphicsItemFlag = Flag.ItemIsSelectable,
                 z: float = 0) -> None:
        super().__init__()
        self.entity_id = entity_id
        self.severity: str | None = None  # worst unsuppressed finding on it
        # (flags and depth in as few calls as can be: each change is a round trip through
        # PySide, and a large design makes thousands of items)
        self.setFlags(flags)
        if z:
            self.setZValue(z)

    def design_scene(self) -> DesignScene:
        return self.scene()  # type: ignore[return-value]

    def set_severity(self, severity: str | None) -> None:
        """Show the worst unsuppressed finding's badge (the tooltip is made on hover)."""
        self.severity = severity
        self.update()

    def paint_badge(self, painter: QPainter, corner: QPointF) -> None:
        if self.severity is not None:
            theme = self.design_scene().theme
            draw_badge(painter, corner, self.severity, theme.severity[self.severity])


class Attachment(QGraphicsItem):
    """Something drawn on a card or a frame for a while, as its child (a scenario's load bars,
    the anchor of a lost site's veil: :mod:`hvdesigner.canvas.scenario_overlay`); told when
    the box of what it hangs on changes (a frame grown, a card's VM rows shown)."""

    def follow(self, box: QRectF) -> None:
        raise NotImplementedError

    def tooltip(self) -> str:
        """What hovering it shows (rich text, design strings escaped), made when asked."""
        return ""


def tell_attachments(item: QGraphicsItem, box: QRectF) -> None:
    """(Qt tells a child nothing when its parent's box changes.)"""
    for child in item.childItems():
        if isinstance(child, Attachment):
            child.follow(box)


class BlockItem(DesignItem):
    """A card or a site frame: zoomed out below LOD_BLOCK, where it is a plain box, it is
    ``layered`` while it is not selected: its layer (canvas/block_layers.py) paints it into a
    picture of the view, and it paints nothing itself."""

    #: the scene attribute holding its layer
    layer_name = ""
    #: painted by its layer (see the class), not by itself
    layered = False
    #: where (in the scene) its layer last painted it: what to paint over when it goes
    layer_rect: QRectF | None = None

    def set_layered(self, layered: bool) -> None:
        """Be painted by the layer, or by itself again (see the class)."""
        if layered != self.layered:
            self.layered = layered
            self.setFlag(Flag.ItemHasNoContents, layered)

    def repaint_layered(self) -> None:
        """It changed (moved, resized, restyled): its layer paints it again, if it does."""
        scene = self.scene()
        if self.layered and scene is not None:
            getattr(scene, self.layer_name).changed(self)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        self.paint_at(painter, lod(painter, option))

    def paint_at(self, painter: QPainter, level: float) -> None:
        """Paint it at a level of detail (by itself, or for its layer)."""
        raise NotImplementedError


class SiteItem(BlockItem):
    """A site: a large rounded frame with a title bar, behind everything else."""

    layer_name = "frame_layer"

    def __init__(self, site_id: str, look: SiteLook, rect: QRectF) -> None:
        super().__init__(site_id, z=SITE_Z)
        self.look = look
        self.size = rect.size()
        self.setPos(rect.topLeft())

    def set_layered(self, layered: bool) -> None:
        if layered != self.layered:  # (stacked with its layer's picture, below the frames
            # that paint themselves: a click where frames overlap picks the one shown on top)
            self.setZValue(FRAME_LAYER_Z if layered else SITE_Z)
        super().set_layered(layered)

    def set_look(self, look: SiteLook) -> None:
        self.look = look
        self.update()
        self.repaint_layered()

    def set_rect(self, rect: QRectF) -> None:
        if rect.size() == self.size and rect.topLeft() == self.pos():
            return
        if rect.size() != self.size:
            self.prepareGeometryChange()
            self.size = rect.size()
            tell_attachments(self, self.frame_rect())
        self.setPos(rect.topLeft())
        self.repaint_layered()

    def frame_rect(self) -> QRectF:
        return QRectF(QPointF(0, 0), self.size)

    def scene_frame(self) -> QRectF:
        """The frame in scene coordinates (without the badge's room, unlike the bounds)."""
        return QRectF(self.scenePos(), self.size)

    def boundingRect(self) -> QRectF:
        return self.frame_rect().adjusted(-2, -2, BADGE, 2)

    def paint_at(self, painter: QPainter, level: float) -> None:
        theme = self.design_scene().theme
        rect = self.frame_rect()
        selected = self.isSelected() and not theme.printing
        painter.setPen(QPen(theme.highlight if selected else theme.mid, 2 if selected else 1.2))
        painter.setBrush(QBrush(theme.frame_fill()))
        painter.drawRoundedRect(rect, FRAME_RADIUS, FRAME_RADIUS)
        if level < t.LOD_BLOCK:
            return
        title = QRectF(rect.x(), rect.y(), rect.width(), t.TITLE_H)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(theme.mid.lighter(150) if not theme.dark else theme.mid.darker(130)))
        painter.drawRoundedRect(title, 12, 12)
        painter.drawRect(title.adjusted(0, 12, 0, 0))
        draw_site_icon(painter, QRectF(10, 6, 16, 16), self.look.kind, theme.text)
        painter.setPen(theme.text)
        painter.setFont(t.name_font())
        title_text = QRectF(32, 0, rect.width() - 32 - BADGE - 8, t.TITLE_H)
        painter.drawText(title_text, Qt.AlignmentFlag.AlignVCenter,
                         t.elided(self.look.name, title_text.width(), bold=True))
        self.paint_badge(painter, QPointF(rect.width() - 4, 4))



class ServerItem(BlockItem):
    """A host card, or a cluster card with its node chips and broker badge; VM rows below.

    Zoomed far out, a card that is not selected is ``layered``: the scene's card layer
    (:class:`~hvdesigner.canvas.block_layers.CardLayer`) paints it (see BlockItem)."""

    layer_name = "card_layer"

    def __init__(self, server_id: str, look: ServerLook) -> None:
        super().__init__(server_id, z=1)
        self.look = look
        self.expanded = False
        self._resize()
        self.vm_severity: dict[str, str] = {}
        # a card is drawn once per zoom level and then copied: repaints and drags don't call
        # Python for every card in view (update() redraws it after a change)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    # geometry ---------------------------------------------------------------
    def header_height(self) -> float:
        return card_size(self.look.kind, len(self.look.nodes))[1]

    def card_rect(self) -> QRectF:
        return QRectF(self._card)

    def _resize(self) -> None:
        """Work out the card's size (Qt asks for the bounds on every paint and hit test)."""
        self.prepareGeometryChange()
        width = card_size(self.look.kind, len(self.look.nodes))[0]
        rows = len(self.look.vms) if self.expanded else 0
        self._card = QRectF(0, 0, width, self.header_height() + rows * t.VM_ROW_H + (4 if rows else 0))
        self._bounds = self._card.adjusted(-2, -BADGE / 2, BADGE / 2, 2)
        tell_attachments(self, self._card)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def vm_row_rect(self, index: int) -> QRectF:
        return QRectF(6, self.header_height() + index * t.VM_ROW_H, self.card_rect().width() - 12,
                      t.VM_ROW_H)

    def vm_at(self, pos: QPointF) -> str | None:
        if not self.expanded:
            return None
        for i, vm in enumerate(self.look.vms):
            if self.vm_row_rect(i).contains(pos):
                return vm.id
        return None

    def node_chip_rect(self, index: int) -> QRectF:
        return QRectF(*node_chip(self.card_rect().width(), index))

    def node_chip_texts(self, index: int) -> tuple[tuple[QRectF, str], tuple[QRectF, str]]:
        """A node chip's name, cut to fit, and its OS, kept whole at the chip's right end."""
        inner = self.node_chip_rect(index).adjusted(4, 0, -4, 0)  # (room for "NWH-HV11")
        node = self.look.nodes[index]
        metrics = t.detail_metrics()
        os_width = metrics.horizontalAdvance(node.os)
        os_box = QRectF(inner.right() - os_width, inner.top(), os_width, inner.height())
        name_box = QRectF(inner.left(), inner.top(), inner.width() - os_width - 4, inner.height())
        return (name_box, t.elided(node.name, name_box.width(), t.NAME_ELIDE)), \
            (os_box, node.os)

    def vm_row_texts(self, index: int) -> list[tuple[QRectF, str]]:
        """A VM row's name and disk count, cut to end before the row's badge (the name keeps
        at least about half the row)."""
        vm = self.look.vms[index]
        row = self.vm_row_rect(index)
        left = row.left() + 4
        right = row.right() - (VM_BADGE_ROOM if vm.id in self.vm_severity else 4)
        metrics = t.detail_metrics()
        disks = f"{vm.disks} disk{'s' if vm.disks != 1 else ''}"
        if vm.excluded:
            disks += f", {vm.excluded} excluded"
        room, gap = right - left, metrics.horizontalAdvance("   ")
        name = t.elided(vm.name, max(room - gap - metrics.horizontalAdvance(disks), room * 0.55),
                        t.NAME_ELIDE)
        disks_left = left + metrics.horizontalAdvance(name) + gap
        return [(QRectF(left, row.top(), disks_left - gap - left, row.height()), name),
                (QRectF(disks_left, row.top(), max(right - disks_left, 0), row.height()),
                 t.elided(disks, right - disks_left))]

    def node_at(self, pos: QPointF) -> str | None:
        for i, node in enumerate(self.look.nodes):
            if self.node_chip_rect(i).contains(pos):
                return node.id
        return None

    def toggle_rect(self) -> QRectF:
        return QRectF(8, self.header_height() - 22, 90, 18)

    def set_look(self, look: ServerLook) -> None:
        self.look = look
        self._resize()
        self.update()
        self.repaint_layered()

    def set_expanded(self, expanded: bool) -> None:
        if expanded != self.expanded:
            self.expanded = expanded
            self._resize()
            self.update()
            self.repaint_layered()
            self.design_scene().update_geometry({self.entity_id})

    def set_layered(self, layered: bool) -> None:
        if layered != self.layered:  # (layered, nothing of it to keep in Qt's cache)
            self.setCacheMode(QGraphicsItem.CacheMode.NoCache if layered
                              else QGraphicsItem.CacheMode.DeviceCoordinateCache)
        super().set_layered(layered)

    # painting ---------------------------------------------------------------
    def paint_at(self, painter: QPainter, level: float) -> None:
        scene = self.design_scene()
        theme = scene.theme
        rect = self.card_rect()
        selected = self.isSelected() and not theme.printing
        painter.setPen(QPen(theme.highlight if selected else theme.mid, 2.5 if selected else 1.2))
        painter.setBrush(QBrush(theme.base))
        if level < t.LOD_BLOCK:
            painter.setBrush(QBrush(theme.mid))
            painter.drawRect(rect)
            return
        painter.drawRoundedRect(rect, 8, 8)
        painter.setFont(t.name_font())
        painter.setPen(theme.text)
        if level < t.LOD_SIMPLE:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.look.name)
            self.paint_badge(painter, QPointF(rect.width() - 2, 2))
            return
        if self.look.kind == "cluster":
            self._paint_cluster(painter, rect)
        else:
            self._paint_host(painter, rect)
        self._paint_vms(painter, rect)
        self.paint_badge(painter, QPointF(rect.width() - 2, 2))

    def _paint_common(self, painter: QPainter, rect: QRectF, y: float) -> None:
        """Domain chip, VM count toggle, listener pips and Replica-server glyph."""
        theme = self.design_scene().theme
        painter.setFont(t.detail_font())
        if self.look.domain is not None and self.look.domain_index is not None:
            index = self.look.domain_index
            draw_domain_chip(painter, QRectF(10, y + 3, 10, 10), theme.domain_colour(index),
                             theme.text if index >= 7 else None)
            painter.setPen(theme.text)
            painter.drawText(QRectF(24, y, rect.width() - 34, 16), Qt.AlignmentFlag.AlignVCenter,
                             t.elided(self.look.domain, rect.width() - 34))
        else:
            painter.setPen(theme.mid)
            painter.drawText(QRectF(10, y, rect.width() - 60, 16), Qt.AlignmentFlag.AlignVCenter,
                             "WORKGROUP")
        toggle = self.toggle_rect()
        count = len(self.look.vms)
        painter.setPen(theme.text)
        arrow = "▾" if self.expanded else "▸"
        painter.drawText(toggle, Qt.AlignmentFlag.AlignVCenter,
                         f"{arrow} {count} VM{'s' if count != 1 else ''}")
        x = rect.width() - 10
        for pip in reversed(self.look.listeners):
            width = QFontMetricsF(painter.font()).horizontalAdvance(pip) + 6
            x -= width
            pip_rect = QRectF(x, toggle.y() + 1, width, 15)
            painter.setPen(QPen(theme.mid, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(pip_rect, 4, 4)
            painter.setPen(theme.text)
            painter.drawText(pip_rect, Qt.AlignmentFlag.AlignCenter, pip)
            x -= 3
        self._paint_replica_glyph(painter, QPointF(x - 10, toggle.center().y()))

    def _paint_replica_glyph(self, painter: QPainter, center: QPointF) -> None:
        """An inbound arrow, filled when the server is enabled as a Replica server."""
        theme = self.design_scene().theme
        painter.save()
        painter.setPen(QPen(theme.text, 1.2))
        painter.setBrush(QBrush(theme.text) if self.look.replica else Qt.BrushStyle.NoBrush)
        painter.drawPolygon(QPolygonF([
            QPointF(center.x() - 6, center.y() - 3), QPointF(center.x(), center.y() - 3),
            QPointF(center.x(), center.y() - 6), QPointF(center.x() + 6, center.y()),
            QPointF(center.x(), center.y() + 6), QPointF(center.x(), center.y() + 3),
            QPointF(center.x() - 6, center.y() + 3)]))
        painter.restore()

    def _paint_host(self, painter: QPainter, rect: QRectF) -> None:
        self._paint_title(painter, rect, 10)
        self._paint_common(painter, rect, 22)

    def _paint_cluster(self, painter: QPainter, rect: QRectF) -> None:
        theme = self.design_scene().theme
        self._paint_title(painter, rect, 34)
        self._paint_broker(painter, QRectF(8, 8, 20, 20))
        caption = QRectF(34, 21, rect.width() - 44, 14)
        painter.drawText(caption, Qt.AlignmentFlag.AlignVCenter, t.elided(
            f"Broker: {self.look.broker or 'no broker'}", caption.width()))
        selected = self.design_scene().selected_parts
        muted = painter.pen().color()  # (the OS's tone, as _paint_title left it)
        for i, node in enumerate(self.look.nodes):
            chip = self.node_chip_rect(i)
            chosen = node.id in selected and not theme.printing
            painter.setPen(QPen(theme.highlight if chosen else theme.mid, 2 if chosen else 1))
            painter.setBrush(QBrush(theme.window))
            painter.drawRoundedRect(chip, 4, 4)
            (name_box, name), (os_box, os) = self.node_chip_texts(i)
            painter.setPen(theme.text)
            painter.drawText(name_box, Qt.AlignmentFlag.AlignVCenter, name)
            painter.setPen(muted)
            painter.drawText(os_box, Qt.AlignmentFlag.AlignVCenter, os)
        self._paint_common(painter, rect, self.header_height() - 42)

    def _paint_title(self, painter: QPainter, rect: QRectF, left: float) -> None:
        """The name in bold from ``left``, cut before the OS at the right; leaves the pen
        and font set for the details below."""
        theme = self.design_scene().theme
        metrics = t.detail_metrics()
        os_width = metrics.horizontalAdvance(self.look.os)
        painter.setPen(theme.text)
        painter.setFont(t.name_font())
        name = QRectF(left, 4, rect.width() - 10 - os_width - 8 - left, 20)
        painter.drawText(name, Qt.AlignmentFlag.AlignVCenter,
                         t.elided(self.look.name, name.width(), t.NAME_ELIDE, bold=True))
        painter.setFont(t.detail_font())
        painter.setPen(theme.mid.darker(140) if not theme.dark else theme.mid.lighter(160))
        painter.drawText(QRectF(rect.width() - 10 - os_width, 4, os_width, 20),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, self.look.os)

    def _paint_broker(self, painter: QPainter, rect: QRectF) -> None:
        """A filled "B" when the cluster has a broker, a hollow dashed one when it hasn't."""
        theme = self.design_scene().theme
        painter.save()
        has = self.look.broker is not None
        pen = QPen(theme.text if has else theme.severity["error"], 1.5)
        if not has:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(theme.text) if has else Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect)
        painter.setPen(theme.base if has else theme.severity["error"])
        painter.setFont(t.name_font())
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "B")
        painter.restore()

    def _paint_vms(self, painter: QPainter, rect: QRectF) -> None:
        if not self.expanded:
            return
        theme = self.design_scene().theme
        painter.setFont(t.detail_font())
        selected = self.design_scene().selected_parts
        for i, vm in enumerate(self.look.vms):
            row = self.vm_row_rect(i)
            if vm.id in selected and not theme.printing:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QBrush(theme.highlight.lighter(170) if not theme.dark else theme.highlight.darker(150)))
                painter.drawRoundedRect(row, 3, 3)
            painter.setPen(theme.text)
            for box, text in self.vm_row_texts(i):
                painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, text)
            severity = self.vm_severity.get(vm.id)
            if severity is not None:
                painter.save()
                painter.scale(0.75, 0.75)
                draw_badge(painter, QPointF((row.right() - 8) / 0.75, row.center().y() / 0.75),
                           severity, theme.severity[severity])
                painter.restore()



def colour_with_alpha(colour: QColor, alpha: int) -> QColor:
    faded = QColor(colour)
    faded.setAlpha(alpha)
    return faded
