"""The colour tokens of the visual language (``shared/design/visual-language.md``), Qt-free:
the canvas's theme turns them into QColors, and the exports that write colours as text (the
report's SVG diagram) use them as they are, so both read the same."""

from __future__ import annotations

SEVERITY_LIGHT = {"error": "#C42B1C", "warning": "#9D5D00", "info": "#005FB8"}
SEVERITY_DARK = {"error": "#FF99A4", "warning": "#FCE100", "info": "#60CDFF"}
#: Okabe-Ito, colour-blind safe; after seven, the colours repeat with a hatch.
DOMAIN_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
