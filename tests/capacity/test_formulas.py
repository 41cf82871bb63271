"""The capacity formulas against hand-worked figures and the domain reference's sanity checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hvdesigner.capacity import formulas
from hvdesigner.model.entities import Assumptions, Disk


def test_650_gb_over_100_mbps_is_about_13_hours() -> None:
    # [S41]: "about 13 hours"; 650 × 8,192 Mb / 100 Mbps = 53,248 s = 14.8 h, no efficiency factor.
    hours = formulas.initial_replication_hours(650, 100)
    assert hours == pytest.approx(650 * 8192 / 100 / 3600)
    assert 13 <= hours <= 15


def test_150_gb_over_10_mbps_is_about_34_hours() -> None:
    assert formulas.initial_replication_hours(150, 10) == pytest.approx(34.1, abs=0.05)  # [S57]


def test_resync_tolerance_is_half_the_replicated_size_over_the_churn() -> None:
    disks = [Disk("os", "os", 100, churn_mb_s=1.0), Disk("data", "data", 200, churn_mb_s=2.0),
             Disk("pf", "pf", 16, churn_mb_s=50.0, replicate=False)]
    hours = formulas.resync_after_outage_hours(formulas.replicated(disks), Assumptions(growth=0.25))
    assert hours == pytest.approx(0.5 * 300 * 1024 / (3 * 1.25) / 3600)  # 11.4 h
    assert formulas.resync_after_outage_hours(formulas.replicated(disks[2:]), Assumptions()) is None
    assert formulas.resync_after_outage_hours(formulas.replicated([Disk("d", "d", 10)]),
                                              Assumptions()) is None


def test_rpo_is_two_intervals_plus_the_cycle_transfer() -> None:
    assert formulas.transfer_and_rpo(300, 0.5) == (150, 750)
    assert formulas.transfer_and_rpo(300, 1.0) == (300, 900)
    assert formulas.transfer_and_rpo(300, 0.01) == (3, 603)  # never under the 2 × f bound
    assert formulas.transfer_and_rpo(300, 1.2) == (pytest.approx(360), None)  # cycles missed
    assert formulas.transfer_and_rpo(30, None) == (None, 60)  # no WAN link: the 2 × f bound


@given(st.sampled_from([30, 300, 900]), st.floats(0, 5))
def test_rpo_lies_between_two_and_three_intervals_exactly_while_the_link_keeps_up(
        f: int, u: float) -> None:
    transfer, rpo = formulas.transfer_and_rpo(f, u)
    assert transfer == pytest.approx(f * u)
    assert (rpo is not None) == (u <= 1)
    if rpo is not None:
        assert 2 * f <= rpo <= 3 * f


def test_replica_storage_per_disk_follows_the_format() -> None:
    os = Disk("os", "os", 100, used_gb=40, churn_mb_s=1.0)
    full = Disk("data", "data", 200, churn_mb_s=2.0)  # no used_gb: taken as full
    growth = Assumptions(growth=0.25)
    # 2012 R2+: used + N × min(used, churn × 3600 / 1024 × (1 + growth))
    assert formulas.replica_storage_gb([os], 2, False, growth) == pytest.approx(40 + 2 * 4.39453125)
    assert formulas.replica_storage_gb([full], 2, False, growth) == pytest.approx(200 + 2 * 8.7890625)
    # 2012: used + N × 10 % of the disk's size
    assert formulas.replica_storage_gb([os], 2, True, growth) == pytest.approx(40 + 2 * 10)
    # a point never holds more than the disk's used data
    busy = Disk("busy", "busy", 10, used_gb=5, churn_mb_s=100)
    assert formulas.replica_storage_gb([busy], 3, False, Assumptions(growth=0.3)) == 5 + 3 * 5
    # a VM's: the sum over its replicated disks only
    excluded = Disk("temp", "temp", 50, churn_mb_s=5.0, replicate=False)
    assert formulas.replica_storage_gb([os, excluded, full], 2, False, growth) == pytest.approx(
        40 + 2 * 4.39453125 + 200 + 2 * 8.7890625)


def test_iops_multiplier_depends_on_recovery_history_and_the_target_os() -> None:
    assert formulas.iops_multiplier(0, True) == (1, 1)
    assert formulas.iops_multiplier(4, True) == (4, 6)
    assert formulas.iops_multiplier(4, False) == (2, 3)
