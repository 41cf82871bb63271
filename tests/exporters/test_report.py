"""The design report (``--to html`` / ``--to md``): self-contained HTML with a well-formed
inline SVG, the expected tables, design strings that stay text, and the command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hvdesigner.exporters.formats import ExportOptions, ExportRefused
from hvdesigner.exporters.report import md, render_html, render_markdown
from hvdesigner.fileformat.loader import loads
from hvdesigner.model.design import Design
from hvdesigner.rules.check import Finding
from hvdesigner.rules.engine import Checker
from tests.designs import rich_design
from tests.exporters.conftest import many_vms_design, recovery_design

EXAMPLES = sorted((Path(__file__).parents[2] / "resources" / "examples").glob("*.hvd"))
AS_OF = dt.date(2026, 6, 1)
HOSTILE = {"script": "<script>alert(1)</script>", "link": "[x](http://evil)", "pipe": "a|b"}
_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|//)", re.I)


class _Page(HTMLParser):
    """What a browser would fetch or run: every reference, script and element, and the
    tables' rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[str] = []
        self.tags: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data"):
                self.references.append(value or "")
            if value and "url(" in value:
                self.references += re.findall(r"url\(\s*['\"]?([^)'\"]*)", value)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.data.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self.tags and self.tags[-1] == "style":
            self.references += re.findall(r"url\(\s*['\"]?([^)'\"]*)", data)


def _load(path: Path) -> tuple[Design, list[Finding]]:
    design = loads(path.read_bytes(), str(path))
    return design, Checker(design, AS_OF).check_all()


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _svg(html: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, "no inline SVG"
    return ET.fromstring(match.group(0))  # raises on anything that isn't well-formed XML


def _table(page: _Page, *headers: str) -> list[list[str]]:
    """The first table whose header row starts with these headers."""
    return next(t for t in page.tables if t and t[0][:len(headers)] == list(headers))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_becomes_a_self_contained_page_with_a_well_formed_diagram(path: Path) -> None:
    design, findings = _load(path)
    html = render_html(design, findings, ExportOptions(source=path.name)).decode("utf-8")
    page = _parse(html)
    assert page.tags.count("script") == 0 and "link" not in page.tags and "img" not in page.tags
    external = [r for r in page.references if _SCHEME.match(r) or r.startswith("file")]
    assert external == [], external
    assert not re.search(r"@import|@font-face", html)
    svg = _svg(html)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    texts = "".join(svg.itertext())
    assert all(site.name in texts for site in design.sites.values())
    # one matrix row per VM of each replication (a replication without VMs has one row)
    matrix = _table(page, "VM", "Source")
    assert len(matrix) - 1 == sum(max(1, len(r.vms)) for r in design.replications.values())
    active = [[f.severity, f.rule, f.message, f.fix] for f in findings if not f.suppressed]
    if active:
        assert _table(page, "Severity")[1:] == active
    else:
        assert "<p>No findings.</p>" in html
    assert html.count("<h3>Site ") == len(design.sites)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_becomes_markdown_with_the_same_sections(path: Path) -> None:
    design, findings = _load(path)
    text = render_markdown(design, findings, ExportOptions(source=path.name)).decode("utf-8")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0].startswith("# ")
    for section in ("## Inventory", "## Replication matrix", "## Findings", "## Suppressions",
                    "## Sizing assumptions"):
        assert section in headings
    assert sum(h.startswith("### Site ") for h in headings) == len(design.sites)
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    # every table row has as many cells as its header (no name breaks a table)
    for line in rows:
        assert len(re.findall(r"(?<!\\)\|", line)) in (5, 7, 10, 3)


def test_training_lists_its_findings_with_fixes_and_references() -> None:
    design, findings = _load(next(p for p in EXAMPLES if p.stem == "training"))
    page = _parse(render_html(design, findings, ExportOptions()).decode("utf-8"))
    rules = {row[1] for row in _table(page, "Severity")[1:]}
    assert {"BRK-01", "AUTH-04", "SZ-01"} <= rules
    references = {row[0]: row for row in _table(page, "Rule")[1:] if len(row) == 4}
    assert "Hyper-V Replica Broker" in references["BRK-01"][2]
    assert references["BRK-01"][3].startswith("https://learn.microsoft.com/")  # as text


