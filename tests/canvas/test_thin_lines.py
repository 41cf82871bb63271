"""Zoomed out below LOD_BLOCK a WAN pipe and a firewall's bricks are thin lines (canvas/
pipes.py: ``thin_pair``), which the backdrop paints clipped to a part of its picture:
clipped or not, they paint the same pixels there. A wide line does not (the reason for
them), and that is checked too, so that the first check cannot pass for want of a clip."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLineF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.looks import WanLook
from hvdesigner.canvas.pipes import FAR_APART, WanItem, thin_pair
from hvdesigner.canvas.theme import Theme, light_palette

SIZE = QRect(0, 0, 240, 160)
coordinate = st.floats(-200, 440, allow_nan=False)
lines = st.lists(st.tuples(coordinate, coordinate, coordinate, coordinate), min_size=1,
                 max_size=12)
clips = st.tuples(st.integers(0, 230), st.integers(0, 150), st.integers(1, 120),
                  st.integers(1, 120))


def paint(ends: list[tuple[float, float, float, float]], zoom: float, pen: QPen,
          clip: QRect | None, pair: bool = True) -> QImage:
    """The lines (view pixels) drawn in scene units at ``zoom``, each as ``thin_pair``
    draws it (or as one line of ``pen``), clipped to ``clip`` if given."""
    image = QImage(SIZE.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if clip is not None:
        painter.setClipRect(clip)
    painter.setWorldTransform(QTransform.fromTranslate(3.25, -1.5).scale(zoom, zoom))
    painter.setPen(pen)
    for x1, y1, x2, y2 in ends:
        line = QLineF(x1 / zoom, y1 / zoom, x2 / zoom, y2 / zoom)
        painter.drawLines(thin_pair(line, zoom) if pair else [line])
    painter.end()
    return image


def thin_pen() -> QPen:
    pen = QPen(QColor("#7a7a7a"), 1)
    pen.setCosmetic(True)
    return pen


@settings(max_examples=60)
@given(lines, st.floats(0.02, 0.149), clips)
def test_thin_lines_clipped_paint_the_pixels_they_paint_unclipped(
        qapp: Any, ends: list[tuple[float, float, float, float]], zoom: float,
        clip: tuple[int, int, int, int]) -> None:
    part = QRect(*clip).intersected(SIZE)
    whole = paint(ends, zoom, thin_pen(), None)
    assert paint(ends, zoom, thin_pen(), part).copy(part) == whole.copy(part)


def test_a_line_one_and_a_half_pixels_wide_clipped_does_not(qapp: Any) -> None:
    """(Why the pipes are two thin lines: Qt's general stroker, which draws a wider line,
    shifts its antialiased edges by a shade where a clip cuts it.)"""
    ends = [(-100.0, 10.0, 400.0, 150.0), (20.0, -50.0, 200.0, 300.0)]
    pen = QPen(QColor("#7a7a7a"), 1.5)
    pen.setCosmetic(True)
    part = QRect(90, 40, 60, 50)
    whole = paint(ends, 0.1, pen, None, pair=False)
    assert paint(ends, 0.1, pen, part, pair=False).copy(part) != whole.copy(part)


def test_a_pipe_below_lod_block_is_two_thin_lines_half_a_pixel_apart(qapp: Any) -> None:
    theme = Theme.from_palette(light_palette())
    pipe = WanItem("w1", WanLook("MPLS", 200, 0))
    pipe.line = QLineF(0, 0, 3000, 4000)
    zoom = t.LOD_BLOCK / 2
    thin = pipe.thin_lines(theme, zoom)
    assert thin is not None and pipe.thin_lines(theme, t.LOD_BLOCK) is None
    pen, (a, b) = thin
    assert pen.isCosmetic() and pen.widthF() == 1
    assert a.dx() == b.dx() == 3000 and a.dy() == b.dy() == 4000
    apart = abs((b.p1() - a.p1()).x() * 4 - (b.p1() - a.p1()).y() * 3) / 5  # (across it)
    assert abs(apart * zoom - FAR_APART) < 1e-9
    assert thin[0] is pipe.thin_lines(theme, zoom / 2)[0]  # type: ignore[index]


def test_a_pipe_s_thin_lines_follow_its_line_zoom_and_selection(qapp: Any) -> None:
    """(Kept between paints: a drop fitted to 5,000 hosts asks 470 pipes for them.)"""
    from PySide6.QtWidgets import QGraphicsScene

    theme = Theme.from_palette(light_palette())
    pipe = WanItem("w1", WanLook("MPLS", 200, 0))
    scene = QGraphicsScene()
    scene.addItem(pipe)
    pipe.line = QLineF(0, 0, 3000, 0)
    zoom = t.LOD_BLOCK / 2

    def drawn(level: float = zoom) -> tuple[Any, list[QLineF]]:
        thin = pipe.thin_lines(theme, level)
        assert thin is not None
        return thin[0].color().rgb(), thin[1]

    assert drawn() == (theme.mid.rgb(), thin_pair(pipe.line, zoom))
    pipe.line = QLineF(0, 0, 0, 3000)
    assert drawn() == (theme.mid.rgb(), thin_pair(QLineF(0, 0, 0, 3000), zoom))
    assert drawn(zoom / 3)[1] == thin_pair(pipe.line, zoom / 3)
    pipe.setSelected(True)
    assert drawn()[0] == theme.highlight.rgb() != theme.mid.rgb()
    pipe.setSelected(False)
    assert drawn()[0] == theme.mid.rgb()
