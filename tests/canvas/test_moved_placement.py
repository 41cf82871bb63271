"""A move (a drop, an align) places only what the layout's change moved and grows or shrinks
only the frames it moved in (scene.apply_layout with ``moved``): the picture must be the one
a full placement from ``Layout.of`` makes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from hvdesigner.canvas.scene import DesignScene
from hvdesigner.editing import edits
from tests.canvas.test_badges import scene_of
from tests.designs import load_dict, rich_design


def picture(scene: DesignScene) -> dict[str, Any]:
    shown: dict[str, Any] = {f"site {i}": item.sceneBoundingRect().getRect()
                             for i, item in scene.sites.items()}
    shown.update({f"card {i}": item.sceneBoundingRect().getRect()
                  for i, item in scene.servers.items()})
    shown.update({f"link {i}": item.route for i, item in scene.links.items()})
    shown["legend"] = scene.legend.pos().toTuple()
    return shown


def test_moves_and_undo_place_as_a_full_layout_does(qapp: QApplication,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    scene = scene_of(load_dict(rich_design()))
    partial: list[bool] = []  # whether each move could be placed from its change alone
    place_moved = scene._place_moved

    def spy(moved: Any) -> Any:
        placed = place_moved(moved)
        partial.append(placed is not None)
        return placed

    monkeypatch.setattr(scene, "_place_moved", spy)
    card = sorted(scene.servers)[0]
    site = scene.design.get(card).site
    start = scene.servers[card].scenePos()
    steps = [({card: (start.x() + 400, start.y() + 300)}, None),  # the frame grows
             ({card: (start.x() + 20, start.y())}, None),  # and shrinks back
             (None, {site: (scene.sites[site].x() + 200, scene.sites[site].y() - 100)})]
    for servers, sites in steps:
        scene.document.do(edits.move, servers, sites)
        moved = picture(scene)
        scene.apply_layout(reshaped=False)  # the full placement, from Layout.of
        assert picture(scene) == moved
    for _ in steps:
        scene.document.undo_stack.undo()
        undone = picture(scene)
        scene.apply_layout(reshaped=False)
        assert picture(scene) == undone
    assert sum(partial) >= 3  # (the moves did take the partial path)


def test_the_legend_stays_below_the_frames_as_they_move(qapp: QApplication) -> None:
    """Without a place of its own, the legend sits below the lowest frame, at the left of
    the leftmost, however frames move (worked out from the frames a move concerns and the
    last answer, unless the frame that gave it moved)."""
    scene = scene_of(load_dict(rich_design()))
    assert "legend" not in scene.design.layout
    card = sorted(scene.servers)[0]
    site = scene.design.get(card).site
    lowest = max(scene.sites, key=lambda s: scene.sites[s].sceneBoundingRect().bottom())
    other = min(s for s in scene.sites if s != lowest)
    start = scene.servers[card].scenePos()
    steps = [({card: (start.x() + 400, start.y() + 900)}, None),  # its frame grows down
             (None, {other: (scene.sites[other].x() - 700, scene.sites[other].y())}),
             (None, {lowest: (scene.sites[lowest].x(), scene.sites[lowest].y() - 2000)}),
             (None, {site: (scene.sites[site].x() + 50, scene.sites[site].y() + 3000)})]
    for step in [*(lambda s=s: scene.document.do(edits.move, *s) for s in steps),
                 *[scene.document.undo_stack.undo] * len(steps)]:
        step()
        frames = [item.sceneBoundingRect() for item in scene.sites.values()]
        assert scene.legend.pos().toTuple() == (min(r.left() for r in frames),
                                                max(r.bottom() for r in frames) + 60)
