"""A finding as the checks make it (``rules.check.finding``, which fills a Finding's slots
itself) is the Finding its constructor makes: every field, the key, equality and hash, and as
frozen."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from hvdesigner.fileformat import load
from hvdesigner.rules.check import Finding, finding
from hvdesigner.rules.engine import Checker
from tests.rules.conftest import AS_OF

EXAMPLES = Path(__file__).parents[2] / "resources" / "examples"


@pytest.mark.parametrize("subjects", [("a",), ("a", "b"), ("a", "a"), ("a", "b", "a"), ()])
def test_a_finding_is_what_its_constructor_makes(subjects: tuple[str, ...]) -> None:
    made = finding("DSK-06", "Disk d of VM v is excluded.", *subjects)
    built = Finding("DSK-06", "info", "Disk d of VM v is excluded.", tuple(dict.fromkeys(subjects)),
                    made.fix)
    assert repr(made) == repr(built)  # (every field, in order: a slot left unset would raise)
    assert made == built and hash(made) == hash(built) and made.key == built.key
    assert made.subjects == tuple(dict.fromkeys(subjects))
    assert type(made) is Finding  # (filled in unfrozen, then made a Finding: frozen as any)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.message = "changed"  # type: ignore[misc]
    assert dataclasses.replace(made, suppressed=True, reason="r") == dataclasses.replace(
        built, suppressed=True, reason="r")


def test_the_findings_of_a_check_are_what_their_constructor_makes() -> None:
    findings = Checker(load(EXAMPLES / "training.hvd"), AS_OF).check_all()
    assert findings
    for f in findings:
        rebuilt = Finding(f.rule, f.severity, f.message, f.subjects, f.fix, f.suppressed, f.reason)
        assert repr(f) == repr(rebuilt) and f.key == rebuilt.key == (f.rule, f.subjects)
