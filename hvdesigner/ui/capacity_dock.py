"""The capacity dock: the design's capacity figures as charts, updated live, with a what-if.

Three charts (:mod:`hvdesigner.ui.capacity_chart`), all from :mod:`hvdesigner.capacity.model`
(the figures the SZ rules and ``hvdesigner capacity`` use):

- **WAN links**: each link's load, the VMs stacked by their share, against its bandwidth (the
  outline) with the utilisation ceiling marked; the busiest first.
- **Initial replication**: per site pair (WAN link), the hours to send its VMs' initial copies
  over the network, against the planned window (media seeding beyond it).
- **Replica storage**: per target server, the storage its replicas need.

Clicking a bar selects its VM, WAN link or server on the canvas. **What-if**: drag the
bandwidth of a WAN link, or the churn of the selected VM, and the charts, RPOs and SZ findings
follow while dragging; the drag is one undo step. The window is a preference of the designer
(the file format has no place for it).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hvdesigner.canvas.tokens import SEVERITY_DARK, SEVERITY_LIGHT
from hvdesigner.capacity import formulas
from hvdesigner.capacity.changes import EVERYTHING, Affected, LiveFigures, affected
from hvdesigner.capacity.model import (
    WanLinkCapacity,
    replication_capacity,
    vm_capacity,
    wan_link_capacity,
)
from hvdesigner.editing import edits
from hvdesigner.editing.document import Document
from hvdesigner.model.derived import PlainReader
from hvdesigner.model.design import Change, Design
from hvdesigner.model.entities import VM, Replication, WanLink
from hvdesigner.ui.chart_data import Chart, Row, Segment
from hvdesigner.ui.fields import wheel_when_focused

if TYPE_CHECKING:
    from hvdesigner.ui.capacity_chart import BarChart

CHARTS = ("WAN links", "Initial replication", "Replica storage")
#: Rows a chart shows: the busiest (the selected one is always among them).
SHOWN_ROWS = 12
#: Segments of a WAN link's bar: its largest VMs; the rest as one grey segment.
SHOWN_VMS = 6
#: The what-if sliders move along a logarithmic scale: a step is ~6 %, across these decades.
BANDWIDTH_RANGE = (0.1, 100_000.0)  # Mbps
CHURN_RANGE = (0.001, 1_000.0)  # MB/s
SLIDER_STEPS = 400


def to_slider(value: float, bounds: tuple[float, float]) -> int:
    low, high = (math.log10(b) for b in bounds)
    return round((math.log10(max(value, bounds[0])) - low) / (high - low) * SLIDER_STEPS)


def from_slider(position: int, bounds: tuple[float, float]) -> float:
    low, high = (math.log10(b) for b in bounds)
    value = 10 ** (low + (high - low) * position / SLIDER_STEPS)
    return float(f"{value:.3g}")  # (three significant figures: what a planner types)


def duration(seconds: float | None) -> str:
    """An RPO as read: ``None`` is the capacity model's "cycles missed"."""
    if seconds is None:
        return "unbounded (cycles missed)"
    return f"{seconds / 60:.1f} min" if seconds < 3600 else f"{seconds / 3600:.1f} h"


class WhatIfSlider(QSlider):
    """A what-if slider: the wheel moves it only once it has the focus (clicked or tabbed
    to), so scrolling the dock past it edits nothing."""

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        wheel_when_focused(self)


