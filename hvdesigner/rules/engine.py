"""The rule engine: runs every check on a design, then keeps the findings current as it changes.

A design is checked unit by unit (each replication, VM, cluster, server and WAN link). For each
unit the engine keeps the findings its checks produced and the keys they read
(:mod:`hvdesigner.rules.dependencies`). After an edit it re-runs only the units that read
something the edit touched, so live checking gives the same findings as a full check, in
milliseconds. Suppressions are applied when findings are listed.

The designer's first check of a large design takes a second or more, so it can also be done in
steps (:meth:`Checker.start` then :meth:`Checker.advance` until it says done) between the
window's events; edits may arrive in between (:meth:`Checker.apply`), and the result is the
same as one full check of the design as it then is.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from hvdesigner.model.design import Change, Design
from hvdesigner.model.entities import VM, Cluster, Host, Replication, Suppression, WanLink
from hvdesigner.model.gc_pause import gc_paused
from hvdesigner.rules import (  # noqa: F401  (importing a family registers its checks)
    auth,
    broker,
    certs,
    disks,
    failback,
    firewall,
    networking,
    recovery,
    replica_server,
    settings,
    sizing,
    topology,
    versions,
)
from hvdesigner.rules.catalog import RULE_ORDER, SEVERITIES
from hvdesigner.rules.check import CHECKS, Finding, UnitKind
from hvdesigner.rules.dependencies import (
    ASSUMPTIONS,
    PlainReader,
    Readers,
    TrackingReader,
    between_keys,
    keys_of,
)
from hvdesigner.rules.forked import check_in_parts, keep_least

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
    """What an edit changed in the listed findings: ``removed`` names them by key, ``added``
    has them as they are now, marked with the design's suppressions. A finding whose message
    or suppression changed is in both. Both are in :func:`sort_key` order."""

    added: list[Finding]
    removed: list[Finding]


class Checker:
    """Checks a design against the catalog and, once attached, keeps up with its edits."""

    def __init__(self, design: Design, as_of: dt.date | None = None) -> None:
        self.design = design
        self.as_of = as_of or dt.date.today()
        self._unit_findings: dict[Unit, list[Finding]] = {}
        # What each unit read, as a tuple (a set of ten keys takes five times the memory, and
        # only a re-check of the unit compares its reads) of the key objects Readers keeps.
        self._unit_reads: dict[Unit, tuple[Hashable, ...]] = {}
        self._readers_of: Readers[Unit] = Readers()
        # The units that found each finding key, and what each found: nearly always one unit,
        # kept as a (unit, finding) pair (a dict each was 10 MB at 5,000 hosts).
        self._contributions: dict[Key, tuple[Unit, Finding] | dict[Unit, Finding]] = {}
        self._current: dict[Key, Finding] = {}
        self._attached = False
        self._live = False
        # a stepped check: the units it has yet to check, in order (the queue may also hold
        # units that apply() has checked since, which are no longer in the set)
        self._queue: deque[Unit] = deque()
        self._unchecked: set[Unit] = set()
        self._units_started = 0

    # ------------------------------------------------------------------ public
    def check_all(self, live: bool = False, processes: int = 1) -> list[Finding]:
        """Forget everything and check the whole design. ``live`` also records what every
        check read, which :meth:`apply` needs to re-check only what an edit affects (a
        one-shot check, as the command line does, skips that bookkeeping). A one-shot check
        of a large design may share its units between up to ``processes`` forked processes
        (:mod:`hvdesigner.rules.forked`), with the same result: only for a caller without
        threads, such as the command line, since a forked child has only the thread that
        forked it."""
        self._reset(live)
        # All of it in the pause, the final sort too: each step allocates an object per unit or
        # finding, enough to set off the collector's passes over the whole design. The unit
        # tuples and the memo die before the pause ends, so the collector never looks at them.
        with gc_paused():
            if live:
                self._check_live()
            else:
                self._check_once(processes)
            return self.findings()

    def start(self) -> None:
        """Forget everything and begin a live check of the whole design, done in steps by
        :meth:`advance` (edits may be applied in between)."""
        self._reset(live=True)
        self._queue.extend(self._units())
        self._unchecked.update(self._queue)
        self._units_started = len(self._queue)

    @property
    def live(self) -> bool:
        """Whether the checker knows what each check read, so :meth:`apply` can follow edits
        (after ``check_all(live=True)``, :meth:`attach` or :meth:`start`)."""
        return self._live

    @property
    def checking(self) -> bool:
        """Whether a check begun by :meth:`start` has units left to check."""
        return bool(self._unchecked)

    def progress(self) -> float:
        """How much of a check begun by :meth:`start` is done, from 0 to 1."""
        total = self._units_started
        return 1.0 if not total else 1.0 - len(self._unchecked) / total

    def advance(self, seconds: float, batch: int = 8) -> bool:
        """Check units of a check begun by :meth:`start` for about ``seconds`` (at least one
        ``batch`` of units; the clock is read once a batch: a WAN link's capacity, one unit,
        takes a millisecond at 1,000 hosts, and 50 of them in a batch kept the window waiting
        for them all); whether the whole design is now checked."""
        deadline = time.perf_counter() + seconds
        queue, unchecked = self._queue, self._unchecked
        touched: set[Key] = set()
        memo: dict[Any, Any] = {}  # (valid for one step: the design may change in between)
        with gc_paused():
            while unchecked:
                for unit in itertools.islice(iter(queue.popleft, None), min(batch, len(queue))):
                    if unit in unchecked:  # (else apply() has checked it since)
                        unchecked.discard(unit)
                        if unit[1] in self.design:  # (else deleted since the check began)
                            touched |= self._evaluate(unit, memo)
                if time.perf_counter() >= deadline:
                    break
            self._settle(touched)
        if not unchecked:
            queue.clear()
        return not unchecked

    def attach(self) -> None:
        """Follow the design's edits from now on (after a full check)."""
        if not self._attached:
            self.check_all(live=True)
            self.design.subscribe(self.apply)
            self._attached = True

    def detach(self) -> None:
        if self._attached:
            self.design.unsubscribe(self.apply)
            self._attached = False

    def set_as_of(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.check_all(live=self._live)

    def apply(self, changes: list[Change]) -> FindingsDelta:
        """Bring the findings up to date after committed changes; say what changed."""
        if not self._live:
            raise RuntimeError("apply() needs a live checker: check_all(live=True) or attach()")
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
        stale |= between_keys(changes, self.design)
        for key in stale:
            dirty_units |= self._readers_of.get(key, set())
        touched: set[Key] = set()
        memo: dict[Any, Any] = {}
        for unit in gone_units - dirty_units:
            self._unchecked.discard(unit)
            touched |= self._drop(unit)
        for unit in dirty_units:
            self._unchecked.discard(unit)  # (checked now, for a stepped check)
            if unit[1] in self.design:
                touched |= self._evaluate(unit, memo)
            else:
                touched |= self._drop(unit)
        listed: dict[Key, tuple[Finding | None, Finding | None]] = {}  # key: (before, after)
        for old, new in self._settle(touched):
            either = new or old
            assert either is not None
            listed[either.key] = (old, new)
        for change in changes:
            if change.id is None and "suppressions" in change.fields:
                for f in self._suppression_changed(change.before, change.after):
                    listed.setdefault(f.key, (f, f))  # (its mark changes, the finding not)
        added = self.with_suppressions(new for _, new in listed.values() if new is not None)
        removed = [old for old, _ in listed.values() if old is not None]
        return FindingsDelta(sorted(added, key=sort_key), sorted(removed, key=sort_key))

    def findings(self) -> list[Finding]:
        """Every finding, sorted (severity, catalog order, subjects), suppressions applied."""
        return sorted(self.with_suppressions(self._current.values()), key=sort_key)

    def with_suppressions(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings, those matched by a suppression of the design marked with its reason
        and the others unmarked (so a list marked before the suppressions changed can be
        marked again as it stands, without checking or sorting anew)."""
        reasons: defaultdict[str, dict[str, str]] = defaultdict(dict)  # rule: subject: reason
        for s in self.design.suppressions:
            reasons[s.rule].setdefault(s.subject, s.reason)
        result = []
        for f in findings:
            named = reasons.get(f.rule)  # (most rules have no suppression: one lookup)
            if named is None and not f.suppressed:
                result.append(f)
                continue
            reason = next((named[s] for s in f.subjects if s in named), None) if named else None
            if reason is None and f.suppressed:
                f = replace(f, suppressed=False, reason=None)
            elif reason is not None and (not f.suppressed or f.reason != reason):
                f = replace(f, suppressed=True, reason=reason)
            result.append(f)
        return result

    # ------------------------------------------------------------------ internals
    def _reset(self, live: bool) -> None:
        """Forget every finding (and a stepped check under way)."""
        self._live = live
        self._unit_findings.clear()
        self._unit_reads.clear()
        self._readers_of.clear()
        self._contributions.clear()
        self._current.clear()
        self._queue.clear()
        self._unchecked.clear()
        self._units_started = 0

    def _suppression_changed(self, before: Iterable[Suppression],
                             after: Iterable[Suppression]) -> list[Finding]:
        """The current findings whose mark a change of the suppressions may change: those of
        a rule and subject that a suppression was added for, removed from, or given another
        reason. (One pass over the findings: suppressions change one at a time, by hand.)"""
        named = {(s.rule, s.subject, s.reason) for s in before} ^ {
            (s.rule, s.subject, s.reason) for s in after}
        pairs = {(rule, subject) for rule, subject, _ in named}
        rules = {rule for rule, _ in pairs}
        return [f for f in self._current.values()
                if f.rule in rules and any((f.rule, s) in pairs for s in f.subjects)]

    def _evaluate(self, unit: Unit, memo: dict[Any, Any]) -> set[Key]:
        kind, id = unit
        reader = TrackingReader(self.design, self.as_of, memo)
        found = [f for check in CHECKS[kind] for f in check(reader, id)]
        old_reads = self._unit_reads.get(unit)
        if old_reads is None:  # a unit seen for the first time (every unit of a full check)
            reads = self._readers_of.add(unit, reader.reads)
        else:
            new, reads = reader.reads, []
            for key in old_reads:
                if key in new:
                    reads.append(key)
                else:
                    self._readers_of.discard(unit, key)
            reads += self._readers_of.add(unit, new.difference(old_reads))
        self._unit_reads[unit] = tuple(reads)
        return self._replace_findings(unit, found)

    def _units(self) -> Iterator[Unit]:
        design = self.design
        yield from (("replication", i) for i in design.replications)
        yield from (("vm", i) for i in design.vms)
        yield from (("cluster", i) for i in design.clusters)
        yield from (("server", i) for i in itertools.chain(design.clusters, design.hosts))
        yield from (("wan_link", i) for i in design.wan_links)

    def _check_live(self) -> None:
        """A full check that records what each unit read, for :meth:`apply`."""
        touched: set[Key] = set()
        memo: dict[Any, Any] = {}
        for unit in self._units():
            touched |= self._evaluate(unit, memo)
        self._settle(touched)

    def _check_once(self, processes: int) -> None:
        """A one-shot check: the findings straight into ``_current``, without the per-unit
        record :meth:`apply` needs (a dict per finding and a list per unit: a fifth of
        checking a large design). The choice between units is :meth:`_settle`'s:
        within a unit the last finding of a key, between units the smallest, the first of
        equals (:func:`keep_least`), however the units are shared between processes."""
        self._current.update(check_in_parts(list(self._units()), self._check_part, processes))

    def _check_part(self, units: Sequence[Unit]) -> dict[Key, Finding]:
        reader = PlainReader(self.design, self.as_of, {}, whole_pass=True)
        current: dict[Key, Finding] = {}
        for kind, id in units:
            keep_least(current, {f.key: f for check in CHECKS[kind]
                                 for f in check(reader, id)}.values())
        return current

    def _drop(self, unit: Unit) -> set[Key]:
        for key in self._unit_reads.pop(unit, ()):
            self._readers_of.discard(unit, key)
        return self._replace_findings(unit, [])

    def _replace_findings(self, unit: Unit, found: Iterable[Finding]) -> set[Key]:
        new = list(found)
        touched: set[Key] = set()
        contributions = self._contributions
        for f in self._unit_findings.pop(unit, []):
            key = f.key
            others = contributions.get(key)
            if isinstance(others, dict):
                others.pop(unit, None)
            elif others is not None and others[0] == unit:
                del contributions[key]
            touched.add(key)
        for f in new:
            key = f.key
            others = contributions.get(key)
            if isinstance(others, dict):
                others[unit] = f
            elif others is None or others[0] == unit:
                contributions[key] = (unit, f)
            else:
                contributions[key] = {others[0]: others[1], unit: f}
            touched.add(key)
        if new:
            self._unit_findings[unit] = new
        return touched

    def _settle(self, keys: set[Key]) -> list[tuple[Finding | None, Finding | None]]:
        """Pick the finding shown for each touched key (the same message from every unit is
        the rule; the smallest wins deterministically if two ever differ). Returns the
        (before, after) pairs of the keys whose finding changed."""
        changed: list[tuple[Finding | None, Finding | None]] = []
        for key in keys:
            old = self._current.get(key)
            contributions = self._contributions.get(key)
            if contributions:
                if isinstance(contributions, tuple):
                    new = contributions[1]
                elif len(contributions) == 1:
                    (new,) = contributions.values()
                else:
                    new = min(contributions.values(), key=lambda f: (f.message, f.severity))
                self._current[key] = new
            else:
                new = None
                self._contributions.pop(key, None)
                self._current.pop(key, None)
            if old != new:
                changed.append((old, new))
        return changed
