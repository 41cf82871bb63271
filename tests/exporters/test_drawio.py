"""The draw.io deliverable: a well-formed mxGraph file whose containers, parents and glued
edges keep the picture whole when it is edited, and whose design strings stay text."""

from __future__ import annotations

import datetime as dt
import html
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from hvdesigner.editing.layout import Layout
from hvdesigner.exporters.drawio import render
from hvdesigner.exporters.formats import ExportOptions, ExportRefused
from hvdesigner.fileformat import loads
from hvdesigner.model.design import Design
from hvdesigner.rules.engine import Checker
from tests.designs import load_dict, rich_design

EXAMPLES = sorted((Path(__file__).parents[2] / "resources" / "examples").glob("*.hvd"))
HOSTILE = "<b>x</b>&amp;\"'"


class Cell:
    """One cell of the file: its attributes, label and tooltip (from its user object, if any)."""

    def __init__(self, element: ET.Element, wrapper: ET.Element | None) -> None:
        self.element = element
        self.id = (wrapper if wrapper is not None else element).get("id", "")
        self.label = wrapper.get("label", "") if wrapper is not None else element.get("value", "")
        self.tooltip = wrapper.get("tooltip", "") if wrapper is not None else ""
        self.data = dict(wrapper.attrib) if wrapper is not None else {}
        self.parent = element.get("parent")
        self.style = element.get("style", "")
        self.vertex = element.get("vertex") == "1"
        self.edge = element.get("edge") == "1"

    def geometry(self) -> tuple[float, float, float, float]:
        g = self.element.find("mxGeometry")
        assert g is not None
        return tuple(float(g.get(k, 0)) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]


def cells(data: bytes) -> list[Cell]:
    root = ET.fromstring(data)
    assert root.tag == "mxfile"
    graph = root.find("diagram/mxGraphModel/root")
    assert graph is not None
    found = []
    for child in graph:
        if child.tag == "mxCell":
            found.append(Cell(child, None))
        else:
            assert child.tag == "object"
            inner = child.find("mxCell")
            assert inner is not None and inner.get("id") is None
            found.append(Cell(inner, child))
    return found


def export(design: Design, **options: Any) -> list[Cell]:
    findings = Checker(design, dt.date(2026, 6, 1)).check_all()
    return cells(render(design, findings, ExportOptions(**options)))


def absolute(by_id: dict[str, Cell], cell: Cell) -> tuple[float, float]:
    x, y = cell.geometry()[:2]
    parent = by_id.get(cell.parent or "")
    while parent is not None and parent.vertex:
        px, py = parent.geometry()[:2]
        x, y = x + px, y + py
        parent = by_id.get(parent.parent or "")
    return x, y


def check_structure(design: Design, found: list[Cell]) -> dict[str, Cell]:
    """What any export must be: unique ids, existing parents, glued edges, servers in their
    site containers, nodes in their cluster, cards where the canvas has them."""
    ids = [c.id for c in found]
    assert len(ids) == len(set(ids)), "ids are unique"
    by_id = {c.id: c for c in found}
    root, layer = found[0], found[1]
    assert root.parent is None and layer.parent == root.id
    for cell in found[2:]:
        assert cell.parent in by_id, f"{cell.id}'s parent exists"
        assert cell.vertex != cell.edge
        if cell.style:
            assert "html=0" in cell.style, f"{cell.id} is plain text"
    for cell in found:
        if cell.edge:
            for end in ("source", "target"):
                assert by_id[cell.element.get(end, "")].vertex, f"{cell.id} is glued at its {end}"
    layout = Layout.of(design)
    for cell in found:
        hvd_id = cell.data.get("hvd_id")
        if hvd_id in design.clusters or (hvd_id in design.hosts and not design.hosts[hvd_id].cluster):
            assert cell.parent == design.get(hvd_id).site
            assert absolute(by_id, cell) == pytest.approx(layout.servers[hvd_id])
        elif hvd_id in design.hosts:
            assert cell.parent == design.hosts[hvd_id].cluster
        elif hvd_id in design.sites:  # (on the page, or in a firewall that is)
            frame = layout.sites[hvd_id]
            assert absolute(by_id, cell) == pytest.approx((frame.x, frame.y))
            assert layer.id in (cell.parent, by_id[cell.parent or ""].parent)
    return by_id


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_exports_whole(path: Path) -> None:
    design = loads(path.read_bytes(), str(path))
    found = export(design)
    by_id = check_structure(design, found)
    drawn = {c.data.get("hvd_id") for c in found}
    assert set(design.sites) | set(design.hosts) | set(design.clusters) <= drawn
    assert set(design.replications) | set(design.wan_links) | set(design.firewalls) <= drawn
    for rep_id, rep in design.replications.items():
        edge = by_id[rep_id]
        assert edge.edge and (edge.element.get("source"), edge.element.get("target")) == (rep.source, rep.target)


def test_links_wear_the_canvas_look() -> None:
    design = loads((EXAMPLES[0].parent / "training.hvd").read_bytes())
    by_id = {c.id: c for c in export(design)}
    labels = [c.label for c in by_id.values() if c.edge]
    assert any("🔒 HTTPS 443 · " in label for label in labels)
    unencrypted = [c for c in by_id.values() if c.edge and c.label.startswith("🔓 HTTP ")]
    assert unencrypted and all("dashed=1" in c.style and "#9D5D00" in c.style for c in unencrypted)
    wans = [by_id[w] for w in design.wan_links]
    assert all("shape=link" in w.style and " Mbps" in w.label for w in wans)


