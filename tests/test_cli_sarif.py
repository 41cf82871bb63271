"""`validate --format sarif` as GitHub and Azure DevOps code scanning read it: valid against
the official SARIF 2.1.0 schema, files as URIs they can resolve, fingerprints that tell results
apart, and files that were not checked said so."""

from __future__ import annotations

import copy
import json
import ntpath
import os
import posixpath
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from jsonschema import Draft4Validator, FormatChecker

from hvdesigner.exporters.locations import artifact_location, base_ids
from tests.designs import SPEC_EXAMPLE

EXAMPLES = Path(__file__).parents[1] / "resources" / "examples"
TRAINING = EXAMPLES / "training.hvd"
CLEAN = EXAMPLES / "two-sites-certificates.hvd"
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())

# RFC 3986: what a URI reference may hold (jsonschema checks "uri" only with rfc3987 installed)
_URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
FORMATS = FormatChecker(formats=())


@FORMATS.checks("uri-reference")
def _is_uri_reference(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI_REFERENCE.fullmatch(value))


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or (
        _is_uri_reference(value) and bool(re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", value)))


def schema_errors(sarif: dict[str, Any]) -> list[str]:
    validator = Draft4Validator(SCHEMA, format_checker=FORMATS)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(sarif)]


def sarif_of(*files: object, cwd: Path | None = None) -> tuple[int, dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "hvdesigner", "validate", "--format", "sarif", *map(str, files)],
        capture_output=True, text=True, timeout=60, cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})  # this checkout
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def results_of(sarif: dict[str, Any]) -> list[dict[str, Any]]:
    return list(sarif["runs"][0]["results"])


def uri_of(result: dict[str, Any]) -> str:
    return str(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])


def test_the_schema_check_is_not_vacuous() -> None:
    assert schema_errors({"version": "2.1.0", "runs": []}) == []
    assert schema_errors({"version": "2.0", "runs": [{}]})  # bad version, run without tool
    bad_uri = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                             "artifacts": [{"location": {"uri": "a b"}}]}]}
    assert any("is not a 'uri-reference'" in e for e in schema_errors(bad_uri))


def test_a_run_over_good_broken_and_oddly_named_files_is_valid_sarif(tmp_path: Path) -> None:
    odd = tmp_path / "designs" / "DR plan #2 (100% Zürich).hvd"
    odd.parent.mkdir()
    shutil.copy(TRAINING, odd)
    broken = tmp_path / "broken.hvd"
    broken.write_text('{"format": "hvdesigner", "version": 1, "sites": [{"id": "x"}]}')
    code, sarif = sarif_of(odd.relative_to(tmp_path), TRAINING, broken.name, "missing.hvd",
                           cwd=tmp_path)
    assert code == 2
    assert schema_errors(sarif) == []
    assert results_of(sarif)


def test_files_are_percent_encoded_uris_relative_to_the_checkout(tmp_path: Path) -> None:
    odd = tmp_path / "designs" / "DR plan #2 (100% Zürich).hvd"
    odd.parent.mkdir()
    shutil.copy(CLEAN, odd)
    elsewhere = tmp_path / "elsewhere dir"
    elsewhere.mkdir()
    _, sarif = sarif_of(Path("designs") / odd.name, CLEAN, cwd=elsewhere.parent)
    run = sarif["runs"][0]
    first, second = (a["location"] for a in run["artifacts"])
    assert first == {"uri": "designs/DR%20plan%20%232%20(100%25%20Z%C3%BCrich).hvd",
                     "uriBaseId": "%SRCROOT%"}
    assert unquote(first["uri"]) == f"designs/{odd.name}"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    assert second == {"uri": CLEAN.as_uri()}  # outside the working directory: absolute
    assert {uri_of(r) for r in results_of(sarif)} == {first["uri"], second["uri"]}


@pytest.mark.parametrize("pathmod, path, cwd, location", [
    (posixpath, "d/a b#1%.hvd", "/repo", {"uri": "d/a%20b%231%25.hvd", "uriBaseId": "%SRCROOT%"}),
    (posixpath, "./d/../Zürich.hvd", "/repo", {"uri": "Z%C3%BCrich.hvd", "uriBaseId": "%SRCROOT%"}),
    (posixpath, "/repo/sub/x.hvd", "/repo/", {"uri": "sub/x.hvd", "uriBaseId": "%SRCROOT%"}),
    (posixpath, "../x.hvd", "/repo/sub", {"uri": "file:///repo/x.hvd"}),
    (posixpath, "/srv/x y.hvd", "/repo", {"uri": "file:///srv/x%20y.hvd"}),
    (posixpath, "/repository/x.hvd", "/repo", {"uri": "file:///repository/x.hvd"}),
    # on Linux, a file really named like that: never the scheme "C"
    (posixpath, "C:\\x.hvd", "/repo", {"uri": "C%3A%5Cx.hvd", "uriBaseId": "%SRCROOT%"}),
    (posixpath, "a:b.hvd", "/repo", {"uri": "a%3Ab.hvd", "uriBaseId": "%SRCROOT%"}),
    (ntpath, "C:\\x.hvd", "D:\\repo", {"uri": "file:///C:/x.hvd"}),
    (ntpath, "C:\\x.hvd", "C:\\", {"uri": "x.hvd", "uriBaseId": "%SRCROOT%"}),
    (ntpath, "designs/a b.hvd", "C:\\repo", {"uri": "designs/a%20b.hvd", "uriBaseId": "%SRCROOT%"}),
    (ntpath, "c:\\REPO\\d\\x.hvd", "C:\\repo", {"uri": "d/x.hvd", "uriBaseId": "%SRCROOT%"}),
    (ntpath, "\\\\srv\\share\\d r\\x.hvd", "C:\\repo", {"uri": "file://srv/share/d%20r/x.hvd"}),
])
def test_uri_encoding(pathmod: Any, path: str, cwd: str, location: dict[str, str]) -> None:
    assert artifact_location(path, cwd, pathmod) == location
    assert urlsplit(location["uri"]).scheme in ("", "file")


