"""Strict loading of design files: every problem, with its JSON path, in one go.

A user fixing a hand-edited file wants the whole list, so the loader reads as much as it can:
each entity that reads cleanly is kept for the reference checks, and entities that did not are
not blamed twice. Files from a newer hvdesigner are refused with a message saying so. The only
exception that leaves this module is :class:`DesignFileError`.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from hvdesigner.fileformat.kinds import INVALID, Unusual, compiled, one_object_per_value
from hvdesigner.fileformat.limits import pointer
from hvdesigner.fileformat.migrations import migrate
from hvdesigner.fileformat.problems import Problem, Problems, describe, whole_number
from hvdesigner.fileformat.spec import COLLECTIONS, DESIGN, FORMAT, VERSION
from hvdesigner.model.design import ATTRIBUTES, Design
from hvdesigner.model.entities import VM, WanLink
from hvdesigner.model.gc_pause import gc_paused
from hvdesigner.model.integrity import entity_problems

#: How many problems a message shows before saying how many more there are.
SHOWN_PROBLEMS = 50

#: The largest design file hvdesigner reads. The generated 5,000-VM estate of the benchmarks is
#: 5.4 MB, so real designs fit many times over, while a mistaken `/dev/zero`, a log or a disk
#: image is refused before it fills memory.
MAX_DESIGN_BYTES = 64 * 1024 * 1024


class DesignFileError(Exception):
    """A design file that can't be read or isn't a valid design."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(self.report())

    def report(self, limit: int = SHOWN_PROBLEMS) -> str:
        """What a user reads: the file, then one line per problem."""
        return "\n".join(self.report_lines(limit))

    def report_lines(self, limit: int = SHOWN_PROBLEMS) -> list[str]:
        """The lines of :meth:`report`, for a caller that must keep a name with a line break
        in it on one line (the command line escapes each line)."""
        count = len(self.problems)
        head = f"{self.source}: cannot open this design ({count} problem{'s' if count != 1 else ''})"
        lines = [f"  {p}" for p in self.problems[:limit]]
        if count > limit:
            lines.append(f"  … and {count - limit} more")
        return [head, *lines]


class _Object(dict[str, Any]):
    """A JSON object that remembers keys it saw twice (json keeps only the last)."""

    duplicate_keys: list[str]


def _object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    plain = dict(pairs)
    if len(plain) == len(pairs):
        return plain  # the common case: no key given twice
    obj = _Object()
    obj.duplicate_keys = []
    for key, value in pairs:
        if key in obj and key not in obj.duplicate_keys:
            obj.duplicate_keys.append(key)
        obj[key] = value
    return obj


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


#: The parser of one JSON value at an index, for :func:`_streamed`, set up as :func:`_parse`'s
#: ``json.loads`` (the attribute is the json module's own, left out of its type stubs).
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(  # type: ignore[attr-defined]
    object_pairs_hook=_object_pairs, parse_constant=_reject_constant).scan_once
_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace
#: What may follow a list's item: a comma (group 1) or the list's end (group 2), and the
#: whitespace around it, in one match per item.
_AFTER_ITEM = re.compile(r"[ \t\n\r]*(?:(,)[ \t\n\r]*|(\]))")


def _after_space(text: str, at: int) -> int:
    found = _SPACE.match(text, at)
    assert found is not None  # (a run of none matches)
    return found.end()


def _fail(source: str, message: str) -> DesignFileError:
    return DesignFileError(source, [Problem("", message)])


def _text(data: bytes, source: str) -> str:
    """The text of a design file, or a DesignFileError that says what kind of file it is not."""
    if not data or data.isspace():  # (not data.strip(): that copies the whole file)
        raise _fail(source, "the file is empty")
    try:
        return data.decode("utf-8-sig")  # tolerate the BOM Windows editors write
    except UnicodeDecodeError as e:
        raise _fail(source, f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}): "
                    "is this a design file?") from None


def parse_json(data: bytes, source: str) -> Any:
    """Bytes to JSON values, or a DesignFileError that says what kind of file it is not."""
    return _parse(_text(data, source), source)


