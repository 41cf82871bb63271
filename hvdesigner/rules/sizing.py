"""Sizing rules (SZ-*): does replication fit the WAN links it crosses. The maths is
:mod:`hvdesigner.capacity.bandwidth`."""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.capacity.bandwidth import wan_load_mbps
from hvdesigner.model.derived import is_cross_site, replication_label, wan_link_of
from hvdesigner.model.entities import Replication, WanLink
from hvdesigner.rules.check import Finding, RuleReader, cap, check, finding


@check("wan_link")
def wan_capacity(r: RuleReader, wan_id: str) -> Iterator[Finding]:
    wan: WanLink = r.get(wan_id)
    load = wan_load_mbps(r, wan_id)
    ceiling = r.assumptions.utilization_ceiling
    figures = f"{load:.1f} Mbps of {wan.bandwidth_mbps:g} Mbps"
    if load > wan.bandwidth_mbps:
        yield finding("SZ-01", f"WAN link {wan.name} needs {figures}: replication won't keep up.",
                      wan_id)
    elif load > ceiling * wan.bandwidth_mbps:
        yield finding("SZ-02", f"WAN link {wan.name} needs {figures}, above the "
                      f"{ceiling:.0%} utilisation ceiling.", wan_id)


@check("replication")
def wan_drawn(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    if is_cross_site(r, rep) and wan_link_of(r, rep) is None:
        source_site = r.get(r.get(rep.source).site).name
        target_site = r.get(r.get(rep.target).site).name
        yield finding("SZ-03", f"{cap(replication_label(r, rep))} crosses from site {source_site} "
                      f"to {target_site}, which no WAN link joins, so it can't be sized.", rep_id)
