"""Findings badges on a DesignScene built from a Document, without the main window: every
drawn subject of a finding wears its badge, and the badges follow every change of the findings,
the placements and the suppressions exactly, whatever the order of edits, undo and redo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from hvdesigner.canvas.scene import DesignScene
from hvdesigner.canvas.theme import Theme
from hvdesigner.editing import edits
from hvdesigner.editing.document import Document
from hvdesigner.fileformat import dumps, loads
from hvdesigner.model.design import Design
from tests.designs import load_dict, rich_design

AS_OF = dt.date(2026, 1, 1)


def scene_of(design: Design) -> DesignScene:
    """A scene on a new Document of the design, as the main window builds it, checked."""
    document = Document(design, as_of=AS_OF)
    scene = DesignScene(document, Theme.from_palette(QGuiApplication.palette()))
    document.check_now()
    return scene


@pytest.fixture
def scene(qapp: QApplication) -> DesignScene:
    return scene_of(load_dict(rich_design()))


def badges(scene: DesignScene) -> dict[str, Any]:
    """What every item shows: its badge, a card's VM row badges, the findings its tooltip
    lists."""
    shown: dict[str, Any] = {i: item.severity for i, item in scene.all_items().items()}
    shown.update({f"{i} rows": dict(item.vm_severity) for i, item in scene.servers.items()})
    shown.update({f"{i} tooltip": [f.key for f in scene.findings_on(i)] for i in scene.all_items()})
    return shown


def rules_on(scene: DesignScene, item_id: str) -> set[str]:
    return {f.rule for f in scene.findings_on(item_id)}


def test_a_finding_badges_its_link_and_both_server_cards(scene: DesignScene) -> None:
    # VER-02 is about r2 and its servers CLA and CLB
    for item_id in ("r2", "cla", "clb"):
        assert "VER-02" in rules_on(scene, item_id)
    assert scene.links["r2"].severity == "warning"
    assert scene.servers["cla"].severity == "warning"
    assert "VER-02" in scene.tooltip_for(scene.servers["clb"])


def test_findings_about_wan_links_and_hosts_badge_them(scene: DesignScene) -> None:
    assert scene.wans["wan2"].severity == "warning" and rules_on(scene, "wan2") == {"SZ-02"}
    assert {"CERT-04", "RS-04"} <= rules_on(scene, "hc1")


def test_a_nodes_finding_badges_its_cluster_card(scene: DesignScene) -> None:
    scene.document.do(edits.set_fields, "na1", certificates=())
    scene.document.check_now()
    assert "na1" not in scene.servers
    assert "CERT-01" in rules_on(scene, "cla") and scene.servers["cla"].severity == "error"


def test_a_vm_or_disk_finding_badges_its_card_and_its_row(scene: DesignScene) -> None:
    # DSK-06 is about the pagefile disk of APP1 (on HV1) and of SQL1 (on cluster CLA)
    assert scene.servers["hv1"].vm_severity == {"app1": "info"}
    assert scene.servers["cla"].vm_severity["sql1"] == "info"
    assert "web1" in scene.servers["cla"].vm_severity and "old1" not in scene.servers["cla"].vm_severity


@pytest.mark.parametrize("check_between", [True, False])
def test_a_vm_moved_and_moved_back_leaves_no_badge_behind(scene: DesignScene,
                                                          check_between: bool) -> None:
    document = scene.document
    document.do(edits.move_vm, "app1", "hv2")
    if check_between:
        document.check_now()
        assert scene.servers["hv2"].vm_severity.get("app1") is not None
        assert scene.servers["hv1"].vm_severity == {}
    document.undo_stack.undo()
    document.check_now()
    assert scene.servers["hv2"].severity is None and scene.servers["hv2"].vm_severity == {}
    assert scene.tooltip_for(scene.servers["hv2"]) == ""
    assert scene.servers["hv1"].vm_severity == {"app1": "info"}
    assert badges(scene) == badges(scene_of(loads(dumps(document.design))))


def test_a_node_leaving_its_cluster_takes_the_findings_of_its_vms_to_its_own_card(
        scene: DesignScene) -> None:
    document = scene.document
    document.do(edits.move_vm, "sql1", "na2")
    document.check_now()
    assert "sql1" in scene.servers["cla"].vm_severity
    document.do(edits.set_fields, "na2", cluster=None)
    assert "sql1" not in scene.servers["cla"].vm_severity  # at once: before the next check
    assert scene.servers["na2"].vm_severity.get("sql1") is not None
    document.check_now()
    assert badges(scene) == badges(scene_of(loads(dumps(document.design))))
    document.undo_stack.undo()
    assert "na2" not in scene.servers and "sql1" in scene.servers["cla"].vm_severity


def test_suppressing_a_finding_takes_its_badges_off_and_undo_puts_them_back(
        scene: DesignScene) -> None:
    document = scene.document
    document.do(edits.suppress, "SZ-02", "wan2", "the link is being upgraded")
    assert scene.wans["wan2"].severity is None and scene.findings_on("wan2") == []
    document.undo_stack.undo()
    assert scene.wans["wan2"].severity == "warning"
    # a suppression naming any subject of a finding matches it, as in the checker
    document.do(edits.suppress, "VER-02", "cla", "upgrade planned")
    assert "VER-02" not in rules_on(scene, "r2") and "VER-02" in rules_on(scene, "r3")
    document.do(edits.unsuppress, "VER-02", "cla")
    assert "VER-02" in rules_on(scene, "r2")


def test_a_tooltip_shows_design_strings_as_text(scene: DesignScene) -> None:
    scene.document.do(edits.set_fields, "wan2", name="<b>VPN</b> <img src='x'>")
    scene.document.check_now()
    tip = scene.tooltip_for(scene.wans["wan2"])
    assert "&lt;b&gt;VPN&lt;/b&gt; &lt;img src=&#x27;x&#x27;&gt;" in tip and "<b>" not in tip


# ---------------------------------------------------------------------- any sequence of edits
VMS = ["app1", "sql1", "web1", "old1"]
SERVERS = ["hv1", "hv2", "cla", "clb", "hc1", "na1", "nb1"]
ITEMS = ["r1", "r2", "r3", "wan2", "fw1", "hv2", "na2", "clb", "old1", "sql1-pf", "cloud"]
actions = st.one_of(
    st.tuples(st.just("move_vm"), st.sampled_from(VMS), st.sampled_from(SERVERS)),
    st.tuples(st.just("cluster"), st.sampled_from(["na1", "na2", "nb1"]),
              st.sampled_from([None, "cla", "clb"])),
    st.tuples(st.just("fields"), st.sampled_from(["r1", "r2", "r3"]), st.sampled_from([
        {"auth": "kerberos"}, {"auth": "certificate"}, {"frequency_s": 30},
        {"recovery_points": 25}, {"compression": False}])),
    st.tuples(st.just("fields"), st.sampled_from(["hv1", "hv2", "na1", "hc1"]), st.sampled_from([
        {"os": "2012"}, {"os": "2025"}, {"certificates": ()}])),
    st.tuples(st.just("fields"), st.sampled_from(["sql1-pf", "app1-pf", "web1-data"]),
              st.sampled_from([{"replicate": True}, {"replicate": False}, {"type": "vhd"}])),
    st.tuples(st.just("tag_domain"), st.sampled_from(["hv2", "cla", "hc1"]),
              st.sampled_from([None, "corp", "emea", "hoster"])),
    st.tuples(st.just("delete"), st.sampled_from(ITEMS), st.none()),
    st.tuples(st.just("draw"), st.sampled_from(SERVERS), st.sampled_from(SERVERS)),
    st.tuples(st.just("suppress"), st.integers(0, 99), st.booleans()),
    st.tuples(st.just("unsuppress"), st.integers(0, 9), st.none()),
    st.tuples(st.sampled_from(["undo", "redo"]), st.none(), st.none()),
)
#: a step is one or two actions, then the check; so some undos come before the check ran
steps = st.lists(st.lists(actions, min_size=1, max_size=2), min_size=1, max_size=8)


def act(document: Document, action: tuple[str, Any, Any]) -> None:
    kind, a, b = action
    design = document.design
    if kind == "move_vm":
        document.do(edits.move_vm, a, b) if a in design.vms and b in design else None
    elif kind == "cluster":
        if a in design.hosts and (b is None or b in design.clusters):
            document.do(edits.set_fields, a, cluster=b, replica_server=None)
    elif kind == "fields":
        if a in design:
            document.do(edits.set_fields, a, **b)
    elif kind == "tag_domain":
        if a in design:
            document.do(edits.tag_domain, a, b)
    elif kind == "delete":
        document.do(edits.delete, [a])
    elif kind == "draw":
        if a in design:
            document.do(edits.draw_replication, a, b)
    elif kind == "suppress":
        findings = document.checker.findings()
        if findings:
            finding = findings[a % len(findings)]
            subject = finding.subjects[-1] if b else finding.subjects[0]
            document.do(edits.suppress, finding.rule, subject, "accepted")
    elif kind == "unsuppress":
        if design.suppressions:
            s = design.suppressions[a % len(design.suppressions)]
            document.do(edits.unsuppress, s.rule, s.subject)
    else:
        getattr(document.undo_stack, kind)()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_badges_equal_a_fresh_check_after_any_edits_undo_and_redo(
        qapp: QApplication, sequence: list[list[tuple[str, Any, Any]]]) -> None:
    live = scene_of(load_dict(rich_design()))
    document = live.document
    for step in sequence:
        for action in step:
            act(document, action)
        document.check_now()
        assert badges(live) == badges(scene_of(loads(dumps(document.design))))


def test_a_large_delta_is_badged_in_steps_in_order_with_edits_made_meanwhile(
        qapp: QApplication, qtbot: Any, monkeypatch: Any) -> None:
    """The first check of a large design is badged a batch per turn of the event loop; the
    deltas of edits made meanwhile wait their turn, and the end equals a fresh scene."""
    from hvdesigner.canvas import badges as badges_module

    monkeypatch.setattr(badges_module, "BADGE_BATCH", 3)
    monkeypatch.setattr(badges_module, "BADGE_STEP_S", 0.0)  # a batch a turn
    live = scene_of(load_dict(rich_design()))
    assert live.badging  # (the rich design has more than 3 findings)
    assert live.link_layer.held  # (painted once, when all is badged)
    document = live.document
    document.do(edits.set_fields, "sql1-pf", replicate=True)  # DSK-04 for DSK-06
    assert not live.link_layer.held and not live.backdrop.held  # an edit shows at once
    document.check_now()
    document.do(edits.set_fields, "r2", frequency_s=30)
    document.check_now()
    assert live.badging
    fresh = scene_of(loads(dumps(document.design)))
    qtbot.waitUntil(lambda: not live.badging and not fresh.badging)
    assert badges(live) == badges(fresh)


def test_a_label_change_of_a_frame_redraws_it_where_a_fresh_scene_would(qapp: QApplication) -> None:
    """A WAN link's bandwidth, a firewall's ports, a site's name: the look changes, nothing
    is laid out again, and every item stands where a scene built anew puts it."""
    live = scene_of(load_dict(rich_design()))
    document = live.document
    design = document.design
    wan = next(iter(design.wan_links))
    firewall = next(iter(design.firewalls))
    site = next(iter(design.sites))
    routed: list[int] = []
    live.apply_layout = lambda *a, **k: routed.append(1)  # type: ignore[method-assign]
    document.do(edits.set_fields, wan, bandwidth_mbps=design.wan_links[wan].bandwidth_mbps * 7)
    document.do(edits.set_fields, firewall, allow_inbound_tcp=(443, 8443))
    document.do(edits.rename, site, "A much longer site name than before")
    assert routed == []
    fresh = scene_of(loads(dumps(design)))
    place = lambda scene: {i: (item.sceneBoundingRect().getRect(), getattr(item, "look", None))  # noqa: E731
                           for i, item in scene.all_items().items()}
    assert place(live) == place(fresh)
