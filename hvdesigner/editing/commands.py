"""Undo steps: every edit the Document applied, as a ``QUndoCommand``.

A step is recorded only after its ops applied (see :meth:`Document.apply`), so its first
``redo`` (Qt calls it on push) does nothing; undo puts the before values back, redo the after
values, each in one model transaction. Steps with the same merge key in a row merge into one
(typing in a field), as in Qt's undo framework example.
"""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtGui import QUndoCommand

from hvdesigner.editing.edits import Edit
from hvdesigner.editing.ops import Op, apply_ops, inverse
from hvdesigner.model.design import Design


def _merge_id(key: Hashable | None) -> int:
    """Qt offers to merge commands whose id() is equal (-1: never); mergeWith then compares
    the keys themselves, so a hash collision can't merge unrelated edits."""
    return -1 if key is None else hash(key) & 0x7FFFFFFF


class EditCommand(QUndoCommand):
    """An applied edit of a design, named for the Edit menu and the History."""

    def __init__(self, design: Design, edit: Edit) -> None:
        super().__init__(edit.label)
        self.design = design
        self.ops = list(edit.ops)
        self.merge_key = edit.merge_key
        self._applied = True  # the Document applied it before recording it

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        apply_ops(self.design, self.ops)

    def undo(self) -> None:
        apply_ops(self.design, inverse(self.ops))

    def id(self) -> int:
        return _merge_id(self.merge_key)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other.merge_key != self.merge_key:
            return False
        firsts = {(op.id, op.attribute): op for op in self.ops}
        for op in other.ops:
            key = (op.id, op.attribute)
            first = firsts.get(key)
            firsts[key] = op if first is None else Op(first.before, op.after, op.id, op.attribute)
        self.ops = list(firsts.values())
        return True
