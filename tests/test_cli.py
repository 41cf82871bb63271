"""The command line as CI pipelines and architects use it: exit codes, formats, errors."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hvdesigner import __version__
from hvdesigner.cli import main
from tests.designs import SPEC_EXAMPLE

EXAMPLES = Path(__file__).parents[1] / "resources" / "examples"
CLEAN = EXAMPLES / "two-sites-certificates.hvd"
TRAINING = EXAMPLES / "training.hvd"


def run(capsys: pytest.CaptureFixture[str], *args: Any) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, doc: dict[str, Any], name: str = "design.hvd") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def test_a_clean_design_exits_0_and_says_so(capsys: Any) -> None:
    code, out, err = run(capsys, "validate", CLEAN)
    assert code == 0 and err == ""
    assert out.splitlines()[0] == f"{CLEAN}: 0 errors, 0 warnings, 4 info"  # DSK-06
    assert "DSK-06" in out and "fix: Plan to recreate the disk" in out


def test_errors_exit_1_unless_told_never(capsys: Any) -> None:
    assert run(capsys, "validate", TRAINING)[0] == 1
    assert run(capsys, "validate", TRAINING, "--fail-on", "never")[0] == 0


def test_fail_on_warning_counts_warnings(capsys: Any, tmp_path: Path) -> None:
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["replications"][0]["compression"] = False  # VM-04, a warning
    path = write(tmp_path, doc)
    assert run(capsys, "validate", path)[0] == 0
    assert run(capsys, "validate", path, "--fail-on", "warning")[0] == 1


def test_suppressed_findings_are_listed_but_do_not_fail(capsys: Any, tmp_path: Path) -> None:
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["replications"][0]["frequency_s"] = 60  # VM-01, an error
    doc["suppressions"] = [{"rule": "VM-01", "subject": "r1", "reason": "lab only"}]
    doc["hosts"][0]["windows_firewall"] = {"https_listener": True}  # failback reaches HV1
    code, out, _ = run(capsys, "validate", write(tmp_path, doc))
    assert code == 0
    assert "VM-01" in out and "(suppressed: lab only)" in out
    assert out.splitlines()[0].endswith("0 errors, 0 warnings, 2 info")  # DSK-06, NET-05


def test_json_output_has_the_documented_shape(capsys: Any) -> None:
    code, out, _ = run(capsys, "validate", TRAINING, "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["file"] == str(TRAINING)
    assert set(report) == {"file", "findings", "summary"}
    assert set(report["summary"]) == {"error", "warning", "info"}
    first = report["findings"][0]
    assert set(first) == {"rule", "severity", "message", "subjects", "fix", "suppressed", "reason"}
    assert report["summary"]["error"] == sum(f["severity"] == "error" for f in report["findings"])


def test_json_output_for_several_files_is_a_list(capsys: Any) -> None:
    _, out, _ = run(capsys, "validate", CLEAN, TRAINING, "--format", "json")
    assert [r["file"] for r in json.loads(out)] == [str(CLEAN), str(TRAINING)]


def test_sarif_output_meets_what_code_scanning_needs(
        capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent.parent)  # a checkout's root, as in CI
    code, out, _ = run(capsys, "validate", TRAINING, "--format", "sarif")
    sarif = json.loads(out)
    assert code == 1 and sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "hvdesigner" and driver["version"] == __version__
    rules = driver["rules"]
    assert len(rules) == 65 and rules[0]["id"] == "TOP-01"  # catalog v2
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in rules)
    assert "Hyper-V Replica Broker" in next(r for r in rules if r["id"] == "BRK-01")["help"]["text"]
    results = sarif["runs"][0]["results"]
    assert results
    lines = TRAINING.read_text().splitlines()
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"} and result["message"]["text"]
        location = result["locations"][0]
        assert location["physicalLocation"]["artifactLocation"] == {
            "uri": "resources/examples/training.hvd", "uriBaseId": "%SRCROOT%", "index": 0}
        region = location["physicalLocation"]["region"]
        first_subject = location["logicalLocations"][0]["fullyQualifiedName"].split("/")[1]
        declared = f'"id": "{first_subject}"'
        assert region["startLine"] == region["endLine"]
        assert lines[region["startLine"] - 1][region["startColumn"] - 1:].startswith(declared)
        assert region["endColumn"] - region["startColumn"] == len(declared)
        assert result["partialFingerprints"]["hvdesignerFinding/v2"]


def test_as_of_decides_whether_a_certificate_has_expired(capsys: Any, tmp_path: Path) -> None:
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["hosts"][1]["certificates"][0]["expires"] = "2027-03-31"
    path = write(tmp_path, doc)
    assert run(capsys, "validate", path, "--as-of", "2027-03-31")[0] == 0  # valid through that day
    code, out, _ = run(capsys, "validate", path, "--as-of", "2027-04-01")
    assert code == 1 and "CERT-02" in out


def test_an_invalid_file_exits_2_with_the_problems_on_stderr(capsys: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.hvd"
    broken.write_text('{"format": "hvdesigner", "version": 1, "sites": [{"id": "x"}]}')
    code, out, err = run(capsys, "validate", CLEAN, broken)
    assert code == 2
    assert f"{broken}: cannot open this design (1 problem)" in err
    assert "/sites/0: missing required key 'name'" in err
    assert out.startswith(f"{CLEAN}: 0 errors")  # the good file is still reported


def test_a_missing_file_exits_2(capsys: Any, tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", tmp_path / "nope.hvd")
    assert code == 2 and "cannot read the file: No such file or directory" in err


@pytest.mark.parametrize("args, message", [
    (["validate", "x.hvd", "--as-of", "2026-02-30"], "'2026-02-30' is not a date in the form YYYY-MM-DD"),
    (["validate", "x.hvd", "--format", "xml"], "invalid choice: 'xml'"),
])
def test_bad_arguments_exit_2_with_usage(capsys: Any, args: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2 and message in capsys.readouterr().err


def test_the_designer_without_a_display_renders_a_picture_instead(
        capsys: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.chdir(tmp_path)
    result = subprocess.run([sys.executable, "-m", "hvdesigner", str(CLEAN)],
                            capture_output=True, text=True, env={**os.environ, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "no display" in result.stderr and "xvfb-run" in result.stderr
    picture = tmp_path / "hvdesigner-two-sites-certificates.png"
    assert picture.read_bytes().startswith(b"\x89PNG")


def test_screenshot_writes_the_window_in_the_asked_size_and_theme(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    result = subprocess.run([sys.executable, "-m", "hvdesigner", str(CLEAN), "--screenshot",
                             str(out), "--theme", "dark", "--size", "1200x800"],
                            capture_output=True, text=True, env={**os.environ, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)
    assert image.pixelColor(5, image.height() // 2).lightness() < 80  # a dark window


def test_screenshot_of_a_broken_design_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.hvd"
    broken.write_text("{}")
    result = subprocess.run([sys.executable, "-m", "hvdesigner", str(broken), "--screenshot",
                             str(tmp_path / "x.png")], capture_output=True, text=True,
                            env={**os.environ, "HOME": str(tmp_path)})
    assert result.returncode == 2 and "not an hvdesigner design" in result.stderr


def test_help_names_the_validate_command(capsys: Any) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    assert "hvdesigner validate FILE" in " ".join(capsys.readouterr().out.split())


def test_the_installed_command_never_shows_a_traceback(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.hvd"
    garbage.write_bytes(bytes(range(256)) * 100)
    result = subprocess.run([sys.executable, "-m", "hvdesigner", "validate", str(garbage)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "not UTF-8 text" in result.stderr and "Traceback" not in result.stderr
    version = subprocess.run([sys.executable, "-m", "hvdesigner", "--version"],
                             capture_output=True, text=True)
    assert version.stdout.strip() == f"hvdesigner {__version__}"


def test_export_refuses_a_read_only_output_and_writes_nothing_half(tmp_path: Path) -> None:
    import subprocess
    import sys
    out = tmp_path / "diagram.drawio"
    out.write_text("mine")
    out.chmod(0o444)
    design = Path(__file__).parents[1] / "resources" / "examples" / "two-sites-certificates.hvd"
    result = subprocess.run([sys.executable, "-m", "hvdesigner", "export", str(design), "--to", "drawio",
                             "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "read-only" in result.stderr
    assert out.read_text() == "mine" and [p.name for p in tmp_path.iterdir()] == ["diagram.drawio"]


def test_validate_starts_without_loading_the_graph_library(tmp_path: Path) -> None:
    # (networkx was a third of validate's start-up; a design with a dependency cycle, RCV-05,
    # is the one check that used it)
    doc = {**copy.deepcopy(SPEC_EXAMPLE), "version": 2}  # (depends_on is new in version 2)
    first = doc["vms"][0]
    second = {**first, "id": first["id"] + "-b", "name": first["name"] + "-B",
              "disks": [{**d, "id": d["id"] + "-b"} for d in first.get("disks", [])],
              "depends_on": [first["id"]]}
    first["depends_on"] = [second["id"]]
    doc["vms"].append(second)
    design = tmp_path / "cycle.hvd"
    design.write_text(json.dumps(doc), encoding="utf-8")
    script = ("import sys; from hvdesigner.cli import main; code = main(['validate', sys.argv[1]]); "
              "print('networkx loaded' if 'networkx' in sys.modules else 'no networkx', code)")
    result = subprocess.run([sys.executable, "-c", script, str(design)],
                            capture_output=True, text=True, timeout=60)
    assert "RCV-05" in result.stdout
    assert result.stdout.splitlines()[-1] == "no networkx 1"
