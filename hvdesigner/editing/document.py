"""The Document: a design being edited, with its undo stack, live checker and file state.

Everything the designer does to a design goes through :meth:`Document.push` as an undoable
:class:`~hvdesigner.editing.commands.EditCommand`. Model change events reach listeners at
once (``design_changed``) so the canvas and inspector follow every edit; the checker runs
after a short quiet period (``CHECK_DELAY_MS``), never inside a paint or mouse move, and
``findings_changed`` tells what it found. Unsaved work is autosaved to a sidecar file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from hvdesigner.editing.commands import EditCommand, Op
from hvdesigner.fileformat import autosave
from hvdesigner.fileformat.loader import load
from hvdesigner.fileformat.writer import DesignSaveError, save
from hvdesigner.model.deletion import plan_deletion
from hvdesigner.model.design import Change, Design
from hvdesigner.rules.engine import Checker, FindingsDelta

CHECK_DELAY_MS = 100
AUTOSAVE_IDLE_MS = 5_000
AUTOSAVE_INTERVAL_MS = 60_000


class Document(QObject):
    design_changed = Signal(object)    # list[Change], as they happen
    findings_changed = Signal(object)  # FindingsDelta, after the checker's quiet period
    file_state_changed = Signal()      # path or dirty flag
    status = Signal(str)               # something worth a line in the status bar

    def __init__(self, design: Design | None = None, path: str | None = None,
                 recovery_folder: str | None = None, as_of: dt.date | None = None) -> None:
        super().__init__()
        self.design = design if design is not None else Design()
        self.path = path
        self.recovery_folder = recovery_folder
        self.undo_stack = QUndoStack(self)
        self.checker = Checker(self.design, as_of)
        self._pending: list[Change] = []
        self._first_check_done = False
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_now)
        self._idle_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_IDLE_MS)
        self._idle_timer.timeout.connect(self.autosave)
        self._interval_timer = QTimer(self, interval=AUTOSAVE_INTERVAL_MS)
        self._interval_timer.timeout.connect(self.autosave)
        self._interval_timer.start()
        self._autosaved_index: int | None = 0
        self._autosave_held = self._autosave_waiting = False
        self._recovered = False
        self.design.subscribe(self._on_changes)
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    # ------------------------------------------------------------------ files
    @classmethod
    def open(cls, path: str, recovery_folder: str | None = None,
             from_sidecar: bool = False) -> Document:
        """Open a design file (or its newer autosave); DesignFileError when it is broken."""
        design = load(autosave.sidecar_path(path) if from_sidecar else path)
        document = cls(design, path, recovery_folder)
        document._recovered = from_sidecar  # recovered work is not on disk yet: unsaved
        return document

    @property
    def dirty(self) -> bool:
        return self._recovered or not self.undo_stack.isClean()

    def save(self, path: str | None = None) -> None:
        """Save (to ``path`` if given: Save As); DesignSaveError leaves the old file intact."""
        target = path or self.path
        if target is None:
            raise ValueError("a new design needs a file name: use Save As")
        old_sidecar = self.sidecar()
        save(self.design, target)
        self.path = target
        self._recovered = False
        self.undo_stack.setClean()
        if old_sidecar:
            autosave.discard_sidecar(old_sidecar)
        self.file_state_changed.emit()

    def sidecar(self) -> str | None:
        if self.path is not None:
            return autosave.sidecar_path(self.path)
        if self.recovery_folder is not None:
            return os.path.join(self.recovery_folder, "untitled.hvd" + autosave.SUFFIX)
        return None

    def hold_autosave(self, held: bool) -> None:
        """While a gesture runs (a drag), autosave waits: writing a large design takes
        tenths of a second, which a drag would feel as a stall."""
        self._autosave_held = held
        if not held and self._autosave_waiting:
            self._autosave_waiting = False
            self._idle_timer.start()

    def autosave(self) -> None:
        """Write unsaved work to the sidecar, if anything changed since the last autosave."""
        if self._autosave_held:
            self._autosave_waiting = True
            return
        sidecar = self.sidecar()
        if sidecar is None or not self.dirty or self._autosaved_index == self.undo_stack.index():
            return
        try:
            autosave.write_sidecar(self.design, sidecar)
        except DesignSaveError as e:  # a full disk, a read-only folder: say so, keep working
            self.status.emit(f"Autosave failed: {e}")
            return
        self._autosaved_index = self.undo_stack.index()

    def close(self) -> None:
        """A clean close: the sidecar goes (the user saved or chose to discard)."""
        sidecar = self.sidecar()
        if sidecar is not None:
            autosave.discard_sidecar(sidecar)
        self._interval_timer.stop()
        self._idle_timer.stop()

    def check_soon(self) -> None:
        """Run the (first) check once control returns to the event loop; the window calls
        this after it first paints the design, so badges follow the picture."""
        if not self._first_check_done:
            QTimer.singleShot(0, self._first_check)

    def _first_check(self) -> None:
        if not self._first_check_done:
            self.check_now()

    def _clean_changed(self, _clean: bool) -> None:
        self.file_state_changed.emit()

    # ------------------------------------------------------------------ editing
    def push(self, text: str, ops: Sequence[Op], merge_key: Hashable | None = None) -> None:
        """Make an undoable edit (nothing happens for an empty edit)."""
        if ops:
            self.undo_stack.push(EditCommand(self.design, text, ops, merge_key))

    @contextmanager
    def undo_stack_macro(self, text: str) -> Iterator[None]:
        """Several edits as one undo step."""
        self.undo_stack.beginMacro(text)
        try:
            yield
        finally:
            self.undo_stack.endMacro()

    def edit(self, id: str, text: str | None = None, merge: bool = False, **fields: Any) -> None:
        """Change fields of one entity or disk; ``merge`` makes repeated edits of the same
        fields one undo step (typing in a field)."""
        owner = self.design.vm_of_disk(id) if self.design.is_disk(id) else id
        before = self.design.get(owner)
        if owner == id:
            after = dataclasses.replace(before, **fields)
        else:
            after = dataclasses.replace(before, disks=tuple(
                dataclasses.replace(d, **fields) if d.id == id else d for d in before.disks))
        if after == before:
            return
        label = text or f"Change {', '.join(sorted(fields))} of {getattr(self.design.get(id), 'name', id) or id}"
        key = ("edit", id, tuple(sorted(fields))) if merge else None
        self.push(label, [Op(before, after, owner)], key)

    def add(self, *entities: Any, text: str | None = None, layout: Any = None) -> None:
        ops = [Op(None, e, e.id) for e in entities]
        if layout is not None:
            ops.append(Op(self.design.layout, layout, attribute="layout"))
        names = ", ".join(getattr(e, "name", "") or e.id for e in entities)
        self.push(text or f"Add {names}", ops)

    def delete(self, ids: Sequence[str], text: str | None = None) -> None:
        """Delete entities or disks with everything that can't exist without them."""
        plan = plan_deletion(self.design, ids)
        ops = [Op(self.design.get(i), None, i) for i in sorted(plan.removed)]
        ops += [Op(self.design.get(i), v, i) for i, v in sorted(plan.replaced.items())]
        if plan.suppressions != self.design.suppressions:
            ops.append(Op(self.design.suppressions, plan.suppressions, attribute="suppressions"))
        layout = self.design.layout
        if isinstance(layout, dict) and plan.removed:
            kept = {k: ({i: v for i, v in items.items() if i not in plan.removed}
                        if isinstance(items, dict) else items) for k, items in layout.items()}
            ops.append(Op(layout, kept, attribute="layout"))
        count = len(plan.removed) + len([i for i in ids if i not in plan.removed])
        self.push(text or f"Delete {count} item{'s' if count != 1 else ''}", ops)

    def set_attribute(self, attribute: str, value: Any, text: str,
                      merge_key: Hashable | None = None) -> None:
        before = getattr(self.design, attribute)
        if before != value:
            self.push(text, [Op(before, value, attribute=attribute)], merge_key)

    # ------------------------------------------------------------------ checking
    def _on_changes(self, changes: list[Change]) -> None:
        self._pending += changes
        self._check_timer.start()
        self._idle_timer.start()
        self.design_changed.emit(changes)

    def check_now(self) -> FindingsDelta:
        """Run the pending check at once (the timer calls this). The first one checks the
        whole design: a window opens and paints first, and badges arrive just after."""
        self._check_timer.stop()
        if not self._first_check_done:
            self._pending = []
            self._first_check_done = True
            delta = FindingsDelta(self.checker.check_all(live=True), [])
            self.findings_changed.emit(delta)
            return delta
        pending, self._pending = self._pending, []
        delta = self.checker.apply(pending) if pending else FindingsDelta([], [])
        if delta.added or delta.removed or any(c.fields & {"suppressions"} for c in pending
                                               if c.id is None):
            self.findings_changed.emit(delta)  # (a suppression changes what is listed)
        return delta
