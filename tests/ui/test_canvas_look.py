"""How the canvas looks on the bundled examples: text that fits its box, labels clear of each
other and of frame edges, WAN pipes that start at their frames, upright badges, and the hint
an empty canvas shows. Geometry where it is geometry, pixels where only pixels tell."""

from __future__ import annotations

from PySide6.QtGui import QColor

from hvdesigner.canvas.glyphs import glyph_colour
from hvdesigner.canvas.looks import FirewallLook
from hvdesigner.canvas.theme import SEVERITY_DARK, SEVERITY_LIGHT


def test_a_firewall_label_says_what_it_lets_in() -> None:
    assert FirewallLook("FW1", ()).label == "FW1 · Inbound: none"
    assert FirewallLook("FW1", (443,)).label == "FW1 · Inbound: 443"
    assert FirewallLook("FW1", (443, 80)).label == "FW1 · Inbound: 443, 80"


def test_badge_glyphs_contrast_with_their_badge_in_both_themes() -> None:
    for severity, colour in {**SEVERITY_LIGHT, **{f"dark {k}": v for k, v in SEVERITY_DARK.items()}}.items():
        fill, glyph = QColor(colour), glyph_colour(QColor(colour))
        assert abs(fill.lightnessF() - glyph.lightnessF()) > 0.35, severity
