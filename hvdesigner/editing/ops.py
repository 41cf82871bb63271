"""Value swaps, the unit every edit is made of (Qt-free).

An :class:`Op` carries an entity's value before and after (entities are immutable, so "before"
is simply the old value), or a design attribute's. Applying a list of them is one model
transaction: all of it applies, or none of it does and the model's refusal is raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hvdesigner.model.design import Design


@dataclass(frozen=True)
class Op:
    """One value swap: an entity (``id``; None meaning absent) or a design attribute
    (``attribute`` set, ``id`` None)."""

    before: Any
    after: Any
    id: str | None = None
    attribute: str | None = None

    def inverse(self) -> Op:
        return Op(self.after, self.before, self.id, self.attribute)


def apply_ops(design: Design, ops: Sequence[Op]) -> None:
    """Apply value swaps in one transaction. Removals go first and additions last so that
    references are whole at the end whatever the order of ``ops``; a refusal (ModelError)
    leaves the design as it was."""
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


def inverse(ops: Sequence[Op]) -> list[Op]:
    """The ops that undo ``ops``."""
    return [op.inverse() for op in reversed(ops)]