def _hostile_design() -> tuple[Design, list[Finding]]:
    path = next(p for p in EXAMPLES if p.stem == "two-sites-certificates")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["title"] = HOSTILE["script"]
    doc["notes"] = "# not a heading\n\n" + HOSTILE["link"]
    doc["sites"][0]["name"] = HOSTILE["script"]
    doc["sites"][1]["name"] = HOSTILE["pipe"]
    doc["wan_links"][0]["name"] = HOSTILE["link"]
    doc["vms"][0]["name"] = HOSTILE["link"]
    doc["vms"][0]["disks"][0]["name"] = HOSTILE["pipe"] + "\n| injected | row |"
    doc["replications"][0]["name"] = "<img src=x onerror=alert(1)>"
    doc["suppressions"] = [{"rule": "VM-05", "subject": doc["vms"][0]["id"],
                            "reason": HOSTILE["script"] + " www.evil.example @me"}]
    design = loads(json.dumps(doc).encode(), "hostile.hvd")
    return design, Checker(design, AS_OF).check_all()


def test_hostile_names_stay_text_in_html_and_svg() -> None:
    design, findings = _hostile_design()
    html = render_html(design, findings, ExportOptions()).decode("utf-8")
    page = _parse(html)
    assert page.tags.count("script") == 0 and "img" not in page.tags
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert HOSTILE["script"] in "".join(page.data)  # shown as the name it is
    svg_text = "".join(_svg(html).itertext())
    assert HOSTILE["script"] in svg_text and HOSTILE["link"] in svg_text
    assert HOSTILE["link"] in [row[0] for row in _table(page, "VM", "Source")[1:]]


def test_hostile_names_stay_text_in_markdown() -> None:
    design, findings = _hostile_design()
    text = render_markdown(design, findings, ExportOptions()).decode("utf-8")
    # nothing unescaped could open a tag, a link or an autolink
    assert not re.search(r"(?<!\\)[<\[]", text)
    assert "http://" not in text and "www.evil" not in text and "](" not in text
    assert r"\[x\]\(http\://evil\)" in text
    assert not any(line.startswith("# not a heading") for line in text.splitlines())
    assert "injected" in text and not any(line.startswith("| injected") for line in text.splitlines())
    assert r"a\|b" in text


@pytest.mark.parametrize("name", [*HOSTILE.values(), "1. item", "- item", "`code`", "a&amp;b",
                                  "*bold* _em_ ~~s~~ $x$", "<http://a>", "x\\y", "line\nbreak"])
def test_markdown_escaping_leaves_no_markup(name: str) -> None:
    escaped = md(name)
    # unescaping every backslash escape gives the name back (line breaks folded into spaces)
    assert re.sub(r"\\(.)", r"\1", escaped) == name.replace("\n", " ")
    assert not re.search(r"(?<!\\)[<>\[\]|`*_&$]", escaped)
    assert not re.match(r"\d+\.\s|[-=+#]", escaped)


def test_a_selection_is_refused_and_findings_can_be_left_out() -> None:
    design, findings = _load(EXAMPLES[0])
    with pytest.raises(ExportRefused, match="whole design"):
        render_html(design, findings, ExportOptions(selection=(next(iter(design.sites)),)))
    text = render_markdown(design, findings, ExportOptions(findings=False)).decode("utf-8")
    assert "## Findings" not in text and "## Suppressions" not in text


