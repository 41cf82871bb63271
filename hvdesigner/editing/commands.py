"""Undoable edits: every change the designer makes to a design is one of these commands.

A command carries ids and before/after values (entities are immutable, so "before" is simply
the old value): undo puts the before values back, redo the after values, each in one model
transaction. Commands with the same merge key (typing in one field, nudging one selection)
merge into one undo step, as in Qt's undo framework example.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand

from hvdesigner.model.design import Design


@dataclass(frozen=True)
class Op:
    """One value swap: an entity (``id``, None meaning absent) or a design attribute
    (``attribute`` set, ``id`` None)."""

    before: Any
    after: Any
    id: str | None = None
    attribute: str | None = None

    def inverse(self) -> Op:
        return Op(self.after, self.before, self.id, self.attribute)


def apply_ops(design: Design, ops: Sequence[Op]) -> None:
    """Apply value swaps in one transaction. Removals go first and additions last so that
    references are whole at the end whatever the order of ``ops``."""
    with design.transaction():
        for op in ops:
            if op.attribute is not None:
                design.set(op.attribute, op.after)
            elif op.after is None and op.id is not None:
                design.remove(op.id)
        for op in ops:
            if op.attribute is None and op.after is not None:
                if op.before is None:
                    design.add(op.after)
                else:
                    design.replace(op.after)


def _merge_id(key: Hashable | None) -> int:
    """Qt offers to merge commands whose id() is equal (-1: never); mergeWith then compares
    the keys themselves, so a hash collision can't merge unrelated edits."""
    return -1 if key is None else hash(key) & 0x7FFFFFFF


class EditCommand(QUndoCommand):
    """An undoable edit of a design, described for the Edit menu and the history view."""

    def __init__(self, design: Design, text: str, ops: Sequence[Op],
                 merge_key: Hashable | None = None) -> None:
        super().__init__(text)
        self.design = design
        self.ops = list(ops)
        self.merge_key = merge_key

    def redo(self) -> None:
        apply_ops(self.design, self.ops)

    def undo(self) -> None:
        apply_ops(self.design, [op.inverse() for op in reversed(self.ops)])

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
