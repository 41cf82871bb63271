"""The rule engine: runs every check on a design, then keeps the findings current as it changes.

A design is checked unit by unit (each replication, VM, cluster, server and WAN link). For each
unit the engine keeps the findings its checks produced and the keys they read
(:mod:`hvdesigner.rules.dependencies`). After an edit it re-runs only the units that read
something the edit touched, so live checking gives the same findings as a full check, in
milliseconds. Suppressions are applied when findings are listed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace

from hvdesigner.model.design import Change, Design
from hvdesigner.model.entities import VM, Cluster, Host, Replication, WanLink
from hvdesigner.rules import (  # noqa: F401  (importing a family registers its checks)
    auth,
    broker,
    certs,
    disks,
    firewall,
    replica_server,
    settings,
    sizing,
    topology,
    versions,
)
from hvdesigner.rules.catalog import RULE_ORDER, SEVERITIES
from hvdesigner.rules.check import CHECKS, Finding, UnitKind
from hvdesigner.rules.dependencies import ASSUMPTIONS, TrackingReader, keys_of

Unit = tuple[UnitKind, str]
Key = tuple[str, tuple[str, ...]]
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def _units_of(entity: object) -> list[Unit]:
    if isinstance(entity, Replication):
        return [("replication", entity.id)]
    if isinstance(entity, VM):
        return [("vm", entity.id)]
    if isinstance(entity, Cluster):
        return [("cluster", entity.id), ("server", entity.id)]
    if isinstance(entity, Host):
        return [("server", entity.id)]
    if isinstance(entity, WanLink):
        return [("wan_link", entity.id)]
    return []


def sort_key(f: Finding) -> tuple[int, int, tuple[str, ...], str]:
    return _SEVERITY_RANK[f.severity], RULE_ORDER[f.rule], f.subjects, f.message


@dataclass(frozen=True)
class FindingsDelta:
    """What an edit changed in the (unsuppressed-or-not) findings, by key."""

    added: list[Finding]
    removed: list[Finding]


class Checker:
    """Checks a design against the catalog and, once attached, keeps up with its edits."""

    def __init__(self, design: Design, as_of: dt.date | None = None) -> None:
        self.design = design
        self.as_of = as_of or dt.date.today()
        self._unit_findings: dict[Unit, list[Finding]] = {}
        self._unit_reads: dict[Unit, frozenset[Hashable]] = {}
        self._readers_of: defaultdict[Hashable, set[Unit]] = defaultdict(set)
        self._contributions: defaultdict[Key, dict[Unit, Finding]] = defaultdict(dict)
        self._current: dict[Key, Finding] = {}
        self._attached = False

    # ------------------------------------------------------------------ public
    def check_all(self) -> list[Finding]:
        """Forget everything and check the whole design."""
        self._unit_findings.clear()
        self._unit_reads.clear()
        self._readers_of.clear()
        self._contributions.clear()
        self._current.clear()
        units: list[Unit] = []
        for collection in (self.design.replications, self.design.vms, self.design.clusters,
                           self.design.hosts, self.design.wan_links):
            for entity in collection.values():
                units += _units_of(entity)
        touched: set[Key] = set()
        for unit in units:
            touched |= self._evaluate(unit)
        self._settle(touched)
        return self.findings()

    def attach(self) -> None:
        """Follow the design's edits from now on (after a full check)."""
        if not self._attached:
            self.check_all()
            self.design.subscribe(self.apply)
            self._attached = True

    def detach(self) -> None:
        if self._attached:
            self.design.unsubscribe(self.apply)
            self._attached = False

    def set_as_of(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.check_all()

    def apply(self, changes: list[Change]) -> FindingsDelta:
        """Bring the findings up to date after committed changes; say what changed."""
        stale: set[Hashable] = set()
        dirty_units: set[Unit] = set()
        gone_units: set[Unit] = set()
        for change in changes:
            if change.id is None:
                if "assumptions" in change.fields:
                    stale.add(ASSUMPTIONS)
                continue
            for value in (change.before, change.after):
                if value is not None:
                    stale |= keys_of(value)
            if change.after is None:
                gone_units.update(_units_of(change.before))
            else:
                dirty_units.update(_units_of(change.after))
        for key in stale:
            dirty_units |= self._readers_of.get(key, set())
        before = dict(self._current)
        touched: set[Key] = set()
        for unit in gone_units - dirty_units:
            touched |= self._drop(unit)
        for unit in dirty_units:
            if unit[1] in self.design:
                touched |= self._evaluate(unit)
            else:
                touched |= self._drop(unit)
        self._settle(touched)
        added = [self._current[k] for k in touched if k in self._current and before.get(k) != self._current[k]]
        removed = [before[k] for k in touched if k in before and self._current.get(k) != before[k]]
        return FindingsDelta(sorted(added, key=sort_key), sorted(removed, key=sort_key))

    def findings(self) -> list[Finding]:
        """Every finding, sorted (severity, catalog order, subjects), suppressions applied."""
        reasons: dict[tuple[str, str], str] = {}
        for s in self.design.suppressions:
            reasons.setdefault((s.rule, s.subject), s.reason)
        result = []
        for f in self._current.values():
            reason = next((reasons[(f.rule, s)] for s in f.subjects if (f.rule, s) in reasons), None)
            result.append(f if reason is None else replace(f, suppressed=True, reason=reason))
        return sorted(result, key=sort_key)

    # ------------------------------------------------------------------ internals
    def _evaluate(self, unit: Unit) -> set[Key]:
        kind, id = unit
        reader = TrackingReader(self.design, self.as_of)
        found = [f for check in CHECKS[kind] for f in check(reader, id)]
        reads = frozenset(reader.reads)
        old_reads = self._unit_reads.get(unit, frozenset())
        for key in old_reads - reads:
            self._forget_reader(key, unit)
        for key in reads - old_reads:
            self._readers_of[key].add(unit)
        self._unit_reads[unit] = reads
        return self._replace_findings(unit, found)

    def _drop(self, unit: Unit) -> set[Key]:
        for key in self._unit_reads.pop(unit, frozenset()):
            self._forget_reader(key, unit)
        return self._replace_findings(unit, [])

    def _forget_reader(self, key: Hashable, unit: Unit) -> None:
        readers = self._readers_of.get(key)
        if readers is not None:
            readers.discard(unit)
            if not readers:
                del self._readers_of[key]

    def _replace_findings(self, unit: Unit, found: Iterable[Finding]) -> set[Key]:
        new = list(found)
        touched: set[Key] = set()
        for f in self._unit_findings.pop(unit, []):
            self._contributions[f.key].pop(unit, None)
            touched.add(f.key)
        for f in new:
            self._contributions[f.key][unit] = f
            touched.add(f.key)
        if new:
            self._unit_findings[unit] = new
        return touched

    def _settle(self, keys: set[Key]) -> None:
        """Pick the finding shown for each touched key; the same message from every unit is
        the rule, and the smallest one wins deterministically if two ever differ."""
        for key in keys:
            contributions = self._contributions.get(key)
            if contributions:
                self._current[key] = min(contributions.values(), key=lambda f: (f.message, f.severity))
            else:
                self._contributions.pop(key, None)
                self._current.pop(key, None)
