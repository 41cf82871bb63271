"""``hvdesigner capacity DESIGN``: text, JSON and CSV on every bundled example, the JSON
contract, agreement with the SZ findings, safe output and the exit codes of ``validate``."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from hvdesigner.capacity.bandwidth import replication_mbps, wan_load_mbps
from hvdesigner.cli import main
from hvdesigner.fileformat import load
from hvdesigner.rules.engine import Checker
from tests.designs import SPEC_EXAMPLE

EXAMPLES = sorted((Path(__file__).parents[2] / "resources" / "examples").glob("*.hvd"))
CONTRACT = {
    "wan_links": {"id": str, "bandwidth_mbps": (int, float), "load_mbps": (int, float),
                  "utilization": (int, float)},
    "replications": {"id": str, "required_mbps": (int, float), "rpo_s": (int, float, type(None))},
    "vms": {"id": str, "required_mbps": (int, float),
            "initial_replication_hours": (int, float, type(None)),
            "resync_after_outage_hours": (int, float, type(None)),
            "replica_storage_gb": (int, float)},
    "servers": {"id": str, "replica_storage_gb": (int, float)},
}


def run(capsys: pytest.CaptureFixture[str], *args: Any) -> tuple[int, str, str]:
    code = main(["capacity", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_json_holds_the_contract_and_agrees_with_the_sz_rules(capsys: Any, example: Path) -> None:
    code, out, err = run(capsys, example, "--format", "json")
    assert code == 0 and err == ""
    report = json.loads(out)
    for table, fields in CONTRACT.items():
        for row in report[table]:
            for name, kind in fields.items():
                assert isinstance(row[name], kind), (table, name)
    design = load(example)
    assert {w["id"] for w in report["wan_links"]} == set(design.wan_links)
    assert {r["id"] for r in report["replications"]} == set(design.replications)
    assert {v["id"] for v in report["vms"]} == set(design.vms)
    findings = Checker(design, dt.date(2026, 1, 1)).check_all()
    sz = {rule: {f.subjects[0] for f in findings if f.rule == rule} for rule in ("SZ-01", "SZ-02")}
    for wan in report["wan_links"]:
        # (figures to six significant digits: the flags decide, not a rounded fraction)
        assert wan["load_mbps"] == pytest.approx(wan_load_mbps(design, wan["id"]), rel=1e-6)
        assert wan["utilization"] == pytest.approx(wan["load_mbps"] / wan["bandwidth_mbps"], rel=1e-5)
        assert wan["over_bandwidth"] == (wan["id"] in sz["SZ-01"])
        assert (wan["id"] in sz["SZ-02"]) == (wan["over_ceiling"] and not wan["over_bandwidth"])
    for rep in report["replications"]:
        assert rep["required_mbps"] == pytest.approx(replication_mbps(design, rep["id"]), rel=1e-6)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_text_and_csv_list_every_table(capsys: Any, example: Path) -> None:
    code, text, _ = run(capsys, example)
    assert code == 0
    for title in ("WAN links", "Replications", "VMs", "Target servers"):
        assert title in text
    code, out, _ = run(capsys, example, "--format", "csv")
    assert code == 0
    tables = {row[0] for row in csv.reader(io.StringIO(out)) if row}
    assert tables >= {"table", "vms", "replications"}
    report = json.loads(run(capsys, example, "--format", "json")[1])
    rows = [r for r in csv.reader(io.StringIO(out)) if r and r[0] == "vms"]
    assert len(rows) == len(report["vms"])


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_a_design_with_nothing_to_size_has_empty_tables(capsys: Any, tmp_path: Path, fmt: str) -> None:
    empty = tmp_path / "empty.hvd"
    empty.write_text('{"format": "hvdesigner", "version": 1}')
    code, out, err = run(capsys, empty, "--format", fmt)
    assert code == 0 and err == ""
    if fmt == "json":
        assert all(json.loads(out)[table] == [] for table in CONTRACT)
    else:
        assert "vms" in out.lower()


def test_the_window_decides_when_media_seeding_is_recommended(capsys: Any) -> None:
    training = next(p for p in EXAMPLES if p.stem == "training")
    wide = json.loads(run(capsys, training, "--format", "json", "--window-hours", "1000")[1])
    narrow = json.loads(run(capsys, training, "--format", "json", "--window-hours", "1")[1])
    assert wide["window_hours"] == 1000
    assert not any(v["media_recommended"] for v in wide["vms"])
    assert any(v["media_recommended"] for v in narrow["vms"])


def test_a_name_is_text_in_a_spreadsheet_and_plain_on_a_terminal(capsys: Any, tmp_path: Path) -> None:
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["vms"][0]["name"] = '=HYPERLINK("http://evil","x")'
    doc["hosts"][1]["name"] = "@SUM(1)\x1b[2J"
    doc["wan_links"][0]["name"] = "-2+3\u202e"
    path = tmp_path / "evil.hvd"
    path.write_text(json.dumps(doc))
    code, out, _ = run(capsys, path, "--format", "csv")
    assert code == 0
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in cells
    assert "'@SUM(1)\\x1b[2J" in cells and "'-2+3\\u202e" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    code, text, _ = run(capsys, path)
    assert "\x1b" not in text and "\u202e" not in text and "@SUM(1)\\x1b[2J" in text


def test_a_broken_file_exits_2_with_the_json_path(capsys: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.hvd"
    broken.write_text('{"format": "hvdesigner", "version": 1, "sites": [{"id": "x"}]}')
    code, out, err = run(capsys, broken)
    assert code == 2 and out == ""
    assert f"{broken}: cannot open this design (1 problem)" in err
    assert "/sites/0: missing required key 'name'" in err
    code, _, err = run(capsys, tmp_path / "nope.hvd")
    assert code == 2 and "No such file or directory" in err
    code, _, err = run(capsys, EXAMPLES[0], "--window-hours", "0")
    assert code == 2 and "--window-hours" in err
    with pytest.raises(SystemExit) as caught:
        main(["capacity", str(EXAMPLES[0]), "--format", "xml"])
    assert caught.value.code == 2


def test_help_stays_fast_and_loads_neither_qt_nor_the_capacity_model() -> None:
    code = ("import sys, time; t = time.perf_counter(); import hvdesigner.cli as c;"
            "sys.argv = ['hvdesigner', '--help']\n"
            "try:\n c.main()\nexcept SystemExit: pass\n"
            "print(time.perf_counter() - t, 'hvdesigner.capacity.model' in sys.modules,"
            " any(m.startswith('PySide6') for m in sys.modules), file=sys.stderr)")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert time.perf_counter() - started < 3  # (a loaded machine; the 0.3 s figure is the report's)
    seconds, model, qt = result.stderr.split()
    assert model == "False" and qt == "False"
    assert "hvdesigner capacity DESIGN" in " ".join(result.stdout.split())
