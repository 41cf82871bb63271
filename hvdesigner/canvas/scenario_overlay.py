"""The scenario view on the canvas: a site-loss scenario drawn over the design, never in it.

In a scenario (:mod:`hvdesigner.recovery.scenarios`, chosen with the designer's scenario
switch) the canvas shows, on top of the cards as they are:

- each lost site's frame greyed and hatched, tagged "Lost" (a :class:`LostVeil`; it takes no
  clicks, so what is under it can still be selected and edited);
- on each surviving server's card (a cluster or a standalone host), a :class:`LoadPanel`: its
  memory and vCPU demand against its capacity as a pair of bars on a tab above the card
  (hatched in the error colour when over capacity, a dashed track and "?" when the capacity is
  unknown; the tooltip counts the VMs of unknown size) and how many VMs are recovered onto it;
  while the card shows its VMs, those recovered onto it are listed under them in the recovered
  colour with "↺", their start order and data-loss bound.

The normal scenario shows nothing: the canvas is as without a scenario. The items hang on the
cards and frames (:class:`~hvdesigner.canvas.items.Attachment` children), so they move with
them; they are not design items (no id, no selection, not in exports).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget
from shiboken6 import isValid

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.items import Attachment, ServerItem, SiteItem, colour_with_alpha, lod
from hvdesigner.canvas.theme import Theme
from hvdesigner.canvas.tokens import RECOVERED_DARK, RECOVERED_LIGHT
from hvdesigner.model.design import Design
from hvdesigner.recovery.scenarios import Load, Scenario
from hvdesigner.recovery.words import amount, data_loss_bound

#: Above the links (5) and live links (6) that cross a lost site, below the legend (20).
VEIL_Z = 7
#: Between a card and its load tab (above) or its recovered rows (below).
PANEL_GAP = 2.0
BAR_ROW_H = 12.0
TAB_PAD = 2.0
#: The tab stops short of the card's right end: the card's findings badge sits there.
BADGE_ROOM = 12.0
#: A bar keeps at least this much of the panel, whatever its figure's width.
MIN_BAR_W = 24.0
RECOVERED_MARK = "↺"


def recovered_colour(theme: Theme) -> QColor:
    return QColor(RECOVERED_DARK if theme.dark else RECOVERED_LIGHT)


@dataclass(frozen=True)
class RecoveredRow:
    id: str
    name: str
    position: int
    rpo_s: int | None


@dataclass(frozen=True)
class LoadLook:
    """What a load panel shows: the server's load, and the VMs recovered onto it."""

    server: str  # its name
    load: Load
    recovered: tuple[RecoveredRow, ...]

    def figures(self, unit: bool = True) -> tuple[str, str]:
        """The memory and vCPU figures, demand / capacity ("?" where unknown; the vCPUs the
        cores may carry at ``vcpu_per_core``, RCV-03's measure); without ``unit``, the
        memory's " GB" left out (where the whole does not fit)."""
        load = self.load
        memory, vcpus = load.capacity.memory_gb, load.vcpu_capacity
        return (f"{amount(load.memory_demand_gb)}/{'?' if memory is None else amount(memory)}"
                + (" GB" if unit else ""),
                f"{load.vcpu_demand}/{'?' if vcpus is None else amount(vcpus)}")

    def tooltip(self, design: Design) -> str:
        """Rich text with every design string escaped (a name is text, never markup)."""
        load = self.load
        memory, cpus = load.capacity.memory_gb, load.capacity.cpus
        lines = [f"{self.server} in this scenario",
                 f"Memory: {amount(load.memory_demand_gb)} GB asked of "
                 + ("an unknown memory" if memory is None else f"{amount(memory)} GB")
                 + (" (over capacity)" if load.over_memory else ""),
                 f"vCPUs: {load.vcpu_demand} asked of "
                 + ("unknown logical processors" if cpus is None else
                    f"{amount(load.vcpu_capacity or 0)} ({cpus} logical processors × "
                    f"{amount(load.vcpu_per_core)} per core)")
                 + (" (over capacity)" if load.over_cores else ""),
                 f"{len(load.running)} VM{'s' if len(load.running) != 1 else ''} running here, "
                 f"{len(self.recovered)} of them recovered"]
        if load.unknown_vms:
            vms = [design.vms[v] for v in load.running if v in design.vms]
            unknown = sorted((v.name for v in vms if v.memory_gb is None or v.vcpus is None),
                             key=str.casefold)
            count = len(unknown)
            lines.append(f"{count} VM{'s are' if count != 1 else ' is'} of unknown size "
                         f"(counted as 0): {', '.join(unknown[:8])}" + (", …" if count > 8 else ""))
        return "<qt>" + "<br>".join(html.escape(line) for line in lines) + "</qt>"


