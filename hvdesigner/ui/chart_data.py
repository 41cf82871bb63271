"""What a bar chart of the capacity dock shows: rows of segments, an outline and a tick each,
a line across (plain values; the chart that draws them, with pyqtgraph, is imported only
when the dock is first shown: :mod:`hvdesigner.ui.capacity_chart`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    id: str  # what a click on it selects
    value: float
    label: str


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    segments: tuple[Segment, ...]
    available: float | None = None  # drawn as an outline bar
    limit: float | None = None  # drawn as a tick
    #: "error" or "warning" (a marker beside the name, not only a colour)
    state: str | None = None


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    rows: tuple[Row, ...]
    line: float | None = None  # a limit across every row
    line_label: str = ""
    colours: dict[str, str] = field(default_factory=dict)  # segment id: colour
