"""The colour tokens of the visual language (``shared/design/visual-language.md``) as hex
strings, without Qt: the canvas's theme turns them into colours, and the exports that are not
drawn through Qt (draw.io) read them here, so every picture uses the same values."""

from __future__ import annotations

SEVERITY_LIGHT = {"error": "#C42B1C", "warning": "#9D5D00", "info": "#005FB8"}
SEVERITY_DARK = {"error": "#FF99A4", "warning": "#FCE100", "info": "#60CDFF"}
#: Okabe-Ito, colour-blind safe; after seven, the colours repeat with a hatch.
DOMAIN_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
#: The print theme's neutral tones (white paper, black text); on screen they come from the
#: Qt palette.
PRINT = {"window": "#F3F3F3", "base": "#FFFFFF", "text": "#000000", "mid": "#8A8A8A",
         "highlight": "#0078D4"}
#: A firewall's boundary and bricks, in every theme.
FIREWALL = "#B5523B"
#: A VM recovered in a site-loss scenario (Fluent's success colour), light / dark.
RECOVERED_LIGHT, RECOVERED_DARK = "#0F7B0F", "#6CCB5F"