class LoadPanel(Attachment):
    """A surviving server's load bars, on a tab above its card (the room between a frame's
    title bar and its first row of cards holds it; below the last row there is less), with
    how many VMs are recovered onto it; their rows hang under the card while its VMs are
    shown (:class:`RecoveredRows`)."""

    def __init__(self, card: ServerItem, look: LoadLook, design: Callable[[], Design]) -> None:
        super().__init__(card)
        self.look = look
        self._design = design
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # (a click is the frame's)
        self._rect = QRectF()
        # drawn once per zoom level, then copied (as the cards are): a scenario of a large
        # design zoomed out has thousands of tabs in view
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.rows = RecoveredRows(self)
        self.follow(card.card_rect())

    def _card(self) -> ServerItem:
        card = self.parentItem()
        assert isinstance(card, ServerItem)
        return card

    def set_look(self, look: LoadLook) -> None:
        if look != self.look:
            self.look = look
            self.follow(self._card().card_rect())
            self.update()
            self.rows.update()

    def tooltip(self) -> str:
        # (made on hover: the names of the VMs of unknown size are the design's as it is)
        return self.look.tooltip(self._design())

    def follow(self, box: QRectF) -> None:
        lines = 3 if self.look.recovered else 2
        rect = QRectF(0, 0, box.width() - BADGE_ROOM, 2 * TAB_PAD + lines * BAR_ROW_H)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.setPos(0, box.top() - rect.height() - PANEL_GAP)
        self.rows.follow(QRectF(box.x(), box.y() - self.y(), box.width(), box.height()))

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme: Theme = self.scene().theme  # type: ignore[attr-defined]
        level = lod(painter, option)
        rect = self._rect
        painter.setPen(QPen(theme.mid, 1))
        painter.setBrush(QBrush(theme.base))
        painter.drawRoundedRect(rect, 5, 5)
        load = self.look.load
        bars = ((("RAM", load.memory_demand_gb, load.capacity.memory_gb, load.over_memory)),
                (("vCPU", float(load.vcpu_demand), load.vcpu_capacity, load.over_cores)))
        painter.setFont(t.detail_font())
        label_w = max(t.detail_width(label) for (label, *_rest) in bars) + 6
        room = rect.width() - label_w - MIN_BAR_W - 16
        figures = self.look.figures()
        if max(t.detail_width(f) for f in figures) + 4 > room:
            figures = self.look.figures(unit=False)
        figure_w = min(max(t.detail_width(f) for f in figures) + 4, room)
        for row, ((label, demand, capacity, over), figure) in enumerate(zip(bars, figures, strict=True)):
            top = TAB_PAD + row * BAR_ROW_H
            if level < t.LOD_SIMPLE:  # (zoomed out: the bars alone, across the tab)
                bar = QRectF(6, top + 2, rect.width() - 12, BAR_ROW_H - 4)
            else:  # (both bars the same length: they read against each other)
                bar = QRectF(6 + label_w, top + 3, rect.width() - label_w - figure_w - 14,
                             BAR_ROW_H - 6)
                painter.setPen(theme.text)
                painter.drawText(QRectF(6, top, label_w, BAR_ROW_H), Qt.AlignmentFlag.AlignVCenter,
                                 label)
                painter.setPen(theme.severity["error"] if over else theme.text)
                painter.drawText(QRectF(bar.right() + 4, top, figure_w, BAR_ROW_H),
                                 Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                                 t.elided(figure, figure_w))
            self._paint_bar(painter, theme, bar, demand, capacity, over)
        count = len(self.look.recovered)
        if count and level >= t.LOD_SIMPLE:
            painter.setPen(recovered_colour(theme))
            painter.drawText(QRectF(6, TAB_PAD + 2 * BAR_ROW_H, rect.width() - 12, BAR_ROW_H),
                             Qt.AlignmentFlag.AlignVCenter,
                             t.elided(f"{RECOVERED_MARK} {count} recovered here", rect.width() - 12))

    @staticmethod
    def _paint_bar(painter: QPainter, theme: Theme, bar: QRectF, demand: float,
                   capacity: float | None, over: bool) -> None:
        """The track is the capacity; the fill the demand. Over capacity: full, in the error
        colour, hatched; capacity unknown: a dashed track, no fill (nothing to measure by)."""
        painter.save()
        if capacity is None:
            pen = QPen(theme.mid, 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(bar)
            painter.restore()
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(colour_with_alpha(theme.mid, 90)))
        painter.drawRect(bar)
        share = 1.0 if over else (demand / capacity if capacity > 0 else 0.0)
        filled = QRectF(bar.x(), bar.y(), bar.width() * share, bar.height())
        if over:
            painter.setBrush(QBrush(theme.severity["error"]))
            painter.drawRect(filled)
            painter.setBrush(QBrush(theme.base, Qt.BrushStyle.BDiagPattern))
            painter.drawRect(filled)
        elif share > 0:
            painter.setBrush(QBrush(colour_with_alpha(theme.text, 150)))
            painter.drawRect(filled)
        painter.restore()


