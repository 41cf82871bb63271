"""Colour tokens and sizes of the visual language (``shared/design/visual-language.md``).

Neutral tones come from the Qt palette so that light and dark follow the system; severity and
domain colours are the fixed tokens (their values: :mod:`hvdesigner.canvas.tokens`), light or
dark. The print theme (exports) is the light tokens on white, without selection.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette

from hvdesigner.canvas.tokens import DOMAIN_COLOURS, PRINT, SEVERITY_DARK, SEVERITY_LIGHT

GRID = 10
VM_ROW_H = 16
TITLE_H = 28
#: Zoom below which cards are plain boxes with a name, and below which plain filled boxes.
LOD_SIMPLE, LOD_BLOCK = 0.4, 0.15


@dataclass(frozen=True)
class Theme:
    dark: bool
    window: QColor
    base: QColor
    text: QColor
    mid: QColor
    highlight: QColor
    severity: dict[str, QColor]
    printing: bool = False

    @classmethod
    def from_palette(cls, palette: QPalette) -> Theme:
        window = palette.color(QPalette.ColorRole.Window)
        dark = window.lightness() < 128
        tokens = SEVERITY_DARK if dark else SEVERITY_LIGHT
        return cls(
            dark=dark,
            window=window,
            base=palette.color(QPalette.ColorRole.Base),
            text=palette.color(QPalette.ColorRole.Text),
            mid=palette.color(QPalette.ColorRole.Mid),
            highlight=palette.color(QPalette.ColorRole.Highlight),
            severity={k: QColor(v) for k, v in tokens.items()},
        )

    @classmethod
    def print_theme(cls) -> Theme:
        return cls(False, QColor(PRINT["window"]), QColor(PRINT["base"]), QColor(PRINT["text"]),
                   QColor(PRINT["mid"]), QColor(PRINT["highlight"]),
                   {k: QColor(v) for k, v in SEVERITY_LIGHT.items()}, printing=True)

    def domain_colour(self, index: int) -> QColor:
        return QColor(DOMAIN_COLOURS[index % len(DOMAIN_COLOURS)])

    def frame_fill(self) -> QColor:
        return self.window.darker(104) if not self.dark else self.window.lighter(118)


@functools.cache
def name_font() -> QFont:
    """Names: 10 pt bold (made once: every paint asks for it; callers must not change it)."""
    font = QFont()
    font.setPointSizeF(10)
    font.setBold(True)
    return font


@functools.cache
def detail_font() -> QFont:
    """Details: 9 pt (made once, like name_font)."""
    font = QFont()
    font.setPointSizeF(9)
    return font


@functools.cache
def detail_metrics() -> QFontMetricsF:
    return QFontMetricsF(detail_font())


@functools.cache
def name_metrics() -> QFontMetricsF:
    return QFontMetricsF(name_font())


@functools.lru_cache(maxsize=8192)
def elided(text: str, width: float, mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
           bold: bool = False) -> str:
    """The text cut to a width with an ellipsis, in the detail font (``bold``: the name
    font): names in fixed boxes (a node chip, a VM row, a title bar) would otherwise run
    under their neighbours. Server and VM names are cut in the middle (``NAME_ELIDE``):
    their ends ("-HV11", "-HV12") tell them apart. (Remembered: a card repainted at a new
    zoom cuts the same texts again.)"""
    metrics = name_metrics() if bold else detail_metrics()
    return metrics.elidedText(text, mode, max(width, 0.0))


#: How server, node and VM names are cut (see ``elided``).
NAME_ELIDE = Qt.TextElideMode.ElideMiddle


@functools.cache
def _detail_advance(char: str) -> float:
    return detail_metrics().horizontalAdvance(char)


def detail_width(text: str) -> float:
    """How wide a text is in the detail font, from each character's advance: boxes around
    labels need no kerning, and measuring thousands of labels whole took a tenth of the
    time to open a large design."""
    return sum(map(_detail_advance, text))
