"""The link layer's stroke groups (canvas/linkgroups.py) are kept up to date edit by edit,
link by link: whatever is drawn, deleted, selected, moved or undone, the grouping equals one
built from scratch, and so do the paths stroked."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from hvdesigner.canvas.linkgroups import LinkGroups
from hvdesigner.canvas.scene import DesignScene
from hvdesigner.editing import edits
from tests.canvas.test_badges import scene_of
from tests.designs import load_dict, rich_design


def grouping(scene: DesignScene) -> dict[Any, Any]:
    """Each group's links and how many elements its path has (as the layer has them)."""
    groups = scene.link_layer.groups.groups(scene.links)
    return {key: ({i.entity_id for i in g.members}, g.path.elementCount())
            for key, g in groups.items()}


def fresh(scene: DesignScene) -> dict[Any, Any]:
    groups = LinkGroups().groups(scene.links)
    return {key: ({i.entity_id for i in g.members}, g.path.elementCount())
            for key, g in groups.items()}


def test_edits_and_undo_leave_the_grouping_of_a_fresh_build(qapp: QApplication) -> None:
    scene = scene_of(load_dict(rich_design()))
    design = scene.design
    start = grouping(scene)
    assert start == fresh(scene) and start
    hosts = sorted(h.id for h in design.hosts.values() if h.cluster is None)
    scene.document.do(edits.draw_replication, hosts[0], hosts[1])
    added = set(design.replications) - {i for ids, _ in start.values() for i in ids}
    assert len(added) == 1
    assert grouping(scene) == fresh(scene) != start
    assert any(added <= ids for ids, _ in grouping(scene).values())
    scene.document.undo_stack.undo()
    assert grouping(scene) == fresh(scene) == start
    victim = sorted(scene.links)[0]
    scene.document.do(edits.delete, [victim])
    assert grouping(scene) == fresh(scene)
    assert all(victim not in ids for ids, _ in grouping(scene).values())
    scene.document.undo_stack.undo()
    assert grouping(scene) == fresh(scene) == start
    scene.links[victim].setSelected(True)  # a selected link is stroked in its own group
    assert grouping(scene) == fresh(scene) != start
    scene.clearSelection()
    card = sorted(scene.servers)[0]
    x, y = scene.servers[card].scenePos().x(), scene.servers[card].scenePos().y()
    scene.document.do(edits.move, {card: (x + 9000, y + 9000)})  # (into another tile)
    assert grouping(scene) == fresh(scene)
    scene.document.undo_stack.undo()
    assert grouping(scene) == fresh(scene) == start
