"""The Document: a design being edited, with its undo stack, live checker and file state.

Everything the designer does to a design is an intent of :mod:`~hvdesigner.editing.edits`
handed to :meth:`Document.do`: applied first, recorded as an undo step only when it applied.
Model change events reach listeners at once (``design_changed``) so the canvas and inspector
follow every edit; the checker runs after a short quiet period (``CHECK_DELAY_MS``), never
inside a paint or mouse move, and ``findings_changed`` tells what it found. Unsaved work is
autosaved to the design's own entry in the recovery folder (:mod:`fileformat.autosave`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import os
import shutil
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from hvdesigner.editing.commands import EditCommand
from hvdesigner.editing.edits import Edit, refusal
from hvdesigner.editing.layout import completed, placed_anew
from hvdesigner.editing.ops import Op, apply_ops
from hvdesigner.fileformat import autosave
from hvdesigner.fileformat.loader import DesignFileError, load, parse_json, read_design_bytes
from hvdesigner.fileformat.problems import whole_number
from hvdesigner.fileformat.spec import VERSION
from hvdesigner.fileformat.writer import HELD, DesignSaveError, save
from hvdesigner.model.design import Change, Design, ModelError
from hvdesigner.rules.engine import Checker, FindingsDelta

CHECK_DELAY_MS = 100
#: How long a step of the first check runs between the window's events: the window opens and
#: stays responsive while a large design (a second of checking) is checked behind it.
FIRST_CHECK_STEP_S = 0.015
AUTOSAVE_IDLE_MS = 5_000
AUTOSAVE_INTERVAL_MS = 60_000


class Document(QObject):
    design_changed = Signal(object)    # list[Change], as they happen
    findings_changed = Signal(object)  # FindingsDelta, after the checker's quiet period
    checking = Signal(float)           # how much of the first check is done, while it runs
    file_state_changed = Signal()      # path or dirty flag
    status = Signal(str)               # something worth a line in the status bar
    refused = Signal(str)              # why an edit changed nothing

    def __init__(self, design: Design | None = None, path: str | None = None,
                 recovery_folder: str | None = None, as_of: dt.date | None = None,
                 template: str | None = None, drawing_only: bool = False) -> None:
        super().__init__()
        self.design = design if design is not None else Design()
        self.path = path
        #: the bundled example this design started from: it has no path of its own, so
        #: Save asks where, and nothing is written beside the installed example
        self.template = template
        #: the file this design was read from when it was an older format version: the first
        #: save over it keeps it beside, as NAME.v1.hvd (what an older hvdesigner still reads)
        self.older_original: tuple[str, int] | None = (
            (path, self.design.migrated_from) if path is not None and self.design.migrated_from
            else None)
        self._upgrade_told = False
        self._disk_stamp: tuple[int, int] | None = None  # the file as last read or written
        #: this design's entry in the recovery folder: new for every design opened, so no
        #: session writes over work another one left behind
        self.recovery_key = autosave.new_key()
        self.recovery_folder = recovery_folder
        self.undo_stack = QUndoStack(self)
        self.checker = Checker(self.design, as_of)
        # (edits ask who refers to what: the index of it, which loading leaves for when first
        # asked, is made while the design opens, not in the user's first edit nor in a turn
        # of the first check the window waits for: 50 ms at 5,000 hosts; a drawing is not
        # edited)
        if not drawing_only:
            self.design.index_referrers()
        self._pending: list[Change] = []
        self._first_check_done = False
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._check_pending)
        self._step_timer = QTimer(self, singleShot=True, interval=0)
        self._step_timer.timeout.connect(self._check_step)
        self._idle_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_IDLE_MS)
        self._idle_timer.timeout.connect(self.autosave)
        self._interval_timer = QTimer(self, interval=AUTOSAVE_INTERVAL_MS)
        self._interval_timer.timeout.connect(self.autosave)
        self._interval_timer.start()
        self._autosaved_index: int | None = 0
        self._autosave_held = self._autosave_waiting = False
        self._recovered = False
        # (before anyone listens: it is no edit, it writes down what the canvas shows; a
        # drawing of another document's design leaves that design as it is)
        #: the layout the design was opened with, and the one worked out for it: until an
        #: edit places something, saving writes the first (a design saved without a layout,
        #: or with a broken one, is saved as it was, not with thousands of lines added)
        self._opened_layout: tuple[Any, Any] | None = None
        if not drawing_only and (whole := completed(self.design)) is not None:
            self._opened_layout = (self.design.layout, whole)
            self.design.set("layout", whole)
        self.design.subscribe(self._on_changes)
        self._following = True
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    def set_delays(self, check_ms: int | None = None, autosave_idle_ms: int | None = None,
                   autosave_interval_ms: int | None = None) -> None:
        """Change the quiet periods (tests shorten them instead of waiting seconds)."""
        for timer, ms in ((self._check_timer, check_ms), (self._idle_timer, autosave_idle_ms),
                          (self._interval_timer, autosave_interval_ms)):
            if ms is not None:
                timer.setInterval(ms)

    # ------------------------------------------------------------------ files
    @classmethod
    def open(cls, path: str, recovery_folder: str | None = None, template: bool = False) -> Document:
        """Open a design file, or a copy of a template (a bundled example); DesignFileError
        when it is broken."""
        design = load(path)
        if template:
            return cls(design, None, recovery_folder, template=path)
        document = cls(design, path, recovery_folder)
        document._disk_stamp = _stamp(path)
        return document

    @classmethod
    def recover(cls, entry: autosave.Entry) -> Document:
        """The work a crash left behind, as a document that has not been saved yet (it takes
        over the entry, which the user chose to recover)."""
        document = cls(autosave.load_entry(entry), entry.design_path, entry.folder)
        document.recovery_key = entry.key
        document._recovered = True
        document._autosaved_index = None  # (the entry is ours now: the next autosave says so)
        document._disk_stamp = _stamp(entry.design_path) if entry.design_path else None
        version = _file_version(entry.design_path) if entry.design_path else None
        if entry.design_path is not None and version is not None and version < VERSION:
            document.older_original = (entry.design_path, version)  # (the crash came first)
        return document

    def opening_note(self) -> str | None:
        """What to tell the user on opening a file of an older format version."""
        if self.older_original is None:
            return None
        path, version = self.older_original
        return (f"{os.path.basename(path)} is a format version {version} file: it opens as "
                f"version {VERSION}, and saving writes version {VERSION} and keeps the original "
                "beside it.")

    @property
    def dirty(self) -> bool:
        return self._recovered or not self.undo_stack.isClean()

    def save(self, path: str | None = None) -> str | None:
        """Save (to ``path`` if given: Save As); DesignSaveError leaves the old file intact
        (and no copy of it beside it).

        Saving a design read from an older format version over its own file first keeps that
        file beside it (``NAME.v1.hvd``, never over an existing file); a Save As elsewhere
        leaves it where it is. Returns what the user should be told about that, the first
        time only, else None."""
        target = path or self.path
        if target is None:
            raise ValueError("a new design needs a file name: use Save As")
        original, version = self.older_original or (None, None)
        kept = None
        replacing = (original is not None and version is not None and os.path.exists(original)
                     and _same_file(original, target))
        if replacing:
            try:
                kept = keep_original(original, version)  # (None: no longer that version)
            except OSError as e:
                raise DesignSaveError(f"Not saved: the version {version} original could not "
                                      f"be kept beside it ({e}); {target} is unchanged.") from e
        opened, worked_out = self._opened_layout or (HELD, None)
        try:
            save(self.design, target, opened if self.design.layout is worked_out else HELD)
        except DesignSaveError:
            # The original still there, unchanged: its copy would only be the first of many
            # "NAME.v1 (n).hvd", one more each try. (Not when the file was replaced and only
            # syncing its folder failed: the copy is then the one original left.)
            if kept is not None and _file_version(target) == version:
                with contextlib.suppress(OSError):
                    os.unlink(kept)
            raise
        note = None
        if replacing:
            self.older_original = None
            if kept is not None:
                note = (f"Saved {os.path.basename(target)} as format version {VERSION}; the "
                        f"version {version} original is kept as {os.path.basename(kept)}.")
        elif original is not None and not self._upgrade_told:
            note = (f"Saved {os.path.basename(target)} as format version {VERSION}; the "
                    f"version {version} original {os.path.basename(original)} is left as it was.")
        self._upgrade_told = self._upgrade_told or note is not None
        self._disk_stamp = _stamp(target)
        self.path = target
        self.template = None
        self._recovered = False
        self.undo_stack.setClean()
        self._discard_autosave()
        self.file_state_changed.emit()
        return note

    def changed_on_disk(self) -> bool:
        """Whether the design's file changed since it was opened or saved here (another
        program, a git pull): saving over it would lose that change."""
        if self.path is None or self._disk_stamp is None:
            return False
        now = _stamp(self.path)
        return now is not None and now != self._disk_stamp

    def sidecar(self) -> str | None:
        """Where unsaved work is autosaved (None without a recovery folder)."""
        if self.recovery_folder is None:
            return None
        return os.path.join(self.recovery_folder, f"{self.recovery_key}.hvd")

    def hold_autosave(self, held: bool) -> None:
        """While a gesture runs (a drag), autosave waits: writing a large design takes
        tenths of a second, which a drag would feel as a stall."""
        self._autosave_held = held
        if not held and self._autosave_waiting:
            self._autosave_waiting = False
            self._idle_timer.start()

    def autosave(self) -> None:
        """Write unsaved work to this design's recovery entry, if anything changed since the
        last autosave."""
        if self._autosave_held:
            self._autosave_waiting = True
            return
        if self.recovery_folder is None or not self.dirty or self._autosaved_index == self.undo_stack.index():
            return
        try:
            os.makedirs(self.recovery_folder, exist_ok=True)
            autosave.write(self.recovery_folder, self.recovery_key, self.design, self.path)
        except (DesignSaveError, OSError) as e:  # a full disk, a read-only folder: say so, keep working
            self.status.emit(f"Autosave failed. {e}")
            return
        self._autosaved_index = self.undo_stack.index()

    def _discard_autosave(self) -> None:
        if self.recovery_folder is not None:
            autosave.discard(self.recovery_folder, self.recovery_key)
        self._autosaved_index = self.undo_stack.index()

    def close(self) -> None:
        """A clean close: the recovery entry goes (the user saved or chose to discard), and
        the design no longer holds this document (they made a reference cycle)."""
        self._discard_autosave()
        self._interval_timer.stop()
        self._idle_timer.stop()
        self._step_timer.stop()
        self._stop_following()

    def release(self) -> None:
        """Stop following the design (a Document made only to draw it, for an export: the
        design lives on, and its edits are none of this one's business)."""
        self._stop_following()

    def _stop_following(self) -> None:
        if self._following:
            self._following = False
            self.design.unsubscribe(self._on_changes)

    def check_soon(self) -> None:
        """Begin the first check, in steps between the window's events; the window calls this
        after it first paints the design, so badges follow the picture and the window stays
        responsive meanwhile (``checking`` tells how far it is)."""
        if not self.checker.live:  # (not begun yet: it begins once)
            self.checker.start()
            self._step_timer.start()  # (even with nothing to check: the step then finishes)

    def _clean_changed(self, _clean: bool) -> None:
        self.file_state_changed.emit()

    # ------------------------------------------------------------------ editing
    def do(self, intent: Callable[..., Edit | None], *args: Any, **kwargs: Any) -> Edit | None:
        """Work out an intent of :mod:`~hvdesigner.editing.edits` on this design and apply it;
        the edit when it applied, None when it changed nothing or was refused (``refused``
        then says why)."""
        try:
            edit = intent(self.design, *args, **kwargs)
        except ModelError as e:
            self.refused.emit(refusal(self.design, e))
            return None
        return edit if edit is not None and self.apply(edit) else None

    def apply(self, edit: Edit) -> bool:
        """Apply an edit, then record it as an undo step. A refused edit changes nothing:
        no step, no dirty mark, the redo history kept; ``refused`` says why."""
        if not edit.ops:
            return False
        try:
            with self.design.transaction():  # (the canvas hears of the edit and its places once)
                apply_ops(self.design, edit.ops)
                edit = self._placing(edit)
        except ModelError as e:
            self.refused.emit(refusal(self.design, e))
            return False
        command = EditCommand(self.design, edit)
        self.undo_stack.push(command)
        if self.undo_stack.command(self.undo_stack.index() - 1) is not command:
            # Merged into the step before (one more key typed into a field): Qt deleted it, but
            # PySide6 6.11 keeps its Python wrapper for good, which would keep this design, and
            # after another file is opened all of it, alive; the wrapper then holds nothing.
            vars(command).clear()
        return True

    def _placing(self, edit: Edit) -> Edit:
        """The edit just applied, with a place for each card it left without one (a node
        taken out of its cluster), given here in the same step: one layout op from the
        layout before the edit, so that undo puts back exactly that (and saving, when it was
        the layout as opened, writes the file's layout again)."""
        placed = placed_anew(self.design, (op.id for op in edit.ops
                                           if op.id is not None and op.after is not None))
        if placed is None:
            return edit
        before = next((op.before for op in edit.ops if op.attribute == "layout"), self.design.layout)
        self.design.set("layout", placed)
        ops = tuple(op for op in edit.ops if op.attribute != "layout")
        return dataclasses.replace(edit, ops=(*ops, Op(before, placed, attribute="layout")))

    # ------------------------------------------------------------------ checking
    def _on_changes(self, changes: list[Change]) -> None:
        self._pending += changes
        self._check_timer.start()
        self._idle_timer.start()
        self.design_changed.emit(changes)

    def check_now(self) -> FindingsDelta:
        """Bring the findings up to date at once, the first check included (finished here if
        it is running in steps); what changed, as ``findings_changed`` told it."""
        self._check_timer.stop()
        if self._first_check_done:
            return self._check_pending()
        if not self.checker.live:
            self.checker.start()
        self._apply_pending()
        while not self.checker.advance(1.0):
            pass
        return self._first_check_finished()

    def _check_pending(self) -> FindingsDelta:
        """Re-check what the edits since the last check affected (the quiet-period timer
        calls this); while the first check runs in steps, its checker takes the edits and the
        listeners hear of them with the first findings."""
        delta = self._apply_pending()
        if self._first_check_done and (delta.added or delta.removed):
            self.findings_changed.emit(delta)
        return delta

    def _apply_pending(self) -> FindingsDelta:
        pending, self._pending = self._pending, []
        if not pending or not self.checker.live:
            return FindingsDelta([], [])
        return self.checker.apply(pending)

    def _check_step(self) -> None:
        """One step of the first check; the next once the window has handled its events. A
        last step that took a step's time lists the findings on the next turn (both in one
        kept the window waiting 57 ms at 1,000 hosts); a quick one, at once."""
        if self._first_check_done:
            return
        if self.checker.checking:
            began = time.perf_counter()
            if not self.checker.advance(FIRST_CHECK_STEP_S):
                self.checking.emit(self.checker.progress())
                self._step_timer.start()
                return
            if time.perf_counter() - began >= FIRST_CHECK_STEP_S:
                self._step_timer.start()
                return
        self._apply_pending()
        self._first_check_finished()

    def _first_check_finished(self) -> FindingsDelta:
        self._first_check_done = True
        self._step_timer.stop()
        delta = FindingsDelta(self.checker.findings(), [])
        self.checking.emit(1.0)
        self.findings_changed.emit(delta)
        return delta


def keep_original(path: str, version: int) -> str | None:
    """Copy a design file of an older format version to ``NAME.v1.hvd`` beside it (``NAME.v1
    (2).hvd``... when that name is taken: an existing file is never written over); the name
    of the copy, or None when the file is no longer of that version (another program saved
    it since). A copy that could not be written whole is removed, never left half written."""
    base, ext = os.path.splitext(path)
    with open(path, "rb") as f:
        data = f.read()
    if _version_of(data, path) != version:
        return None
    for n in itertools.count(1):
        copy = f"{base}.v{version}{f' ({n})' if n > 1 else ''}{ext or '.hvd'}"
        try:
            out = open(copy, "xb")  # (x: fails rather than replace a file made meanwhile)
        except FileExistsError:
            continue
        try:
            with out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            shutil.copystat(path, copy)  # (the copy keeps the original's dates)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(copy)
            raise
        return copy
    raise AssertionError("unreachable")


def _file_version(path: str) -> int | None:
    """The format version a design file says it is, None when it can't be read."""
    try:
        return _version_of(read_design_bytes(path), path)
    except (DesignFileError, OSError):
        return None


def _version_of(data: bytes, path: str) -> int | None:
    """The format version a design file's bytes say it is (``1.0`` is 1, as the loader reads
    it), None when they can't be read."""
    try:
        doc = parse_json(data, path)
    except DesignFileError:
        return None
    return whole_number(doc.get("version")) if isinstance(doc, dict) else None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # (one of them is gone: the original renamed, say)
        return os.path.abspath(a) == os.path.abspath(b)


def _stamp(path: str) -> tuple[int, int] | None:
    """What tells a file's content changed without reading it: its mtime and size."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):  # (ValueError: a NUL in the name)
        return None
    return (info.st_mtime_ns, info.st_size)
