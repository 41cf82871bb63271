"""The Document without a window: an edit is applied before it is recorded, so a refused edit
leaves no step, no dirty mark and the redo history whole; typing merges into one step, separate
edits don't."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from hvdesigner.editing import edits
from hvdesigner.editing.document import Document
from hvdesigner.fileformat.writer import dumps
from tests.designs import load_dict, rich_design


@pytest.fixture
def document(qapp: QApplication) -> Document:
    return Document(load_dict(rich_design()))


def test_a_refused_edit_records_nothing_and_says_why(document: Document, qtbot: Any) -> None:
    document.do(edits.set_fields, "r2", frequency_s=900)
    document.undo_stack.undo()
    assert document.undo_stack.canRedo()
    before, steps = dumps(document.design), document.undo_stack.count()
    heard: list[str] = []
    document.refused.connect(heard.append)
    # a node's cluster set to a cluster in another site: the model refuses it
    assert document.do(edits.set_fields, "na1", cluster="clb") is None
    assert document.do(edits.set_fields, "na1", cluster="clb") is None  # twice, as in the report
    assert heard and "Not changed: NA1" in heard[0]
    assert dumps(document.design) == before
    assert document.undo_stack.count() == steps and document.undo_stack.canRedo()
    assert not document.dirty
    document.undo_stack.redo()  # the redo history is whole
    assert document.design.replications["r2"].frequency_s == 900


def test_a_refused_intent_says_why(document: Document) -> None:
    heard: list[str] = []
    document.refused.connect(heard.append)
    assert document.do(edits.add_server, "host", (-90_000, -90_000)) is None
    assert heard == ["Drop a host inside a site frame."]
    assert document.undo_stack.count() == 0


def test_typing_in_a_field_is_one_step_and_separate_edits_are_separate(document: Document) -> None:
    for name in ("T", "Ti", "Tie", "Tier"):
        document.do(edits.set_fields, "r2", ("inspector", "r2", ("name", 1)), name=name)
    assert document.undo_stack.count() == 1
    document.do(edits.set_fields, "r2", frequency_s=300)
    document.do(edits.set_fields, "r2", frequency_s=900)
    assert document.undo_stack.count() == 3
    document.undo_stack.undo()
    assert document.design.replications["r2"].frequency_s == 300
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.design.replications["r2"].name == "Tier 1"


def test_undo_and_redo_of_an_applied_edit_restore_the_same_bytes(document: Document) -> None:
    before = dumps(document.design)
    edit = document.do(edits.delete, ["dr"])
    assert edit is not None and edit.label == "Delete site DR"
    after = dumps(document.design)
    document.undo_stack.undo()
    assert dumps(document.design) == before
    document.undo_stack.redo()
    assert dumps(document.design) == after