def test_the_report_modules_load_no_qt() -> None:
    code = ("import sys, hvdesigner.exporters.report;"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')];"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_command_line_writes_the_report(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    example = next(p for p in EXAMPLES if p.stem == "three-tier-hosting")
    result = subprocess.run([sys.executable, "-m", "hvdesigner", "export", str(example), "--to", fmt,
                             "-o", str(out)], capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": "1780000000"})
    assert result.returncode == 0, result.stderr
    content = out.read_text(encoding="utf-8")
    site = next(iter(_load(example)[0].sites))
    assert "2026-05-28" in content and "three-tier-hosting" in content.replace("\\", "")
    refused = subprocess.run([sys.executable, "-m", "hvdesigner", "export", str(example), "--to", fmt,
                              "-o", str(tmp_path / "x"), "--selection", site],
                             capture_output=True, text=True)
    assert refused.returncode == 2 and "whole design" in refused.stderr and not (tmp_path / "x").exists()


def test_a_recovery_plan_per_site_loss_in_html_and_markdown() -> None:
    doc = recovery_design()
    doc["vms"][0]["name"] = HOSTILE["script"]  # DC1
    design = loads(json.dumps(doc).encode(), "recovery.hvd")
    findings = Checker(design, AS_OF).check_all()
    html = render_html(design, findings, ExportOptions()).decode("utf-8")
    page = _parse(html)
    assert "<script>" not in html
    plan = html[html.index("<h2>Recovery plans</h2>"):html.index("<h2>Findings</h2>")]
    assert re.findall(r"<h3>(.*?)</h3>", plan) == ["If Cloud is lost", "If DR is lost", "If HQ is lost"]
    assert "<p>No VM runs at this site: nothing to recover.</p>" in plan
    dc1 = HOSTILE["script"]
    assert _table(page, "Start") == [
        ["Start", "Group", "VM", "Recovers on", "Depends on", "Data loss up to"],
        ["1", "Group 1", dc1, "DR1", "nothing", "1 min"],
        ["2", "Group 1", "SQL1", "DR1", f"{dc1} (recovered, start 1)", "1 min"],
        ["3", "Group 2", "APP1", "DR1", "SQL1 (recovered, start 2)", "1 min"],
        ["4", "Group 3", "EXT1", "C1", "nothing", "40 min"],
        ["5", "No group (last)", "WEB1", "DR1", "APP1 (recovered, start 3); DRAPP (running on DR1)",
         "1 min"]]
    # the servers VMs recover to, by name, the one over capacity marked
    assert _table(page, "Server", "Memory demand / capacity") == [
        ["Server", "Memory demand / capacity", "vCPU demand / capacity", "Sizes unknown"],
        ["C1", "2 / 128 GB", "1 / 64 vCPU (32 cores, 2 per core)", "none"],
        ["DR1", "72 / 48 GB, over capacity", "20 / 16 vCPU (8 cores, 2 per core), over capacity",
         "none"]]
    assert plan.count('<td class="over">') == 2
    assert '<td class="over">72 / 48 GB, over capacity</td>' in plan
    hq = plan[plan.index("<h3>If HQ is lost</h3>"):]
    assert "<p>5 VMs recover, 2 can&#x27;t.</p>" in hq
    assert "<tr><td>LOST1</td><td>lost</td><td>no replica outside HQ</td><td>HQ1</td></tr>" in hq
    assert "<tr><td>DOWN1</td><td>down</td><td>not replicated</td><td>HQ1</td></tr>" in hq
    dr = plan[plan.index("<h3>If DR is lost</h3>"):plan.index("<h3>If HQ is lost</h3>")]
    assert "<p>3 surviving servers run only their own VMs, as in normal operation (none over capacity).</p>" in dr
    text = render_markdown(design, findings, ExportOptions()).decode("utf-8")
    assert "### If HQ is lost" in text.splitlines()
    assert ("| 2 | Group 1 | SQL1 | DR1 | \\<script\\>alert\\(1\\)\\</script\\> \\(recovered, start 1\\) "
            "| 1 min |") in text
    assert ("| DR1 | 72 / 48 GB, over capacity | 20 / 16 vCPU \\(8 cores, 2 per core\\), over "
            "capacity | none |") in text


def test_one_vm_recovers_and_one_other_server_runs_in_the_singular() -> None:
    design = loads(json.dumps(many_vms_design(1)).encode(), "one.hvd")
    html = render_html(design, [], ExportOptions()).decode("utf-8")
    hq = html[html.index("<h3>If HQ is lost</h3>"):html.index("<h2>Findings</h2>")]
    assert "<p>1 VM recovers, 0 can&#x27;t.</p>" in hq
    assert ("<p>1 other surviving server runs only its own VMs, as in normal operation (none "
            "over capacity).</p>") in hq


def test_unknown_capacity_and_sizes_are_said_so() -> None:
    design = loads(json.dumps(rich_design()).encode(), "rich.hvd")
    page = _parse(render_html(design, [], ExportOptions()).decode("utf-8"))
    assert _table(page, "Server", "Memory demand / capacity")[1:] == [
        ["CLB", "36.5 GB (capacity unknown)", "10 vCPU (cores unknown)", "none"],
        ["HV2", "0 GB (capacity unknown)", "0 vCPU (cores unknown)", "1 VM"]]
