"""``hvdesigner simulate DESIGN [--lose SITE]... [--format text|json]``: the JSON contract on
every bundled example, a hand-worked scenario, agreement with RCV-01, safe text and the exit
codes of ``validate``'s usage errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from hvdesigner.cli import main
from hvdesigner.exporters.formats import ExportOptions
from hvdesigner.exporters.runbook import render as runbook_markdown
from hvdesigner.fileformat import load
from hvdesigner.recovery.words import data_loss_bound
from hvdesigner.rules.engine import Checker
from tests.rules.conftest import add_host, add_replication, add_vm, baseline, find

EXAMPLES = sorted((Path(__file__).parents[1] / "resources" / "examples").glob("*.hvd"))
NUMBER = (int, float)
CONTRACT = {
    "vms": {"id": str, "status": str, "runs_on": (str, type(None)),
            "rpo_s": (int, type(None)), "start_order": (int, type(None))},
    "servers": {"id": str, "memory_demand_gb": NUMBER, "memory_gb": (*NUMBER, type(None)),
                "vcpu_demand": int, "cores": (int, type(None)), "unknown_vms": int},
}


def run(capsys: pytest.CaptureFixture[str], *args: Any) -> tuple[int, str, str]:
    code = main(["simulate", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


def _design(tmp_path: Path) -> Path:
    """APP1 (96 GB, group 1) recovers on HV2 (64 GB) when HQ is lost; WEB1 depends on it and
    replicates within HQ (lost); TMP1 is not replicated (down); a name with an escape."""
    doc = baseline()
    find(doc, "hv2").update(memory_gb=64, cores=4)
    find(doc, "app1").update(memory_gb=96, vcpus=4, recovery_group=1)
    add_host(doc, "hvq", "hq")
    add_vm(doc, "web1", "hv1", depends_on=["app1"], memory_gb=8, vcpus=2)
    add_vm(doc, "tmp1", "hv1", name="TMP1\x1b[2J")
    add_replication(doc, "r2", "hv1", "hvq", ["web1"])
    path = tmp_path / "design.hvd"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_json_holds_the_contract_for_each_site_lost_in_turn(capsys: Any, example: Path) -> None:
    code, out, err = run(capsys, example, "--format", "json")
    assert code == 0 and err == ""
    design = load(example)
    scenarios = json.loads(out)["scenarios"]
    assert [s["lost"] for s in scenarios] == [[site] for site in sorted(design.sites)]
    for s in scenarios:
        assert {v["id"] for v in s["vms"]} == set(design.vms)
        for table, fields in CONTRACT.items():
            for row in s[table]:
                for name, kind in fields.items():
                    assert isinstance(row[name], kind), (table, name, row[name])
        assert all(v["status"] in ("running", "recovered", "lost", "down") for v in s["vms"])
        assert not any(design.get(row["id"]).site in s["lost"] for row in s["servers"])


def test_one_scenario_worked_by_hand(capsys: Any, tmp_path: Path) -> None:
    code, out, _ = run(capsys, _design(tmp_path), "--lose", "hq", "--format", "json")
    assert code == 0
    (s,) = json.loads(out)["scenarios"]
    assert s["lost"] == ["hq"]
    vms = {v["id"]: (v["status"], v["runs_on"], v["rpo_s"], v["start_order"]) for v in s["vms"]}
    assert vms == {"app1": ("recovered", "hv2", 600, 1), "web1": ("lost", None, None, None),
                   "tmp1": ("down", None, None, None)}
    (hv2,) = s["servers"]
    assert {k: hv2[k] for k in CONTRACT["servers"]} == {
        "id": "hv2", "memory_demand_gb": 96, "memory_gb": 64, "vcpu_demand": 4, "cores": 4,
        "unknown_vms": 0}
    assert (hv2["vcpu_capacity"], hv2["over_cores"]) == (32, False)  # 4 cores × 8 per core
    findings = Checker(load(_design(tmp_path)), dt.date(2026, 1, 1)).check_all()
    assert [f.subjects for f in findings if f.rule == "RCV-01"] == [("hv2", "hq")]


def test_two_sites_lost_at_once(capsys: Any, tmp_path: Path) -> None:
    code, out, _ = run(capsys, _design(tmp_path), "--lose", "hq", "--lose", "dr",
                       "--format", "json")
    (s,) = json.loads(out)["scenarios"]
    assert code == 0 and s["lost"] == ["dr", "hq"] and s["servers"] == []
    assert {v["id"]: v["status"] for v in s["vms"]} == {
        "app1": "lost", "web1": "lost", "tmp1": "down"}


def test_text_reads_as_a_recovery_plan(capsys: Any, tmp_path: Path) -> None:
    code, out, err = run(capsys, _design(tmp_path), "--lose", "hq")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Loss of site HQ"
    assert lines[lines.index("Recovered, in start order (1)") + 2].split() == [
        "APP1", "1", "1", "HV2", "≤", "10", "min"]
    assert "Lost (1): WEB1" in lines and r"Down (1): TMP1\x1b[2J" in lines
    (hv2,) = [line for line in lines if line.lstrip().startswith("HV2 ")]
    assert "96 / 64 GB" in hv2 and "4 / 32 vCPU (4 cores, 8 per core)" in hv2
    assert hv2.endswith("over memory")
    assert "\x1b" not in out


def test_text_lists_a_server_over_capacity_that_takes_no_vm_and_counts_the_others(
        capsys: Any, tmp_path: Path) -> None:
    """Losing HQ, HV2 takes APP1; HVS (DR) is over its vCPUs with its own VM (the plan must
    say so: RCV-03 fires on it); HVX (DR) runs its own, as in normal operation."""
    path = _design(tmp_path)
    doc = json.loads(path.read_text())
    add_host(doc, "hvs", "dr", memory_gb=64, cores=1)
    add_vm(doc, "big1", "hvs", memory_gb=4, vcpus=9)  # (9 vCPUs on 1 core at 8 per core)
    add_host(doc, "hvx", "dr", memory_gb=64, cores=8)
    path.write_text(json.dumps(doc))
    _, out, _ = run(capsys, path, "--lose", "hq")
    lines = out.splitlines()
    start = lines.index("Servers VMs recover to, or over capacity (2)")
    assert [line.split()[0] for line in lines[start + 2:start + 4]] == ["HV2", "HVS"]
    assert lines[start + 3].split()[2:] == [
        "4", "/", "64", "GB", "9", "/", "8", "vCPU", "(1", "core,", "8", "per", "core)", "0",
        "over", "vCPUs"]
    assert "1 other surviving server runs as in normal operation." in lines
    findings = Checker(load(path), dt.date(2026, 1, 1)).check_all()
    assert [f.subjects for f in findings if f.rule == "RCV-03"] == [("hvs",)]  # (in any scenario)


def test_data_loss_reads_as_in_the_runbook_and_the_designer(capsys: Any, tmp_path: Path) -> None:
    path = _design(tmp_path)
    _, out, _ = run(capsys, path, "--lose", "hq")
    (app1,) = [line for line in out.splitlines() if line.lstrip().startswith("APP1 ")]
    runbook = runbook_markdown(load(path), [], ExportOptions()).decode()
    assert app1.endswith(" ≤ 10 min") and data_loss_bound(600) == "≤ 10 min"
    assert "- Data loss: up to 10 min" in runbook


def test_without_lose_each_site_in_turn_as_text(capsys: Any, tmp_path: Path) -> None:
    _, out, _ = run(capsys, _design(tmp_path))
    assert [line for line in out.splitlines() if line.startswith("Loss of")] == [
        "Loss of site DR", "Loss of site HQ"]


def test_an_unknown_site_names_the_known_ones_and_exits_2(capsys: Any, tmp_path: Path) -> None:
    code, out, err = run(capsys, _design(tmp_path), "--lose", "hq", "--lose", "paris")
    assert code == 2 and out == ""
    assert err == ("hvdesigner simulate: --lose names no site of this design: paris. "
                   "Its sites: hq (HQ), dr (DR).\n")


def test_a_broken_or_missing_file_exits_2_with_the_loaders_reasons(
        capsys: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.hvd"
    broken.write_text(json.dumps({**baseline(), "sites": [{"id": "hq"}]}))
    code, out, err = run(capsys, broken)
    assert code == 2 and out == ""
    assert f"{broken}: cannot open this design" in err and "/sites/0" in err
    code, _, err = run(capsys, tmp_path / "nope.hvd")
    assert code == 2 and "No such file or directory" in err
    with pytest.raises(SystemExit) as caught:
        main(["simulate", str(broken), "--format", "xml"])
    assert caught.value.code == 2
