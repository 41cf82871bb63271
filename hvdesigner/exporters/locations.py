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
from bisect import bisect_right
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
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # SARIF's line breaks; not U+2028 and friends


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def regions_of_ids(text: str) -> dict[str, dict[str, int]]:
    """The region where each id is first declared (``"id": "..."``), in 1-based lines and
    columns counted in UTF-16 code units (the run says so in ``columnKind``)."""
    line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
    # (offsets only grow: each column continues from the last one on its line, so a design
    # written on one long line costs one pass, not one pass per id)
    last = {"line": 0, "offset": 0, "column": 1}

    def position(offset: int) -> tuple[int, int]:
        line = bisect_right(line_starts, offset)
        if line != last["line"]:
            last.update(line=line, offset=line_starts[line - 1], column=1)
        last["column"] += _utf16_length(text[last["offset"]:offset])
        last["offset"] = offset
        return line, last["column"]

    regions: dict[str, dict[str, int]] = {}
    for match in _ID_DECLARATION.finditer(text):
        start_line, start_column = position(match.start())
        end_line, end_column = position(match.end())
        try:
            id = json.loads(match.group(1))
        except ValueError:
            continue
        regions.setdefault(id, {"startLine": start_line, "startColumn": start_column,
                                "endLine": end_line, "endColumn": end_column})
    return regions
