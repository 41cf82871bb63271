"""Saving designs: deterministic bytes, written atomically.

The same design always gives the same bytes (keys in the format's order, entity lists sorted
by id, lists without meaningful order sorted, two-space indent, final newline), so designs diff
well in git. A save writes a temporary file beside the target, flushes and fsyncs it, then
renames it over the target: a crash or a full disk mid-save leaves the old file intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from types import SimpleNamespace

from hvdesigner.fileformat.limits import json_problems
from hvdesigner.fileformat.spec import COLLECTIONS, DESIGN, FORMAT, VERSION
from hvdesigner.model.design import Design


class DesignSaveError(OSError):
    """A save that failed; the file on disk is what it was before."""


def to_document(design: Design) -> dict[str, object]:
    """The design as JSON values in file order."""
    values = SimpleNamespace(
        format=FORMAT,
        version=VERSION,
        title=design.title,
        notes=design.notes,
        assumptions=design.assumptions,
        suppressions=design.suppressions,
        layout=design.layout,
        **{key: tuple(getattr(design, key).values()) for key in COLLECTIONS},
    )
    return DESIGN.dump(values)  # type: ignore[no-any-return]


def dumps(design: Design) -> str:
    """The text of the design file; ValueError for a value JSON can't carry (the loader and
    the inspector refuse those, :mod:`hvdesigner.fileformat.limits`), never ``Infinity``."""
    return json.dumps(to_document(design), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def encode(design: Design, path: str) -> bytes:
    """The bytes of the design file; DesignSaveError, naming the value, when a design built
    some other way than by loading or editing holds one that can't be written."""
    try:
        return dumps(design).encode("utf-8")
    except (ValueError, RecursionError) as e:
        found: list[str] = []
        json_problems(to_document(design), "", lambda where, why: found.append(f"{where}: {why}"))
        raise DesignSaveError(f"Could not save {path}: {found[0] if found else e}; the file on "
                              "disk was not changed.") from e


def save(design: Design, path: str | os.PathLike[str]) -> None:
    """Write the design to ``path`` atomically; DesignSaveError leaves the old file intact."""
    write_atomic(os.fspath(path), encode(design, os.fspath(path)))


def write_atomic(path: str, data: bytes) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
        _sync_folder(folder)
    except OSError as e:
        error = DesignSaveError(f"Could not save {path}: {e.strerror or e}; "
                                "the file on disk was not changed.")
        error.errno = e.errno
        raise error from e
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
