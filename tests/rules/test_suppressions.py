"""Suppressions, finding identity, and the format's own example."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from hvdesigner.model.entities import Suppression
from hvdesigner.rules.engine import Checker
from tests.designs import SPEC_EXAMPLE, load_dict
from tests.rules.conftest import (
    add_host,
    add_replication,
    assert_clean,
    baseline,
    check,
    find,
    kerberos,
    of,
)

REASON = "Site-to-site IPsec VPN encrypts the WAN"


def _suppress(doc, rule, subject, reason=REASON):
    doc.setdefault("suppressions", []).append({"rule": rule, "subject": subject, "reason": reason})
    return doc


# ---------------------------------------------------------------- suppressions
@pytest.mark.parametrize("subject", ["r1", "hv1", "hv2"])
def test_suppression_matches_any_subject(subject):
    doc = _suppress(kerberos(baseline()), "AUTH-04", subject)
    [f] = of(check(doc), "AUTH-04")
    assert (f.severity, f.subjects, f.suppressed, f.reason) == (
        "warning", ("r1", "hv1", "hv2"), True, REASON)


def test_suppressed_finding_is_still_listed_unchanged_but_for_the_mark():
    plain = check(kerberos(baseline()))
    suppressed = check(_suppress(kerberos(baseline()), "AUTH-04", "r1"))
    assert len(plain) == len(suppressed)
    [before], [after] = of(plain, "AUTH-04"), of(suppressed, "AUTH-04")
    assert (after.message, after.fix) == (before.message, before.fix)
    assert (before.suppressed, before.reason) == (False, None)


def test_suppression_of_another_rule_does_not_apply():
    doc = _suppress(kerberos(baseline()), "VM-04", "r1")
    [f] = of(check(doc), "AUTH-04")
    assert (f.suppressed, f.reason) == (False, None)


def test_suppression_of_a_subject_not_in_the_finding_does_not_apply():
    doc = baseline()
    add_host(doc, "hv3", "hq", certificates=[])
    add_replication(doc, "r3", "hv3", "hv2", vms=[])
    find(doc, "hv2")["certificates"] = []
    _suppress(doc, "CERT-01", "hv3", "HV3 is being rebuilt")
    findings = {f.subjects: f for f in of(check(doc), "CERT-01")}
    hv3, hv2 = findings[("hv3",)], findings[("hv2",)]
    assert (hv3.suppressed, hv3.reason) == (True, "HV3 is being rebuilt")
    assert (hv2.suppressed, hv2.reason) == (False, None)


def test_suppression_matches_a_disk_subject():
    doc = _suppress(baseline(), "DSK-06", "app1-pf", "Pagefile recreated by the runbook")
    [f] = of(check(doc), "DSK-06")
    assert (f.suppressed, f.reason) == (True, "Pagefile recreated by the runbook")


def test_one_suppression_covers_every_finding_sharing_the_subject():
    doc = baseline()
    add_host(doc, "hv3", "dr")
    find(doc, "r1")["compression"] = False
    add_replication(doc, "r3", "hv1", "hv3", vms=[], compression=False)
    _suppress(doc, "VM-04", "hv1")  # neither VM-04 finding lists HV1: no effect
    assert [f.suppressed for f in of(check(doc), "VM-04")] == [False, False]
    _suppress(doc, "VM-04", "r3", "Already compressed data")
    assert [(f.subjects, f.suppressed) for f in of(check(doc), "VM-04")] == [
        (("r1",), False), (("r3",), True)]


# ---------------------------------------------------------------- finding identity
def test_a_finding_appears_once_per_rule_and_subjects():
    """CERT-01 for HV2 is found from both replications it receives, and listed once."""
    doc = baseline()
    add_host(doc, "hv3", "hq")
    add_replication(doc, "r3", "hv3", "hv2", vms=[])
    find(doc, "hv2")["certificates"] = []
    assert [f.subjects for f in of(check(doc), "CERT-01")] == [("hv2",)]


def test_findings_are_sorted_by_severity_then_catalog_order():
    doc = kerberos(baseline())
    find(doc, "r1")["compression"] = False
    find(doc, "hv2")["replica_server"] = None
    assert [(f.severity, f.rule) for f in check(doc)] == [
        ("error", "RS-01"), ("warning", "AUTH-04"), ("warning", "VM-04"), ("info", "DSK-06")]


# ---------------------------------------------------------------- the format's example
def test_spec_example_has_no_error_and_only_the_failback_warning():
    """The example predates catalog v2: HV1, its primary, is a Replica server whose Windows
    Firewall is closed, so replication back to it after a failover would be blocked (FBK-03),
    and APP1 names no test switch (NET-05). The baseline adds both (and is clean)."""
    findings = check(copy.deepcopy(SPEC_EXAMPLE))
    assert [(f.rule, f.severity, f.subjects) for f in findings] == [
        ("FBK-03", "warning", ("r1", "hv1")),
        ("DSK-06", "info", ("app1-pf", "app1")),
        ("NET-05", "info", ("app1",))]
    assert [(f.rule, f.severity, f.subjects) for f in assert_clean(baseline())] == [
        ("DSK-06", "info", ("app1-pf", "app1"))]


def _spec_file():
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "spec" / "design-format.md"
        if candidate.is_file():
            return candidate
    return None


@pytest.mark.skipif(_spec_file() is None, reason="the shared spec is not beside this checkout")
def test_spec_example_copy_matches_the_spec():
    """SPEC_EXAMPLE is the spec's example verbatim, so the test above checks the real one."""
    text = _spec_file().read_text(encoding="utf-8")
    block = re.search(r"## Example\n```json\n(.*?)```", text, re.DOTALL)
    assert block is not None
    assert json.loads(block.group(1)) == SPEC_EXAMPLE


def test_marking_again_after_the_suppressions_changed_unmarks_and_remarks():
    design = load_dict(kerberos(baseline()))
    checker = Checker(design)
    design.set("suppressions", (Suppression("AUTH-04", "r1", REASON),))
    marked = checker.check_all()
    assert of(marked, "AUTH-04")[0].suppressed
    design.set("suppressions", (Suppression("AUTH-04", "hv2", "another reason"),))
    [again] = of(checker.with_suppressions(marked), "AUTH-04")
    assert (again.suppressed, again.reason) == (True, "another reason")
    design.set("suppressions", ())
    assert checker.with_suppressions(marked) == checker.check_all()
