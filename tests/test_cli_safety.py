"""`hvdesigner validate` is safe to run on what a repository holds: it never hangs on a pipe or
a device, never reads a huge file into memory, and nothing in a design reaches the terminal or
the CI log as a control sequence."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hvdesigner.fileformat.loader import MAX_DESIGN_BYTES

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def validate(*args: object, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """The command as a pipeline runs it, in a fresh process."""
    return subprocess.run([sys.executable, "-m", "hvdesigner", "validate", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


@needs_fifo
def test_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "design.hvd"
    os.mkfifo(fifo)  # nobody writes to it: reading it would wait forever
    result = validate(fifo, timeout=20)
    assert result.returncode == 2
    assert f"{fifo}: cannot open this design" in result.stderr
    assert "it is a named pipe (FIFO), not a regular file" in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_an_endless_device_is_refused_at_once() -> None:
    result = validate("/dev/zero", timeout=20)
    assert result.returncode == 2
    assert "/dev/zero: cannot open this design" in result.stderr
    assert "it is a character device, not a regular file" in result.stderr


def test_a_folder_is_refused(tmp_path: Path) -> None:
    result = validate(tmp_path)
    assert result.returncode == 2 and "it is a folder, not a regular file" in result.stderr


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.hvd"
    with open(huge, "wb") as f:
        f.truncate(MAX_DESIGN_BYTES + 1)  # sparse: costs no disk, but reading it would
    result = validate(huge, timeout=20)
    assert result.returncode == 2
    assert f"{huge}: cannot open this design" in result.stderr
    assert "the file is too large" in result.stderr
    assert "hvdesigner reads designs of up to 64.0 MB" in result.stderr