def capacity_lines(design: Design, id: str, window_hours: float) -> list[str]:
    """The capacity figures the inspector shows for a VM, a replication or a WAN link."""
    r = PlainReader(design, dt.date.today(), {})
    entity = design.find(id)
    if isinstance(entity, VM):
        vm = vm_capacity(r, id, window_hours)
        if vm.primary is None:
            return ["Not replicated: no replication starts from where it runs"]
        return [f"Needs {vm.required_mbps:.1f} Mbps ({vm.data_per_cycle_mb:,.0f} MB a cycle)",
                f"RPO {duration(vm.rpo_s)}",
                f"Initial replication {_hours(vm.initial_replication_hours)}"
                + (" (seed by media)" if vm.media_recommended else ""),
                f"Outage before resync {_hours(vm.resync_after_outage_hours)}",
                f"Replica storage {vm.replica_storage_gb:,.1f} GB"]
    if isinstance(entity, Replication):
        rep = replication_capacity(r, id, window_hours)
        return [f"Needs {rep.required_mbps:.1f} Mbps ({rep.data_per_cycle_mb:,.0f} MB a cycle)",
                f"RPO {duration(rep.rpo_s)}",
                f"Initial replication {_hours(rep.initial_replication_hours)}"
                + (" (seed by media)" if rep.media_recommended else ""),
                f"Replica storage {rep.replica_storage_gb:,.1f} GB, replica IOPS "
                f"×{rep.iops_multiplier[0]:g}–{rep.iops_multiplier[1]:g}"]
    if isinstance(entity, WanLink):
        wan = wan_link_capacity(r, id, window_hours)
        return [f"Load {wan.load_mbps:.1f} of {wan.bandwidth_mbps:g} Mbps ({wan.utilization:.0%})",
                f"Headroom under the {wan.utilization_ceiling:.0%} ceiling: "
                f"{wan.headroom_mbps:,.1f} Mbps",
                f"Initial replication {_hours(wan.initial_replication_hours)}"
                + (" (seed by media)" if wan.media_recommended else "")]
    return []


def _hours(hours: float | None) -> str:
    return "not applicable" if hours is None else f"{hours:,.1f} h"


