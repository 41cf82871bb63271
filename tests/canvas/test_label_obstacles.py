"""The obstacles a link's label keeps clear of (canvas/labels.py) are filed by tiles of cells
as links reach them, not all of a site's pipes at once: what a box covers is what it covers
of all the obstacles of the owners asked, counted once each, as if all were filed."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLineF, QPointF, QRectF

from bench.generate import generate_design
from hvdesigner.canvas.labels import Box, Obstacles, oriented_box, overlap, spots
from hvdesigner.canvas.pipes import WanItem
from hvdesigner.canvas.scene import DesignScene
from tests.canvas.test_badges import scene_of
from tests.designs import load_dict


@pytest.fixture(scope="module")
def scene(qapp: Any) -> DesignScene:
    """Sixteen sites with pipes to one another across the scene: long pipes, many boxes."""
    doc = generate_design(5, sites=16, hosts=48, clusters=2, vms=48, replications=40,
                          firewalls=4)
    sites = [s["id"] for s in doc["sites"]]
    joined = {frozenset(w["sites"]) for w in doc["wan_links"]}
    pairs = [p for p in itertools.combinations(sites, 2) if frozenset(p) not in joined]
    doc["wan_links"] += [{"id": f"mesh-{n}", "name": f"Mesh {n}", "sites": list(pair),
                          "bandwidth_mbps": 100} for n, pair in enumerate(pairs[::4][:30])]
    return scene_of(load_dict(doc))


def every_obstacle(obstacles: Obstacles, owners: set[int]) -> list[tuple[Box, float]]:
    """All the obstacles of these owners, as the filing by tiles never lists them at once."""
    found = []
    for number in owners:
        boxes, pipes = obstacles._sources[number]
        found += boxes
        for pipe in pipes:  # (as they were when the pass first asked)
            found += pipe.boxes
    return found


points = st.tuples(st.floats(0, 1), st.floats(0, 1))


@settings(max_examples=80)
@given(st.data(), points, st.floats(-1, 1), st.floats(20, 300))
def test_what_a_box_covers_is_what_it_covers_of_all_its_owners_obstacles(
        scene: DesignScene, data: st.DataObject, at: tuple[float, float], turn: float,
        length: float) -> None:
    link = data.draw(st.sampled_from(sorted(scene.links)))
    obstacles = Obstacles(scene)
    owners = obstacles.owners(scene._link_ends[link])
    item = scene.links[link]
    candidates = [spot[3] for spot in spots(item.route, item.label_width, item.badge_room())]
    extent = item.extent
    box = oriented_box(extent.left() + at[0] * extent.width(),
                       extent.top() + at[1] * extent.height(), (1 - turn ** 2) ** 0.5, turn,
                       length / 2, 8)
    obstacles.reach(owners, [*candidates, box])
    expected = sum(weight for o, weight in every_obstacle(obstacles, owners) if overlap(box, o))
    assert obstacles.cost(box, owners, float("inf")) == pytest.approx(expected)
    for candidate in candidates:  # (and every spot the label tries, as the pass asks)
        expected = sum(w for o, w in every_obstacle(obstacles, owners) if overlap(candidate, o))
        assert obstacles.cost(candidate, owners, float("inf")) == pytest.approx(expected)


def test_filing_by_tiles_files_part_of_a_long_pipe_s_boxes(scene: DesignScene) -> None:
    """(What the tiles are for: a link's spots reach a few tiles; the pipes of its sites
    cross the design.)"""
    link = max(scene.links, key=lambda r: len(Obstacles(scene).owners(scene._link_ends[r])))
    obstacles = Obstacles(scene)
    owners = obstacles.owners(scene._link_ends[link])
    item = scene.links[link]
    obstacles.reach(owners, [s[3] for s in spots(item.route, item.label_width,
                                                 item.badge_room())])
    filed = {id(o) for entries in obstacles._cells.values() for o, _, _ in entries}
    assert 0 < len(filed) < len(every_obstacle(obstacles, owners))


@settings(max_examples=60)
@given(st.data(), st.floats(-2000, 6000), st.floats(-2000, 6000), st.floats(1, 3000),
       st.floats(1, 3000))
def test_a_pipe_s_obstacles_within_an_area_are_those_of_all_that_meet_it(
        scene: DesignScene, data: st.DataObject, x: float, y: float, w: float,
        h: float) -> None:
    pipe: WanItem = scene.wans[data.draw(st.sampled_from(sorted(scene.wans)))]
    area = QRectF(x, y, w, h)
    left, top, right, bottom = area.getCoords()
    meeting = [(b, weight) for b, weight in pipe.obstacles()
               if b[6] <= right and b[8] >= left and b[7] <= bottom and b[9] >= top]
    assert pipe.obstacles(area) == meeting


def test_labels_asked_for_while_zoomed_out_wait_without_piling_up(qapp: Any) -> None:
    """Zoomed out past legibility a check's badges ask for their links' labels to be placed
    again: they wait for the zoom (whose holding still places those in view), and are not
    kept asked as well, to be gone through one by one at the next edit zoomed in."""
    from tests.designs import rich_design

    scene = scene_of(load_dict(rich_design()))
    layer, placer = scene.link_layer, scene.link_layer.placer
    layer.zooming(0.1)
    assert not layer.legible
    for rep_id in scene.links:
        placer.soon(rep_id)
    qapp.processEvents()
    assert set(scene.links) <= placer.waiting
    assert not placer._asked


def test_a_pass_keeps_a_pipe_s_obstacles_as_they_were_while_the_pipe_moves(
        scene: DesignScene) -> None:
    """(Tiles filed before and after a pipe moved or got a new label, in one pass of many
    slices, would count it twice or not at all.)"""
    pipe = scene.wans[sorted(scene.wans)[0]]
    kept = pipe.obstacle_set()
    before = list(kept.boxes)
    pipe._obstacles = None  # (made afresh: what they are)
    assert pipe.obstacles() == before
    line = QLineF(pipe.line)
    pipe.line = QLineF(line.p1(), line.p2() + QPointF(400, 300))
    pipe._place_label()  # (as moving it does)
    assert pipe.obstacles() != before and kept.boxes == before
    pipe.line = line
    pipe._place_label()
