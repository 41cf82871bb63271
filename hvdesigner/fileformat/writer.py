"""Saving designs: deterministic bytes, written atomically.

The same design always gives the same bytes (keys in the format's order, entity lists sorted
by id, lists without meaningful order sorted, two-space indent, final newline), so designs diff
well in git. A save writes a temporary file beside the target, flushes and fsyncs it, then
renames it over the target: a crash, a full disk or a value that can't be written mid-save
leaves the old file intact. The text is written as it is made, a block at a time, each entity
turned into JSON values only when its turn comes: saving a large design costs a block of
memory, not copies of the whole file.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring, encode_basestring_ascii
from types import SimpleNamespace
from typing import Any

from hvdesigner.fileformat.kinds import ListOf
from hvdesigner.fileformat.limits import MAX_DEPTH, json_problems
from hvdesigner.fileformat.spec import COLLECTIONS, DESIGN, FORMAT, VERSION
from hvdesigner.model.design import Design


class DesignSaveError(OSError):
    """A save that failed; the file on disk is what it was before."""


#: How many pieces of text are gathered before they are joined and handed on: about 0.35 MB
#: of a design's text (pieces average some 22 characters; with the pieces themselves, the
#: block costs some 2 MB), many enough that joining and writing block by block takes no longer
#: than the whole text at once did (8 times as many pieces took longer at 5,000 hosts).
BLOCK_PIECES = 16_384


#: The ``layout`` argument meaning the design's own (a document saves the one a design was
#: opened with while the layout it worked out for the canvas is still all it holds).
HELD: Any = object()


def to_document(design: Design) -> dict[str, object]:
    """The design as JSON values in file order."""
    return DESIGN.dump(_values(design, with_entities=True))  # type: ignore[no-any-return]


def _values(design: Design, with_entities: bool, layout: Any = HELD) -> SimpleNamespace:
    """What the format's top level dumps; without its entities, the collections are empty
    (and, being their default, left out)."""
    return SimpleNamespace(
        format=FORMAT,
        version=VERSION,
        title=design.title,
        notes=design.notes,
        assumptions=design.assumptions,
        suppressions=design.suppressions,
        layout=design.layout if layout is HELD else layout,
        **{key: tuple(getattr(design, key).values()) if with_entities else () for key in COLLECTIONS},
    )


def dumps(design: Design) -> str:
    """The text of the design file; ValueError for a value JSON can't carry (the loader and
    the inspector refuse those, :mod:`hvdesigner.fileformat.limits`), never ``Infinity``."""
    return "".join(text_blocks(design))


def text_blocks(design: Design, layout: Any = HELD) -> Iterator[str]:
    """The text of the design file in blocks of about :data:`BLOCK_PIECES` pieces: the text
    :func:`json_text` writes of :func:`to_document`, and the final newline, without the whole
    document, its text or its pieces ever in memory at once (the entities are dumped one by
    one, as their turn comes), with ``layout`` instead of the design's when given. ValueError as
    :func:`dumps`."""
    write = _WRITERS[False, False]
    rest = DESIGN.dump(_values(design, with_entities=False, layout=layout))
    out: list[str] = []
    start = "{\n  "
    for field in DESIGN.fields:
        kind = field.kind
        entities = getattr(design, field.key).values() if field.key in COLLECTIONS else ()
        if entities and isinstance(kind, ListOf):
            out.append(f"{start}{encode_basestring(field.key)}: ")
            item_start = "[\n    "
            for entity in sorted(entities, key=kind.sort_by):
                out.append(item_start)
                write(kind.item.dump(entity), "\n    ", out)
                item_start = ",\n    "
                if len(out) >= BLOCK_PIECES:
                    yield "".join(out)
                    out.clear()
            out.append("\n  ]")
        elif field.key in rest:
            out.append(f"{start}{encode_basestring(field.key)}: ")
            write(rest[field.key], "\n  ", out)
        else:
            continue
        start = ",\n  "
    out.append("\n}\n")
    yield "".join(out)


def json_text(value: Any, *, ensure_ascii: bool = False, allow_nan: bool = False) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=..., allow_nan=...)`` (a design file's
    options by default), the same text four times as fast: with an indent, :mod:`json`
    writes through nested Python generators (its C writer takes no indent before Python
    3.13), every piece of text passed up through each level; here each piece is appended
    once. Anything but plain JSON values (an infinity, a key that is not text, nesting past
    the format's depth...) is left to :func:`json.dumps` itself, which writes it, or fails,
    as it always did. (Also the text of the command line's JSON and SARIF reports.)"""
    out: list[str] = []
    _WRITERS[ensure_ascii, allow_nan](value, "\n", out)
    return "".join(out)


Writer = Callable[[Any, str, list[str]], None]


