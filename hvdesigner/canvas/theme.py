"""Colour tokens and sizes of the visual language (``shared/design/visual-language.md``).

Neutral tones come from the Qt palette so that light and dark follow the system; severity and
domain colours are the fixed tokens (their values: :mod:`hvdesigner.canvas.tokens`), light or
dark. The print theme (exports) is the light tokens on white, without selection; the palettes
are the designer's light and dark ones.
"""

from __future__ import annotations

import dataclasses
import functools

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette

from hvdesigner.canvas.tokens import DOMAIN_COLOURS, PRINT, SEVERITY_DARK, SEVERITY_LIGHT

GRID = 10
VM_ROW_H = 16
TITLE_H = 28
#: Zoom below which cards are plain boxes with a name, and below which plain filled boxes.
LOD_SIMPLE, LOD_BLOCK = 0.4, 0.15


@dataclasses.dataclass(frozen=True)
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

    @classmethod
    def for_export(cls, name: str) -> Theme:
        """An exported diagram's colours: "print", or the designer's "light" or "dark" ones,
        drawn as a print is (no selection, print strokes)."""
        if name == "print":
            return cls.print_theme()
        palette = dark_palette() if name == "dark" else light_palette()
        return dataclasses.replace(cls.from_palette(palette), printing=True)

    def domain_colour(self, index: int) -> QColor:
        return QColor(DOMAIN_COLOURS[index % len(DOMAIN_COLOURS)])

    def frame_fill(self) -> QColor:
        return self.window.darker(104) if not self.dark else self.window.lighter(118)


def dark_palette() -> QPalette:
    """The designer's dark colours (and an exported diagram's ``--theme dark``)."""
    p = QPalette()
    role = QPalette.ColorRole
    for r, colour in ((role.Window, "#202020"), (role.WindowText, "#F0F0F0"),
                      (role.Base, "#2B2B2B"), (role.AlternateBase, "#323232"),
                      (role.Text, "#F0F0F0"), (role.Button, "#2D2D2D"),
                      (role.ButtonText, "#F0F0F0"), (role.Mid, "#6E6E6E"),
                      (role.Highlight, "#4CC2FF"), (role.HighlightedText, "#000000"),
                      (role.ToolTipBase, "#2B2B2B"), (role.ToolTipText, "#F0F0F0"),
                      (role.PlaceholderText, "#9A9A9A")):
        p.setColor(r, QColor(colour))
    return _greyed_when_disabled(p, "#7A7A7A")


def light_palette() -> QPalette:
    """The designer's light colours (and an exported diagram's ``--theme light``)."""
    p = QPalette()
    role = QPalette.ColorRole
    for r, colour in ((role.Window, "#F3F3F3"), (role.WindowText, "#1B1B1B"),
                      (role.Base, "#FFFFFF"), (role.AlternateBase, "#F7F7F7"),
                      (role.Text, "#1B1B1B"), (role.Button, "#FBFBFB"),
                      (role.ButtonText, "#1B1B1B"), (role.Mid, "#A0A0A0"),
                      (role.Highlight, "#0067C0"), (role.HighlightedText, "#FFFFFF")):
        p.setColor(r, QColor(colour))
    return _greyed_when_disabled(p, "#8C8C8C")


def _greyed_when_disabled(palette: QPalette, grey: str) -> QPalette:
    """Text greyed out where a control is disabled (a colour set for a role is set for every
    state: a disabled option of the Export dialog looked as ready as the others)."""
    role = QPalette.ColorRole
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, r, QColor(grey))
    return palette


@functools.cache
def name_font() -> QFont:
    """Names: 10 pt bold (made once: every paint asks for it; callers must not change it)."""
    font = _plain_letters(QFont())
    font.setPointSizeF(10)
    font.setBold(True)
    return font


@functools.cache
def detail_font() -> QFont:
    """Details: 9 pt (made once, like name_font)."""
    font = _plain_letters(QFont())
    font.setPointSizeF(9)
    return font


def _plain_letters(font: QFont) -> QFont:
    """No ligatures: a PDF's text must read back as it was typed ("office", not "oﬃce"),
    for search, copy and pdftotext."""
    font.setFeature(QFont.Tag("liga"), 0)
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