class RecoveredRows(QGraphicsItem):
    """The VMs recovered onto a server, a row each under its card's own VM rows while the
    card shows its VMs: "↺", the start order and name, the data-loss bound."""

    def __init__(self, tab: LoadPanel) -> None:
        super().__init__(tab)
        self.tab = tab
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._rect = QRectF()

    def follow(self, card: QRectF) -> None:
        """``card``: the card's box in the tab's coordinates."""
        recovered = self.tab.look.recovered
        card_item = self.tab.parentItem()
        shown = bool(recovered) and isinstance(card_item, ServerItem) and card_item.expanded
        self.setVisible(shown)
        rect = QRectF(0, 0, card.width(), 4 + len(recovered) * t.VM_ROW_H)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.setPos(0, card.bottom() + PANEL_GAP)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme: Theme = self.scene().theme  # type: ignore[attr-defined]
        colour = recovered_colour(theme)
        rect = self._rect
        painter.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
        painter.setBrush(QBrush(theme.base))
        painter.drawRoundedRect(rect, 5, 5)
        if lod(painter, option) < t.LOD_SIMPLE:
            return
        painter.setFont(t.detail_font())
        painter.setPen(colour)
        for i, row in enumerate(self.tab.look.recovered):
            box = QRectF(8, 2 + i * t.VM_ROW_H, rect.width() - 16, t.VM_ROW_H)
            prefix = f"{RECOVERED_MARK} {row.position}. "
            prefix_w = t.detail_width(prefix)
            painter.drawText(QRectF(box.x(), box.y(), prefix_w + 2, box.height()),
                             Qt.AlignmentFlag.AlignVCenter, prefix)
            # the name first; the bound (also in the plan and the tooltip) where room is left
            bound = data_loss_bound(row.rpo_s)
            bound_w = t.detail_width(bound) + 8
            name_w = box.width() - prefix_w
            if t.detail_width(row.name) <= name_w - bound_w:
                name_w -= bound_w
                painter.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                                 bound)
            painter.drawText(QRectF(box.x() + prefix_w, box.y(), name_w, box.height()),
                             Qt.AlignmentFlag.AlignVCenter, t.elided(row.name, name_w, t.NAME_ELIDE))


