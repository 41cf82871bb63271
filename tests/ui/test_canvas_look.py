"""How the canvas looks on the bundled examples: text that fits its box, labels clear of each
other and of frame edges, WAN pipes that start at their frames, upright badges, and the hint
an empty canvas shows. Geometry where it is geometry, pixels where only pixels tell."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtTest import QTest

from hvdesigner.canvas import theme as t
from hvdesigner.canvas.glyphs import glyph_colour
from hvdesigner.canvas.items import FRAME_RADIUS, VM_BADGE_ROOM
from hvdesigner.canvas.labels import box_corners, overlap, spot
from hvdesigner.canvas.looks import FirewallLook
from hvdesigner.canvas.pipes import PIPE_HALF
from hvdesigner.canvas.theme import SEVERITY_DARK, SEVERITY_LIGHT
from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import HeldDrag, drop_from_palette, open_example, pixels_like, rules

EXAMPLES = ["cluster-to-cluster-csv.hvd", "three-tier-hosting.hvd", "training.hvd",
            "two-sites-certificates.hvd"]


def settle(window: MainWindow) -> None:
    """Let labels settle as for a user: the zoom held still (what the labels' timer does),
    and labels that changed size looked for a better spot (on the next turn)."""
    window.scene.link_layer.show_labels()
    QTest.qWait(10)


def open_legible(window: MainWindow, example: Any, name: str) -> None:
    """Open an example in a window large enough that it fits at a legible zoom (labels are
    drawn, and so placed, from 40 %)."""
    window.resize(1800, 1000)
    open_example(window, example, name)
    assert window.view.zoom() >= t.LOD_SIMPLE


def open_checked(window: MainWindow, example: Any, name: str) -> Any:
    """Open an example (legibly), check it (badges on), let the labels settle; the scene."""
    open_legible(window, example, name)
    rules(window)
    settle(window)
    return window.scene


def test_a_firewall_label_says_what_it_lets_in() -> None:
    assert FirewallLook("FW1", ()).label == "FW1 · Inbound: none"
    assert FirewallLook("FW1", (443,)).label == "FW1 · Inbound: 443"
    assert FirewallLook("FW1", (443, 80)).label == "FW1 · Inbound: 443, 80"


def test_badge_glyphs_contrast_with_their_badge_in_both_themes() -> None:
    for severity, colour in {**SEVERITY_LIGHT, **{f"dark {k}": v for k, v in SEVERITY_DARK.items()}}.items():
        fill, glyph = QColor(colour), glyph_colour(QColor(colour))
        assert abs(fill.lightnessF() - glyph.lightnessF()) > 0.35, severity


@pytest.mark.parametrize("name", ["three-tier-hosting.hvd", "cluster-to-cluster-csv.hvd"])
def test_node_chips_keep_the_os_whole_and_cut_the_name_to_fit(window: MainWindow, example: Any,
                                                              name: str) -> None:
    open_example(window, example, name)
    scene, design = window.scene, window.document.design
    cluster = next(iter(design.clusters))
    node = sorted(design.nodes_of(cluster), key=lambda n: design.hosts[n].name)[0]
    window.document.do(edits.set_fields, node, name="NWH-HYPERV-NODE-WITH-A-LONG-NAME-11")
    metrics = t.detail_metrics()
    checked = 0
    for card in scene.servers.values():
        for i, node_look in enumerate(card.look.nodes):
            chip = card.node_chip_rect(i)
            (name_box, text), (os_box, os) = card.node_chip_texts(i)
            assert os == node_look.os  # the OS is never cut
            assert chip.contains(os_box) and chip.contains(name_box)
            assert name_box.right() < os_box.left()
            assert metrics.horizontalAdvance(text) <= name_box.width() + 0.5, text
            assert metrics.horizontalAdvance(os) <= os_box.width() + 0.5
            if node_look.name.startswith("NWH-HYPERV"):
                assert "…" in text and text.endswith("11")  # cut in the middle: the end tells
            checked += 1
    assert checked >= 3


def test_vm_rows_are_cut_before_their_badge(window: MainWindow, example: Any) -> None:
    open_example(window, example, "training.hvd")
    rules(window)
    scene, design = window.scene, window.document.design
    card = next(c for c in scene.servers.values() if c.vm_severity)
    vm = next(v for v in card.look.vms if v.id in card.vm_severity)
    window.document.do(edits.set_fields, vm.id, name="A-VERY-LONG-VM-NAME-FOR-THE-PAYROLL-DATABASE-01")
    rules(window)
    card = scene.servers[card.entity_id]
    card.set_expanded(True)
    metrics = t.detail_metrics()
    for i, look in enumerate(card.look.vms):
        row = card.vm_row_rect(i)
        end = row.right() - (VM_BADGE_ROOM if look.id in card.vm_severity else 0)
        texts = card.vm_row_texts(i)
        for box, text in texts:
            assert box.right() <= end + 0.5 and box.left() >= row.left()
            assert metrics.horizontalAdvance(text) <= box.width() + 0.5, text
        if look.id == vm.id:
            assert "…" in texts[0][1] and texts[0][1].endswith("01")
            assert texts[1][1].startswith(str(look.disks))  # the disk count still shows
    assert design.vms[vm.id].name.startswith("A-VERY-LONG")


def _frames(scene: Any) -> list[QRectF]:
    return [s.scene_frame() for s in scene.sites.values()]


def _crosses(corners: list[tuple[float, float]], frame: QRectF) -> bool:
    """Whether a box lies partly inside and partly outside a frame, or on its title bar."""
    body = frame.adjusted(0, t.TITLE_H, 0, 0)
    inside = [body.contains(QPointF(x, y)) for x, y in corners]
    outside = [not frame.contains(QPointF(x, y)) for x, y in corners]
    return not (all(inside) or all(outside))


@pytest.mark.parametrize("name", EXAMPLES)
def test_link_labels_never_cover_each_other(window: MainWindow, example: Any, name: str) -> None:
    links = list(open_checked(window, example, name).links.values())
    for a, b in itertools.combinations(links, 2):
        assert not overlap(a.label_box_scene, b.label_box_scene), (a.label_text, b.label_text)


def test_the_labels_of_parallel_links_stack_apart_between_the_frames(window: MainWindow,
                                                                     example: Any) -> None:
    scene = open_checked(window, example, "cluster-to-cluster-csv.hvd")
    pairs = [p for p in scene._pair_links.values() if len(p) > 1]
    assert pairs and max(len(p) for p in pairs) >= 4
    for pair in pairs:
        boxes = [scene.links[r].label_area for r in pair]
        for a, b in itertools.combinations(boxes, 2):
            assert not a.intersects(b)
    for link in scene.links.values():  # there is room for each between the frames
        corners = box_corners(link.label_box_scene)
        for frame in _frames(scene):
            assert not _crosses(corners, frame), link.label_text
        for fw in scene.firewalls.values():
            assert not _crosses(corners, fw.rect), link.label_text


def test_a_label_steps_aside_from_a_wan_pipe_and_its_label(window: MainWindow,
                                                           example: Any) -> None:
    scene = open_checked(window, example, "cluster-to-cluster-csv.hvd")
    for wan in scene.wans.values():
        for link in scene.links.values():
            for obstacle, _ in wan.obstacles():
                assert not overlap(link.label_box_scene, obstacle), link.label_text


def _outside_by(frame: QRectF, point: QPointF) -> float:
    """Distance from a point to a site frame's rounded outline (negative inside)."""
    r = FRAME_RADIUS
    qx = abs(point.x() - frame.center().x()) - frame.width() / 2 + r
    qy = abs(point.y() - frame.center().y()) - frame.height() / 2 + r
    return math.hypot(max(qx, 0), max(qy, 0)) + min(max(qx, qy), 0) - r


def _assert_pipes_start_at_their_frames(window: MainWindow) -> None:
    design, scene = window.document.design, window.scene
    assert scene.wans
    for wan_id, pipe in scene.wans.items():
        frames = [scene.sites[s].scene_frame() for s in design.wan_links[wan_id].sites]
        for end, frame in zip((pipe.line.p1(), pipe.line.p2()), frames, strict=True):
            assert PIPE_HALF <= _outside_by(frame, end) <= PIPE_HALF + 3, (wan_id, end)


@pytest.mark.parametrize("name", EXAMPLES)
def test_wan_pipes_start_at_the_frame_edge(window: MainWindow, example: Any, name: str) -> None:
    open_example(window, example, name)
    _assert_pipes_start_at_their_frames(window)


def test_a_wan_pipe_between_frames_placed_corner_to_corner_starts_outside_the_corners(
        window: MainWindow, example: Any) -> None:
    """A frame below and beside the other: the pipe leaves through a corner."""
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene = window.document.design, window.scene
    wan = next(iter(design.wan_links.values()))
    a, b = (scene.sites[s].scene_frame() for s in wan.sites)
    window.document.do(edits.move, sites={wan.sites[1]: (a.right() + 40, a.bottom() + 60)})
    _assert_pipes_start_at_their_frames(window)
    pipe = scene.wans[wan.id]
    box = pipe.label_box.adjusted(-1, -1, 1, 1)
    line = pipe.line
    for i in range(101):  # the pipe runs clear of its label
        p = line.pointAt(i / 100)
        assert not box.adjusted(-PIPE_HALF, -PIPE_HALF, PIPE_HALF, PIPE_HALF).contains(p)


def _render(scene: Any, area: QRectF, scale: float) -> QImage:
    image = QImage(int(area.width() * scale), int(area.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(image.rect()), area)
    painter.end()
    return image


def test_the_badge_on_a_vertical_link_stays_upright(window: MainWindow, example: Any) -> None:
    """Its "!" must read as "!", not as a "-" turned with the link."""
    open_example(window, example, "two-sites-certificates.hvd")
    design, scene, document = window.document.design, window.scene, window.document
    source = next(iter(design.hosts.values()))
    site = scene.sites[source.site].scene_frame()
    before = set(design.hosts)
    spot = QPointF(site.left() + 90, site.bottom() - 40)
    window.view.centerOn(spot)
    drop_from_palette(window.view, "host", spot)
    (new,) = set(design.hosts) - before
    x, y = scene.servers[source.id].scenePos().x(), scene.servers[source.id].scenePos().y()
    document.do(edits.move, servers={new: (x, y + 260)})
    rep = document.do(edits.draw_replication, source.id, new).select[0]
    rules(window)
    settle(window)
    link = scene.links[rep]
    assert link.severity == "error" and abs(abs(link.angle) - 90) < 1
    centre = link.badge_centre()
    scale = 8
    image = _render(scene, QRectF(centre.x() - 8, centre.y() - 8, 16, 16), scale)
    glyph = [(x, y) for x in range(image.width()) for y in range(image.height())
             if image.pixelColor(x, y).lightness() > 230
             and math.hypot(x - 8 * scale, y - 8 * scale) < 6 * scale]  # (inside the ring)
    xs, ys = [p[0] for p in glyph], [p[1] for p in glyph]
    assert glyph and (max(ys) - min(ys)) > 2 * (max(xs) - min(xs))  # tall and thin: "!"


def _hint_pixels(view: Any) -> int:
    """Pixels in the hint's rectangle, as the window shows it, in about the hint's colour."""
    QTest.qWait(40)
    image = view.viewport().grab(view.hint_rect().toAlignedRect()).toImage()
    colour = view.hint_colour()
    return sum(1 for x in range(image.width()) for y in range(image.height())
               if sum(abs(a - b) for a, b in zip(image.pixelColor(x, y).getRgb()[:3],
                                                 colour.getRgb()[:3], strict=True)) < 40)


def test_an_empty_canvas_says_how_to_start_until_there_is_a_site(window: MainWindow) -> None:
    view, scene = window.view, window.scene
    assert not scene.sites
    view.viewport().update()
    assert _hint_pixels(view) > 100
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 37)
    assert _hint_pixels(view) > 100  # (scrolled along with the view, it would smear)
    drop_from_palette(view, "site", view.mapToScene(view.viewport().rect().center()))
    (site,) = scene.sites.values()
    view.centerOn(site.scene_frame().center() + QPointF(3000, 0))  # (the hint's place, empty)
    assert not scene.items(view.mapToScene(view.viewport().rect()))
    assert _hint_pixels(view) == 0


def test_the_start_hint_is_not_part_of_the_design_picture(window: MainWindow) -> None:
    """Images of the design are the scene's: the view's hint is not in them."""
    image = _render(window.scene, QRectF(-200, -200, 400, 400), 1)
    assert all(image.pixelColor(x, y) == QColor("#FFFFFF")
               for x in range(0, 400, 4) for y in range(0, 400, 4))


def _first_choice(link: Any) -> tuple[float, float]:
    x, y, _, _ = spot(link.route, 0.5, True, link.label_width, link.badge_room())
    return x, y


def test_labels_find_their_spots_once_the_zoom_holds_still_where_they_are_seen(
        window: MainWindow, example: Any) -> None:
    """Placing labels is the costly part of routing: zoomed out past legibility they wait
    (at their first choice), and are placed once the view holds still on them."""
    scene = open_checked(window, example, "training.hvd")
    view, design = window.view, window.document.design
    link = scene.links[next(r.id for r in design.replications.values() if r.name.startswith("Web"))]
    placer = scene.link_layer.placer
    assert not placer.waiting
    view.set_zoom(0.2)
    source = scene.servers[scene._link_ends[link.entity_id][0]]
    window.document.do(edits.nudge, [source.entity_id], 0, 20)
    assert link.entity_id in placer.waiting and link.label_pos == _first_choice(link)
    view.set_zoom(1.0)
    view.centerOn(link.label_area.center())
    settle(window)
    assert link.entity_id not in placer.waiting
    for a, b in itertools.combinations(scene.links.values(), 2):
        if view.mapToScene(view.viewport().rect()).boundingRect().intersects(a.extent):
            assert not overlap(a.label_box_scene, b.label_box_scene)


def test_a_dragged_links_label_rides_at_its_middle_and_is_placed_on_the_drop(
        window: MainWindow, example: Any, qtbot: Any) -> None:
    open_legible(window, example, "training.hvd")
    settle(window)
    scene, view = window.scene, window.view
    placer = scene.link_layer.placer
    moved = [link for link in scene.links.values() if link.label_pos != _first_choice(link)]
    assert moved  # (the training design's labels crowd: some are not at their first choice)
    link = moved[0]
    card = scene.servers[scene._link_ends[link.entity_id][1]]
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    held.move_by(0, 10)
    held.move_by(0, 20)
    assert link.live and link.label_pos == _first_choice(link)  # (a drag frame places nothing)
    held.release()  # (its links go back to the layer once the drop is painted, then placed)
    qtbot.waitUntil(lambda: not link.live and link.entity_id not in placer.waiting,
                    timeout=2_000)
    others = [o for o in scene.links.values() if o is not link]
    assert not any(overlap(link.label_box_scene, o.label_box_scene) for o in others)


def test_many_labels_are_placed_a_slice_at_a_turn_and_repainted_once(
        window: MainWindow, example: Any, monkeypatch: Any) -> None:
    from hvdesigner.canvas.labels import LabelPlacer
    monkeypatch.setattr(LabelPlacer, "BATCH", 1)  # (the training design has few labels:
    monkeypatch.setattr(LabelPlacer, "SLICE_S", 0.0)  # make each slice one of them)
    open_legible(window, example, "training.hvd")
    scene, view, design = window.scene, window.view, window.document.design
    placer, layer = scene.link_layer.placer, scene.link_layer
    view.set_zoom(0.2)
    window.document.do(edits.nudge, list(design.hosts), 0, 10)  # (every link re-routed)
    assert set(scene.links) <= placer.waiting
    view.fit_content()
    layer.show_labels()
    assert placer.placing and placer.quiet  # placing goes on; the picture waits for it
    for _ in range(50):
        if not placer.placing:
            break
        QTest.qWait(5)
    assert not placer.placing and not placer.waiting and not placer.quiet
    for a, b in itertools.combinations(scene.links.values(), 2):
        assert not overlap(a.label_box_scene, b.label_box_scene)
    moved = next(link for link in scene.links.values() if link.label_pos != _first_choice(link))
    text = QPointF(*moved.label_pos)
    assert pixels_like(view, text, scene.theme.severity["warning"] if moved.look.unencrypted_across_sites
                       else scene.theme.text, radius=6, tolerance=300) > 0  # drawn where it went


def test_labels_off_screen_wait_until_a_pan_brings_them_in_and_holds_still(
        window: MainWindow, example: Any) -> None:
    from hvdesigner.canvas.labels import LabelPlacer
    from hvdesigner.canvas.link_layer import LinkLayer
    scene = open_checked(window, example, "training.hvd")
    view, design, placer = window.view, window.document.design, scene.link_layer.placer
    view.set_zoom(1.0)
    seattle = next(s for s in scene.sites.values() if s.look.name.startswith("Seattle"))
    view.centerOn(seattle.scene_frame().center() - QPointF(600, 0))  # (Portland far off)
    QTest.qWait(LinkLayer.LABELS_AFTER_MS + 50)  # (the zoom held still: that is done)
    window.document.do(edits.nudge, list(design.hosts), 0, 10)  # (every link re-routed)
    rules(window)
    far = next(link for link in scene.links.values()
               if link.extent.left() > view.mapToScene(view.viewport().rect()).boundingRect().right() + 400)
    assert far.entity_id in placer.waiting and far.label_pos == _first_choice(far)
    bar = view.horizontalScrollBar()
    for _ in range(8):  # a pan, a step at a time, over to it
        bar.setValue(bar.value() + 200)
        if view.mapToScene(view.viewport().rect()).boundingRect().contains(far.label_area):
            break
    assert far.entity_id in placer.waiting  # (not while the pan goes on)
    QTest.qWait(LabelPlacer.SETTLE_MS + 60)
    assert far.entity_id not in placer.waiting



def test_labels_a_pan_brought_in_during_a_drag_are_placed_once_the_drop_holds_still(
        window: MainWindow, example: Any, monkeypatch: Any) -> None:
    """A pan that ends as a drag begins: the labels it brought into view wait while the
    drag's links move (placing them then would wait for the drop anyway), and are placed
    once the view holds still after it."""
    from hvdesigner.canvas.labels import LabelPlacer
    from hvdesigner.canvas.link_layer import LinkLayer
    during_drag: list[bool] = []  # (each time the pan's timer asked: while links moved?)
    settle = LabelPlacer.settle

    def recorded(placer: LabelPlacer) -> None:
        during_drag.append(bool(window.scene.live_links.links))
        settle(placer)

    monkeypatch.setattr(LabelPlacer, "settle", recorded)
    scene = open_checked(window, example, "training.hvd")
    view, design, placer = window.view, window.document.design, scene.link_layer.placer
    view.set_zoom(1.0)
    seattle = next(s for s in scene.sites.values() if s.look.name.startswith("Seattle"))
    view.centerOn(seattle.scene_frame().center() - QPointF(600, 0))  # (Portland far off)
    QTest.qWait(LinkLayer.LABELS_AFTER_MS + 50)
    window.document.do(edits.nudge, list(design.hosts), 0, 10)  # (every link re-routed)
    rules(window)
    far = next(link for link in scene.links.values()
               if link.extent.left() > view.mapToScene(view.viewport().rect()).boundingRect().right() + 400)
    assert far.entity_id in placer.waiting
    bar = view.horizontalScrollBar()
    for _ in range(8):  # a pan, a step at a time, over to it
        bar.setValue(bar.value() + 200)
        if view.mapToScene(view.viewport().rect()).boundingRect().contains(far.label_area):
            break
    card = next(c for c in scene.servers.values()
                if c.entity_id not in scene._link_ends[far.entity_id]
                and view.mapToScene(view.viewport().rect()).boundingRect().contains(
                    c.mapToScene(c.card_rect().center())))
    during_drag.clear()
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    held.move_by(0, 10)
    assert scene.live_links.links
    for _ in range(40):  # (the pan's timer comes while the drag moves)
        QTest.qWait(LabelPlacer.SETTLE_MS // 5)
        if any(during_drag):
            break
    assert any(during_drag)
    held.move_by(0, 20)
    assert far.entity_id in placer.waiting  # (not while the drag goes on)
    held.release()
    QTest.qWait(LabelPlacer.SETTLE_MS + 120)
    assert far.entity_id not in placer.waiting and not placer.placing


def test_a_drag_while_labels_are_being_placed_leaves_no_trace(window: MainWindow, example: Any,
                                                            monkeypatch: Any) -> None:
    """Slices of labels pause for the drag; the picture still shows each link where it is."""
    from hvdesigner.canvas.labels import LabelPlacer
    monkeypatch.setattr(LabelPlacer, "BATCH", 1)
    monkeypatch.setattr(LabelPlacer, "SLICE_S", 0.0)
    open_example(window, example, "two-sites-certificates.hvd")
    scene, view, design = window.scene, window.view, window.document.design
    placer = scene.link_layer.placer
    rep = next(r for r in design.replications.values()
               if design.get(r.source).site != design.get(r.target).site)
    link, card = scene.links[rep.id], scene.servers[rep.source]
    view.set_zoom(1.0)
    view.centerOn(card.sceneBoundingRect().center() + QPointF(0, 125))
    scene.legend.setPos(-5000, -5000)
    window.document.do(edits.nudge, list(design.hosts), 0, 10)
    text, aa = scene.theme.text, 300
    was = link.path.pointAtPercent(0.2)  # (where a picture left behind would still show it)
    assert pixels_like(view, was, text, radius=5, tolerance=aa) > 0
    scene.link_layer.show_labels()
    assert placer.placing  # (and no turn of the event loop before the drag begins)
    held = HeldDrag(view, card.mapToScene(QPointF(40, 10)))
    held.move_by(0, 10)
    held.move_by(0, 250)
    QTest.qWait(20)
    assert placer.placing  # (paused for the drag)
    assert pixels_like(view, link.path.pointAtPercent(0.05), text, radius=6, tolerance=aa) > 0
    assert pixels_like(view, was, text, radius=5, tolerance=aa) == 0
    held.release()
    for _ in range(50):
        if not placer.placing:
            break
        QTest.qWait(5)
    assert not placer.placing and not placer.quiet
    view.viewport().update()
    assert pixels_like(view, link.path.pointAtPercent(0.05), text, radius=6, tolerance=aa) > 0
    assert pixels_like(view, was, text, radius=5, tolerance=aa) == 0




def test_a_placing_pass_files_a_card_moved_in_its_middle_where_it_is_now(
        window: MainWindow, example: Any, monkeypatch: Any) -> None:
    """A placing pass files what labels keep clear of once, for its slices; a card moved in
    the middle of the pass (a drag's frames, its drop) is filed where it is now for the
    slices after it, not where it was when the pass began."""
    from hvdesigner.canvas import labels
    monkeypatch.setattr(labels.LabelPlacer, "BATCH", 1)  # (a slice places one label)
    monkeypatch.setattr(labels.LabelPlacer, "SLICE_S", 0.0)
    used: list[labels.Obstacles] = []
    place_labels = labels.place_labels

    def recorded(scene: Any, rep_ids: Any, until: float = math.inf,
                 obstacles: labels.Obstacles | None = None) -> list[str]:
        if obstacles is not None:
            used.append(obstacles)
        return place_labels(scene, rep_ids, until, obstacles)

    monkeypatch.setattr(labels, "place_labels", recorded)
    open_legible(window, example, "training.hvd")
    scene, document, design = window.scene, window.document, window.document.design
    placer = scene.link_layer.placer
    document.do(edits.nudge, list(design.hosts), 0, 10)  # (every link re-routed)
    scene.link_layer.show_labels()
    QTest.qWait(0)  # (a first slice: the pass has filed what is where)
    assert placer.placing and used
    site = min(design.sites, key=lambda s: (-len(design.servers_in_site(s)), s))
    card = next(c for c in scene.servers.values() if c.parentItem() is scene.sites[site])
    was = card.mapRectToScene(card.card_rect())
    document.do(edits.move, {card.entity_id: (was.x() + 200, was.y() + 60)})
    now = card.mapRectToScene(card.card_rect())
    assert now != was and card.parentItem() is scene.sites[site]
    before = len(used)
    for _ in range(100):
        if not placer.placing:
            break
        QTest.qWait(5)
    assert not placer.placing and len(used) > before

    def filed(obstacles: labels.Obstacles, rect: QRectF) -> bool:
        number = obstacles.owners((card.entity_id,))  # (its site's, among others)
        box = labels.rect_box(rect.x() - 2, rect.y() - 2, rect.width() + 4, rect.height() + 4)
        return any(box in [b for b, _ in obstacles._sources[n][0]] for n in number)

    assert filed(used[0], was)
    assert all(filed(o, now) and not filed(o, was) for o in used[before:])
