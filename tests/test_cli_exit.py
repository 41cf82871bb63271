"""``hvdesigner validate`` run as the program ends its process itself once the report is
written: every byte of the report still arrives, with the exit code, and a stream that can't
be written still says so. A long text report goes out in few writes, yet more than one."""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest

from bench.generate import generate_design
from hvdesigner.cli import main

ROOT = Path(__file__).parents[1]
CLEAN = ROOT / "resources" / "examples" / "three-tier-hosting.hvd"


def _program(*args: str, stdout: IO[bytes] | int = subprocess.PIPE
             ) -> subprocess.CompletedProcess[bytes]:
    """``python -m hvdesigner ARGS`` from this tree, as a shell runs it, its output buffered
    (as it is without PYTHONUNBUFFERED): what is still in the buffer must not be lost."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-m", "hvdesigner", *args], cwd=ROOT, stdout=stdout,
                          stderr=subprocess.PIPE, env=env, timeout=120)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A design whose report is long: 2,000 lines and more."""
    design = tmp_path_factory.mktemp("generated") / "generated.hvd"
    design.write_text(json.dumps(generate_design(3, scale=0.2)), encoding="utf-8")
    return design


@pytest.mark.parametrize("format", ["text", "json"])
def test_the_program_writes_the_whole_report_before_it_ends(
        generated: Path, capsys: pytest.CaptureFixture[str], format: str) -> None:
    args = ["validate", str(generated), "--format", format, "--as-of", "2026-06-01"]
    code = main(args)  # (in this process: the code comes back, nothing ends)
    expected = capsys.readouterr().out
    result = _program(*args)
    # more than a pipe and the stream's buffer hold: the end waits for all of it
    assert len(expected) > 200_000 and code == 1
    assert (result.returncode, result.stderr) == (code, b"")
    assert result.stdout.decode("utf-8") == expected


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs a device that is always full")
def test_a_full_disk_is_still_reported() -> None:
    with open("/dev/full", "wb") as full:
        result = _program("validate", str(CLEAN), stdout=full)
    assert _program("validate", str(CLEAN)).returncode == 0  # (the design itself passes)
    assert result.returncode != 0 and b"No space left on device" in result.stderr


class _Unbuffered(io.StringIO):
    """A stream that counts its writes: each one a system call on an unbuffered stdout."""

    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


class _FillingUp(io.RawIOBase):
    """A file on a disk that fills up after ``room`` bytes, as Python's unbuffered stdout
    writes to it: a write is cut short without a word, the next fails."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.kept = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if not self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        taken = bytes(data[:self.room])
        self.kept += taken
        self.room -= len(taken)
        return len(taken)


def test_a_long_text_report_takes_few_writes(
        generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _Unbuffered()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["validate", str(generated), "--as-of", "2026-06-01"]) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"{generated}: ")
    assert 1 < out.writes <= len(lines) / 500  # (not a write a line, nor one for all)


@pytest.mark.parametrize("format", ["text", "json"])
@pytest.mark.parametrize("design", ["generated", "clean"])
def test_a_disk_that_fills_up_under_an_unbuffered_report_is_said_with_its_own_code(
        generated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        format: str, design: str) -> None:
    """Under PYTHONUNBUFFERED a write cut short drops the rest silently: a short report (one
    write) or the last thousand lines of a long one went missing, with exit code 0."""
    path = generated if design == "generated" else CLEAN
    disk = _FillingUp(room=300)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(disk, encoding="utf-8", write_through=True))
    code = main(["validate", str(path), "--format", format, "--as-of", "2026-06-01"])
    assert code == 3 and len(disk.kept) == 300
    assert capsys.readouterr().err == ("hvdesigner validate: the report could not be written "
                                       "whole: [Errno 28] No space left on device\n")


@pytest.mark.skipif(sys.platform == "win32", reason="a file size limit is a POSIX rlimit")
@pytest.mark.parametrize("unbuffered", [False, True])
def test_the_program_says_when_its_report_could_not_be_written_whole(
        tmp_path: Path, unbuffered: bool) -> None:
    import resource
    import signal

    def limited() -> None:  # (in the child: a write past 300 bytes fails with EFBIG)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    with open(tmp_path / "report.txt", "wb") as out:
        result = subprocess.run([sys.executable, "-m", "hvdesigner", "validate", str(CLEAN)],
                                cwd=ROOT, stdout=out, stderr=subprocess.PIPE, env=env,
                                preexec_fn=limited, timeout=120)
    assert result.returncode == 3
    assert result.stderr == b"hvdesigner validate: the report could not be written whole: " \
                            b"[Errno 27] File too large\n"
