"""A horizontal bar chart of capacity figures (pyqtgraph), for the capacity dock.

Each row is a thing of the design (a WAN link, a target server): a bar made of segments (the
VMs a link carries, stacked by their share), an optional outline for what is available (the
link's bandwidth) and a tick for a limit (its utilisation ceiling); a line across all rows can
mark a common limit (the initial-replication window). A click on a segment or row says which
id it stands for. Names are drawn as plain text by the axis.
"""

from __future__ import annotations

import html

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from hvdesigner.canvas.glyphs import SEVERITY_SYMBOL
from hvdesigner.canvas.tokens import DOMAIN_COLOURS, SEVERITY_DARK, SEVERITY_LIGHT
from hvdesigner.ui.chart_data import Chart, Row, Segment

#: Segment colours: the domain chips' (Okabe–Ito, colour-blind safe); the rest of a row's
#: segments, lumped together, are grey.
SEGMENT_COLOURS = tuple(DOMAIN_COLOURS)
REST_COLOUR = "#9E9E9E"


_MARK = {**{s: f"{SEVERITY_SYMBOL[s]} " for s in ("error", "warning")}, None: ""}


class BarChart(QWidget):
    """Draws a :class:`Chart`; ``clicked`` gives the id of the segment or row clicked."""

    clicked = Signal(str)
    resized = Signal()

    #: Height a row needs to stay legible (its name on the axis), and what the title and the
    #: axis below take.
    ROW_PX, FRAME_PX = 24, 80

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.chart: Chart | None = None
        self.apply_palette(self.palette())

    def apply_palette(self, palette: QPalette) -> None:
        """Background and axes from the Qt palette, so that dark mode works."""
        self._text = palette.color(QPalette.ColorRole.WindowText)
        base = palette.color(QPalette.ColorRole.Base)
        tokens = SEVERITY_LIGHT if base.lightness() > 127 else SEVERITY_DARK
        self.warning_colour, self.error_colour = tokens["warning"], tokens["error"]
        self._warning = QColor(self.warning_colour)
        self.plot.setBackground(base)
        item = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(self._text))
            axis.setTextPen(pg.mkPen(self._text))

    def show_chart(self, chart: Chart) -> None:
        self.chart = chart
        item = self.plot.getPlotItem()
        item.clear()
        item.setTitle(chart.title, color=self._text.name())
        item.setLabel("bottom", chart.unit)
        rows = chart.rows
        # top to bottom in the order given: row i at y = n - 1 - i
        n = len(rows)
        ticks = [(n - 1 - i, f"{_MARK[row.state]}{row.label}") for i, row in enumerate(rows)]
        item.getAxis("left").setTicks([ticks, []])
        x0: list[float] = []
        widths: list[float] = []
        ys: list[float] = []
        brushes: list[QColor] = []
        for i, row in enumerate(rows):
            start = 0.0
            for j, segment in enumerate(row.segments):
                x0.append(start)
                widths.append(segment.value)
                ys.append(n - 1 - i)
                colour = chart.colours.get(segment.id) or (
                    SEGMENT_COLOURS[j % len(SEGMENT_COLOURS)] if segment.id else REST_COLOUR)
                brushes.append(QColor(colour))
                start += segment.value
        if x0:
            item.addItem(pg.BarGraphItem(x0=x0, y=ys, width=widths, height=0.6, brushes=brushes,
                                         pen=pg.mkPen(None)))
        right = max([sum(s.value for s in r.segments) for r in rows]
                    + [r.available or 0 for r in rows] + [r.limit or 0 for r in rows]
                    + [chart.line or 0, 1e-9])
        self._name_segments(rows, right)
        outlines = [(n - 1 - i, row.available) for i, row in enumerate(rows) if row.available]
        if outlines:
            item.addItem(pg.BarGraphItem(x0=[0.0] * len(outlines), y=[y for y, _ in outlines],
                                         width=[w for _, w in outlines], height=0.8,
                                         brush=None, pen=pg.mkPen(self._text, width=1.5)))
        limits = [(row.limit, n - 1 - i) for i, row in enumerate(rows) if row.limit]
        if limits:
            item.addItem(pg.ScatterPlotItem(x=[x for x, _ in limits], y=[y for _, y in limits],
                                            symbol="|", size=22, pen=pg.mkPen(self._warning, width=3),
                                            brush=None))
        if chart.line is not None:
            item.addItem(pg.InfiniteLine(
                chart.line, angle=90,
                pen=pg.mkPen(self._warning, width=2, style=Qt.PenStyle.DashLine),
                label=chart.line_label, labelOpts={"position": 0.95, "color": self._warning}))
        item.setYRange(-0.6, max(n, 1) - 0.4, padding=0)
        item.setXRange(0, right * 1.05, padding=0)

    def _name_segments(self, rows: tuple[Row, ...], right: float) -> None:
        """Write each segment's name in it, where it is wide enough to hold it (a tenth of
        the chart); hovering the chart names the segment under the mouse too."""
        item = self.plot.getPlotItem()
        n = len(rows)
        for i, row in enumerate(rows):
            start = 0.0
            for segment in row.segments:
                if segment.value >= right / 10 and len(row.segments) > 1:
                    text = pg.TextItem(segment.label, color="#000000", anchor=(0, 0.5))
                    text.setPos(start + right / 200, n - 1 - i)  # (clear of the axis)
                    item.addItem(text)
                start += segment.value

    def rows_that_fit(self) -> int:
        return (self.height() - self.FRAME_PX) // self.ROW_PX

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.resized.emit()

    def id_at(self, x: float, y: float) -> str | None:
        """The id of the segment at a point of the chart (in its values), or of its row."""
        found = self.segment_at(x, y)
        if found is None:
            return None
        row, segment = found
        return segment.id if segment is not None and segment.id else row.id

    def view_point(self, x: float, y: float) -> QPoint:
        """Where a chart point is in the plot's viewport (tests click there)."""
        scene_point = self.plot.getPlotItem().vb.mapViewToScene(QPointF(x, y))
        return self.plot.mapFromScene(scene_point)

    def _on_click(self, event: object) -> None:
        scene_pos = event.scenePos()  # type: ignore[attr-defined]
        vb = self.plot.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(scene_pos):
            return
        point = vb.mapSceneToView(scene_pos)
        id = self.id_at(point.x(), point.y())
        if id:
            self.clicked.emit(id)

    def segment_at(self, x: float, y: float) -> tuple[Row, Segment | None] | None:
        """The row, and the segment of it, at a point of the chart (in its values)."""
        if self.chart is None:
            return None
        n = len(self.chart.rows)
        index = n - 1 - round(y)
        if not 0 <= index < n or abs(y - round(y)) > 0.45:
            return None
        row = self.chart.rows[index]
        start = 0.0
        for segment in row.segments:
            if start <= x < start + segment.value:
                return row, segment
            start += segment.value
        return row, None

    def _on_hover(self, scene_pos: QPointF) -> None:
        vb = self.plot.getPlotItem().vb
        point = vb.mapSceneToView(scene_pos)
        found = self.segment_at(point.x(), point.y()) if vb.sceneBoundingRect().contains(scene_pos) else None
        if found is None or self.chart is None:
            self.plot.setToolTip("")
            return
        row, segment = found
        unit = self.chart.unit
        text = row.label if segment is None else f"{segment.label}: {segment.value:,.1f} {unit}"
        self.plot.setToolTip(f"<qt>{html.escape(text)}</qt>")  # (a name is text: escaped)

    def export_png(self, path: str) -> None:
        """The chart as a PNG image (pyqtgraph's SVG exporter fails on this Qt: qt-stack.md)."""
        from pyqtgraph.exporters import ImageExporter

        exporter = ImageExporter(self.plot.getPlotItem())
        exporter.parameters()["width"] = max(800, self.plot.width() * 2)
        image = exporter.export(toBytes=True)
        if not image.save(path, "PNG"):
            raise OSError(f"could not write {path}")
