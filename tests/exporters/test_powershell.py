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
from hvdesigner.exporters.recovery import subnet_mask
from hvdesigner.fileformat.loader import loads
from hvdesigner.rules.engine import Checker
from tests import designs
from tests.exporters.conftest import recovery_design

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
    assert markers_in_literals(ps_parser, script) > 50  # names, FQDNs, paths, trust groups,
    # the title, the findings


def markers_in_literals(ps_parser: Any, script: str) -> int:
    """How many hostile markers the script holds, each asserted inside a single-quoted
    literal, and none in a comment."""
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
    assert not any(any(m in line for m in MARKERS) for line in script.splitlines()
                   if line.lstrip().startswith("#"))
    return seen


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


# ------------------------------------------------------------------ recovery planning
def _names(script: str) -> dict[str, str]:
    """The data section's VM variables: {"$VM1": "DC1", ...}."""
    return {f"$VM{n}": unquote(literal) for n, literal in
            re.findall(r"^\$VM(\d+) = @\{\r\n    Name = (.*)\r$", script, re.MULTILINE)}


def test_failover_networking_is_set_on_every_replica(ps_parser: Any) -> None:
    doc = recovery_design()
    ext1 = next(v for v in doc["vms"] if v["id"] == "ext1")
    ext1.update(failover_ip={"address": "172.16.5.9", "prefix_length": 8}, test_switch="Lab")
    script = export(doc, force=True)
    parse(ps_parser, script)
    vars = {name: var for var, name in _names(script).items()}
    assert ("$VM1 = @{\r\n    Name = 'DC1'\r\n    Excluded = @()  # disks not replicated\r\n"
            "    FailoverAddress = @{ IPv4Address = '10.2.0.10'; IPv4SubnetMask = '255.255.255.0'; "
            "IPv4PreferredDNSServer = '10.2.0.11'; IPv4AlternateDNSServer = '10.2.0.12' }\r\n}") in script
    assert ("    FailoverAddress = @{ IPv4Address = '10.2.1.20'; IPv4SubnetMask = '255.255.254.0'; "
            "IPv4DefaultGateway = '10.2.0.1'; IPv4PreferredDNSServer = '10.2.0.10' }\r\n"
            "    TestSwitch = 'Isolated'\r\n") in script
    assert "    FailoverAddress = @{ IPv4Address = '172.16.5.9'; IPv4SubnetMask = '255.0.0.0' }" in script
    section = script[script.index("# 9. Failover networking"):]
    steps = re.findall(r"^Invoke-Step -On \$(\w+)\.Fqdn -Action \('Set the (failover address|test "
                       r"failover switch) of ' \+ (\$VM\d+)\.Name\) -With \3\.Name, \3\.(\w+) -Do "
                       r"\$(\w+)\r$", section, re.MULTILINE)
    hosts = {h["id"]: f"Host{n}" for n, h in enumerate(doc["hosts"], 1)}
    assert [(host, vm, key) for host, _, vm, key, _ in steps] == [
        (hosts["dr1"], vars["DC1"], "FailoverAddress"),
        (hosts["dr1"], vars["SQL1"], "FailoverAddress"), (hosts["dr1"], vars["SQL1"], "TestSwitch"),
        (hosts["dr1"], vars["APP1"], "TestSwitch"),
        # on its replica and on its extended replica
        (hosts["hq2"], vars["EXT1"], "FailoverAddress"), (hosts["hq2"], vars["EXT1"], "TestSwitch"),
        (hosts["c1"], vars["EXT1"], "FailoverAddress"), (hosts["c1"], vars["EXT1"], "TestSwitch")]
    assert {block for *_, block in steps} == {"SetFailoverAddress", "SetTestSwitch"}
    assert "Set-VMNetworkAdapterFailoverConfiguration -VMName $VMName @Address" in script
    assert "Set-VMNetworkAdapter -VMName $VMName -TestReplicaSwitchName $Switch" in script


