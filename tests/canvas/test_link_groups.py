"""The link layer's stroke groups (canvas/linkgroups.py) are kept up to date edit by edit,
link by link: whatever is drawn, deleted, selected, moved or undone, the grouping equals one
built from scratch, and so do the paths stroked."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QApplication

from hvdesigner.canvas.linkgroups import CHUNK, LinkGroups
from hvdesigner.canvas.scene import DesignScene
from hvdesigner.editing import edits
from tests.canvas.test_badges import scene_of
from tests.designs import load_dict, rich_design


def described(groups: dict[Any, Any]) -> dict[Any, Any]:
    """Each group's links and how many elements its paths have, checking that its chunks
    hold its links (none over CHUNK) and that each chunk's path is of its links."""
    for g in groups.values():
        assert [i for c in g.chunks for i in c.links] == list(g.members)
        for c in g.chunks:
            assert 0 < len(c.links) <= CHUNK
            path = QPainterPath()
            for i in c.links:
                path.addPath(i.path)
            assert c.path == path
    return {key: ({i.entity_id for i in g.members}, sum(c.path.elementCount() for c in g.chunks))
            for key, g in groups.items()}


def grouping(scene: DesignScene) -> dict[Any, Any]:
    """(As the layer has them.)"""
    return described(scene.link_layer.groups.groups(scene.links))


def fresh(scene: DesignScene) -> dict[Any, Any]:
    return described(LinkGroups().groups(scene.links))


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


def test_a_link_that_leaves_and_comes_back_makes_its_chunks_paths_again_not_its_group_s(
        qapp: QApplication) -> None:
    """A drag hands a card's links to the live painter and takes them back at the drop:
    their groups' other chunks keep their paths (a dense tile's group is thousands of
    links), and the grouping is still a fresh build's."""
    from bench.generate import generate_design

    scene = scene_of(load_dict(generate_design(1, scale=0.25, hosts=250)))
    layer = scene.link_layer
    groups = layer.groups.groups(scene.links)
    group = max(groups.values(), key=lambda g: len(g.members))
    assert len(group.chunks) > 2
    link = group.chunks[0].links[0]
    chunks = {id(c): (c, c.path) for g in groups.values() for c in g.chunks}
    for live in (True, False):
        link.set_live(live)
        after = layer.groups.groups(scene.links)
        now = [c for g in after.values() for c in g.chunks]
        remade = [c for c in now if id(c) not in chunks or chunks[id(c)][1] is not c.path]
        # (its old chunk, and the last chunk of its group when it comes back)
        assert 1 <= len(remade) <= 2 and len(now) > 2 * len(remade)
        assert grouping(scene) == fresh(scene)
        chunks = {id(c): (c, c.path) for c in now}
    assert any(link in c.links for c in remade)