@pytest.mark.parametrize("pathmod, cwd, uri", [
    (posixpath, "/repo", "file:///repo/"),
    (posixpath, "/", "file:///"),
    (posixpath, "/my repo/", "file:///my%20repo/"),
    (ntpath, "C:\\repo", "file:///C:/repo/"),
    (ntpath, "C:\\", "file:///C:/"),
])
def test_the_checkout_root_is_a_file_uri_ending_in_a_slash(pathmod: Any, cwd: str, uri: str) -> None:
    assert base_ids(cwd, pathmod)["%SRCROOT%"]["uri"] == uri


def test_fingerprints_tell_apart_files_holding_the_same_design(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(TRAINING, tmp_path / folder / "design.hvd")
    _, sarif = sarif_of("a/design.hvd", "b/design.hvd", cwd=tmp_path)
    results = results_of(sarif)
    prints = [r["partialFingerprints"]["hvdesignerFinding/v2"] for r in results]
    assert len(results) == 2 * len(results_of(sarif_of(TRAINING)[1]))
    assert len(set(prints)) == len(prints)
    # several results on one line of one file still differ
    lines = Counter((uri_of(r), r["locations"][0]["physicalLocation"]["region"]["startLine"])
                    for r in results)
    assert max(lines.values()) >= 2


def test_fingerprints_do_not_depend_on_where_the_checkout_is(tmp_path: Path) -> None:
    def prints(root: Path) -> list[str]:
        (root / "designs").mkdir(parents=True)
        shutil.copy(TRAINING, root / "designs" / "dr.hvd")
        _, sarif = sarif_of("designs/dr.hvd", cwd=root)
        return [r["partialFingerprints"]["hvdesignerFinding/v2"] for r in results_of(sarif)]

    assert prints(tmp_path / "one") == prints(tmp_path / "other" / "clone")


def test_files_that_do_not_load_are_notifications_of_an_unsuccessful_run(tmp_path: Path) -> None:
    broken = tmp_path / "broken.hvd"
    broken.write_text('{"format": "hvdesigner", "version": 1, "sites": [{"id": "x"}]}')
    code, sarif = sarif_of(CLEAN, broken.name, "missing.hvd", cwd=tmp_path)
    assert code == 2
    run = sarif["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 2
    notes = invocation["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"] for n in notes] == [
        {"uri": "broken.hvd", "uriBaseId": "%SRCROOT%", "index": 1},
        {"uri": "missing.hvd", "uriBaseId": "%SRCROOT%", "index": 2}]
    assert all(n["level"] == "error" and n["descriptor"]["id"] == "design-not-loaded" for n in notes)
    assert notes[0]["message"]["text"].splitlines() == [
        "broken.hvd: cannot open this design (1 problem)",
        "  /sites/0: missing required key 'name'"]
    assert "No such file or directory" in notes[1]["message"]["text"]
    assert {uri_of(r) for r in results_of(sarif)} == {CLEAN.as_uri()}  # the good file is checked


def test_a_run_where_every_file_loads_is_successful() -> None:
    code, sarif = sarif_of(TRAINING)
    (invocation,) = sarif["runs"][0]["invocations"]
    assert invocation == {"executionSuccessful": True, "exitCode": code,
                          "toolExecutionNotifications": []}
    assert code == 1


def test_rules_carry_help_links_precision_and_severity_for_code_scanning() -> None:
    _, sarif = sarif_of(CLEAN)
    severity = {"error": "error", "warning": "warning", "note": "recommendation"}
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["helpUri"].startswith("https://learn.microsoft.com/en-us/")
        properties = rule["properties"]
        assert properties["precision"] in {"very-high", "high"}
        assert properties["problem.severity"] == severity[rule["defaultConfiguration"]["level"]]


def test_a_design_on_one_line_gets_columns_in_utf16_code_units(tmp_path: Path) -> None:
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["title"] = "😀 DR"  # before every id: one code point, two UTF-16 code units
    doc["replications"][0]["frequency_s"] = 60  # VM-01 on r1
    path = tmp_path / "one-line.hvd"
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    _, sarif = sarif_of(path)
    assert sarif["runs"][0]["columnKind"] == "utf16CodeUnits"
    result = next(r for r in results_of(sarif) if r["ruleId"] == "VM-01")
    region = result["locations"][0]["physicalLocation"]["region"]
    offset = text.index('"id":"r1"')
    assert region == {"startLine": 1, "startColumn": offset + 2, "endLine": 1,
                      "endColumn": offset + 2 + len('"id":"r1"')}
