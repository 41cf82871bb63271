"""A one-shot check shared between forked processes finds what one process finds: the same
findings in the same order, whichever way the units are cut, and a child that fails costs
only time."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import generate_design
from hvdesigner import cli
from hvdesigner.fileformat.loader import loads
from hvdesigner.fileformat.writer import save
from hvdesigner.model.design import Design
from hvdesigner.rules import forked
from hvdesigner.rules.check import Finding, new_finding
from hvdesigner.rules.engine import Checker
from tests.rules.conftest import AS_OF

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the system has no fork")


@pytest.fixture(scope="module")
def generated() -> Design:
    return loads(json.dumps(generate_design(5, scale=0.3)), "generated.hvd")


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children forked from here on."""
    started: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return started


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of 100 units are worth a process (the test designs are small)."""
    monkeypatch.setattr(forked, "MIN_UNITS_A_PART", 100)


@pytest.mark.usefixtures("small_parts")
@pytest.mark.parametrize("processes", [2, 3, 4])
def test_a_check_shared_between_processes_finds_what_one_finds(
        generated: Design, forks: list[int], processes: int) -> None:
    alone = Checker(generated, AS_OF).check_all()
    assert not forks and len(alone) > 1000
    shared = Checker(generated, AS_OF).check_all(processes=processes)
    assert len(forks) == processes - 1
    assert [repr(f) for f in shared] == [repr(f) for f in alone]  # every field, in order


@pytest.mark.usefixtures("small_parts")
def test_validate_shares_a_large_design_and_reports_the_same(
        generated: Design, forks: list[int], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "generated.hvd"
    save(generated, path)
    args = ["validate", "--format", "json", "--as-of", AS_OF.isoformat(), str(path)]
    monkeypatch.setattr(cli, "_processes", lambda: 1)
    cli.main(args)
    alone = capsys.readouterr().out
    monkeypatch.setattr(cli, "_processes", lambda: 3)
    cli.main(args)
    assert len(forks) == 2 and capsys.readouterr().out == alone and len(alone) > 100_000


def test_a_small_design_is_checked_without_children(generated: Design, forks: list[int]) -> None:
    units = len(list(Checker(generated, AS_OF)._units()))
    assert units < 2 * forked.MIN_UNITS_A_PART  # (so the real threshold forks nothing here)
    Checker(generated, AS_OF).check_all(processes=4)
    assert not forks


@pytest.mark.usefixtures("small_parts")
def test_where_the_system_cannot_fork_one_process_checks_all(
        generated: Design, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = Checker(generated, AS_OF).check_all()
    monkeypatch.delattr(os, "fork")
    assert Checker(generated, AS_OF).check_all(processes=4) == alone


def _numbered(units: Sequence[int]) -> dict[tuple[str, tuple[str, ...]], Finding]:
    return {f.key: f for f in (new_finding("DSK-06", "info", f"unit {u}", (f"s{u}",), "fix")
                               for u in units)}


@pytest.mark.usefixtures("small_parts")
def test_a_child_that_fails_costs_only_time(forks: list[int]) -> None:
    parent = os.getpid()
    checked_here: list[int] = []

    def check_part(units: Sequence[int]) -> dict[tuple[str, tuple[str, ...]], Finding]:
        if os.getpid() != parent:
            raise MemoryError("a child ran out")
        checked_here.append(len(units))
        return _numbered(units)

    units = list(range(400))
    assert forked.check_in_parts(units, check_part, 2) == _numbered(units)
    assert len(forks) == 1 and checked_here == [213, 187]  # its own part, then the child's


@pytest.mark.usefixtures("small_parts")
def test_an_error_of_a_check_surfaces_in_the_caller(forks: list[int]) -> None:
    def check_part(units: Sequence[int]) -> dict[tuple[str, tuple[str, ...]], Finding]:
        raise KeyError(f"no unit {units[0]}")

    with pytest.raises(KeyError, match="no unit 0"):
        forked.check_in_parts(list(range(400)), check_part, 3)
    assert len(forks) == 2


@pytest.mark.usefixtures("small_parts")
def test_a_child_the_system_reaps_itself_is_still_heard(forks: list[int]) -> None:
    """With SIGCHLD ignored (a setting a parent process may pass on), the system reaps a
    child before it can be waited for: its findings, all sent, still count."""
    parent = os.getpid()
    checked_here: list[int] = []

    def check_part(units: Sequence[int]) -> dict[tuple[str, tuple[str, ...]], Finding]:
        if os.getpid() == parent:
            checked_here.append(len(units))
        return _numbered(units)

    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        shared = forked.check_in_parts(list(range(400)), check_part, 2)
    finally:
        signal.signal(signal.SIGCHLD, before)
    assert shared == _numbered(range(400))
    assert len(forks) == 1 and checked_here == [213]  # the child's part was not checked again


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")
@pytest.mark.usefixtures("small_parts")
def test_when_this_process_fails_no_child_is_left_behind(forks: list[int]) -> None:
    parent = os.getpid()

    def check_part(units: Sequence[int]) -> dict[tuple[str, tuple[str, ...]], Finding]:
        if os.getpid() == parent:
            raise KeyError("a check failed here")
        return _numbered(range(20_000))  # more than a pipe holds: the child waits to be read

    open_files = len(os.listdir("/proc/self/fd"))
    with pytest.raises(KeyError, match="failed here"):
        forked.check_in_parts(list(range(400)), check_part, 3)
    assert len(forks) == 2 and len(os.listdir("/proc/self/fd")) == open_files
    for pid in forks:  # each was ended and waited for: none is left, not even a zombie
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


# Each unit finds some of a few keys, with one of a few messages, severities and fixes: keys
# collide across units and parts, and equal (message, severity) pairs with another fix make
# "the first of equals" matter.
_FOUND = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["a", "b"]),
                            st.sampled_from(["info", "warning"]), st.sampled_from(["x", "y"])),
                  max_size=3)


@settings(max_examples=30, deadline=None)
@given(table=st.lists(_FOUND, min_size=1, max_size=12), processes=st.integers(2, 4))
def test_the_merge_keeps_what_checking_in_order_keeps(
        table: list[list[tuple[int, str, str, str]]], processes: int) -> None:
    def found_by(unit: int) -> list[Finding]:  # within a unit the last of a key, as the engine
        return list({f.key: f for f in (
            new_finding("DSK-06", severity, message, (f"s{key}",), fix)  # type: ignore[arg-type]
            for key, message, severity, fix in table[unit])}.values())

    def check_part(units: Sequence[int]) -> dict[tuple[str, tuple[str, ...]], Finding]:
        current: dict[tuple[str, tuple[str, ...]], Finding] = {}
        for u in units:
            forked.keep_least(current, found_by(u))
        return current

    units = list(range(len(table)))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(forked, "MIN_UNITS_A_PART", 1)
        shared = forked.check_in_parts(units, check_part, processes)
    # what the engine promises, spelled out: between units the smallest, the first of equals
    expected: dict[tuple[str, tuple[str, ...]], Finding] = {}
    for u in units:
        for f in found_by(u):
            kept = expected.setdefault(f.key, f)
            if (f.message, f.severity) < (kept.message, kept.severity):
                expected[f.key] = f
    assert [repr(f) for f in shared.values()] == [repr(f) for f in expected.values()]