def _writer(ensure_ascii: bool, allow_nan: bool) -> Writer:
    """The writer of :func:`json_text` with these options of :func:`json.dumps`."""
    string = encode_basestring_ascii if ensure_ascii else encode_basestring

    def standard(value: Any, newline: str) -> str:
        text = json.dumps(value, indent=2, ensure_ascii=ensure_ascii, allow_nan=allow_nan)
        return text.replace("\n", newline)  # (text in JSON never holds a raw line break)

    def float_text(value: float) -> str:
        return float.__repr__(value) if math.isfinite(value) else standard(value, "")

    #: The text of each kind of plain JSON scalar, as json writes it.
    scalars: dict[type, Callable[[Any], str]] = {
        str: string, int: int.__repr__, float: float_text,
        bool: lambda value: "true" if value else "false", type(None): lambda value: "null",
    }

    def write(value: Any, newline: str, out: list[str]) -> None:
        """Append the text of ``value``; ``newline`` starts a line at its level of indent.
        (Scalars inside a container are written in its loop: a call per value would double
        the time.)"""
        kind = type(value)
        scalar = scalars.get(kind)
        if scalar is not None:
            out.append(scalar(value))
        elif len(newline) > 2 * MAX_DEPTH or not value:  # (deep: json's own recursion limit)
            out.append(standard(value, newline))
        elif kind is dict:
            inner = newline + "  "
            start = "{" + inner
            written = len(out)
            for key, item in value.items():
                if type(key) is not str:  # (json's way with other keys: for json to write)
                    del out[written:]
                    out.append(standard(value, newline))
                    return
                if type(item) is str:  # (the commonest values: not even looked up)
                    out.append(f"{start}{string(key)}: {string(item)}")
                elif type(item) is int:
                    out.append(f"{start}{string(key)}: {int.__repr__(item)}")
                elif (scalar := scalars.get(type(item))) is not None:
                    out.append(f"{start}{string(key)}: {scalar(item)}")
                else:
                    out.append(f"{start}{string(key)}: ")
                    write(item, inner, out)
                start = "," + inner
            out.append(newline + "}")
        elif kind is list or kind is tuple:
            inner = newline + "  "
            start = "[" + inner
            for item in value:
                if type(item) is str:
                    out.append(start + string(item))
                elif (scalar := scalars.get(type(item))) is not None:
                    out.append(start + scalar(item))
                else:
                    out.append(start)
                    write(item, inner, out)
                start = "," + inner
            out.append(newline + "]")
        else:
            out.append(standard(value, newline))

    return write


_WRITERS = {(ascii, nan): _writer(ascii, nan) for ascii in (False, True) for nan in (False, True)}


def encode(design: Design, path: str, layout: Any = HELD) -> Iterator[bytes]:
    """The bytes of the design file, a block at a time; DesignSaveError, naming the value,
    when a design built some other way than by loading or editing holds one that can't be
    written (raised when its block comes: :func:`write_atomic` then leaves the file as it was)."""
    try:
        for text in text_blocks(design, layout):
            yield text.encode("utf-8")
    except (ValueError, RecursionError) as e:
        found: list[str] = []
        json_problems(to_document(design), "", lambda where, why: found.append(f"{where}: {why}"))
        raise DesignSaveError(f"Could not save {path}: {found[0] if found else e}; the file on "
                              "disk was not changed.") from e


def save(design: Design, path: str | os.PathLike[str], layout: Any = HELD) -> None:
    """Write the design to ``path`` atomically; DesignSaveError leaves the old file intact.
    Through a symbolic link, the file it points to is written (the link stays a link); a
    read-only file is refused rather than replaced. ``layout``: see :func:`text_blocks`."""
    try:
        target = os.path.realpath(os.fspath(path))
    except ValueError as e:  # a NUL in the name
        raise DesignSaveError(f"Could not save {os.fspath(path)!r}: {e}; "
                              "the file on disk was not changed.") from e
    write_atomic(target, encode(design, os.fspath(path), layout))


def write_atomic(path: str, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (or each of its blocks, as they come) beside ``path``, flush, then rename
    over it; any failure (a full disk, a parent that is a file, a name too long, a NUL in the
    name, a DesignSaveError from the blocks) is a DesignSaveError, and leaves no file behind."""
    tmp = None
    if _read_only(path):
        raise DesignSaveError(f"Could not save {path}: the file is read-only; the file on disk "
                              "was not changed. Save it under another name.")
    try:
        folder = os.path.dirname(os.path.abspath(path))
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            for block in (data,) if isinstance(data, bytes) else data:
                f.write(block)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
        _sync_folder(folder)
    except DesignSaveError:  # (already said, by the blocks)
        raise
    except (OSError, ValueError) as e:  # (ValueError: a NUL in the path)
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        shown = path if path.isprintable() else repr(path)  # (a NUL or a control character)
        error = DesignSaveError(f"Could not save {shown}: {reason}; "
                                "the file on disk was not changed.")
        error.errno = getattr(e, "errno", None)
        raise error from e
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _read_only(path: str) -> bool:
    """A file marked read-only is not replaced (write bits checked too: an administrator may
    write anything, but a file marked read-only for everyone was marked so on purpose)."""
    try:
        return os.path.exists(path) and (
            not os.access(path, os.W_OK) or not os.stat(path).st_mode & 0o222)
    except ValueError:  # (a NUL in the name: the write below says so)
        return False


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable where the platform and the file system allow it (not
    on Windows; not a folder that can't be opened, nor one whose file system refuses to sync
    folders, as some network and FUSE ones do): by then the file is saved, and a failure
    that said it was not would be false (and made a first save of a version 1 design take
    back the copy of its original, which was then the only one)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
