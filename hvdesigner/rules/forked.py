"""A one-shot check of a large design, its units shared between forked processes.

``hvdesigner validate`` of a 5,000-host design spends half its time in the rules: 44,000 units,
each checked on its own. The units are cut into consecutive parts; each part but the first is
checked by a child process forked once the design is loaded (so it shares the loaded design,
copy on write, instead of loading it again), which sends its findings back through a pipe,
while this process checks the first part. The parts' findings are then merged in unit order,
keeping the smallest of a key and the first of equals, exactly as one process checking every
unit in order keeps them, so the result is the same however the units are shared.

Where the system cannot fork, or a part would be too small to pay for a process, one process
checks everything. A child that fails for any reason (it could not be started, a check raised,
its pipe broke) costs only time: this process then checks that part itself, so an exception
of a check surfaces here as it would without children, and the children still at work are then
ended and waited for.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from hvdesigner.rules.check import Finding, new_finding

Unit = TypeVar("Unit")
Key = tuple[str, tuple[str, ...]]
Findings = dict[Key, Finding]

#: Below this many units a part's check (about 30 µs a unit) costs less than forking a child
#: and sending its findings back.
MIN_UNITS_A_PART = 4_000
#: How much more than a child this process checks, as a share of a child's part: a child then
#: packs its findings, which this process waits for. Measured at 5,000 hosts (where a unit's
#: cost depends on its kind): at 0.08 the child ended its check with this process, then packed
#: for 15 ms while this one waited; at 0.14 its findings arrive as this process ends its own.
_PACKING = 0.14


def keep_least(current: Findings, found: Iterable[Finding]) -> None:
    """Add findings to ``current``: of two with a key, the one with the smaller message and
    severity stays, and of equals the one already there (the order the engine promises)."""
    for f in found:
        key = f.key
        old = current.get(key)
        if old is None or (f.message, f.severity) < (old.message, old.severity):
            current[key] = f


def check_in_parts(units: Sequence[Unit], check_part: Callable[[Sequence[Unit]], Findings],
                   processes: int) -> Findings:
    """What ``check_part(units)`` gives, the units shared between up to ``processes``."""
    parts = min(processes, len(units) // MIN_UNITS_A_PART)
    if parts < 2 or not hasattr(os, "fork"):
        return check_part(units)
    # This process's share is a little larger: each child also packs its findings, and this
    # process unpacks them only once its own are done.
    first = round(len(units) * (1 + _PACKING) / (parts + _PACKING))
    bounds = [0] + [first + (len(units) - first) * i // (parts - 1) for i in range(parts)]
    shares = [units[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]
    waiting = [_fork(share, check_part) for share in shares[1:]]
    try:
        current = check_part(shares[0])
        for share in shares[1:]:
            found = _collect(waiting.pop(0))
            keep_least(current, found if found is not None else check_part(share).values())
        return current
    finally:  # a check raised here (or Ctrl+C): the children still at work are of no use
        for child in waiting:
            _stop(child)


def _fork(share: Sequence[Unit], check_part: Callable[[Sequence[Unit]], Findings]
          ) -> tuple[int, int] | None:
    """A child checking ``share``, as its pid and the pipe it writes to; None if none started."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid:
        os.close(write_end)
        return pid, read_end
    status = 1
    try:  # the child: whatever happens, it leaves through os._exit, never back to the caller
        os.close(read_end)
        found = check_part(share)
        # Findings are made unsuppressed (suppressions are applied when listed): their five
        # fields say all. marshal is the fastest way across for tuples of strings.
        data = marshal.dumps([(f.rule, f.severity, f.message, f.subjects, f.fix)
                              for f in found.values()])
        with open(write_end, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)


def _collect(child: tuple[int, int] | None) -> list[Finding] | None:
    """The findings a child sent, in its order; None if it failed to send them all."""
    if child is None:
        return None
    pid, read_end = child
    with open(read_end, "rb") as pipe:
        data = pipe.read()  # before waiting: a child blocks on a full pipe until it is read
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # SIGCHLD ignored (a parent's setting, inherited): the system
        status = 0             # reaped the child, so only its data can tell whether it finished
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        sent = marshal.loads(data)
    except (EOFError, ValueError, TypeError):  # cut short: the child died while sending
        return None
    return [new_finding(*fields) for fields in sent]


def _stop(child: tuple[int, int] | None) -> None:
    """End a child that was not collected (never waited for, so its pid is still its own)."""
    if child is None:
        return
    pid, read_end = child
    os.close(read_end)
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