def test_firewalls_hold_the_sites_they_guard() -> None:
    design = loads((EXAMPLES[0].parent / "cluster-to-cluster-csv.hvd").read_bytes())
    by_id = {c.id: c for c in export(design)}
    assert by_id["chi"].parent == "fw-chi" and by_id["nyc"].parent == "fw-nyc"
    assert by_id["fw-chi"].label.endswith("CHI edge firewall · Inbound: 443")
    assert "dashed=1" in by_id["fw-chi"].style


def test_domains_have_a_legend_and_chips() -> None:
    design = load_dict(rich_design())
    by_id = {c.id: c for c in export(design)}
    rows = [c for c in by_id.values() if c.parent == "hvd:legend"]
    assert [r.data["hvd_id"] for r in rows] == sorted(design.domains)
    assert by_id["hv1/domain"].label == "CORP" and "fillColor=#" in by_id["hv1/domain"].style


def test_findings_are_markers_with_tooltips_unless_left_out() -> None:
    design = loads((EXAMPLES[0].parent / "training.hvd").read_bytes())
    markers = [c for c in export(design) if c.id.endswith("/finding")]
    assert markers and all(m.tooltip and m.parent == m.id.removesuffix("/finding") for m in markers)
    assert any("error" in m.tooltip for m in markers)
    assert not [c for c in export(design, findings=False) if c.id.endswith("/finding")]


def test_a_selection_draws_what_it_names_and_the_links_between() -> None:
    design = load_dict(rich_design())
    found = export(design, selection=("dr", "hc1"))
    check_structure(design, found)
    drawn = {c.data.get("hvd_id") for c in found}
    assert {"dr", "cloud", "hv2", "clb", "nb1", "hc1", "r3", "wan2", "fw1"} <= drawn
    assert not {"hq", "hv1", "cla", "r1", "r2", "wan1"} & drawn
    with pytest.raises(ExportRefused):
        export(design, selection=("corp",))  # a domain alone: nothing to draw


def test_design_strings_stay_text() -> None:
    doc = rich_design()
    doc["sites"][0]["name"] = HOSTILE
    doc["hosts"][0]["name"] = HOSTILE + "\x1b[2J\u202e"
    doc["domains"][0]["name"] = HOSTILE
    doc["firewalls"][0]["name"] = HOSTILE
    doc["wan_links"][0]["name"] = HOSTILE
    doc["vms"][0]["name"] = HOSTILE
    doc["title"] = HOSTILE
    design = load_dict(doc)
    data = render(design, [], ExportOptions())
    found = cells(data)
    by_id = {c.id: c for c in found}
    assert by_id["hq"].label.endswith(HOSTILE)
    assert by_id["hv1"].label == HOSTILE + "\\x1b[2J\\u202e"  # (control and bidi: escapes)
    assert by_id["hv1/domain"].label == HOSTILE
    assert HOSTILE in by_id["fw1"].label and by_id["wan1"].label.startswith(HOSTILE)
    assert html.escape(HOSTILE) in by_id["r1"].tooltip  # (tooltips are HTML to diagrams.net)
    assert all("<b>" not in c.tooltip for c in found)
    assert ET.fromstring(data).find("diagram").get("name") == HOSTILE  # type: ignore[union-attr]


def test_dark_theme_and_design_ids_that_clash_with_the_root() -> None:
    doc = rich_design()
    doc["sites"][0]["id"] = "0"
    for host in doc["hosts"]:
        host["site"] = "0" if host["site"] == "hq" else host["site"]
    for cluster in doc["clusters"]:
        cluster["site"] = "0" if cluster["site"] == "hq" else cluster["site"]
    doc["wan_links"][0]["sites"] = ["0", "dr"]
    design = load_dict(doc)
    found = export(design, theme="dark")
    check_structure(design, found)
    assert found[0].id != "0" and "0" in {c.id for c in found}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hvdesigner", "export", *args],
                          capture_output=True, text=True, timeout=120)


def test_the_command_line_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "design.drawio"
    result = run_cli(str(EXAMPLES[0]), "--to", "drawio", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert cells(out.read_bytes())
    missing = run_cli(str(EXAMPLES[0]), "--to", "drawio", "-o", str(tmp_path / "no" / "x.drawio"))
    assert missing.returncode == 2 and "nothing was written" in missing.stderr
    domain = run_cli(str(EXAMPLES[0]), "--to", "drawio", "-o", str(out), "--selection", "fabrikam")
    assert domain.returncode == 2 and "--selection names nothing a diagram draws" in domain.stderr


def test_a_generated_estate_exports_whole() -> None:
    """Nodes used as link ends, firewalls around servers, many parallel links: all glued."""
    from bench.generate import generate_design

    design = loads(json.dumps(generate_design(seed=3, scale=0.1)))
    found = export(design)
    check_structure(design, found)
    edges = [c for c in found if c.edge]
    assert len(edges) == len(design.replications) + len(design.wan_links)