def _parse(text: str, source: str) -> Any:
    def fail(message: str) -> DesignFileError:
        return _fail(source, message)

    try:
        return json.loads(text, object_pairs_hook=_object_pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise fail(f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
    except ValueError as e:
        raise fail(f"not valid JSON: {e}") from None
    except RecursionError:
        raise fail("not a design: the JSON is nested too deeply") from None


def _check_header(doc: Any, source: str) -> int:
    """Refuse what is not a design this program reads before listing a thousand problems
    about it; the file's format version."""
    def fail(path: str, message: str) -> DesignFileError:
        return DesignFileError(source, [Problem(path, message)])

    if not isinstance(doc, dict):
        raise fail("", f"expected a JSON object (a design), got {describe(doc)}")
    if doc.get("format") != FORMAT:
        raise fail("/format", f'not an hvdesigner design: expected "format": "{FORMAT}"')
    if "version" not in doc:
        raise fail("", "missing required key 'version'")
    version = whole_number(doc["version"])  # 1.0 too, as in every whole-number field
    if version is None:
        raise fail("/version", f"expected a whole number, got {describe(doc['version'])}")
    if version > VERSION:
        raise fail("/version", f"this design is format version {version}, saved by a newer "
                   f"hvdesigner; this one reads version {VERSION}. Update hvdesigner to open it.")
    if version < 1:
        raise fail("/version", f"{version} is not a format version (versions start at 1)")
    return version


def load_document(doc: Any, source: str = "<design>") -> Design:
    """Build a Design from parsed JSON, or raise DesignFileError listing every problem."""
    version = _check_header(doc, source)
    problems = Problems()
    if version < VERSION:
        doc = migrate(doc, version, problems)
    header = _Object({k: ([] if k in COLLECTIONS and isinstance(v, list) else v) for k, v in doc.items()})
    header.duplicate_keys = getattr(doc, "duplicate_keys", [])
    top = DESIGN.load(header, "", problems)

    entities: list[tuple[str, Any]] = []  # (JSON path, entity)
    unreadable: set[str] = set()
    for key, kind in COLLECTIONS.items():
        items = doc.get(key)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            path = pointer("", key) + f"/{i}"
            entity = kind.load(item, path, problems)
            if entity is INVALID:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    unreadable.add(item["id"])
            else:
                entities.append((path, entity))

    if all(isinstance(doc.get(key, []), list) for key in COLLECTIONS):
        # (with a whole collection unreadable, every reference into it would be noise)
        problems += _reference_problems(entities, unreadable, top)
    if problems:
        raise DesignFileError(source, problems)
    design = _build(top, (entity for _, entity in entities))
    design.migrated_from = version if version < VERSION else None
    return design


#: Where an id is used: an entity's path, or its VM's path and a disk's index (a disk's path
#: is only spelled out for a message).
_Place = str | tuple[str, int]


def _spelled(place: _Place) -> str:
    return place if isinstance(place, str) else f"{place[0]}/disks/{place[1]}"


def _reference_problems(entities: list[tuple[str, Any]], unreadable: set[str], top: Any) -> Problems:
    problems = Problems()
    by_id: dict[str, Any] = {}  # (an id used twice: its first user)
    again: list[tuple[str, _Place]] = []  # (id, place) of each later use
    for path, entity in entities:
        if by_id.setdefault(entity.id, entity) is not entity:
            again.append((entity.id, path))
        if isinstance(entity, VM):
            for j, disk in enumerate(entity.disks):
                if by_id.setdefault(disk.id, disk) is not disk:
                    again.append((disk.id, (path, j)))
    if again:  # (rare: where each id is first used is only worked out then)
        first: dict[str, _Place] = {}
        for path, entity in entities:
            first.setdefault(entity.id, path)
            for j, disk in enumerate(entity.disks if isinstance(entity, VM) else ()):
                first.setdefault(disk.id, (path, j))
        for id, place in again:
            problems.add(f"{_spelled(place)}/id", f"id {id!r} is already used by {_spelled(first[id])}")

    wan_so_far: defaultdict[frozenset[str], set[str]] = defaultdict(set)
    for path, entity in entities:
        if by_id.get(entity.id) is not entity:
            continue  # a duplicate, reported above
        for field, message in entity_problems(entity, by_id.get, wan_so_far.__getitem__, unreadable):
            problems.add(f"{path}/{field}" if field else path, message)
        if isinstance(entity, WanLink):
            wan_so_far[frozenset(entity.sites)].add(entity.id)

    if top is not INVALID:  # (each suppression's rule is a catalog id: spec.RuleId)
        for i, s in enumerate(top["suppressions"]):
            if s.subject not in by_id and s.subject not in unreadable:
                problems.add(f"/suppressions/{i}/subject", f"there is nothing with id {s.subject!r}")
    return problems


def _build(top: dict[str, Any], entities: Iterable[Any]) -> Design:
    """The design of entities in collection order; ModelError where they don't make one."""
    return Design.from_loaded(entities, {attribute: top[attribute] for attribute in ATTRIBUTES})


class _Unusual(Exception):
    """Something :func:`_streamed` leaves to the loader that reads the whole tree."""


def _streamed(text: str, source: str) -> Design:
    """The design of a clean file, read one entity at a time: each collection item is parsed,
    loaded and dropped before the next, so the file's JSON tree (80 MB at 5,000 hosts, as
    much again as the model it becomes) never exists whole, and the memory it would leave
    fragmented is the model's. Raises :class:`_Unusual` at the first thing that is not a
    plain valid design (bad JSON, a repeated key, any problem at all): :func:`load_document`
    then reads the file again and reports, so every message and its order are that loader's.
    """
    scan = _SCAN
    by_key: dict[str, list[Any]] = {key: [] for key in COLLECTIONS}
    problems = Problems()
    header: dict[str, Any] = {}

    def expect(char: str, at: int) -> int:  # the index after ``char`` and any space after it
        if text[at:at + 1] != char:
            raise _Unusual
        return _after_space(text, at + 1)

    def separator(at: int, end: str) -> tuple[int, bool]:  # (index after it, whether ``end``)
        at = _after_space(text, at)
        if text[at:at + 1] == end:
            return at + 1, True
        return expect(",", at), False

    def items(key: str, at: int) -> int:  # a collection's list: each item loaded as parsed
        kind, append = COLLECTIONS[key], by_key[key].append
        quick, after_item = compiled(kind), _AFTER_ITEM.match  # (what kind.load tries first)
        at = expect("[", at)
        if text[at:at + 1] == "]":
            return at + 1
        while True:
            item, at = scan(text, at)
            try:
                append(quick(item))
            except Unusual:  # (kind.load's way: the whole object again, every field checked)
                entity = kind.load_in_full(item, "", problems)  # (no path: never shown)
                if entity is INVALID:
                    raise _Unusual from None
                append(entity)
            found = after_item(text, at)
            if found is None:
                raise _Unusual
            at = found.end()
            if found.lastindex == 2:
                return at

    try:
        at = expect("{", _after_space(text, 0))
        done = text[at:at + 1] == "}"
        at += done
        while not done:
            if text[at:at + 1] != '"':
                raise _Unusual
            key, at = scan(text, at)
            if key in header:
                raise _Unusual  # (the full loader names the repeated key)

            at = expect(":", _after_space(text, at))
            if key in COLLECTIONS:
                header[key], at = [], items(key, at)
            else:
                header[key], at = scan(text, at)
                if key == "version" and header[key] != VERSION:
                    raise _Unusual  # (an older file is migrated, a newer one refused, by it)
            at, done = separator(at, "}")
        if _after_space(text, at) != len(text):
            raise _Unusual
        _check_header(header, source)
        top = DESIGN.load(header, "", problems)
        if problems:
            raise _Unusual
        # (the design checks every id and reference as a whole, as _reference_problems does
        # one by one: a design it refuses is left to load_document to say why)
        return _build(top, (entity for key in COLLECTIONS for entity in by_key[key]))
    except (ValueError, StopIteration, RecursionError, DesignFileError):  # (ModelError too)
        raise _Unusual from None


def _load_text(text: str, source: str) -> Design:
    with gc_paused(), one_object_per_value():
        try:
            return _streamed(text, source)
        except _Unusual:
            return load_document(_parse(text, source), source)


def loads(data: bytes | str, source: str = "<design>") -> Design:
    """Load a design from the bytes (or text) of a design file."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return _load_text(_text(raw, source), source)


_NOT_REGULAR = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                (stat.S_ISSOCK, "a socket"))


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def read_design_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a design file; DesignFileError when it can't be read, is not a regular
    file (a pipe would block, a device never ends) or is over :data:`MAX_DESIGN_BYTES`."""
    source = os.fspath(path)

    def fail(message: str) -> DesignFileError:
        return DesignFileError(source, [Problem("", message)])

    def refuse_unless_regular(mode: int) -> None:
        if not stat.S_ISREG(mode):
            kind = next((kind for test, kind in _NOT_REGULAR if test(mode)), "something else")
            raise fail(f"cannot read the file: it is {kind}, not a regular file")

    try:
        # Look before opening: opening a FIFO blocks until a writer comes, opening a device
        # may do something to it.
        refuse_unless_regular(os.stat(path).st_mode)
        # O_NONBLOCK in case the path has become a FIFO since; fstat sees what was opened.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as f:
            info = os.fstat(f.fileno())
            refuse_unless_regular(info.st_mode)
            # (one byte past the limit: a file may grow, or report no size at all)
            data = f.read(MAX_DESIGN_BYTES + 1) if info.st_size <= MAX_DESIGN_BYTES else b""
    except OSError as e:
        raise fail(f"cannot read the file: {e.strerror or e}") from None
    if info.st_size > MAX_DESIGN_BYTES or len(data) > MAX_DESIGN_BYTES:
        size = _megabytes(info.st_size if info.st_size > MAX_DESIGN_BYTES else len(data))
        raise fail(f"the file is too large ({size}): hvdesigner reads designs of up to "
                   f"{_megabytes(MAX_DESIGN_BYTES)}")
    return data


def load(path: str | os.PathLike[str]) -> Design:
    """Load a design file; DesignFileError says what is wrong and where."""
    source = os.fspath(path)
    return _load_text(_text(read_design_bytes(path), source), source)  # (the bytes freed first)

