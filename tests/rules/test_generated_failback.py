"""The benchmark generator's failback set-up (:mod:`bench.recovery_data`): most primaries that
are Replica servers take their links back, so FBK-* findings are a few, not a flood, and the
findings of the v1 rules stay those the v1 part of the generator drew."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bench.generate import AS_OF, generate_design
from bench.recovery_data import _Planner
from hvdesigner.fileformat import loads
from hvdesigner.rules.check import Finding
from hvdesigner.rules.engine import Checker


def _findings(seed: int) -> list[Finding]:
    doc = generate_design(seed, scale=0.3)
    return Checker(loads(json.dumps(doc)), AS_OF).check_all()


def _v1(findings: list[Finding]) -> list[tuple[str, tuple[str, ...], str]]:
    return sorted((f.rule, f.subjects, f.message) for f in findings
                  if not f.rule.startswith(("FBK-", "RCV-", "NET-")))


@pytest.mark.parametrize("seed", [1, 2])
def test_failback_set_up_keeps_v1_findings_and_leaves_a_few_fbk(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    ready = _findings(seed)
    monkeypatch.setattr(_Planner, "ready_for_failback", lambda self: None)
    as_drawn = _findings(seed)

    assert _v1(ready) == _v1(as_drawn)
    before = Counter(f.rule for f in as_drawn if f.rule in ("FBK-01", "FBK-02", "FBK-03"))
    after = Counter(f.rule for f in ready if f.rule in ("FBK-01", "FBK-02", "FBK-03"))
    assert 0 < sum(after.values()) < sum(before.values()) / 4
    assert Counter(f.rule for f in ready if f.rule == "FBK-04") == Counter(
        f.rule for f in as_drawn if f.rule == "FBK-04")


def test_same_seed_same_design() -> None:
    assert generate_design(4, scale=0.2) == generate_design(4, scale=0.2)