def test_a_clustered_replica_is_set_on_the_node_that_owns_it() -> None:
    script = export(designs.rich_design(), force=True)
    section = script[script.index("# 9. Failover networking"):]
    assert ("Invoke-Step -On (Get-OwnerNode $Cluster2.Fqdn $VM2.Name) -Action ('Set the failover "
            "address of ' + $VM2.Name)") in section
    assert "$Cluster2 = @{\r\n    Name = 'CLB'" in script and _names(script)["$VM2"] == "SQL1"


@pytest.mark.parametrize("prefix, mask", [(0, "0.0.0.0"), (8, "255.0.0.0"), (23, "255.255.254.0"),
                                          (24, "255.255.255.0"), (32, "255.255.255.255")])
def test_the_prefix_length_is_written_as_a_dotted_mask(prefix: int, mask: str) -> None:
    doc = recovery_design()
    doc["vms"][0]["failover_ip"] = {"address": "10.2.0.10", "prefix_length": prefix}
    assert subnet_mask(prefix) == mask
    assert (f"FailoverAddress = @{{ IPv4Address = '10.2.0.10'; IPv4SubnetMask = '{mask}' }}"
            in export(doc, force=True))


def test_the_failover_run_starts_the_lost_sites_vms_group_by_group(ps_parser: Any) -> None:
    script = export(recovery_design(), force=True)
    parse(ps_parser, script)
    assert "[string]$FailOverLostSite," in script
    run = script[script.index("if ($FailOverLostSite) {"):script.index("# 1. Firewall")]
    assert run.index("-Do $FailOver") > run.index("throw ('Not the name or id of one site: '")
    names = _names(script)
    hq = run[run.index("if ($Lost[0].Id -eq $Site1.Id) {"):]
    events = re.findall(r"^        (?:Write-Host '(.*)'|\$Result = Invoke-Step -On \$On -Action \('Fail "
                        r"over ' \+ (\$VM\d+)\.Name\) -With \2\.Name, \$(true|false|Start) -Do "
                        r"\$FailOver|(Wait-Group) \$Group)\r$", hq, re.MULTILINE)
    shown = [label or wait or names[vm] for label, vm, _, wait in events]
    assert shown == ["Group 1", "DC1", "SQL1", "Wait-Group", "Group 2", "APP1", "Wait-Group",
                     "Group 3", "EXT1", "Wait-Group", "No group (last)", "WEB1", "Wait-Group"]
    # each VM on the server it comes back on, the extended one on C1
    assert "        $On = $Host4.Fqdn\r\n        $Result = Invoke-Step -On $On -Action ('Fail over ' + $VM5" in hq
    assert "Write-Warning ('Lost, not recoverable: ' + 'LOST1')" in hq
    assert "Write-Warning ('Down, not recoverable: ' + 'DOWN1')" in hq
    # nothing of the deployment runs in a failover
    assert run.rstrip("\r\n#= ").endswith("    return\r\n}")


def _hq_run(script: str) -> str:
    run = script[script.index("if ($FailOverLostSite) {"):script.index("# 1. Firewall")]
    return run[run.index("if ($Lost[0].Id -eq $Site1.Id) {"):].replace("\r\n", "\n")


def test_a_vm_with_disks_to_recreate_is_failed_over_but_left_for_the_operator_to_start(
        ps_parser: Any) -> None:
    """SQL1 has a disk to recreate: failed over, not started, not waited for (the group's wait
    would time out and stop the whole run), and named at the end of the run."""
    doc = recovery_design()
    doc["vms"][1]["disks"].append({"id": "pf", "name": "pf.vhdx", "role": "pagefile",
                                   "size_gb": 8, "replicate": False})
    script = export(doc, force=True)
    parse(ps_parser, script)
    assert "-With $VM2.Name, $false -Do $FailOver" in script
    assert "-With $VM1.Name, $true -Do $FailOver" in script
    # what the run did with each VM is kept, and the waits pass over those not started
    assert '$Group += @{ On = $On; VMName = $VM2.Name; Result = "$Result" }' in script
    assert ("    foreach ($Member in @($Members | Where-Object { $_.Result -ne 'not started' })) {"
            in script)
    assert ("        $NotStarted += @($Group | Where-Object { $_.Result -eq 'not started' })\n"
            in _hq_run(script))
    assert ("    foreach ($Member in $NotStarted) {\n        Write-Warning ('Failed over, not "
            "started: ' + $Member.VMName") in script.replace("\r\n", "\n")


