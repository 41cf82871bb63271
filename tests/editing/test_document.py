"""The Document without a window: an edit is applied before it is recorded, so a refused edit
leaves no step, no dirty mark and the redo history whole; typing merges into one step, separate
edits don't."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from hvdesigner.editing import edits
from hvdesigner.editing.document import Document
from hvdesigner.fileformat.writer import dumps
from tests.designs import load_dict, rich_design

AS_OF = dt.date(2026, 6, 1)


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


INTENT_NAMES = ["set_fields", "delete", "move_vm", "tag_domain", "draw_replication", "add_vm",
                "add_node", "suppress", "unsuppress", "undo", "redo"]


def _random_intent(document: Document, data: Any) -> tuple[Any, tuple[Any, ...], dict[str, Any]] | str:
    from hypothesis import strategies as st

    design = document.design
    kind = data.draw(st.sampled_from(INTENT_NAMES))
    if kind in ("undo", "redo"):
        return kind
    servers = sorted([*design.hosts, *design.clusters])
    ids = sorted(design.ids()) or ["nothing"]
    pick = lambda pool: data.draw(st.sampled_from(pool or ["nothing"]))  # noqa: E731
    if kind == "set_fields":
        id = pick(sorted(design.hosts))
        field = data.draw(st.sampled_from(["cluster", "site", "name", "os"]))
        value = {"cluster": pick([None, *sorted(design.clusters)]), "site": pick(sorted(design.sites)),
                 "name": data.draw(st.sampled_from(["", "X", "HV1"])), "os": "2019"}[field]
        return edits.set_fields, (id,), {field: value}
    if kind == "delete":
        return edits.delete, ([pick(ids)],), {}
    if kind == "move_vm":
        return edits.move_vm, (pick(sorted(design.vms)), pick(servers)), {}
    if kind == "tag_domain":
        return edits.tag_domain, (pick(servers), pick([None, *sorted(design.domains)])), {}
    if kind == "draw_replication":
        return edits.draw_replication, (pick(servers), pick(servers)), {}
    if kind == "add_vm":
        return edits.add_vm, (pick(servers),), {}
    if kind == "add_node":
        return edits.add_node, (pick(sorted(design.clusters)),), {}
    if kind == "suppress":
        return edits.suppress, ("FW-01", pick(ids), data.draw(st.sampled_from(["", "GPO"]))), {}
    return edits.unsuppress, ("FW-01", pick(ids)), {}


def test_a_refused_edit_never_leaves_a_step_whatever_came_before(qapp: QApplication) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def run(data: Any) -> None:
        document = Document(load_dict(rich_design()))
        for _ in range(12):
            step = _random_intent(document, data)
            stack = document.undo_stack
            if step == "undo":
                stack.undo()
                continue
            if step == "redo":
                stack.redo()
                continue
            intent, args, kwargs = step
            if any(a == "nothing" for a in args):
                continue
            before, count, index = dumps(document.design), stack.count(), stack.index()
            try:
                edit = document.do(intent, *args, **kwargs)
            except KeyError:
                continue  # an id the intent doesn't take (a disk where a host goes)
            if edit is None:
                assert dumps(document.design) == before
                assert (stack.count(), stack.index()) == (count, index)
            else:
                assert stack.index() == index + 1 and stack.text(stack.index() - 1) == edit.label
                stack.undo()
                assert dumps(document.design) == before
                stack.redo()
        document.deleteLater()

    run()


def test_the_first_check_runs_in_steps_and_takes_edits_made_meanwhile(
        qapp: QApplication, qtbot: Any, monkeypatch: Any) -> None:
    """A large design is checked behind the open window, a step per turn of the event loop;
    an edit made meanwhile is in the findings that arrive, which equal a full check."""
    from bench.generate import generate_design
    from hvdesigner.editing import document as document_module
    from hvdesigner.fileformat.loader import load_document
    from hvdesigner.rules.engine import Checker

    monkeypatch.setattr(document_module, "FIRST_CHECK_STEP_S", 0.0)  # one batch a step
    design = load_document(generate_design(3, scale=0.03))
    document = Document(design, as_of=AS_OF)
    document.set_delays(check_ms=0)
    rep = next(iter(design.replications.values()))
    other = "certificate" if rep.auth == "kerberos" else "kerberos"
    progress: list[float] = []
    heard: list[Any] = []

    def between_steps(done: float) -> None:
        progress.append(done)
        if len(progress) == 1:  # the user edits while the check runs
            assert not heard and 0 < done < 1
            document.do(edits.set_fields, rep.id, auth=other)

    document.checking.connect(between_steps)
    document.findings_changed.connect(heard.append)
    document.check_soon()
    qtbot.waitUntil(lambda: bool(heard), timeout=10_000)
    (delta,) = heard
    assert progress == sorted(progress) and progress[-1] == 1
    assert delta.added == Checker(design, AS_OF).check_all() and not delta.removed
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: len(heard) == 2)
    assert document.checker.findings() == Checker(design, AS_OF).check_all()


def test_an_opened_design_knows_its_referrers_before_the_first_edit(qapp: QApplication) -> None:
    """Loading leaves the index of who refers to what for later (validate never asks); the
    designer makes it as it opens the design, not in the user's first edit nor while the
    window waits for the first check, and it equals one kept up to date from the start."""
    from hvdesigner.fileformat.loader import loads
    from hvdesigner.fileformat.writer import dumps

    built = load_dict(rich_design())
    design = loads(dumps(built).encode(), "rich.hvd")
    assert design._referrers is None
    Document(design, as_of=AS_OF, drawing_only=True)  # (an export's: never edited)
    assert design._referrers is None
    Document(design, as_of=AS_OF)
    assert design._referrers is not None
    assert {id: design.referrers(id) for id in built.ids()} == \
        {id: built.referrers(id) for id in built.ids()}


def test_a_closed_document_is_freed(qapp: QApplication) -> None:
    """Opening another design closes the last one: nothing keeps it (the design held the
    document through its listener)."""
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    document = Document(load_dict(rich_design()))
    document.check_now()
    checker = weakref.ref(document.checker)
    document.close()
    document.deleteLater()
    del document
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert checker() is None


def test_the_first_check_of_an_empty_design_finishes_and_later_edits_are_heard(
        qapp: QApplication, qtbot: Any) -> None:
    from hvdesigner.rules.engine import Checker

    document = Document()
    heard: list[Any] = []
    document.findings_changed.connect(heard.append)
    document.check_soon()
    qtbot.waitUntil(lambda: bool(heard))
    assert heard[0].added == [] and not document.checker.checking
    document.set_delays(check_ms=0)
    for x in (0, 2000):  # two sites, a host in each, a replication across: findings
        document.do(edits.add_site, (x, 0))
        document.do(edits.add_server, "host", (x, 0))
    source, target = document.design.hosts
    document.do(edits.draw_replication, source, target)
    qtbot.waitUntil(lambda: len(heard) > 1)
    assert document.checker.findings() == Checker(document.design).check_all()
    assert {f.key for d in heard for f in d.added} >= {f.key for f in document.checker.findings()}
