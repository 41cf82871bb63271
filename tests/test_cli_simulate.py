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
from hvdesigner.fileformat import load
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
    assert "96 of 64 GB" in hv2 and "4 of 4 cores" in hv2 and hv2.endswith("over memory")
    assert "\x1b" not in out


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
