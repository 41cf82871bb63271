"""Where a finding is, the way SARIF says it: the design file as a URI code scanning can
resolve, and the region of the file where an entity is declared.

A file under the working directory (a repository's checkout, in CI) is a URI relative to the
base ``%SRCROOT%``, which stays the same on every machine and so keeps results and their
fingerprints stable; a file elsewhere is an absolute ``file://`` URI. Every character a URI
can't hold raw is percent-encoded from the name's bytes: a space, ``#``, ``%``, a name in any
script, and the colon of ``C:`` that would otherwise read as a URI scheme.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Container
from types import ModuleType
from typing import Any
from urllib.parse import quote

#: The base of the URIs of files under the working directory.
SRCROOT = "%SRCROOT%"

# RFC 3986 pchar, less ":" (a first segment "C:" would be a scheme): what a segment keeps raw.
_SEGMENT_SAFE = "!$&'()*+,;=@"


def _segment(name: str) -> str:
    return quote(os.fsencode(name), safe=_SEGMENT_SAFE)


def file_uri(path: str, pathmod: ModuleType = os.path) -> str:
    """The ``file://`` URI of an absolute path (``pathmod`` is ``posixpath`` or ``ntpath``,
    so both kinds of path can be tested anywhere)."""
    drive, rest = pathmod.splitdrive(path)
    tail = "/".join(_segment(name) for name in rest.split(pathmod.sep))
    if drive.startswith(pathmod.sep * 2):  # \\server\share
        server, _, share = drive[2:].partition(pathmod.sep)
        return f"file://{server}/{_segment(share)}{tail}"
    return f"file:///{drive}{tail}" if drive else f"file://{tail}"


def artifact_location(path: str, cwd: str, pathmod: ModuleType = os.path) -> dict[str, str]:
    """A SARIF artifactLocation for a file named on the command line, run in ``cwd``."""
    full = pathmod.normpath(pathmod.join(cwd, path))  # (join keeps an absolute path as is)
    root = pathmod.normpath(cwd)
    try:
        inside = pathmod.normcase(pathmod.commonpath([full, root])) == pathmod.normcase(root)
    except ValueError:  # another drive
        inside = False
    if inside and full != root:
        relative = pathmod.relpath(full, root)
        return {"uri": "/".join(_segment(name) for name in relative.split(pathmod.sep)),
                "uriBaseId": SRCROOT}
    return {"uri": file_uri(full, pathmod)}


def base_ids(cwd: str, pathmod: ModuleType = os.path) -> dict[str, Any]:
    """The run's originalUriBaseIds: where ``%SRCROOT%`` was on this machine."""
    uri = file_uri(pathmod.normpath(cwd), pathmod)
    return {SRCROOT: {"uri": uri if uri.endswith("/") else uri + "/",
                      "description": {"text": "The working directory hvdesigner validate ran in."}}}


# `"id": "..."`, the string as JSON wrote it (escapes included)
_ID_DECLARATION = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*")')
# a JSON string whose text is its value: no escape, no control character (which JSON refuses)
_PLAIN_STRING = re.compile(r'"[^"\\\x00-\x1f]*"')


def _utf16_length(text: str) -> int:
    if text.isascii():
        return len(text)
    # (each character beyond U+FFFF is two code units, as is a lone surrogate's one byte pair)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def regions_of_ids(text: str, wanted: Container[str] | None = None) -> dict[str, dict[str, int]]:
    """The region where each id (each of ``wanted``) is first declared (``"id": "..."``),
    in 1-based lines and columns counted in UTF-16 code units (the run says so in
    ``columnKind``). SARIF's line breaks are CR LF, CR and LF (not U+2028 and friends)."""
    # Offsets only grow: each position continues from the last one, so the file is read once,
    # by str's own counting and searching (a design written on one long line costs one pass
    # too, not one per id). An offset is never between a CR and its LF: it is at a quote or
    # just after one.
    lone_lf = "\r" not in text  # (what files saved here have: one count finds the lines)
    at, line, column = 0, 1, 1  # the last position, its line and column

    def move_to(offset: int) -> None:
        nonlocal at, line, column
        if lone_lf:
            breaks = text.count("\n", at, offset)
        else:
            breaks = (text.count("\n", at, offset) + text.count("\r", at, offset)
                      - text.count("\r\n", at, offset))
        if breaks:
            line += breaks
            start = max(text.rfind("\n", at, offset), text.rfind("\r", at, offset)) + 1
            column = 1 + _utf16_length(text[start:offset])
        else:
            column += _utf16_length(text[at:offset])
        at = offset

    regions: dict[str, dict[str, int]] = {}
    for match in _ID_DECLARATION.finditer(text):
        written = match.group(1)
        if _PLAIN_STRING.fullmatch(written):
            id = written[1:-1]
        else:
            try:
                id = json.loads(written)
            except ValueError:
                continue
        if id in regions or wanted is not None and id not in wanted:
            continue  # (the next position counts on from the last one worked out)
        move_to(match.start())
        start_line, start_column = line, column
        move_to(match.end())
        regions[id] = {"startLine": start_line, "startColumn": start_column,
                       "endLine": line, "endColumn": column}
    return regions
