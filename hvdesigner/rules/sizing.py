"""Sizing rules (SZ-*): does replication fit the WAN links it crosses. The maths is
:mod:`hvdesigner.capacity.bandwidth`."""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.capacity.bandwidth import wan_load_mbps
from hvdesigner.model.derived import replication_label
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
    # (each end's site read once: is_cross_site and wan_link_of each read both, 12,500
    # replications at 5,000 hosts; the same reads, the WAN link's only across sites)
    source_site, target_site = r.get(rep.source).site, r.get(rep.target).site
    if source_site != target_site and r.wan_link_between(source_site, target_site) is None:
        yield finding("SZ-03", f"{cap(replication_label(r, rep))} crosses from site "
                      f"{r.get(source_site).name} to {r.get(target_site).name}, which no WAN "
                      "link joins, so it can't be sized.", rep_id)
