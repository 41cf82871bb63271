"""Autosave sidecars: a copy of unsaved work beside the design, for crash recovery.

``Design.hvd`` autosaves to ``.Design.hvd.autosave`` in the same folder (a new, never-saved
design to ``untitled.hvd.autosave`` in the caller's recovery folder). A clean close removes
the sidecar; if it is still there and newer than the design when the design is opened, the
program crashed with unsaved work and offers it back.
"""

from __future__ import annotations

import os

from hvdesigner.fileformat.writer import dumps, write_atomic
from hvdesigner.model.design import Design

SUFFIX = ".autosave"


def sidecar_path(design_path: str) -> str:
    folder, name = os.path.split(os.path.abspath(design_path))
    return os.path.join(folder, f".{name}{SUFFIX}")


def write_sidecar(design: Design, sidecar: str) -> None:
    write_atomic(sidecar, dumps(design).encode("utf-8"))


def newer_sidecar(design_path: str) -> str | None:
    """The sidecar of a design when it holds work newer than the design file itself."""
    sidecar = sidecar_path(design_path)
    try:
        sidecar_time = os.stat(sidecar).st_mtime_ns
    except FileNotFoundError:
        return None
    try:
        design_time = os.stat(design_path).st_mtime_ns
    except FileNotFoundError:
        return sidecar
    return sidecar if sidecar_time > design_time else None


def discard_sidecar(sidecar: str) -> None:
    """Remove a sidecar if there is one; failing to is not worth stopping a close for."""
    try:
        os.remove(sidecar)
    except (OSError, ValueError):
        pass
