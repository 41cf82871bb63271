"""How recovery figures read, in one place: the designer (the scenario view, the Recovery plan
dock), the ``simulate`` command and the deliverables (runbook, report, deck) say a data-loss
bound, an amount of memory and a list of names the same way. Plain text, Qt-free; each caller
escapes it its own way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def duration(seconds: float) -> str:
    """A length of time as people say it, to the second under an hour and to the minute from
    an hour on, in at most two units: "30 s", "1 min", "1 min 30 s", "40 min", "1 h",
    "1 h 30 min", "2 h 47 min" (10,000 s).

    Rounded up, never down: it states data-loss bounds, and a bound must not shrink."""
    if seconds < 3600:
        minutes, rest = divmod(math.ceil(seconds), 60)
        if not minutes:
            return f"{rest} s"
        return f"{minutes} min" + (f" {rest} s" if rest else "")
    hours, minutes = divmod(math.ceil(seconds / 60), 60)
    return f"{hours} h" + (f" {minutes} min" if minutes else "")


def data_loss_bound(seconds: float | None) -> str:
    """A recovered VM's data-loss bound: "≤ 1 min", "≤ 40 min"; "unknown" for None."""
    return "unknown" if seconds is None else "≤ " + duration(seconds)


def amount(value: float) -> str:
    """A quantity (GB, vCPUs) as written in a figure: "48", "0.5", "1,536", "36.5"."""
    return f"{value:,.1f}".removesuffix(".0")


def listed(names: Sequence[str]) -> str:
    """Names as a phrase: "HQ", "HQ and DR", "HQ, DR and Cloud"; "" for none."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + f" and {names[-1]}"