class LostVeil(QGraphicsItem):
    """A lost site's frame and everything in it, links and labels included, greyed and
    hatched, tagged "Lost". It has no shape: clicks, hovers and the canvas's look-ups under
    the mouse go through it. It lies above the links, so it is not the frame's child (a child
    stays in its parent's depth, under them); its :class:`VeilAnchor` in the frame moves and
    sizes it with the frame."""

    def __init__(self, site: SiteItem) -> None:
        super().__init__()
        self.setZValue(VEIL_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._rect = site.frame_rect()
        site.scene().addItem(self)
        self.setPos(site.scenePos())
        self.anchor = VeilAnchor(site, self)

    def follow(self, box: QRectF) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(box)

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme: Theme = self.scene().theme  # type: ignore[attr-defined]
        rect = self._rect
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(colour_with_alpha(theme.window, 175)))
        painter.drawRoundedRect(rect, 12, 12)
        painter.setBrush(QBrush(colour_with_alpha(theme.mid, 150), Qt.BrushStyle.BDiagPattern))
        painter.drawRoundedRect(rect, 12, 12)
        if lod(painter, option) < t.LOD_BLOCK:
            return
        painter.setFont(t.name_font())
        text = "✕ Lost in this scenario"
        width = t.name_metrics().horizontalAdvance(text) + 16
        tag = QRectF(rect.right() - width - 30, 4, width, t.TITLE_H - 8)
        painter.setPen(QPen(theme.text, 1))
        painter.setBrush(QBrush(theme.base))
        painter.drawRoundedRect(tag, 4, 4)
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)


class VeilAnchor(Attachment):
    """An empty child of a lost site's frame that keeps its veil on it."""

    def __init__(self, site: SiteItem, veil: LostVeil) -> None:
        super().__init__(site)
        self.veil = veil
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsScenePositionChanges)

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        pass

    def follow(self, box: QRectF) -> None:
        self.veil.follow(box)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:  # noqa: N802
        if change == QGraphicsItem.GraphicsItemChange.ItemScenePositionHasChanged:
            self.veil.setPos(self.scenePos())  # (the frame moved: dragged, nudged, laid out)
        return super().itemChange(change, value)


class ScenarioOverlay:
    """Draws a scenario on a scene, or nothing (the normal scenario, or none chosen)."""

    def __init__(self, scene: object, design: Callable[[], Design]) -> None:
        self.scene = scene
        self._design = design
        self.panels: dict[str, LoadPanel] = {}
        self.veils: dict[str, LostVeil] = {}

    def show(self, scenario: Scenario | None) -> None:
        """Bring the drawing in step with a scenario: a panel whose look did not change is
        left as it is (an edit in a large design touches a few servers' loads)."""
        scene = self.scene
        sites: dict[str, SiteItem] = scene.sites  # type: ignore[attr-defined]
        cards: dict[str, ServerItem] = scene.servers  # type: ignore[attr-defined]
        lost = set(scenario.lost) if scenario is not None and scenario.lost else set()
        for gone in [k for k, item in self.panels.items() if not isValid(item)]:
            del self.panels[gone]  # (gone with its card: a server deleted)
        for gone in [k for k, veil in self.veils.items() if not isValid(veil.anchor)]:
            self._drop(self.veils.pop(gone))  # (its frame gone: a site deleted)
        for site_id in set(self.veils) | lost:
            veil, site = self.veils.get(site_id), sites.get(site_id)
            if veil is not None and (site_id not in lost or veil.anchor.parentItem() is not site):
                self._drop(self.veils.pop(site_id).anchor)
                self._drop(veil)
                veil = None
            if veil is None and site is not None and site_id in lost:
                self.veils[site_id] = LostVeil(site)
        looks = self.looks(scenario) if lost and scenario is not None else {}
        for server_id in set(self.panels) | set(looks):
            panel, card, look = self.panels.get(server_id), cards.get(server_id), looks.get(server_id)
            if panel is not None and (look is None or panel.parentItem() is not card):
                self._drop(self.panels.pop(server_id))
                panel = None
            if look is None or card is None:
                continue
            if panel is None:
                self.panels[server_id] = LoadPanel(card, look, self._design)
            else:
                panel.set_look(look)

    def looks(self, scenario: Scenario) -> dict[str, LoadLook]:
        design = self._design()
        recovered: dict[str, list[RecoveredRow]] = {}
        for position, vm_id in enumerate(scenario.start_order, 1):
            outcome = scenario.outcomes[vm_id]
            if outcome.runs_on is not None:
                recovered.setdefault(outcome.runs_on, []).append(
                    RecoveredRow(vm_id, design.vms[vm_id].name, position, outcome.rpo_s))
        return {server_id: LoadLook(design.get(server_id).name, load,
                                    tuple(recovered.get(server_id, ())))
                for server_id, load in scenario.loads.items()}

    @staticmethod
    def _drop(item: QGraphicsItem) -> None:
        scene = item.scene()
        item.setParentItem(None)
        if scene is not None:
            scene.removeItem(item)
