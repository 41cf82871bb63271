"""Diagram images (canvas/export.py): every bundled example to PNG, SVG and PDF without a
window; the PNG at its scale on white, the SVG and the PDF with the names as text; a selection
leaves the rest out; hostile names stay text; the command line writes them."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdf
import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from hvdesigner.canvas import export
from hvdesigner.exporters.formats import ExportOptions, ExportRefused, renderer
from hvdesigner.fileformat import loads
from hvdesigner.model.design import Design
from hvdesigner.model.entities import Host
from hvdesigner.rules.check import Finding
from hvdesigner.rules.engine import Checker
from tests.designs import load_dict, rich_design

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.hvd"))
AS_OF = dt.date(2026, 1, 1)
CHECKOUT = {**os.environ, "PYTHONPATH": str(ROOT)}
CHECKOUT.pop("DISPLAY", None)
CHECKOUT.pop("WAYLAND_DISPLAY", None)


def checked(design: Design) -> list[Finding]:
    return Checker(design, AS_OF).check_all()


def names(design: Design) -> list[str]:
    """The names every picture of the whole design shows: sites, and standalone hosts and
    clusters (their cards)."""
    cards = [h.name for h in design.hosts.values() if isinstance(h, Host) and h.cluster is None]
    return [s.name for s in design.sites.values()] + cards + [
        c.name for c in design.clusters.values()]


def svg_texts(data: bytes) -> str:
    root = ET.fromstring(data)
    return "\n".join("".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text"))


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The text a PDF reader finds, pages apart by form feeds (pypdf: a reader this project
    didn't write, and no system package to install)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    # (Qt places each word apart; pypdf reads the gaps between them as tabs)
    return "".join(page.extract_text().replace("\t", " ") + "\f" for page in reader.pages)


@pytest.fixture(params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def example(request: pytest.FixtureRequest, qapp: QApplication) -> Design:
    path: Path = request.param
    return loads(path.read_bytes(), str(path))


def test_an_example_as_png_is_its_page_at_the_scale_on_white(example: Design) -> None:
    options = ExportOptions(scale=2, source="x.hvd")
    findings = checked(example)
    image = QImage.fromData(export.render_png(example, findings, options), "PNG")
    with export.drawing(example, findings, options) as drawing:
        size = drawing.overview().parts(example.title, options)[2]
    assert (image.width(), image.height()) == (int(size.width() * 2 + 0.999),
                                               int(size.height() * 2 + 0.999))
    for x, y in ((1, 1), (image.width() - 2, image.height() - 2)):
        assert QColor(image.pixel(x, y)) == QColor("#FFFFFF")


def test_an_example_as_svg_has_every_name_as_text(example: Design) -> None:
    data = export.render_svg(example, checked(example), ExportOptions(source="x.hvd"))
    texts = svg_texts(data)
    for name in names(example):
        assert name in texts
    assert "x.hvd" in texts and example.title[:20] in texts
    assert b"<image" not in data  # (vectors: no card drawn as a bitmap)


def test_an_example_as_pdf_has_every_name_as_text_and_a_page_per_site(
        example: Design, tmp_path: Path) -> None:
    data = export.render_pdf(example, checked(example), ExportOptions(source="x.hvd"))
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for name in names(example):
        assert name in text
    pages = text.count("\f")
    assert pages == 1 + (len(example.sites) if len(example.sites) > 1 else 0)
    for site in example.sites.values():
        assert f"Site: {site.name}" in text


def test_the_formats_are_in_the_table(qapp: QApplication) -> None:
    for name in ("png", "svg", "pdf"):
        assert renderer(name) is getattr(export, f"render_{name}")


def test_a_selection_leaves_the_other_sites_out(qapp: QApplication) -> None:
    design = load_dict(rich_design())
    texts = svg_texts(export.render_svg(design, checked(design), ExportOptions(selection=("hq",))))
    assert "HQ" in texts and "HV1" in texts and "CLA" in texts
    for other in ("Hoster", "HC1", "HV2", "CLB"):
        assert other not in texts
    assert "Selection: hq" in texts


def test_a_selected_link_brings_its_ends_and_nothing_else(qapp: QApplication) -> None:
    design = load_dict(rich_design())
    texts = svg_texts(export.render_svg(design, checked(design), ExportOptions(selection=("r3",))))
    assert "CLB" in texts and "HC1" in texts
    assert "HV1" not in texts and "CLA" not in texts


def test_a_selection_of_a_vm_is_refused_with_what_it_takes(qapp: QApplication) -> None:
    design = load_dict(rich_design())
    with pytest.raises(ExportRefused, match="takes sites, servers"):
        export.render_svg(design, [], ExportOptions(selection=("app1",)))


def test_without_findings_there_are_no_badges_in_the_legend(qapp: QApplication) -> None:
    design = load_dict(rich_design())
    findings = checked(design)
    assert findings
    with_badges = svg_texts(export.render_svg(design, findings, ExportOptions()))
    without = svg_texts(export.render_svg(design, findings, ExportOptions(findings=False)))
    assert "Findings" in with_badges and "Findings" not in without


def test_the_legend_names_a_link_style_without_a_port_the_links_may_not_use(
        qapp: QApplication) -> None:
    """(It said "HTTPS 443, certificate" beside links that all ran on 7000: each link's label
    has its own port.)"""
    doc = rich_design()
    for rep in doc["replications"]:
        rep["port"] = 7000
    lines = svg_texts(export.render_svg(load_dict(doc), [], ExportOptions(findings=False)))
    texts = lines.split("\n")
    assert "HTTPS, certificate" in texts and not any("HTTPS 443" in text for text in texts)
    assert any(text.startswith("HTTPS 7000") for text in texts)  # (a link's label)


HOSTILE = "<script>alert(1)</script> & ]]> \x1b[2J\x07 \u202eexe.txt"


def test_hostile_names_are_drawn_as_text(qapp: QApplication, tmp_path: Path) -> None:
    doc = copy.deepcopy(rich_design())
    doc["title"] = HOSTILE
    doc["sites"][0]["name"] = "Site " + HOSTILE
    doc["hosts"][0]["name"] = "H<b>&amp;"
    design = load_dict(doc)
    data = export.render_svg(design, checked(design), ExportOptions(source="<x>.hvd"))
    texts = svg_texts(data)  # (it parses: control characters are replaced)
    assert "<script>alert(1)</script> & ]]>" in texts
    assert "H<b>&amp;" in texts
    assert b"<script" not in data and b"<b>" not in data
    text = pdf_text(export.render_pdf(design, checked(design), ExportOptions()), tmp_path)
    assert "H<b>&amp;" in text and "<script>alert(1)</script>" in text
    assert QImage.fromData(export.render_png(design, [], ExportOptions()), "PNG").width() > 0


def test_the_light_and_dark_themes_paint_their_background(qapp: QApplication) -> None:
    design = load_dict(rich_design())
    for theme, colour in (("light", "#FFFFFF"), ("dark", "#2B2B2B")):
        image = QImage.fromData(export.render_png(design, [], ExportOptions(theme=theme)), "PNG")
        assert QColor(image.pixel(1, 1)) == QColor(colour)


def test_a_png_too_large_is_refused_with_what_to_do(qapp: QApplication) -> None:
    design = load_dict(rich_design())
    with pytest.raises(ExportRefused, match="smaller --scale"):
        export.render_png(design, [], ExportOptions(scale=16))


def test_the_design_is_left_as_it_was(qapp: QApplication) -> None:
    design = load_dict(rich_design())
    listeners = len(design._listeners)  # type: ignore[attr-defined]
    export.render_svg(design, [], ExportOptions())
    assert len(design._listeners) == listeners  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_the_command_writes_each_format_without_a_display(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    result = subprocess.run(
        [sys.executable, "-m", "hvdesigner", "export", str(EXAMPLES[0]), "--to", fmt, "-o",
         str(out), "--scale", "1.5", "--no-findings"],
        capture_output=True, text=True, timeout=120, env=CHECKOUT)
    assert result.returncode == 0, result.stderr
    head = out.read_bytes()[:8]
    assert head.startswith({"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt])


def test_the_command_refuses_a_selection_it_cannot_draw(tmp_path: Path) -> None:
    design = tmp_path / "rich.hvd"
    design.write_text(json.dumps(rich_design()))
    result = subprocess.run(
        [sys.executable, "-m", "hvdesigner", "export", str(design), "--to", "svg", "-o",
         str(tmp_path / "out.svg"), "--selection", "app1"],
        capture_output=True, text=True, timeout=120, env=CHECKOUT)
    assert result.returncode == 2
    assert "app1 is none of them" in result.stderr
    assert not (tmp_path / "out.svg").exists()
