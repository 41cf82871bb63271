"""Findings as machine-readable reports: the JSON of ``validate --format json`` and SARIF 2.1.0
for GitHub and Azure DevOps code scanning."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from hvdesigner import __version__
from hvdesigner.model.design import Design
from hvdesigner.model.entities import COLLECTIONS
from hvdesigner.rules.catalog import RULE_ORDER, RULES, SEVERITIES
from hvdesigner.rules.check import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


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
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"tags": ["hyper-v-replica", rule.id.split("-")[0].lower()]},
    }


def _lines_of_ids(text: str) -> dict[str, int]:
    """The line where each id is declared (``"id": "..."``), 1-based."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in re.finditer(r'"id"\s*:\s*"([^"\\]*)"', line):
            lines.setdefault(match.group(1), number)
    return lines


def _collection_of(design: Design, id: str) -> str:
    entity = design.find(id)
    for key, cls in COLLECTIONS.items():
        if isinstance(entity, cls):
            return key
    return "disks"


def _result(checked: CheckedFile, f: Finding, lines: dict[str, int], uri: str) -> dict[str, Any]:
    region = {"startLine": next((lines[s] for s in f.subjects if s in lines), 1)}
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": RULE_ORDER[f.rule],
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": f"{f.message} Fix: {f.fix}"},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": uri}, "region": region},
            "logicalLocations": [
                {
                    "name": getattr(checked.design.find(s), "name", s) or s,
                    "fullyQualifiedName": f"{_collection_of(checked.design, s)}/{s}",
                    "kind": "resource",
                }
                for s in f.subjects
            ],
        }],
        "partialFingerprints": {
            "hvdesignerFinding/v1": hashlib.sha256(
                "\0".join((f.rule, *f.subjects)).encode()).hexdigest()[:32],
        },
    }
    if f.suppressed:
        result["suppressions"] = [{"kind": "external", "justification": f.reason or ""}]
    return result


def to_sarif(files: list[CheckedFile]) -> dict[str, Any]:
    """One SARIF run over every checked file."""
    results = []
    for checked in files:
        uri = checked.path.replace("\\", "/")
        lines = _lines_of_ids(checked.text)
        results += [_result(checked, f, lines, uri) for f in checked.findings]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hvdesigner",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(rule_id) for rule_id in RULES],
            }},
            "artifacts": [{"location": {"uri": c.path.replace("\\", "/")}} for c in files],
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
    """The JSON text of a report. ASCII only: the same bytes whatever the encoding of the
    stream it goes to (a redirected Windows console is not UTF-8), and no raw control or bidi
    character in a log that shows it. A lone surrogate (JSON allows ``"\\ud800"``, a file
    name that is not UTF-8 decodes to one) becomes U+FFFD: parsers differ on what to make of it."""
    return json.dumps(_valid_unicode(report), indent=2, ensure_ascii=True)
