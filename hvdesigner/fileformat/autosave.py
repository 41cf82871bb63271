"""Crash recovery: the unsaved work of every open design, kept in the user's data folder.

Each open design autosaves to an entry of its own in the recovery folder: ``KEY.hvd`` (the
design, as it would be saved) and ``KEY.json`` (the file it belongs to, or none for a design
never saved; its title; the process that wrote it; when). A key is made anew for every design
opened and never reused, so no session writes over another's entry; a clean close removes the
design's entry. An entry whose process is gone was left by a crash: the designer offers it
back, and only the user's choice removes it (recover, or discard).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Set
from dataclasses import dataclass

from hvdesigner.fileformat.loader import load
from hvdesigner.fileformat.writer import encode, write_atomic
from hvdesigner.model.design import Design


@dataclass(frozen=True)
class Entry:
    """One design's autosaved work."""

    folder: str
    key: str
    design_path: str | None  # the file it belongs to (None: never saved)
    title: str
    pid: int
    saved: float  # seconds since the epoch

    @property
    def design_file(self) -> str:
        return os.path.join(self.folder, f"{self.key}.hvd")

    @property
    def meta_file(self) -> str:
        return os.path.join(self.folder, f"{self.key}.json")

    def describe(self) -> str:
        """How the user knows it: the file (or title) and when it was autosaved."""
        what = os.path.basename(self.design_path) if self.design_path else (self.title or "Untitled design")
        return f"{what} — autosaved {time.strftime('%Y-%m-%d %H:%M', time.localtime(self.saved))}"


def new_key() -> str:
    return f"design-{uuid.uuid4().hex[:16]}"


def write(folder: str, key: str, design: Design, design_path: str | None) -> Entry:
    """Autosave a design (DesignSaveError when the folder can't take it)."""
    entry = Entry(folder, key, os.path.abspath(design_path) if design_path else None,
                  design.title, os.getpid(), time.time())
    write_atomic(entry.design_file, encode(design, entry.design_file))
    meta = {"design": entry.design_path, "title": entry.title, "pid": entry.pid, "saved": entry.saved}
    write_atomic(entry.meta_file, json.dumps(meta, ensure_ascii=True).encode("ascii"))
    return entry


def entries(folder: str) -> list[Entry]:
    """Every autosaved design in the folder, newest first (unreadable entries left out)."""
    found = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        if not name.endswith(".json"):
            continue
        key = name[:-5]
        try:
            with open(os.path.join(folder, name), encoding="ascii") as f:
                meta = json.load(f)
            entry = Entry(folder, key, meta["design"], str(meta["title"]), int(meta["pid"]),
                          float(meta["saved"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if os.path.isfile(entry.design_file):
            found.append(entry)
    return sorted(found, key=lambda e: -e.saved)


def left_by_crash(folder: str, in_use: Set[str] = frozenset()) -> list[Entry]:
    """Entries no running designer owns: their process is gone, or it is this process and
    no open design has the key (``in_use``)."""
    return [e for e in entries(folder)
            if e.key not in in_use and (e.pid == os.getpid() or not _running(e.pid))]


def load_entry(entry: Entry) -> Design:
    return load(entry.design_file)


def discard(folder: str, key: str) -> None:
    """Remove an entry; failing to is not worth stopping a close for."""
    for suffix in (".json", ".hvd"):
        try:
            os.remove(os.path.join(folder, key + suffix))
        except (OSError, ValueError):
            pass


def _running(pid: int) -> bool:
    if os.name != "posix":  # (os.kill would end the process there): offer it, the user chooses
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # (someone else's process: assume it is a designer still running)
    return True
