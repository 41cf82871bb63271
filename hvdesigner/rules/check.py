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


def new_finding(rule: str, severity: Severity, message: str, subjects: tuple[str, ...],
                 fix: str) -> Finding:
    """``Finding(rule, severity, message, subjects, fix)``, its slots filled by their own
    setters: the frozen dataclass's ``__init__`` sets each through ``object.__setattr__``,
    more than half the cost of the 45,000 findings of a 5,000-host design."""
    f = _NEW(Finding)
    _SET_RULE(f, rule)
    _SET_SEVERITY(f, severity)
    _SET_MESSAGE(f, message)
    _SET_SUBJECTS(f, subjects)
    _SET_FIX(f, fix)
    _SET_SUPPRESSED(f, False)
    _SET_REASON(f, None)
    _SET_KEY(f, (rule, subjects))
    return f


_NEW = object.__new__
(_SET_RULE, _SET_SEVERITY, _SET_MESSAGE, _SET_SUBJECTS, _SET_FIX, _SET_SUPPRESSED, _SET_REASON,
 _SET_KEY) = (Finding.__dict__[name].__set__ for name in (
    "rule", "severity", "message", "subjects", "fix", "suppressed", "reason", "key"))


def cap(text: str) -> str:
    """Start a message with a capital without touching the names inside it."""
    return text[:1].upper() + text[1:]