class CapacityPanel(QWidget):
    """The dock's widget; ``select`` asks the window to select ids on the canvas."""

    select = Signal(object)  # list of ids

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.document: Document | None = None
        self.live = LiveFigures(formulas.DEFAULT_WINDOW_HOURS)  # WAN links' and servers' figures
        self.vm_id: str | None = None
        self._drag = 0  # what-if drags so far: each is one undo step
        self._pending = EVERYTHING  # what the edits since the last refresh can have changed
        self.shown = False  # see set_shown
        self._rows = SHOWN_ROWS  # rows the chart shows: what its height holds
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self.refresh)

        self.which = QComboBox()
        self.which.setObjectName("capacity-chart")
        self.which.addItems(CHARTS)
        self.which.currentIndexChanged.connect(lambda _i: self.refresh())
        self.window_hours = QSpinBox()
        self.window_hours.setObjectName("capacity-window")
        self.window_hours.setRange(1, 24 * 60)
        self.window_hours.setSuffix(" h")
        self.window_hours.setToolTip("The planned initial-replication window: a copy over the "
                                     "network longer than this is better seeded by media")
        hours = settings.value("capacity/window_hours", formulas.DEFAULT_WINDOW_HOURS) if settings else None
        self.window_hours.setValue(int(float(hours or formulas.DEFAULT_WINDOW_HOURS)))
        self.window_hours.valueChanged.connect(self._window_changed)
        export = QPushButton("Export chart…")
        export.setObjectName("capacity-export")
        export.clicked.connect(self._export_dialog)
        bar = QHBoxLayout()
        bar.addWidget(self.which)
        bar.addWidget(QLabel("Window"))
        bar.addWidget(self.window_hours)
        bar.addStretch(1)
        bar.addWidget(export)

        self.chart: BarChart | None = None  # made when first shown (see _chart)
        self.chart_place = QVBoxLayout()
        self.chart_place.setContentsMargins(0, 0, 0, 0)
        tokens = SEVERITY_LIGHT if self.palette().base().color().lightness() > 127 else SEVERITY_DARK
        self.warning_colour, self.error_colour = tokens["warning"], tokens["error"]

        self.wan = QComboBox()
        self.wan.setObjectName("what-if-wan")
        self.wan.setMinimumContentsLength(24)  # (WAN links are named "DC-APAC-58–DC-EMEA-70")
        self.wan.currentIndexChanged.connect(lambda _i: self._show_what_if())
        self.bandwidth = self._slider("what-if-bandwidth", self._bandwidth_moved)
        self.bandwidth_text = QLabel()
        self.vm_label = QLabel("Select a VM")
        self.vm_label.setTextFormat(Qt.TextFormat.PlainText)
        self.churn = self._slider("what-if-churn", self._churn_moved)
        self.churn_text = QLabel()
        self.readout = QLabel()
        self.readout.setObjectName("what-if-readout")
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setWordWrap(True)
        # two lines kept: a line coming and going would move the sliders under the mouse
        self.readout.setMinimumHeight(2 * self.readout.fontMetrics().lineSpacing() + 4)
        what_if = QFormLayout()
        what_if.addRow("What if WAN link", self._row(self.wan, self.bandwidth, self.bandwidth_text))
        what_if.addRow("What if VM", self._row(self.vm_label, self.churn, self.churn_text))
        what_if.addRow(self.readout)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(bar)
        layout.addLayout(self.chart_place, 1)
        layout.addLayout(what_if)

    @staticmethod
    def _row(*widgets: QWidget) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for i, widget in enumerate(widgets):
            layout.addWidget(widget, 1 if isinstance(widget, QSlider) else 0)
            if i == 0:
                widget.setMinimumWidth(120)
        return row

    def _slider(self, name: str, moved: Any) -> QSlider:
        slider = WhatIfSlider()
        slider.setObjectName(name)
        slider.setRange(0, SLIDER_STEPS)
        slider.valueChanged.connect(moved)
        slider.sliderReleased.connect(self._drag_ended)
        return slider

    # ------------------------------------------------------------------ document
    def set_document(self, document: Document) -> None:
        if self.document is not None:
            self.document.design_changed.disconnect(self._design_changed)
        self.document = document
        self.vm_id = None
        self._pending = EVERYTHING
        document.design_changed.connect(self._design_changed)
        if self.shown:
            self.refresh()

    def _design_changed(self, changes: list[Change]) -> None:
        # Only the figures the changes can change are worked out again (capacity.changes),
        # once for a burst of changes after the model settled, and only while the dock is
        # seen: hidden behind another tab it costs an edit nothing.
        assert self.document is not None
        if not self._pending.everything:
            self._pending |= affected(self.document.design, changes)
        if self.shown:
            self._refresh_timer.start()

    def set_shown(self, shown: bool) -> None:
        """Whether the dock can be seen (its tab in front, or floating): the window says so
        from the dock's ``visibilityChanged``; a hidden tab's widget still counts as visible
        to Qt."""
        self.shown = shown
        if shown and self._pending != Affected():
            self._refresh_timer.start()

    def show_selection(self, ids: Iterable[str]) -> None:
        """Follow the canvas: a selected VM is the what-if's VM, a WAN link its link."""
        if self.document is None:
            return
        design = self.document.design
        for id in ids:
            entity = design.find(id)
            if isinstance(entity, VM):
                self.vm_id = id
            elif isinstance(entity, WanLink):
                index = self.wan.findData(id)
                if index >= 0:
                    self.wan.setCurrentIndex(index)
        self._show_what_if()

    # ------------------------------------------------------------------ figures
    def _reader(self) -> PlainReader:
        assert self.document is not None
        return PlainReader(self.document.design, dt.date.today(), {})

    def refresh(self) -> None:
        """Bring the figures up to date (those the edits since the last refresh can have
        changed) and draw the chart chosen."""
        if self.document is None:
            return
        self._update_figures()
        self._draw()
        self._refill_wan_choices()
        self._show_what_if()

    def _draw(self) -> None:
        """Draw the chart chosen, with as many rows as its height holds (up to SHOWN_ROWS)."""
        chart = self._chart()
        self._rows = max(3, min(SHOWN_ROWS, chart.rows_that_fit()))
        chosen = self.which.currentText()
        if chosen == "Replica storage":
            chart.show_chart(self._storage_chart())
        elif chosen == "Initial replication":
            chart.show_chart(self._initial_chart(float(self.window_hours.value())))
        else:
            chart.show_chart(self._wan_chart())

    def _chart(self) -> BarChart:
        """The chart, made the first time it is needed: pyqtgraph (and numpy) cost a quarter
        of a second and 38 MB that a designer never showing the dock need not pay."""
        if self.chart is None:
            from hvdesigner.ui import module_sources
            from hvdesigner.ui.capacity_chart import BarChart

            module_sources.forget()  # (pyqtgraph's and numpy's, read by PySide6)
            self.chart = BarChart()
            self.chart.setObjectName("capacity-plot")
            self.chart.setMinimumHeight(170)  # (a row a finger high, even in a low dock)
            self.chart.clicked.connect(lambda id: self.select.emit([id]))
            self.chart.resized.connect(self._redraw_if_rows_change)
            self.chart_place.addWidget(self.chart)
        return self.chart

    def _redraw_if_rows_change(self) -> None:
        if self.chart is not None and self.chart.chart is not None and \
                max(3, min(SHOWN_ROWS, self.chart.rows_that_fit())) != self._rows:
            self._draw()

    def _update_figures(self) -> None:
        assert self.document is not None
        pending, self._pending = self._pending, Affected()
        self.live.window_hours = float(self.window_hours.value())
        self.live.update(self.document.design, pending)

    @property
    def figures(self) -> dict[str, WanLinkCapacity]:
        """The WAN links' figures, as last worked out."""
        return self.live.wan_links

    def _busiest(self, key: Any) -> list[WanLinkCapacity]:
        shown = sorted(self.figures.values(), key=key, reverse=True)[:self._rows]
        chosen = self.figures.get(self.wan.currentData() or "")
        if chosen is not None and chosen not in shown:
            shown[-1] = chosen
        return shown

    def _wan_chart(self) -> Chart:
        assert self.document is not None
        vms = self.document.design.vms
        rows = []
        for wan in self._busiest(lambda w: w.utilization):
            top = wan.contributions[:SHOWN_VMS]
            rest = sum(c.mbps for c in wan.contributions[SHOWN_VMS:])
            segments = [Segment(c.vm, c.mbps, vms[c.vm].name) for c in top]
            if rest:
                segments.append(Segment("", rest, "other VMs"))
            state = "error" if wan.over_bandwidth else "warning" if wan.over_ceiling else None
            rows.append(Row(wan.id, f"{wan.name} {wan.utilization:.0%}", tuple(segments),
                            wan.bandwidth_mbps, wan.utilization_ceiling * wan.bandwidth_mbps, state))
        total = len(self.figures)
        title = "WAN links: load by VM against bandwidth (outline) and ceiling (tick)" + (
            f" ({len(rows)} busiest of {total})" if total > len(rows) else "")
        return Chart(title, "Mbps", tuple(rows))

    def _initial_chart(self, hours: float) -> Chart:
        shown = self._busiest(lambda w: w.initial_replication_hours)
        rows = [Row(w.id, f"{w.name} · " + (f"{w.initial_replication_hours:,.1f} h"
                                             if w.used_gb else "none over the network"),
                    (Segment(w.id, w.initial_replication_hours, w.name),),
                    state="warning" if w.media_recommended else None) for w in shown]
        seeded = {w.id: self.warning_colour for w in shown if w.media_recommended}
        return Chart("Initial replication over the network, per site pair (▲: seed by media)",
                     "hours", tuple(rows), line=hours, line_label=f"window {hours:g} h",
                     colours=seeded)

    def _storage_chart(self) -> Chart:
        shown = sorted(self.live.servers.values(), key=lambda s: s.replica_storage_gb,
                       reverse=True)[:self._rows]
        rows = [Row(s.id, f"{s.name} · {s.replica_storage_gb:,.0f} GB",
                    (Segment(s.id, s.replica_storage_gb, s.name),)) for s in shown]
        return Chart("Replica storage per target server", "GB", tuple(rows))

    # ------------------------------------------------------------------ what-if
    def _refill_wan_choices(self) -> None:
        current = self.wan.currentData()
        names = sorted(((w.name, w.id) for w in self.figures.values()), key=lambda p: p[0].casefold())
        if [(self.wan.itemText(i), self.wan.itemData(i)) for i in range(self.wan.count())] == names:
            return
        self.wan.blockSignals(True)
        self.wan.clear()
        for name, id in names:
            self.wan.addItem(name, id)
        if current is None and self.figures:  # (at first the busiest)
            current = max(self.figures.values(), key=lambda w: w.utilization).id
        index = self.wan.findData(current)
        self.wan.setCurrentIndex(max(index, 0))
        self.wan.blockSignals(False)

    def _show_what_if(self) -> None:
        """The sliders at the values in force, and what they mean for RPO and load."""
        if self.document is None:
            return
        design = self.document.design
        lines = []
        missed = False  # (said in words, and in the error colour)
        wan_id = self.wan.currentData()
        r = self._reader()
        wan = wan_link_capacity(r, wan_id) if wan_id in design.wan_links else None
        self.bandwidth.setEnabled(wan is not None)
        if wan is not None:
            self._set_quietly(self.bandwidth, to_slider(wan.bandwidth_mbps, BANDWIDTH_RANGE))
            self.bandwidth_text.setText(f"{wan.bandwidth_mbps:g} Mbps")
            rpos = [replication_capacity(r, i).rpo_s for i in wan.replications]
            worst = None if any(x is None for x in rpos) else max(rpos, default=0.0)
            missed = worst is None
            lines.append(f"{wan.name}: load {wan.load_mbps:.1f} of {wan.bandwidth_mbps:g} Mbps "
                         f"({wan.utilization:.0%}), worst RPO {duration(worst)}")
        vm = design.vms.get(self.vm_id or "")
        replicated = vm is not None and any(d.replicate for d in vm.disks)
        self.churn.setEnabled(replicated)
        if vm is None:
            self.vm_label.setText("Select a VM")
            self.churn_text.clear()
        else:
            self.vm_label.setText(vm.name)
            churn = sum(d.churn_mb_s for d in vm.disks if d.replicate)
            self._set_quietly(self.churn, to_slider(churn, CHURN_RANGE))
            self.churn_text.setText(f"{churn:g} MB/s")
            figures = vm_capacity(r, vm.id, float(self.window_hours.value()))
            if figures.primary is None:
                lines.append(f"{vm.name}: not replicated")
            else:
                lines.append(f"{vm.name}: needs {figures.required_mbps:.1f} Mbps, "
                             f"RPO {duration(figures.rpo_s)}")
                missed = missed or figures.rpo_s is None
        self.readout.setText("\n".join(lines))
        self.readout.setStyleSheet(f"color: {self.error_colour}" if missed else "")

    @staticmethod
    def _set_quietly(slider: QSlider, value: int) -> None:
        if slider.isSliderDown():
            return  # (the user is dragging it)
        slider.blockSignals(True)
        slider.setValue(value)
        slider.blockSignals(False)

    def _bandwidth_moved(self, position: int) -> None:
        wan_id = self.wan.currentData()
        if self.document is None or not wan_id:
            return
        self.document.do(edits.set_fields, wan_id,
                         merge_key=self._merge_key(self.bandwidth, "bandwidth", wan_id),
                         bandwidth_mbps=from_slider(position, BANDWIDTH_RANGE))

    def _churn_moved(self, position: int) -> None:
        if self.document is None or self.vm_id is None:
            return
        self.document.do(edits.set_vm_churn, self.vm_id, from_slider(position, CHURN_RANGE),
                         merge_key=self._merge_key(self.churn, "churn", self.vm_id))

    def _merge_key(self, slider: QSlider, what: str, id: str) -> tuple[str, str, str, int] | None:
        """A drag is one undo step; a key press on the slider is a step of its own."""
        return ("what-if", what, id, self._drag) if slider.isSliderDown() else None

    def _drag_ended(self) -> None:
        self._drag += 1

    def _window_changed(self, hours: int) -> None:
        if self.settings is not None:
            self.settings.setValue("capacity/window_hours", hours)
        self._pending = EVERYTHING
        self.refresh()

    # ------------------------------------------------------------------ export
    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export chart", "capacity.png", "PNG image (*.png)")
        if path:
            try:
                self._chart().export_png(path)
            except OSError as e:
                self.readout.setText(f"Could not export the chart: {e}")
