"""Findings, and the registry the rule families put their checks in.

A check is a function of a reader and one *unit* (a replication, a VM, a cluster, a server or a
WAN link, by id) that yields findings. The engine runs every check of a unit together and
re-runs them when something they read changes, so a check must read the design only through
its reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeAlias

from hvdesigner.model.derived import Reader
from hvdesigner.model.unfrozen import unfrozen_twin
from hvdesigner.rules.catalog import RULES, Severity

UnitKind: TypeAlias = Literal["replication", "vm", "cluster", "server", "wan_link"]
UNIT_KINDS: tuple[UnitKind, ...] = ("replication", "vm", "cluster", "server", "wan_link")


class RuleReader(Reader, Protocol):
    """A reader with the check date, the day certificates must still be valid on."""

    as_of: dt.date


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    #: Ids involved, most specific first (a disk before its VM, a replication before its
    #: servers, a node before its cluster).
    subjects: tuple[str, ...]
    fix: str
    suppressed: bool = False
    reason: str | None = None
    #: A finding appears once per rule and subject list. Made once: the checker, the findings
    #: list and the badges all key their tables by it, and a tuple made at each use was
    #: three a finding (12 MB at 5,000 hosts).
    key: tuple[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.rule, self.subjects))


Check: TypeAlias = Callable[[RuleReader, str], Iterable[Finding]]
CHECKS: dict[UnitKind, list[Check]] = {kind: [] for kind in UNIT_KINDS}


def check(kind: UnitKind) -> Callable[[Check], Check]:
    """Register a check for every unit of a kind."""

    def register(fn: Check) -> Check:
        CHECKS[kind].append(fn)
        return fn

    return register


def finding(rule_id: str, message: str, *subjects: str, severity: Severity | None = None,
            fix: str | None = None) -> Finding:
    """A finding of a catalog rule; repeated subjects are listed once. ``fix`` replaces the
    catalog's fix where the finding knows a more exact one."""
    rule = RULES[rule_id]
    if not (len(subjects) == 1 or len(subjects) == 2 and subjects[0] != subjects[1]):
        subjects = tuple(dict.fromkeys(subjects))  # (most findings have one or two, apart)
    return new_finding(rule_id, severity or rule.severity, message, subjects, fix or rule.fix)


_UNFROZEN = unfrozen_twin(Finding)


def new_finding(rule: str, severity: Severity, message: str, subjects: tuple[str, ...],
                 fix: str) -> Finding:
    """``Finding(rule, severity, message, subjects, fix)``, filled in as its
    :func:`~hvdesigner.model.unfrozen.unfrozen_twin` and then made the Finding: the frozen
    dataclass's ``__init__`` sets each slot through ``object.__setattr__``, and a slot's own
    setter is a call each, where an unfrozen slot is a plain store (the 45,000 findings of a
    5,000-host design: 0.44 µs each through the setters, half that so)."""
    f = _UNFROZEN()
    f.rule = rule
    f.severity = severity
    f.message = message
    f.subjects = subjects
    f.fix = fix
    f.suppressed = False
    f.reason = None
    f.key = (rule, subjects)
    f.__class__ = Finding
    found: Finding = f
    return found


def cap(text: str) -> str:
    """Start a message with a capital without touching the names inside it."""
    return text[:1].upper() + text[1:]
