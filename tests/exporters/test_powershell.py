"""The deployment script: every example exports and parses as PowerShell, error findings refuse
it unless forced (and then comment out what they block), and hostile design strings reach the
script only inside single-quoted string literals."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hvdesigner.exporters.formats import ExportOptions, ExportRefused, renderer
from hvdesigner.exporters.pslang import SINGLE_QUOTES, ps_literal
from hvdesigner.fileformat.loader import loads
from hvdesigner.rules.engine import Checker
from tests import designs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.hvd"))
AS_OF = dt.date(2026, 12, 1)

#: Every way out of a string or a comment at once: quotes of all five kinds, a subexpression, a
#: backtick escape, the end of a block comment and of here-strings, a line break followed by a
#: command, a NUL and a terminal escape.
HOSTILE = ("x'\u2018\u2019\u201a\u201b $(Invoke-Pwned) `whoami` #> '@ \"@ @' <# "
           "\r\nInvoke-PwnedToo \x00\x1b[31m <script>[a](javascript:x)")
MARKERS = ("Invoke-Pwned", "Invoke-PwnedToo", "whoami", "javascript")
DESIGN_TEXT = {"name", "fqdn", "title", "storage", "primary", "trust_group", "default_storage",
               "notes", "subjects", "issuer"}


def export(path_or_doc: Path | dict[str, Any], force: bool = False) -> str:
    doc = path_or_doc if isinstance(path_or_doc, dict) else json.loads(path_or_doc.read_text("utf-8"))
    design = loads(json.dumps(doc).encode(), "design.hvd")
    findings = Checker(design, AS_OF).check_all()
    data = renderer("ps1")(design, findings, ExportOptions(force=force, source="design.hvd"))
    assert data.startswith(b"\xef\xbb\xbf")  # Windows PowerShell reads it as UTF-8
    return data[3:].decode("utf-8")


def parse(ps_parser: Any, script: str) -> Any:
    tree = ps_parser.parse(script.encode("utf-8"))
    errors: list[str] = []

    def walk(node: Any) -> None:
        if node.type == "ERROR" or node.is_missing:
            errors.append(f"{node.start_point}: {node.text[:60]!r}")
        for child in node.children:
            walk(child)

    walk(tree.root_node)
    assert not errors, errors
    return tree


def hostile(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: hostile(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [hostile(v, key) for v in value]
    return value + HOSTILE if isinstance(value, str) and key in DESIGN_TEXT else value


# ------------------------------------------------------------------ quoting
@pytest.mark.parametrize("text, literal", [
    ("HV01", "'HV01'"),
    ("it's", "'it''s'"),
    ("\u2018a\u2019\u201a\u201b", "'\u2018\u2018a\u2019\u2019\u201a\u201a\u201b\u201b'"),
    ("$(x) `n", "'$(x) `n'"),
    ("a\x00b", "('a' + [char]0x0 + 'b')"),
    ("two\nlines", "'two\nlines'"),
])
def test_a_literal_is_single_quoted_with_every_quote_doubled(text: str, literal: str) -> None:
    assert ps_literal(text) == literal


def unquote(literal: str) -> str:
    """What PowerShell makes of ps_literal's output: a single-quoted string (a quote followed
    by a quote is one quote), or a concatenation of such strings and [char] codes."""
    parts = re.findall(r"\[char\]0x([0-9a-f]+)|('(?:[^" + SINGLE_QUOTES + "]|["
                       + SINGLE_QUOTES + "]{2})*')", literal)
    out = []
    for code, quoted in parts:
        out.append(chr(int(code, 16)) if code else re.sub(
            f"([{SINGLE_QUOTES}])[{SINGLE_QUOTES}]", r"\1", quoted[1:-1]))
    return "".join(out)


@given(st.text())
def test_a_literal_means_exactly_its_text(text: str) -> None:
    assert unquote(ps_literal(text)) == text


# ------------------------------------------------------------------ the examples
@pytest.mark.parametrize("path", [p for p in EXAMPLES if p.name != "training.hvd"], ids=lambda p: p.name)
def test_every_example_exports_a_script_that_parses(ps_parser: Any, path: Path) -> None:
    script = export(path)
    parse(ps_parser, script)
    assert "[CmdletBinding(SupportsShouldProcess)]" in script
    assert "$ErrorActionPreference = 'Stop'" in script
    assert "# BLOCKED" not in script
    for step in ("1. Firewall", "4. Replica servers", "5. Test", "6-7. Replicate"):
        assert f"# {step}" in script
    assert "Enable-VMReplication @Settings" in script


def test_the_domain_reference_order(ps_parser: Any) -> None:
    script = export(ROOT / "resources" / "examples" / "three-tier-hosting.hvd")
    body = script[script.index("# What the design says"):]
    order = ["-Do $EnableListenerRule", "-Do $CreateBroker", "-Do $CheckCertificates",
             "-Do $EnableReplicaServer", "-Do $AuthorizePrimaries", "-Do $TestConnection",
             "-Do $EnableReplication", "-Do $StartInitialReplication"]
    assert [body.index(s) for s in order] == sorted(body.index(s) for s in order)
    assert "'VIRT-HVRHTTPSL-In-TCP-NoScope'" in body  # by Name, never a display name
    # The extended link is set up on the replica side, without app-consistent snapshots.
    extended = body[body.index("# 8. Extended"):]
    assert "VSSSnapshotFrequencyHour" not in extended
    assert "ReplicationFrequencySec = 900" in extended
    assert "Excluded = @('TT-SQL01-Pagefile.vhdx', 'TT-SQL01-TempDB.vhdx')" in script


def test_training_is_refused_without_force() -> None:
    with pytest.raises(ExportRefused, match=r"(?s)17 error findings.*--force.*TOP-02"):
        export(ROOT / "resources" / "examples" / "training.hvd")


def test_training_with_force_comments_out_the_blocked_steps(ps_parser: Any) -> None:
    script = export(ROOT / "resources" / "examples" / "training.hvd", force=True)
    parse(ps_parser, script)
    assert script.count("'BRK-01: ") == 1  # the findings, as literals in $ErrorFindings
    blocked = [line for line in script.splitlines() if line.startswith("# BLOCKED")]
    assert blocked and all("of $ErrorFindings" in line for line in blocked)
    assert "# BLOCKED by error finding 3 (BRK-01) of $ErrorFindings" in script
    assert "# Invoke-Step -On $Cluster1.Fqdn -Action 'Create the Hyper-V Replica Broker role'" in script
    # What no finding is about still runs: the listener rules.
    assert re.search(r"^Invoke-Step .* -Do \$EnableListenerRule\r$", script, re.MULTILINE)


# ------------------------------------------------------------------ hostile names
def test_hostile_design_strings_stay_inside_single_quoted_literals(ps_parser: Any) -> None:
    doc = hostile(json.loads((ROOT / "resources" / "examples" / "three-tier-hosting.hvd").read_text("utf-8")))
    script = export(doc, force=True)
    tree = parse(ps_parser, script)
    source = script.encode("utf-8")
    seen = 0
    for marker in MARKERS:
        for match in re.finditer(re.escape(marker.encode()), source):
            node = tree.root_node.descendant_for_byte_range(match.start(), match.end())
            while node is not None and node.type != "verbatim_string_characters":
                node = node.parent
            assert node is not None, f"{marker} at byte {match.start()} is outside a string"
            seen += 1
    assert seen > 50  # names, FQDNs, paths, trust groups, the title, the findings
    assert not any(any(m in line for m in MARKERS) for line in script.splitlines()
                   if line.lstrip().startswith("#"))


def test_the_cli_writes_the_script_and_refuses_training(tmp_path: Path) -> None:
    out = tmp_path / "deploy.ps1"
    run = [sys.executable, "-m", "hvdesigner", "export", "--to", "ps1", "-o", str(out)]
    done = subprocess.run([*run, str(ROOT / "resources/examples/two-sites-certificates.hvd")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf<#")
    refused = subprocess.run([*run, str(ROOT / "resources/examples/training.hvd")],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2
    assert "error findings" in refused.stderr and "--force" in refused.stderr
    forced = subprocess.run([*run, "--force", str(ROOT / "resources/examples/training.hvd")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert forced.returncode == 0, forced.stderr
    assert "# BLOCKED" in out.read_text("utf-8-sig")


@pytest.mark.parametrize("doc", [designs.rich_design(), designs.SPEC_EXAMPLE,
                                 {"format": "hvdesigner", "version": 1}], ids=["rich", "spec", "empty"])
def test_the_test_designs_export_scripts_that_parse(ps_parser: Any, doc: dict[str, Any]) -> None:
    parse(ps_parser, export(doc, force=True))
