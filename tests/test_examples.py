"""The shipped example designs: they load, they are saved canonically, the three reference
designs check clean (now and for years to come), and the training design shows exactly the
mistakes it was built to show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hvdesigner.fileformat import dumps, load, save
from hvdesigner.rules.engine import Checker

EXAMPLES = Path(__file__).resolve().parents[1] / "resources" / "examples"
ALL_EXAMPLES = sorted(p.name for p in EXAMPLES.glob("*.hvd"))
CLEAN = ["two-sites-certificates.hvd", "cluster-to-cluster-csv.hvd", "three-tier-hosting.hvd"]
TRAINING = "training.hvd"
# Today, and a day years ahead: the clean designs' certificates must still be valid then.
CHECK_DATES = [dt.date.today(), dt.date(2031, 6, 30)]

#: Every error and warning rule the training design was built to trigger.
TRAINING_RULES = {
    # topology, versions, broker
    "TOP-02", "TOP-10", "VER-01", "VER-02", "BRK-01",
    # authentication, certificates, firewalls
    "AUTH-01", "AUTH-04", "CERT-02", "CERT-03", "FW-01", "FW-02",
    # Replica server settings
    "RS-01", "RS-02", "RS-04", "RS-05",
    # replication settings
    "VM-01", "VM-03", "VM-04", "VM-05",
    # disks and sizing
    "DSK-01", "DSK-03", "DSK-04", "DSK-05", "SZ-01",
    # recovery (a site loss leaves a server short of memory)
    "RCV-01",
}


def _problems(name: str, as_of: dt.date) -> list[tuple[str, str, tuple[str, ...]]]:
    findings = Checker(load(EXAMPLES / name), as_of=as_of).check_all()
    return [(f.severity, f.rule, f.subjects) for f in findings
            if f.severity in ("error", "warning")]


def test_the_examples_are_all_there() -> None:
    assert set(CLEAN + [TRAINING]) <= set(ALL_EXAMPLES)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_example_loads_and_describes_itself(name: str) -> None:
    design = load(EXAMPLES / name)
    assert design.title.strip()
    assert design.notes.strip()
    assert design.layout is None  # the canvas lays examples out


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_example_is_saved_canonically(name: str, tmp_path: Path) -> None:
    on_disk = (EXAMPLES / name).read_bytes()
    design = load(EXAMPLES / name)
    assert dumps(design).encode("utf-8") == on_disk
    save(design, tmp_path / name)
    assert (tmp_path / name).read_bytes() == on_disk


@pytest.mark.parametrize("as_of", CHECK_DATES, ids=str)
@pytest.mark.parametrize("name", CLEAN)
def test_reference_design_checks_clean(name: str, as_of: dt.date) -> None:
    assert _problems(name, as_of) == []
    infos = {f.rule for f in Checker(load(EXAMPLES / name), as_of=as_of).check_all()}
    # excluded page-file / tempdb disks, VMs whose test failover starts unconnected
    assert infos <= {"DSK-06", "NET-05"}


@pytest.mark.parametrize("as_of", CHECK_DATES, ids=str)
def test_training_design_shows_its_mistakes(as_of: dt.date) -> None:
    rules = {rule for _, rule, _ in _problems(TRAINING, as_of)}
    assert len(TRAINING_RULES) >= 12
    assert rules == TRAINING_RULES
