"""`hvdesigner validate` is safe to run on what a repository holds: it never hangs on a pipe or
a device, never reads a huge file into memory, and nothing in a design reaches the terminal or
the CI log as a control sequence."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hvdesigner.exporters.terminal import printable
from hvdesigner.fileformat.loader import MAX_DESIGN_BYTES
from tests.designs import SPEC_EXAMPLE

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
CHECKOUT = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}  # this hvdesigner


def validate(*args: object, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """The command as a pipeline runs it, in a fresh process."""
    return subprocess.run([sys.executable, "-m", "hvdesigner", "validate", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=CHECKOUT)


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


# What a hostile design may hold: clear the screen, set the window title, ring the bell, a C1
# CSI, a forged line, a right-to-left override that flips what follows, DEL, an isolate. (A
# lone surrogate, "\ud800", which JSON allows but no UTF-8 can carry, makes the design
# unsavable, so the loader refuses it: see the last test of this group.)
HOSTILE = ("APP1\x1b[2J\x1b]0;owned\x07\x9b31m\nALL CHECKS PASSED\r\u202eexe.txt\x7f"
           "\u2066\u2028")
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def hostile_design(tmp_path: Path, name: str = "design.hvd", hostile: str = HOSTILE) -> Path:
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["vms"][0]["name"] = hostile  # DSK-06 names the VM
    doc["hosts"][0]["name"] = hostile  # VM-01 names the replication's servers
    doc["replications"][0]["frequency_s"] = 60
    doc["hosts"][0]["windows_firewall"] = {"https_listener": True}  # (no FBK-03 about HV1)
    doc["suppressions"] = [{"rule": "DSK-06", "subject": "app1-pf", "reason": hostile}]
    path = tmp_path / name
    path.write_text(json.dumps(doc))  # (json escapes the surrogate, so the file is UTF-8)
    return path


def raw(*args: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "hvdesigner", "validate", *map(str, args)],
                          capture_output=True, timeout=60, env=CHECKOUT)


def test_control_characters_in_a_design_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    result = raw(hostile_design(tmp_path))
    assert result.returncode == 1 and result.stderr == b""  # (VM-01), and no traceback
    text = result.stdout.decode("utf-8")  # a lone surrogate would not have been written
    assert not UNSAFE.search(text)
    lines = text.splitlines()
    assert len(lines) == 7  # the summary, three findings and their fixes: no forged line
    assert not any(line.startswith("ALL CHECKS PASSED") for line in lines)
    escaped = r"APP1\x1b[2J\x1b]0;owned\x07\x9b31m\nALL CHECKS PASSED\r\u202eexe.txt\x7f\u2066\u2028"
    assert f"Replication {escaped} → HV2" in lines[1]
    assert f"VM {escaped} is excluded" in lines[3] and f"(suppressed: {escaped})" in lines[3]
    assert f"VM {escaped} has no test switch" in lines[5]


def test_a_file_name_with_control_characters_is_escaped_on_stderr(tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("Windows file names can't hold control characters")
    broken = tmp_path / "x\x1b]0;owned\x07\nALL CHECKS PASSED.hvd"
    broken.write_text("{}")
    result = raw(broken)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert not UNSAFE.search(err) and len(err.splitlines()) == 2
    assert r"x\x1b]0;owned\x07\nALL CHECKS PASSED.hvd: cannot open this design" in err


def test_an_argument_quoted_by_a_usage_error_is_escaped() -> None:
    result = raw("x.hvd", "--\x1b]0;owned\x07")
    assert result.returncode == 2
    assert b"\x1b" not in result.stderr and rb"--\x1b]0;owned\x07" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_and_sarif_stay_valid_ascii_json_and_keep_the_names(tmp_path: Path, fmt: str) -> None:
    result = raw(hostile_design(tmp_path), "--format", fmt)
    assert result.returncode == 1 and result.stderr == b""
    assert result.stdout.isascii()  # the same bytes whatever the console's encoding
    text = json.dumps(json.loads(result.stdout))
    assert json.dumps(HOSTILE)[1:-1] in text


def test_a_design_with_a_lone_surrogate_is_refused_and_the_reason_printed_escaped(
        tmp_path: Path) -> None:
    result = raw(hostile_design(tmp_path, hostile=HOSTILE + "\ud800"))
    assert result.returncode == 2 and result.stdout == b"" and b"Traceback" not in result.stderr
    err = result.stderr.decode("utf-8")
    assert not UNSAFE.search(err)
    assert len(err.splitlines()) == 4  # the file, then the two names and the reason
    assert "/hosts/0/name: 'APP1\\x1b[2J" in err and "contains a lone surrogate" in err


@pytest.mark.parametrize("text, shown", [
    ("plain ünïcödé 😀 and a ZWJ 👩\u200d💻", "plain ünïcödé 😀 and a ZWJ 👩\u200d💻"),
    ("tab\there, line\nbreak, cr\r", r"tab\there, line\nbreak, cr\r"),
    ("\x00\x1b\x7f\x80\x85\x9f", r"\x00\x1b\x7f\x80\x85\x9f"),
    ("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
     r"\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    ("\u2028\u2029\ud800\udfff", r"\u2028\u2029\ud800\udfff"),
    (r"C:\Replica\x1b stays as typed", r"C:\Replica\x1b stays as typed"),
])
def test_printable_escapes_what_acts_and_keeps_what_shows(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_every_character_that_can_act_is_escaped_alone_and_amid_plain_text() -> None:
    acting = [c for c in map(chr, range(sys.maxunicode + 1))
              if UNSAFE.match(c) or c == "\n" or "\ud800" <= c <= "\udfff"]
    assert len(acting) == 2048 + 79  # the surrogates, C0, DEL, C1, the separators and bidi marks
    for c in acting:
        assert c not in printable(c) and c not in printable(f"a {c} b")


def test_printable_can_keep_the_programs_own_line_breaks() -> None:
    assert printable("usage:\n  \x1b[2J", keep_newlines=True) == "usage:\n  \\x1b[2J"
