"""The margin of an exported diagram (:mod:`hvdesigner.canvas.export`): a legend saying what
its marks mean (domains, replication link styles, firewalls, findings badges) and a title
block saying what it is (the design's title, its file, the date, the page).

Everything is drawn with the canvas's own glyphs and pens, so the legend's samples are the
marks on the diagram. Design strings are drawn as plain text, cut to a readable width.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen, QPolygonF

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.boundaries import FIREWALL_COLOUR, draw_bricks
from hvdesigner.canvas.glyphs import draw_badge, draw_domain_chip, draw_padlock
from hvdesigner.canvas.links import link_colour, link_pen
from hvdesigner.canvas.theme import Theme

ROW_H, HEAD_H = 18.0, 22.0
SYMBOL_W, CHIP_W = 58.0, 22.0  # a sample's room before its row's text: a line, a chip
GAP = 28.0  # between legend sections, and between the legend and the title block
#: a text wider than this is cut (a name may be thousands of characters); a title, wider
LONGEST, TITLE_LONGEST = 480.0, 760.0
PAD = 10.0

#: Draws a row's sample in the box it is given (theme, painter, box).
Sample = Callable[[QPainter, Theme, QRectF], None]


@dataclass(frozen=True)
class Section:
    heading: str
    rows: tuple[tuple[Sample, str], ...]
    symbol_w: float = SYMBOL_W

    def width(self) -> float:
        texts = [t.name_metrics().horizontalAdvance(self.heading)]
        texts += [self.symbol_w + t.detail_metrics().horizontalAdvance(_cut(text)) for _, text in self.rows]
        return max(texts)

    def height(self) -> float:
        return HEAD_H + ROW_H * len(self.rows)


def _cut(text: str, bold: bool = False, longest: float = LONGEST) -> str:
    return t.elided(text, longest, bold=bold)


# ---------------------------------------------------------------------- samples
def domain_sample(index: int) -> Sample:
    def draw(painter: QPainter, theme: Theme, box: QRectF) -> None:
        draw_domain_chip(painter, QRectF(box.left(), box.center().y() - 6, 12, 12),
                         theme.domain_colour(index), theme.text if index >= 7 else None)
    return draw


def link_sample(closed: bool, unencrypted: bool, extended: bool) -> Sample:
    """A stretch of link with its arrowhead (primary → replica) and its padlock."""
    def draw(painter: QPainter, theme: Theme, box: QRectF) -> None:
        colour = link_colour(theme, unencrypted, False)
        y, right = box.center().y(), box.left() + 36
        painter.setPen(link_pen(unencrypted, extended, colour, True))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawLine(QPointF(box.left(), y), QPointF(right - 6, y))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(colour))
        painter.drawPolygon(QPolygonF([QPointF(right, y), QPointF(right - 10, y - 4),
                                       QPointF(right - 10, y + 4)]))
        if closed or unencrypted:  # (as on the canvas: no glyph within a site)
            draw_padlock(painter, QPointF(right + 10, y + 1), closed, colour)
    return draw


def firewall_sample(painter: QPainter, theme: Theme, box: QRectF) -> None:
    y = box.center().y() + 3
    painter.setPen(QPen(FIREWALL_COLOUR, 2, Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(box.left(), y), QPointF(box.left() + 46, y))
    painter.save()
    painter.translate(box.left() + 4, y - 5)
    painter.scale(0.55, 1)  # (the canvas's run of bricks, to the sample's width)
    draw_bricks(painter, 0, 0)
    painter.restore()


def badge_sample(severity: str) -> Sample:
    def draw(painter: QPainter, theme: Theme, box: QRectF) -> None:
        draw_badge(painter, QPointF(box.left() + 8, box.center().y()), severity,
                   theme.severity[severity])
    return draw


def no_sample(painter: QPainter, theme: Theme, box: QRectF) -> None:
    """(A row that is only text.)"""


#: The replication rows: (closed padlock, unencrypted across sites, extended) -> text. (No
#: port: each link's label has its own; "HTTPS 443" stood beside links on 7000.)
LINK_STYLES = {
    (True, False, False): "HTTPS, certificate",
    (False, False, False): "HTTP, Kerberos, within a site",
    (False, True, False): "HTTP, Kerberos, across sites: unencrypted",
}
EXTENDED = "Extended replication (third copy)"


def link_rows(styles: set[tuple[bool, bool, bool]]) -> tuple[tuple[Sample, str], ...]:
    """The rows for the link styles drawn, in a fixed order."""
    rows = [(link_sample(*key), text) for key, text in LINK_STYLES.items() if key in styles]
    for key in sorted(k for k in styles if k[2]):
        rows.append((link_sample(*key), f"{EXTENDED}, {'HTTPS' if key[0] else 'HTTP'}"))
    return tuple(rows)


# ---------------------------------------------------------------------- painting
def legend_size(sections: Sequence[Section]) -> tuple[float, float]:
    if not sections:
        return 0.0, 0.0
    return (sum(s.width() for s in sections) + GAP * (len(sections) - 1),
            max(s.height() for s in sections))


def paint_legend(painter: QPainter, theme: Theme, sections: Sequence[Section],
                 at: QPointF) -> None:
    """The sections side by side from ``at`` (their top left corner)."""
    x = at.x()
    for section in sections:
        painter.setFont(t.name_font())
        painter.setPen(theme.text)
        painter.drawText(QRectF(x, at.y(), section.width(), HEAD_H),
                         Qt.AlignmentFlag.AlignVCenter, section.heading)
        y = at.y() + HEAD_H
        for sample, text in section.rows:
            painter.save()
            sample(painter, theme, QRectF(x, y, section.symbol_w - 6, ROW_H))
            painter.restore()
            painter.setFont(t.detail_font())
            painter.setPen(theme.text)
            painter.drawText(QRectF(x + section.symbol_w, y, section.width() - section.symbol_w, ROW_H),
                             Qt.AlignmentFlag.AlignVCenter, _cut(text))
            y += ROW_H
        x += section.width() + GAP


def title_lines(title: str, lines: Sequence[str]) -> list[str]:
    return [_cut(title or "Untitled design", True, TITLE_LONGEST)] + [_cut(line) for line in lines]


def title_size(lines: Sequence[str]) -> tuple[float, float]:
    widths = [t.name_metrics().horizontalAdvance(lines[0])]
    widths += [t.detail_metrics().horizontalAdvance(line) for line in lines[1:]]
    return max(widths + [200.0]) + 2 * PAD, 2 * PAD + HEAD_H + 4 + ROW_H * (len(lines) - 1)


def paint_title_block(painter: QPainter, theme: Theme, lines: Sequence[str], box: QRectF) -> None:
    """A framed block: the title in bold, then a line each (file, date, page)."""
    painter.setPen(QPen(theme.text, 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(box)
    painter.setFont(t.name_font())
    painter.drawText(QRectF(box.left() + PAD, box.top() + PAD, box.width() - 2 * PAD, HEAD_H),
                     Qt.AlignmentFlag.AlignVCenter, lines[0])
    painter.drawLine(QPointF(box.left(), box.top() + PAD + HEAD_H + 2),
                     QPointF(box.right(), box.top() + PAD + HEAD_H + 2))
    painter.setFont(t.detail_font())
    y = box.top() + PAD + HEAD_H + 4
    for line in lines[1:]:
        painter.drawText(QRectF(box.left() + PAD, y, box.width() - 2 * PAD, ROW_H),
                         Qt.AlignmentFlag.AlignVCenter, line)
        y += ROW_H
