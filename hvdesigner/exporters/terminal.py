"""Text for a terminal or a CI log: what the command line prints, with every character that
could act instead of show escaped.

A design is someone else's text. Printed raw, a name can clear the screen, set the window
title, start a fake line (``\\n ALL CHECKS PASSED``) or reorder what follows it (bidi
overrides, as in "Trojan Source"); a lone surrogate would even stop Python from printing.
Everything the command line writes goes through :func:`printable`, and is then plain text.
"""

from __future__ import annotations

import errno
import io
import os
import re
import select
from collections.abc import Iterable
from typing import TextIO

# C0 controls (newline and tab too: a name on one line stays on one line), DEL, C1 controls
# (U+0085 is a newline to some terminals, U+009B a CSI), Unicode's line and paragraph
# separators, the bidi marks, embeddings, overrides and isolates, and lone surrogates
# (a str read from JSON may hold one; no encoding can write it).
_OTHERS = r"\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(rf"[\x00-\x1f{_OTHERS}]")
_UNSAFE_BUT_NEWLINE = re.compile(rf"[\x00-\x09\x0b-\x1f{_OTHERS}]")


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every unsafe character written as a Python-style escape (``\\x1b``,
    ``\\u202e``); ``keep_newlines`` only for text whose line breaks are the program's own."""
    if text.isprintable():  # (a C loop, and False for every character the patterns name: a
        return text         # third of printing the 90,000 lines of a 5,000-host report)
    return (_UNSAFE_BUT_NEWLINE if keep_newlines else _UNSAFE).sub(_escape, text)


_NOT_XML = re.compile("[\ufffe\uffff]")  # (the rest of what XML 1.0 forbids `printable` escapes)


def plain_text(value: str) -> str:
    """A design string as a label in an XML document shows it (draw.io, PowerPoint): plain,
    on one line, its control and bidi characters as escapes, valid in XML."""
    return _NOT_XML.sub("\ufffd", printable(value))


#: Lines printed a write: few system calls where the stream has no buffer.
LINES_A_WRITE = 1000


def write_lines(stream: TextIO, lines: Iterable[str]) -> None:
    """Print each line, made printable, on a line of its own, a thousand lines a write: a
    stream without a buffer (Python's under PYTHONUNBUFFERED, which CI images often set)
    makes each write a system call, and a 5,000-host report has 90,000 lines."""
    lines = list(lines)
    for start in range(0, len(lines), LINES_A_WRITE):
        chunk = lines[start:start + LINES_A_WRITE]
        # (nearly always all printable: asked in one C loop, not a call a line)
        shown = chunk if all(map(str.isprintable, chunk)) else map(printable, chunk)
        write_whole(stream, "\n".join(shown) + "\n")


def write_whole(stream: TextIO, text: str) -> None:
    """Write ``text`` to the stream, all of it or an OSError saying why not.

    Python's own stdout under PYTHONUNBUFFERED writes straight to the file and drops, without
    a word, what a write could not take (a disk filling up, a file size limit): a report cut
    short would end with exit code 0. There the bytes are written until all are (the write
    that cannot go on then raises, ENOSPC or EFBIG), waiting where the file is non-blocking
    (a pipe another program set so) instead of dropping the rest."""
    raw = getattr(stream, "buffer", None)
    if not isinstance(raw, io.RawIOBase):
        stream.write(text)  # (buffered: a short write is retried, a failed one raises)
        return
    stream.flush()
    data = memoryview(text.replace("\n", os.linesep).encode(stream.encoding, stream.errors or "strict"))
    while data:
        written = raw.write(data)
        if written is None:  # (non-blocking, and the reader is behind)
            select.select([], [raw], [])
            continue
        if not written:  # (no error, no progress: the next try would spin)
            raise OSError(errno.EIO, "the output takes nothing more")
        data = data[written:]
