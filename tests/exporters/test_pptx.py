"""The PowerPoint deck, read back with python-pptx: the topology is native shapes with
connectors glued to them at both ends, tables continue over slides without losing a row, and
a design string stays text."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide

from hvdesigner.exporters.formats import ExportOptions, renderer
from hvdesigner.exporters.pptx import FINDING_ROWS, MATRIX_ROWS, elided, finding_rows, matrix_rows
from hvdesigner.exporters.pptxrecovery import MOST_MISSING, MOST_SERVERS, MOST_STEPS
from hvdesigner.exporters.report import report_date
from hvdesigner.exporters.terminal import plain_text
from hvdesigner.fileformat import load, loads
from hvdesigner.model.derived import endpoint
from hvdesigner.model.design import Design
from hvdesigner.rules.engine import Checker
from tests.designs import SPEC_EXAMPLE, load_dict, rich_design
from tests.exporters.conftest import many_vms_design, recovery_design
from tests.test_examples import ALL_EXAMPLES, EXAMPLES

CHECKOUT = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}  # this hvdesigner
HOSTILE = "<b>Tom & \"Jerry's\"</b> ]]> \x07\u202e{{x}} $(rm -rf) \uffff"


def export(design: Design, **options: Any) -> Deck:
    findings = Checker(design, dt.date(2026, 6, 1)).check_all()
    data = renderer("pptx")(design, findings, ExportOptions(source="x.hvd", **options))
    return Presentation(io.BytesIO(data))


def titled(deck: Deck, title: str) -> list[Slide]:
    return [s for s in deck.slides if _title(s) in (title, f"{title} (continued)")]


def _title(slide: Slide) -> str:
    return next(s.text_frame.text for s in slide.shapes if s.name == "title")


def _table_rows(slides: list[Slide]) -> list[list[str]]:
    rows = []
    for slide in slides:
        table = next(s for s in slide.shapes if s.has_table).table
        texts = [[c.text for c in row.cells] for row in table.rows]
        rows.append(texts[0])  # the header, on every slide
        rows.extend(texts[1:])
    return rows


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_every_example_exports_its_topology_as_glued_shapes(name: str) -> None:
    design = load(EXAMPLES / name)
    deck = export(design)
    overview = titled(deck, "Overview")[0]
    shapes = {s.name: s for s in overview.shapes}
    ids = {s.shape_id for s in overview.shapes}
    assert {f"site:{s}" for s in design.sites} <= set(shapes)
    top_level = set(design.clusters) | {h.id for h in design.hosts.values() if h.cluster is None}
    assert {f"server:{s}" for s in top_level} <= set(shapes)
    for rep_id, rep in design.replications.items():
        link = shapes[f"link:{rep_id}"]
        props = link._element.nvCxnSpPr.cNvCxnSpPr
        begin, end = props.find(qn("a:stCxn")), props.find(qn("a:endCxn"))
        assert begin is not None and end is not None, rep_id
        assert {int(begin.get("id")), int(end.get("id"))} <= ids
        assert int(begin.get("id")) == shapes[f"server:{endpoint(design, rep.source)}"].shape_id
        assert int(end.get("id")) == shapes[f"server:{endpoint(design, rep.target)}"].shape_id
    assert not [s for s in overview.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    # a title slide, the overview, one slide per site, then the tables
    assert [_title(s) for s in deck.slides][2:2 + len(design.sites)] == sorted(
        (s.name for s in design.sites.values()), key=str.casefold)


def test_the_title_slide_names_the_design_the_date_and_the_file() -> None:
    design = load(EXAMPLES / "three-tier-hosting.hvd")
    text = next(iter(export(design).slides)).shapes[0].text_frame.text
    assert design.title in text and report_date().isoformat() in text and "x.hvd" in text
    # counted as the report counts (hosts and clusters, not "servers"), one of a kind as one
    assert "3 sites · 6 hosts · 2 clusters · 4 VMs · 3 replications · 2 WAN links" in text
    two = load(EXAMPLES / "two-sites-certificates.hvd")
    for rep in list(two.replications)[1:]:
        two.remove(rep)
    assert "2 sites · 2 hosts · 0 clusters · 3 VMs · 1 replication · 1 WAN link" in next(
        iter(export(two).slides)).shapes[0].text_frame.text


def test_links_are_styled_as_on_the_canvas() -> None:
    design = load(EXAMPLES / "training.hvd")
    shapes = {s.name: s for s in titled(export(design), "Overview")[0].shapes}
    kerberos_across = [r for r, rep in design.replications.items() if rep.auth == "kerberos"
                       and design.get(rep.source).site != design.get(rep.target).site]
    assert kerberos_across
    for rep_id in kerberos_across:
        line = shapes[f"link:{rep_id}"].line
        assert str(line.color.rgb) == "9D5D00" and line.dash_style == 4  # dash
        assert shapes[f"label:{rep_id}"].text_frame.text.startswith("HTTP 80 · ")
    tiers = load(EXAMPLES / "three-tier-hosting.hvd")
    labels = [s.text_frame.text for s in titled(export(tiers), "Overview")[0].shapes
              if s.name.startswith("label:")]
    assert any(t.startswith("EXT · HTTPS 443 · 15 min · 3 VMs") for t in labels)


def test_long_tables_continue_with_the_header_and_lose_no_row() -> None:
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["vms"] = [{"id": f"vm{i:03}", "name": f"VM{i:03}", "placement": "hv1"} for i in range(40)]
    doc["replications"] = [{"id": "r1", "source": "hv1", "target": "hv2", "auth": "certificate",
                            "vms": [v["id"] for v in doc["vms"]]}]
    design = loads(json.dumps(doc))
    deck = export(design)
    slides = titled(deck, "Replication matrix")
    assert len(slides) == 4  # 40 rows, 12 a slide
    assert [_title(s) for s in slides] == ["Replication matrix"] + ["Replication matrix (continued)"] * 3
    rows = _table_rows(slides)
    headers = [r for r in rows if r[0] == "VM"]
    assert len(headers) == 4 and all(len(r) == 8 for r in rows)
    body = [r for r in rows if r[0] != "VM"]
    assert [r[0] for r in body] == [f"VM{i:03}" for i in range(40)]
    for slide in slides:
        assert len(next(s for s in slide.shapes if s.has_table).table.rows) <= MATRIX_ROWS + 1


def test_every_open_finding_appears_once_with_its_fix() -> None:
    design = load(EXAMPLES / "training.hvd")
    findings = [f for f in Checker(design, dt.date(2026, 6, 1)).check_all() if not f.suppressed]
    slides = titled(export(design), "Open findings")
    assert len(slides) == -(-len(findings) // FINDING_ROWS) > 1
    body = [r for r in _table_rows(slides) if r[0] != "Severity"]
    assert sorted((r[1], r[2], r[3]) for r in body) == sorted((f.rule, f.message, f.fix)
                                                              for f in findings)
    assert not titled(export(design, findings=False), "Open findings")
    for slide in slides:
        assert len(next(s for s in slide.shapes if s.has_table).table.rows) <= FINDING_ROWS + 1


@pytest.mark.parametrize("doc", [{"format": "hvdesigner", "version": 1, "title": ""},
                                 "rich"], ids=["empty", "rich"])
def test_an_empty_and_a_rich_design_export(doc: Any) -> None:
    design = load_dict(rich_design()) if doc == "rich" else loads(json.dumps(doc))
    deck = export(design)
    assert _title(next(iter(deck.slides))).startswith(design.title.strip() or "Untitled design")
    if doc != "rich":
        assert [_title(s) for s in deck.slides][1:] == ["Overview", "Replication matrix",
                                                       "Open findings"]


def test_the_rows_builders_match_the_tables() -> None:
    design = load(EXAMPLES / "three-tier-hosting.hvd")
    from hvdesigner.canvas.looks import link_look

    rows = matrix_rows(design, {r: link_look(design, r) for r in design.replications})
    assert sum(len(r.vms) for r in design.replications.values()) == len(rows)
    extended = [r for r in rows if r[4].text.endswith("(extended)")]
    assert extended and all(r[6].text == "none" for r in extended)
    assert finding_rows([]) == []


def test_long_names_are_cut_in_the_middle_on_cards_only() -> None:
    assert elided("FABRIKAM-NYC-HV11", 20) == "FABRIKAM-NYC-HV11"
    assert elided("FABRIKAM-NEWYORK-PRODUCTION-HV11", 12) == "FABRI…N-HV11"
    assert len(elided("x" * 50, 12)) == 12 and elided("abc", 1) == "a…c"


def test_hostile_names_stay_text() -> None:
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["title"] = HOSTILE
    doc["sites"][0]["name"] = HOSTILE
    doc["hosts"][0]["name"] = HOSTILE
    doc["vms"][0]["name"] = HOSTILE
    design = loads(json.dumps(doc))
    deck = export(design)
    # control and bidi characters show as escapes (as in draw.io), what XML can't hold as U+FFFD
    texts = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    cells = [c.text for slide in deck.slides for s in slide.shapes if s.has_table
             for row in s.table.rows for c in row.cells]
    wanted = '<b>Tom & "Jerry\'s"</b> ]]> \\x07\\u202e{{x}} $(rm -rf) \ufffd'
    assert plain_text(HOSTILE) == wanted
    assert any(wanted in t for t in texts)  # the title, the site's frame, the card
    assert sum(t.count(wanted) for t in texts) >= 3
    assert wanted in cells


def test_the_command_line_writes_a_deck(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    result = subprocess.run([sys.executable, "-m", "hvdesigner", "export",
                             str(EXAMPLES / "three-tier-hosting.hvd"), "--to", "pptx", "-o", str(out)],
                            capture_output=True, text=True, timeout=60, env=CHECKOUT)
    assert result.returncode == 0, result.stderr
    deck = Presentation(str(out))
    assert len(deck.slides) >= 6
    assert not [m for m in result.stdout.splitlines() if m]


def test_a_selection_is_refused_with_the_reason(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "hvdesigner", "export",
                             str(EXAMPLES / "training.hvd"), "--to", "pptx", "-o",
                             str(tmp_path / "deck.pptx"), "--selection", "den"],
                            capture_output=True, text=True, timeout=60, env=CHECKOUT)
    assert result.returncode == 2 and "the deck covers the whole design" in result.stderr
    assert not (tmp_path / "deck.pptx").exists()


# ---------------------------------------------------------------------- recovery
def _shape(slide: Slide, name: str) -> Any:
    return next(s for s in slide.shapes if s.name == name)


def test_a_recovery_slide_per_site_loss_says_what_recovers_where_and_what_is_lost() -> None:
    deck = export(load_dict(recovery_design()))
    titles = [_title(s) for s in deck.slides]
    at = titles.index("If Cloud is lost")
    assert titles[at - 1].startswith("Replication matrix") and titles[at + 3] == "Open findings"
    assert titles[at:at + 3] == ["If Cloud is lost", "If DR is lost", "If HQ is lost"]
    cloud, dr, hq = (deck.slides[i] for i in range(at, at + 3))
    assert _shape(cloud, "summary").text_frame.text == "No VM runs at this site: nothing to recover."
    assert _shape(hq, "summary").text_frame.text == (
        "5 VMs recover · 2 lost or down · 1 server over capacity")
    assert [[c.text for c in row.cells] for row in _shape(hq, "start order").table.rows] == [
        ["Start", "Group", "VM", "Recovers on", "Depends on", "Data loss"],
        ["1", "Group 1", "DC1", "DR1", "–", "≤ 1 min"],
        ["2", "Group 1", "SQL1", "DR1", "DC1 (recovered, start 1)", "≤ 1 min"],
        ["3", "Group 2", "APP1", "DR1", "SQL1 (recovered, start 2)", "≤ 1 min"],
        ["4", "Group 3", "EXT1", "C1", "–", "≤ 40 min"],
        ["5", "No group (last)", "WEB1", "DR1",
         "APP1 (recovered, start 3); DRAPP (running on DR1)", "≤ 1 min"]]
    panel = _shape(hq, "servers").text_frame
    assert [p.text for p in panel.paragraphs] == [
        "Servers taking VMs on, or over capacity", "DR1", "   72 / 48 GB: over · 20 / 16 vCPU (8 cores, 2 per core): over",
        "C1", "   2 / 128 GB · 1 / 64 vCPU (32 cores, 2 per core)", "", "Not recoverable", "LOST1  lost",
        "DOWN1  down"]
    over = [r for r in panel.paragraphs[2].runs if r.text.endswith(": over")]
    assert len(over) == 2 and all(str(r.font.color.rgb) == "C42B1C" and r.font.bold for r in over)
    assert str(panel.paragraphs[4].runs[1].font.color.rgb) != "C42B1C"
    assert [p.text for p in _shape(dr, "servers").text_frame.paragraphs] == [
        "Servers taking VMs on, or over capacity", "None.", "", "Not recoverable", "DRAPP  down"]


def test_a_recovery_slide_with_many_vms_cuts_its_lists_and_says_how_many_more() -> None:
    doc = many_vms_design(40)
    doc["vms"] += [{"id": f"down{i}", "name": f"DOWN{i}", "placement": "hq1"} for i in range(9)]
    # eight more DR servers, each taking one VM: nine servers take VMs on
    doc["hosts"][2]["name"] = "ZDR1"  # (last by name)
    for i in range(8):
        doc["hosts"].append({**doc["hosts"][2], "id": f"drx{i}", "name": f"DRX{i}",
                             "fqdn": f"drx{i}.corp.example.com"})
        doc["replications"].append({"id": f"rx{i}", "source": "hq1", "target": f"drx{i}",
                                    "vms": [f"vm{i:03}"]})
        doc["replications"][0]["vms"].remove(f"vm{i:03}")
    hq = titled(export(load_dict(doc)), "If HQ is lost")[0]
    rows = [[c.text for c in row.cells] for row in _shape(hq, "start order").table.rows]
    assert len(rows) == 1 + MOST_STEPS + 1
    assert [r[0] for r in rows[1:-1]] == [str(i) for i in range(1, MOST_STEPS + 1)]
    assert rows[-1][2] == f"… and {40 - MOST_STEPS} more"
    panel = [p.text for p in _shape(hq, "servers").text_frame.paragraphs]
    servers = panel[1:panel.index("")]
    assert len(servers) == 2 * MOST_SERVERS + 1 and servers[-1] == f"… and {9 - MOST_SERVERS} more"
    assert servers[0] == "ZDR1"  # over capacity (32 vCPUs on 8 cores at 2 per core): first
    assert servers[2:6:2] == ["DRX0", "DRX1"]
    assert panel[-MOST_MISSING - 1:] == [f"DOWN{i}  down" for i in range(MOST_MISSING)] + [
        f"… and {9 - MOST_MISSING} more"]


def test_a_recovery_slide_says_one_vm_in_the_singular() -> None:
    hq = titled(export(load_dict(many_vms_design(1))), "If HQ is lost")[0]
    assert _shape(hq, "summary").text_frame.text == (
        "1 VM recovers · 0 lost or down · 0 servers over capacity")
