"""The failover runbook: every example exports, each replicated VM gets its test, planned and
unplanned failover and failback with the exact cmdlets, excluded disks are named for recreation,
each site loss has its recovery plan in start order by group (worked out by hand on
``recovery_design``), and design strings are text in the rendered Markdown (no link, HTML or
escaped code block) and literals in its commands."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from hvdesigner.exporters.formats import ExportOptions, renderer
from hvdesigner.exporters.markdown import md, md_code
from hvdesigner.exporters.markdown import md as md_text
from hvdesigner.fileformat.loader import loads
from hvdesigner.rules.engine import Checker
from tests import designs
from tests.exporters.conftest import recovery_design
from tests.exporters.test_powershell import (
    EXAMPLES,
    HOSTILE,
    MARKERS,
    ROOT,
    hostile,
    markers_in_literals,
    parse,
)

MARKDOWN = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def export(doc: dict[str, Any]) -> str:
    design = loads(json.dumps(doc).encode(), "design.hvd")
    findings = Checker(design, dt.date(2026, 12, 1)).check_all()
    return renderer("runbook")(design, findings, ExportOptions(source="design.hvd")).decode("utf-8")


def example(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "resources" / "examples" / name).read_text("utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_exports_a_runbook(path: Path) -> None:
    text = export(json.loads(path.read_text("utf-8")))
    assert text.startswith("# Failover runbook: ")
    for cmdlet in ("Start-VMFailover", "-AsTest", "Stop-VMFailover", "-Prepare",
                   "Set-VMReplication", "-Reverse", "Complete-VMFailover", "Start-VM "):
        assert cmdlet in text


def test_replications_and_vms_follow_the_design_and_excluded_disks_are_named() -> None:
    doc = example("three-tier-hosting.hvd")
    text = export(doc)
    headings = re.findall(r"^## \d+\. (.*)$", text, re.MULTILINE)
    assert len(headings) == len(doc["replications"])
    assert headings[0].startswith("Applications")
    vms = re.findall(r"^### VM `([^`]+)`", text, re.MULTILINE)
    assert vms == ["TT-ERP01", "TT-FS01", "TT-WEB01", "TT-SQL01", "TT-ERP01", "TT-FS01", "TT-SQL01"]
    sql = text[text.index("### VM `TT-SQL01`"):]
    assert "- `TT-SQL01-Pagefile.vhdx`: pagefile, 32 GB vhdx" in sql
    assert "- `TT-SQL01-TempDB.vhdx`: temp, 64 GB vhdx" in sql
    # On a cluster, commands go to the node owning the VM.
    assert "$On = (Get-ClusterGroup -Cluster 'hvc-dal.corp.tailspintoys.example.com' -Name 'TT-SQL01').OwnerNode.Name" in sql
    # The extended replica: test and unplanned failover on the third site, no planned one.
    extended = text[text.rindex("### VM `TT-SQL01`"):]
    assert "extended replica on `NWH-HVC01`" in extended and "-Prepare" not in extended.split("**Failback**")[0]


def test_training_warns_about_its_errors() -> None:
    assert "> **Warning:** the design has 18 error findings" in export(example("training.hvd"))


def test_hostile_names_stay_text() -> None:
    text = export(hostile(example("three-tier-hosting.hvd")))
    html = MARKDOWN.render(text)
    assert "<script" not in html and "<a " not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    # Every code block is still one block of commands: no name closed a fence early.
    assert html.count("<pre>") == text.count("```powershell")
    # Outside the command blocks no name started a line of its own (a heading, a list item).
    prose = re.sub(r"^```powershell\n.*?^```$", "", text, flags=re.MULTILINE | re.DOTALL)
    assert "Invoke-PwnedToo" in prose and not re.search(r"^\s*Invoke-PwnedToo", prose, re.MULTILINE)


def test_hostile_names_in_commands_are_single_quoted_literals(ps_parser: Any) -> None:
    text = export(hostile(example("three-tier-hosting.hvd")))
    blocks = re.findall(r"^```powershell\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    assert blocks
    for block in blocks:
        tree = parse(ps_parser, block)
        source = block.encode("utf-8")
        for match in re.finditer(rb"Invoke-Pwned", source):
            node = tree.root_node.descendant_for_byte_range(match.start(), match.end())
            while node is not None and node.type != "verbatim_string_characters":
                node = node.parent
            assert node is not None, block


@pytest.mark.parametrize("text", [HOSTILE, "`", "``a`", " x ", "[a](b)", "<b>", "*x*", "a\nb"])
def test_text_and_code_spans_render_as_the_text(text: str) -> None:
    # (a line break would end a line of Markdown: a space; another control character: U+FFFD)
    shown = re.sub(r"[\x00-\x1f\x7f]", "\ufffd", re.sub(r"\r\n|[\r\n\t\v\f]", " ", text))
    for markdown in (md_text(text), md_code(text)):
        tokens = MARKDOWN.parseInline(markdown)[0].children
        assert "".join(t.content for t in tokens if t.type in ("text", "code_inline")) == shown
        assert all(t.type in ("text", "code_inline", "softbreak") for t in tokens)


def test_the_cli_writes_the_runbook(tmp_path: Path) -> None:
    out = tmp_path / "runbook.md"
    done = subprocess.run([sys.executable, "-m", "hvdesigner", "export", "--to", "runbook", "-o", str(out),
                           str(ROOT / "resources/examples/training.hvd")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr  # a runbook is not refused: it warns
    assert "Start-VMFailover" in out.read_text("utf-8")


@pytest.mark.parametrize("doc", [designs.rich_design(), {"format": "hvdesigner", "version": 1}],
                         ids=["rich", "empty"])
def test_the_test_designs_export_runbooks(doc: dict[str, Any]) -> None:
    assert export(doc).startswith("# Failover runbook: ")


# ------------------------------------------------------------------ recovery plans
def _plan(text: str, site: str) -> str:
    start = text.index(f"## Recovery plan: site `{site}` lost")
    return text[start:text.index("\n## ", start + 1)]


def test_a_site_loss_fails_vms_over_in_start_order_group_by_group() -> None:
    text = export(recovery_design())
    hq = _plan(text, "HQ")
    assert re.findall(r"^### (.*): site `HQ` lost$", hq, re.MULTILINE) == [
        "Group 1", "Group 2", "Group 3", "No group (last)"]
    assert re.findall(r"^\*\*(\d+)\. `([^`]+)`\*\*$", hq, re.MULTILINE) == [
        ("1", "DC1"), ("2", "SQL1"), ("3", "APP1"), ("4", "EXT1"), ("5", "WEB1")]
    sql = hq[hq.index("**2. `SQL1`**"):hq.index("### Group 2")]
    assert "- Comes back on host `DR1`, through `Tier 1`" in sql
    assert "- Data loss: up to 1 min" in sql
    assert "- Failover address: 10.2.1.20/23, gateway 10.2.0.1, DNS 10.2.0.10" in sql
    assert "- Confirm running first: `DC1` (recovered, start 1)" in sql
    # the commands of a group, on the server the VM comes back on, failover before start
    assert ("$On = 'dr1.corp.example.com'\nStart-VMFailover -ComputerName $On -VMName 'DC1'\n"
            "Start-VM -ComputerName $On -VMName 'DC1'\n$On = 'dr1.corp.example.com'\n"
            "Start-VMFailover -ComputerName $On -VMName 'SQL1'\n") in sql
    ext = hq[hq.index("**4. `EXT1`**"):hq.index("### No group")]
    assert "host `C1`, through `To the cloud`" in ext and "up to 40 min" in ext
    web = hq[hq.index("**5. `WEB1`**"):]
    assert ("- Confirm running first: `APP1` (recovered, start 3), `DRAPP` (running on DR1)"
            in web)
    assert "- `LOST1`: lost (no replica outside site `HQ`)\n- `DOWN1`: down (not replicated)" in hq
    assert ("> **Over capacity:** `DR1` would need 72 / 48 GB and 20 / 16 vCPU \\(8 cores, 2 per "
            "core\\): ") in hq
    dr = _plan(text, "DR")
    assert "- `DRAPP`: down (not replicated)" in dr and "**1." not in dr
    assert "nothing to fail over" in _plan(text, "Cloud")


def test_hostile_names_in_a_recovery_plan_stay_text_and_literals(ps_parser: Any) -> None:
    doc = recovery_design()
    for vm in doc["vms"]:
        vm["name"] += HOSTILE
    doc["sites"][0]["name"] += HOSTILE
    text = export(doc)
    hq = text[text.rindex("## Recovery plan: site "):text.index("## 1. ")]  # (HQ… is last)
    assert "HQ" in hq.splitlines()[0]
    html = MARKDOWN.render(hq)
    assert "<script" not in html and "<a " not in html
    assert html.count("<pre>") == hq.count("```powershell") == 4
    assert not re.search(r"^\s*Invoke-PwnedToo", re.sub(
        r"^`+powershell\n.*?^`+$", "", hq, flags=re.MULTILINE | re.DOTALL), re.MULTILINE)
    blocks = re.findall(r"^(`{3,})powershell\n(.*?)^\1$", hq, re.MULTILINE | re.DOTALL)
    assert all(markers_in_literals(ps_parser, block) for _, block in blocks)


def test_the_failover_address_and_test_switch_are_set_on_the_replica(ps_parser: Any) -> None:
    doc = recovery_design()
    doc["vms"][2]["test_switch"] = HOSTILE  # APP1
    text = export(doc)
    sql = text[text.index("### VM `SQL1` (replica on `DR1`)"):text.index("**Test failover**",
                                                                        text.index("### VM `SQL1`"))]
    assert ("$On = 'dr1.corp.example.com'\n$Address = @{\n    IPv4Address = '10.2.1.20'\n"
            "    IPv4SubnetMask = '255.255.254.0'\n    IPv4DefaultGateway = '10.2.0.1'\n"
            "    IPv4PreferredDNSServer = '10.2.0.10'\n}\n"
            "Set-VMNetworkAdapterFailoverConfiguration -ComputerName $On -VMName 'SQL1' @Address\n"
            "Set-VMNetworkAdapter -ComputerName $On -VMName 'SQL1' -TestReplicaSwitchName "
            "'Isolated'\n") in sql
    app = text[text.index("### VM `APP1`"):]
    block = re.search(r"^(`{3,})powershell\n(.*?)^\1$", app, re.MULTILINE | re.DOTALL)
    assert block is not None and "-TestReplicaSwitchName" in block.group(2)
    assert "Set-VMNetworkAdapterFailoverConfiguration" not in block.group(2)  # none set
    assert markers_in_literals(ps_parser, block.group(2)) >= len(MARKERS)
    # a VM with neither keeps the reminder for its static address
    web = text[text.index("### VM `WEB1`"):]
    assert "The VM has a static address" in web.split("**Test failover**")[0]


def test_dns_servers_past_the_second_are_said_to_be_set_in_the_guest(ps_parser: Any) -> None:
    doc = recovery_design()
    doc["vms"][0]["failover_ip"]["dns"] = ["10.2.0.11", "10.2.0.12", "10.2.0.13", "10.2.0.14"]
    text = export(doc)
    dc1 = text[text.index("### VM `DC1`"):text.index("**Test failover**", text.index("### VM `DC1`"))]
    assert md("Hyper-V sets the first two DNS servers only: set 10.2.0.13, 10.2.0.14 in the "
              "guest after failover.") in dc1.splitlines()
    block = re.search(r"^(`{3,})powershell\n(.*?)^\1$", dc1, re.MULTILINE | re.DOTALL)
    assert block is not None
    assert ("    IPv4PreferredDNSServer = '10.2.0.11'\n    IPv4AlternateDNSServer = '10.2.0.12'\n"
            "    # Hyper-V sets two DNS servers: set the others in the guest after failover\n}\n"
            ) in block.group(2)
    parse(ps_parser, block.group(2))
    step = _plan(text, "HQ")
    assert "- Failover address: " + md(
        "10.2.0.10/24, DNS 10.2.0.11, 10.2.0.12, 10.2.0.13, 10.2.0.14") + " (" + md(
        "Hyper-V sets the first two DNS servers only: set 10.2.0.13, 10.2.0.14 in the guest "
        "after failover") + ")" in step.splitlines()
    # two or fewer: no note
    assert "DNS servers only" not in export(recovery_design())