def test_a_run_again_skips_what_is_done_and_waits_for_dependencies_in_the_group(
        ps_parser: Any) -> None:
    """SQL1 depends on DC1, both in group 1: it starts once DC1 runs and answers, and only if
    DC1 was started (not left for the operator). The failover block, run again, neither
    fails over a replica already failed over nor starts a VM already running."""
    script = export(recovery_design(), force=True)
    parse(ps_parser, script)
    block = script[script.index("$FailOver = {"):script.index("function Wait-Group")]
    block = block.replace("\r\n", "\n")
    running = block.index("if ((Get-VM -Name $VMName).State -eq 'Running') { return 'running' }")
    skip = block.index("if (\"$((Get-VMReplication -VMName $VMName).State)\" -notlike 'Fail*Over*') {\n"
                       "        Start-VMFailover")
    assert running < skip < block.index("Start-VM -VMName $VMName")
    hq = _hq_run(script)
    dc1, sql1 = hq.index("-With $VM1.Name, $true -Do $FailOver"), hq.index("-Do $FailOver", hq.index(
        "-With $VM2.Name"))
    sql = hq[dc1:sql1 + 20]
    assert ("$Needs = @($Group | Where-Object { $_.VMName -in @($VM1.Name) })\n        Wait-Group "
            "$Needs\n        $Start = -not @($Needs | Where-Object { $_.Result -eq 'not started' })"
            ".Count\n        $Result = Invoke-Step -On $On -Action ('Fail over ' + $VM2.Name) -With "
            "$VM2.Name, $Start -Do $FailOver") in sql
    # a dependency in an earlier group is waited for by that group's wait, not again
    app = hq[hq.index("Write-Host 'Group 2'"):hq.index("Write-Host 'Group 3'")]
    assert "$Needs" not in app and "-With $VM3.Name, $true" in app
    # each group's wait has its own time
    assert hq.count("$Deadline = (Get-Date).AddMinutes($GroupTimeoutMinutes)") == 4


def test_hostile_vm_switch_and_site_names_stay_literals(ps_parser: Any) -> None:
    doc = recovery_design()
    for entity in (*doc["vms"], *doc["sites"]):
        entity["name"] += HOSTILE
    for vm in doc["vms"]:
        if vm.get("test_switch"):
            vm["test_switch"] += HOSTILE
    doc["hosts"][2]["switches"] = [s + HOSTILE for s in doc["hosts"][2]["switches"]]
    script = export(doc, force=True)
    run = script[script.index("if ($FailOverLostSite) {"):]
    assert "-Do $FailOver" in run and "-Do $SetTestSwitch" in run
    # the VMs' names (data, not-recoverable warnings), the switches, the sites
    assert markers_in_literals(ps_parser, script) >= 4 * (8 + 2 + 2 + 3)


def test_dns_servers_past_the_second_are_said_to_be_left_out(ps_parser: Any) -> None:
    doc = recovery_design()
    doc["vms"][0]["failover_ip"]["dns"] = ["10.2.0.11", "10.2.0.12", "10.2.0.13"]
    script = export(doc, force=True)
    parse(ps_parser, script)
    assert ("    FailoverAddress = @{ IPv4Address = '10.2.0.10'; IPv4SubnetMask = '255.255.255.0'; "
            "IPv4PreferredDNSServer = '10.2.0.11'; IPv4AlternateDNSServer = '10.2.0.12' }  # Hyper-V "
            "sets two DNS servers: set the others in the guest after failover\r\n") in script
    assert "10.2.0.13" not in script  # (no parameter takes it)
    assert "set the others in the guest" not in export(recovery_design(), force=True)
