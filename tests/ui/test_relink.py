"""Drawing or deleting a link re-routes the links between its two cards alone
(``DesignScene._relink``): they bend apart as a full re-route would bend them, and the other
links of the two cards keep their routes and labels."""

from __future__ import annotations

from typing import Any

from PySide6.QtTest import QTest

from hvdesigner.canvas.links import ReplicationItem
from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import open_example


def looks(scene: Any) -> dict[str, tuple[Any, Any]]:
    return {rep_id: (link.route, link.label_area) for rep_id, link in scene.links.items()}


def test_a_link_drawn_or_deleted_re_routes_the_links_between_its_cards_alone(
        window: MainWindow, example: Any, monkeypatch: Any) -> None:
    open_example(window, example, "training.hvd")
    routed: list[str] = []
    set_geometry = ReplicationItem.set_geometry

    def recording(link: ReplicationItem, *args: Any) -> None:
        routed.append(link.entity_id)
        set_geometry(link, *args)

    monkeypatch.setattr(ReplicationItem, "set_geometry", recording)
    scene, document = window.scene, window.document
    assert scene is not None and document is not None
    design = scene.design
    hosts = sorted(h.id for h in design.hosts.values() if h.cluster is None)
    source = max(hosts, key=lambda h: len(design.replications_at(h)))
    target = next(h for h in hosts if h != source)
    assert len(design.replications_at(source)) >= 2
    drawn: list[str] = []
    steps = [lambda: drawn.append(document.do(edits.draw_replication, source, target).select[0]),
             lambda: drawn.append(document.do(edits.draw_replication, source, target).select[0]),
             lambda: document.do(edits.delete, [drawn[0]]),
             document.undo_stack.undo]
    for step in steps:
        before = looks(scene)
        routed.clear()
        step()
        QTest.qWait(10)
        after = looks(scene)
        between = {r for r in scene.links if set(scene._link_ends[r]) == {source, target}}
        assert between and all(after[r] == before[r] for r in after.keys() - between)
        assert set(routed) <= between
        routes = {r: after[r][0] for r in between}
        scene.update_geometry()  # every link routed afresh: the same bends
        assert {r: scene.links[r].route for r in between} == routes
