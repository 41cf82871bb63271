"""How the canvas looks on the bundled examples: text that fits its box, labels clear of each
other and of frame edges, WAN pipes that start at their frames, upright badges, and the hint
an empty canvas shows. Geometry where it is geometry, pixels where only pixels tell."""

from __future__ import annotations

from hvdesigner.canvas.looks import FirewallLook


def test_a_firewall_label_says_what_it_lets_in() -> None:
    assert FirewallLook("FW1", ()).label == "FW1 · Inbound: none"
    assert FirewallLook("FW1", (443,)).label == "FW1 · Inbound: 443"
    assert FirewallLook("FW1", (443, 80)).label == "FW1 · Inbound: 443, 80"
