"""A firewall boundary's outline (canvas/boundaries.py): its dashes made in runs fill what a
dashed pen strokes, a paint fills only the runs near what it paints, zoomed out below
LOD_BLOCK it is one faint unbroken line, and a print strokes it with a dashed pen."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QApplication

from hvdesigner.canvas import export
from hvdesigner.canvas import theme as t
from hvdesigner.canvas.boundaries import (
    DASH_RUN,
    DASH_WIDTH,
    FIREWALL_COLOUR,
    FirewallItem,
    dash_runs,
    rounded_outline,
    stroke_run,
)
from hvdesigner.canvas.looks import FirewallLook
from hvdesigner.canvas.theme import Theme, light_palette
from hvdesigner.exporters.formats import ExportOptions
from hvdesigner.fileformat.loader import load

ROOT = Path(__file__).parents[2]
MARGIN = 20


def painted(rect: QRectF, zoom: float, paint) -> QImage:  # type: ignore[no-untyped-def]
    """What ``paint(painter)`` paints round ``rect`` (scene units) at ``zoom``."""
    image = QImage(int(rect.width() * zoom) + 2 * MARGIN, int(rect.height() * zoom) + 2 * MARGIN,
                   QImage.Format.Format_ARGB32)  # (pixel(): not premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setTransform(QTransform.fromTranslate(MARGIN - rect.x() * zoom, MARGIN - rect.y() * zoom)
                         .scale(zoom, zoom))
    paint(painter)
    painter.end()
    return image


def filled(paths: list[QPainterPath]):  # type: ignore[no-untyped-def]
    def paint(painter: QPainter) -> None:
        whole = QPainterPath()
        whole.setFillRule(Qt.FillRule.WindingFill)  # (a dash round a corner overlaps itself)
        for path in paths:
            whole.addPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(200, 60, 30))
        painter.drawPath(whole)
    return paint


def inked(image: QImage) -> list[tuple[int, int]]:
    return [(x, y) for y in range(image.height()) for x in range(image.width())
            if image.pixel(x, y) >> 24]


@settings(max_examples=25, deadline=None)
@given(st.floats(-3000, 3000), st.floats(-3000, 3000), st.floats(1, 3000), st.floats(1, 3000),
       st.sampled_from([1.0, 0.5, 0.25]))
def test_the_runs_fill_what_a_dashed_pen_strokes_along_the_outline(
        qapp: QApplication, x: float, y: float, w: float, h: float, zoom: float) -> None:
    rect = QRectF(x, y, w, h)
    zoom = min(zoom, 600 / max(w, h))  # (pictures of a few hundred pixels)
    outline = rounded_outline(rect)
    whole = QPainterPath()
    whole.addPolygon(QPolygonF(outline))
    stroker = QPainterPathStroker()
    stroker.setWidth(DASH_WIDTH)
    stroker.setDashPattern(Qt.PenStyle.DashLine)
    runs = dash_runs(outline)
    assert len(runs) >= (2 * (w + h)) // (DASH_RUN * 1.5)  # (cut: long edges make many)
    dashes = [stroke_run(run) for run in runs]
    assert painted(rect, zoom, filled(dashes)) == \
        painted(rect, zoom, filled([stroker.createStroke(whole)]))
    for run, shape in zip(runs, dashes, strict=True):
        assert shape.isEmpty() or run[0].contains(shape.boundingRect())


def firewall(rect: QRectF) -> FirewallItem:
    item = FirewallItem("fw", FirewallLook("FW", (443,)))
    item.set_geometry(rect)
    return item


def test_a_part_fills_the_dashes_near_it_not_the_whole_outline(qapp: QApplication) -> None:
    """(A boundary round a large site has thousands of dashes: a paint of a small part
    filled them all, 3 ms for each boundary a drop fitted to 5,000 hosts repainted.)"""
    item = firewall(QRectF(0, 0, 6000, 4000))
    theme = Theme.from_palette(light_palette())
    part = QRectF(2000, -50, 100, 100)  # (on its top edge)
    image = painted(item.rect, 0.1, lambda p: item.paint_into(p, theme, 1.0, part))
    spots = [QPointF((x - MARGIN) / 0.1 + item.rect.x(), (y - MARGIN) / 0.1 + item.rect.y())
             for x, y in inked(image)]
    label = QRectF(item.rect.left(), item.rect.top() - 10, 400, 40)  # (its bricks and name)
    dashes = [s for s in spots if not label.contains(s)]
    assert dashes and all(part.center().x() - 1.5 * DASH_RUN < s.x() < part.center().x()
                          + 1.5 * DASH_RUN and abs(s.y() - item.rect.top()) < 20 for s in dashes)
    whole = painted(item.rect, 0.1, lambda p: item.paint_into(p, theme, 1.0, item.rect))
    assert len(inked(whole)) > 10 * len(dashes)  # (the whole outline, when the whole is asked)


@pytest.mark.parametrize("zoom", [1.0, 4.0])
def test_a_boundary_painted_has_the_dashes_a_dashed_pen_strokes_round_its_corners_too(
        qapp: QApplication, zoom: float) -> None:
    """(Filled with the even-odd rule, a dash bent round a corner had holes where the
    dasher's outline of it overlaps itself.)"""
    item = firewall(QRectF(100, 100, 400, 300))
    theme = Theme.from_palette(light_palette())
    whole = QPainterPath()
    whole.addPolygon(QPolygonF(rounded_outline(item.rect)))
    stroker = QPainterPathStroker()
    stroker.setWidth(DASH_WIDTH)
    stroker.setDashPattern(Qt.PenStyle.DashLine)

    def pen(painter: QPainter) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(FIREWALL_COLOUR)
        painter.drawPath(stroker.createStroke(whole))

    real = painted(item.rect, zoom, lambda p: item.paint_into(p, theme, zoom, item.rect))
    dashed = painted(item.rect, zoom, pen)
    lower = range(real.height() // 2, real.height())  # (its bricks and name are on top)
    assert all(real.pixel(x, y) == dashed.pixel(x, y) for y in lower for x in range(real.width()))


def test_zoomed_out_below_lod_block_a_boundary_is_one_faint_unbroken_line(
        qapp: QApplication) -> None:
    item = firewall(QRectF(0, 0, 6000, 4000))
    theme = Theme.from_palette(light_palette())
    zoom = t.LOD_BLOCK * 0.6
    image = painted(item.rect, zoom, lambda p: item.paint_into(p, theme, zoom, item.rect))
    height = round(item.rect.height() * zoom)
    across = [[QColor.fromRgba(image.pixel(x, y)) for x in range(MARGIN - 3, MARGIN + 4)]
              for y in range(MARGIN + 10, MARGIN + height - 10)]  # (its left edge)
    inks = [[c for c in row if c.alpha()] for row in across]
    assert all(inks), "a gap in the line"  # (unbroken: a dash pattern leaves gaps)
    # (faint: the firewall's colour, a quarter of it, on the canvas; opaque, as ink)
    core = [max(ink, key=QColor.alpha) for ink in inks]
    assert all(FIREWALL_COLOUR.lightness() < c.lightness() < theme.base.lightness() for c in core)


def test_a_printed_boundary_is_stroked_with_a_dashed_pen(qapp: QApplication) -> None:
    """A print (SVG, PDF) is painted once, whole: a dashed stroke, not a thousand shapes."""
    design = load(ROOT / "resources" / "examples" / "training.hvd")
    assert design.firewalls
    data = export.render_svg(design, [], ExportOptions())
    dashed = [e for e in ET.fromstring(data).iter()
              if e.get("stroke-dasharray") not in (None, "none")
              and FIREWALL_COLOUR.name().lower() in (e.get("stroke") or "").lower()]
    assert len(dashed) >= len(design.firewalls)
