"""Findings as machine-readable reports: the JSON of ``validate --format json`` and SARIF 2.1.0
for GitHub and Azure DevOps code scanning."""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hvdesigner import __version__
from hvdesigner.exporters.locations import artifact_location, base_ids, regions_of_ids
from hvdesigner.fileformat.loader import DesignFileError
from hvdesigner.fileformat.writer import json_text
from hvdesigner.model.design import Design
from hvdesigner.model.entities import COLLECTIONS
from hvdesigner.rules.catalog import RULE_ORDER, RULES, SEVERITIES, help_uri
from hvdesigner.rules.check import Finding

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
#: GitHub's precision (how often a result is a false alarm) of the rules that rest on
#: estimates (churn, compression) rather than on what the design states; the rest are exact.
_PRECISION = {"SZ-01": "high", "SZ-02": "high"}
#: The notification of a file that was not checked.
NOT_LOADED = "design-not-loaded"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\ud[89a-f]")


@dataclass(frozen=True)
class CheckedFile:
    """One design file and what the checker found in it."""

    path: str
    design: Design
    findings: list[Finding]
    text: str = ""  # the file's text, to point results at lines

    def summary(self) -> dict[str, int]:
        """Counts per severity of the findings that are not suppressed."""
        counts = Counter(f.severity for f in self.findings if not f.suppressed)
        return {s: counts.get(s, 0) for s in SEVERITIES}


def to_json(checked: CheckedFile) -> dict[str, Any]:
    return {
        "file": checked.path,
        "findings": [
            {
                "rule": f.rule, "severity": f.severity, "message": f.message,
                "subjects": list(f.subjects), "fix": f.fix, "suppressed": f.suppressed,
                "reason": f.reason,
            }
            for f in checked.findings
        ],
        "summary": checked.summary(),
    }


def _rule_descriptor(rule_id: str) -> dict[str, Any]:
    rule = RULES[rule_id]
    help_text = rule.fix + (f"\nMicrosoft BPA rule: \"{rule.bpa}\"." if rule.bpa else "")
    help_md = f"**Fix:** {rule.fix}" + (f"\n\nMicrosoft Best Practices Analyzer: *{rule.bpa}*" if rule.bpa else "")
    return {
        "id": rule.id,
        "name": re.sub(r"[^A-Za-z0-9]+", "", rule.title.title()),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title}. {rule.fix}"},
        "help": {"text": help_text, "markdown": help_md},
        "helpUri": help_uri(rule.id),
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        # (what GitHub code scanning sorts and filters alerts by)
        "properties": {
            "tags": ["hyper-v-replica", rule.id.split("-")[0].lower()],
            "precision": _PRECISION.get(rule.id, "very-high"),
            "problem.severity": _PROBLEM_SEVERITY[rule.severity],
        },
    }


#: The collection of an entity by its exact type (entities are not subclassed).
_COLLECTION_OF_TYPE = {cls: key for key, cls in COLLECTIONS.items()}


def _logical_location(design: Design, id: str) -> dict[str, str]:
    entity = design.find(id)
    return {
        "name": getattr(entity, "name", id) or id,
        "fullyQualifiedName": f"{_COLLECTION_OF_TYPE.get(type(entity), 'disks')}/{id}",
        "kind": "resource",
    }


def _fingerprint(location: dict[str, Any], f: Finding) -> str:
    # The file, the rule and the ids: not the line, so an edit elsewhere in the file keeps
    # the alert; two results on one line differ by rule or ids (one finding per rule and ids).
    key = "\0".join((location.get("uriBaseId", ""), location["uri"], f.rule, *f.subjects))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _result(checked: CheckedFile, f: Finding, regions: dict[str, dict[str, int]],
            location: dict[str, Any]) -> dict[str, Any]:
    region = next((regions[s] for s in f.subjects if s in regions), {"startLine": 1})
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": RULE_ORDER[f.rule],
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": f"{f.message} Fix: {f.fix}"},
        "locations": [{
            "physicalLocation": {"artifactLocation": location, "region": region},
            "logicalLocations": [_logical_location(checked.design, s) for s in f.subjects],
        }],
        "partialFingerprints": {"hvdesignerFinding/v2": _fingerprint(location, f)},
    }
    if f.suppressed:
        result["suppressions"] = [{"kind": "external", "justification": f.reason or ""}]
    return result


def _not_loaded(error: DesignFileError, location: dict[str, Any]) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": "\n".join(error.report_lines())},
        "locations": [{"physicalLocation": {"artifactLocation": location}}],
        "descriptor": {"id": NOT_LOADED, "index": 0},
    }


def to_sarif(files: Sequence[CheckedFile | DesignFileError], exit_code: int = 0,
             cwd: str | None = None) -> dict[str, Any]:
    """One SARIF run over the files given to ``validate``, in their order: the findings of
    each file that loaded, and a tool execution notification for each that did not (it was
    not checked: the run is not successful, whatever the results say)."""
    cwd = os.getcwd() if cwd is None else cwd
    artifacts, results, notifications = [], [], []
    for index, file in enumerate(files):
        path = file.path if isinstance(file, CheckedFile) else file.source
        artifacts.append({"location": artifact_location(path, cwd)})
        location = {**artifacts[-1]["location"], "index": index}  # (results point back here)
        if isinstance(file, CheckedFile):
            regions = regions_of_ids(file.text, {s for f in file.findings for s in f.subjects})
            results += [_result(file, f, regions, location) for f in file.findings]
        else:
            notifications.append(_not_loaded(file, location))
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hvdesigner",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(rule_id) for rule_id in RULES],
                "notifications": [{
                    "id": NOT_LOADED,
                    "shortDescription": {
                        "text": "A design file could not be read or is not a valid design: "
                                "it was not checked."},
                }],
            }},
            "invocations": [{
                "executionSuccessful": not notifications,
                "exitCode": exit_code,
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": base_ids(cwd),
            "artifacts": artifacts,
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    }


def _valid_unicode(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_valid_unicode(v) for v in value]
    if isinstance(value, dict):
        return {k: _valid_unicode(v) for k, v in value.items()}
    return value


def dumps(report: Any) -> str:
    """The JSON text of a report, as ``json.dumps(report, indent=2)`` writes it. ASCII only:
    the same bytes whatever the encoding of the stream it goes to (a redirected Windows
    console is not UTF-8), and no raw control or bidi character in a log that shows it. A
    lone surrogate (JSON allows ``"\\ud800"``, a file name that is not UTF-8 decodes to one)
    becomes U+FFFD: parsers differ on what to make of it."""
    text = json_text(report, ensure_ascii=True, allow_nan=True)
    # Only a report with a surrogate escape in it can hold a lone surrogate (any character
    # beyond U+FFFF is written as a pair, a backslash before "ud800" matches too): walking
    # every string of a large report for one took as long as writing it.
    if _SURROGATE_ESCAPE.search(text):
        text = json_text(_valid_unicode(report), ensure_ascii=True, allow_nan=True)
    return text
