"""SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), for code-scanning viewers.

Rule metadata and help come from the rules' docstrings. Columns count Unicode code points,
as htmlfix's do (``columnKind: unicodeCodePoints``), and ``endColumn`` is the column after the
last character of the region, which is where htmlfix's end locations already point.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .._version import __version__
from ..model import Diagnostic, Fix
from ..registry import all_rules
from ..rules.base import Rule
from ..report import Positions
from .base import Report, file_uri, position

__all__ = ["sarif"]

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _section(doc: str, heading: str) -> str:
    """The text under one ``## heading`` of a rule docstring."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", doc, re.MULTILINE | re.DOTALL)
    return match.group(1).strip() if match else ""


def _rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    doc = rule.documentation()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": _section(doc, "What it does") or rule.summary()},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": "error", "enabled": rule.default_enabled},
        "properties": {"fix": rule.fix_availability.value},
    }


def _region(d: Diagnostic, snippet: str) -> dict[str, Any]:
    start, end = position(d)
    region: dict[str, Any] = {
        "startLine": start.row,
        "startColumn": start.column,
        "endLine": end.row,
        "endColumn": end.column,
    }
    if snippet:
        region["snippet"] = {"text": snippet}
    return region


def _fix(fix: Fix, uri: str, lines: Positions) -> dict[str, Any]:
    replacements = []
    for edit in fix.edits:
        start, end = lines.position(edit.start), lines.position(edit.end)
        replacements.append({
            "deletedRegion": {"startLine": start.row, "startColumn": start.column,
                              "endLine": end.row, "endColumn": end.column},
            "insertedContent": {"text": edit.content},
        })
    return {
        "description": {"text": fix.message},
        "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
    }


def _result(report: Report, d: Diagnostic, fingerprint: str, rule_index: dict[str, int]) -> dict[str, Any]:
    uri = file_uri(d.filename)
    lines = report.lines(d.filename)
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(d, report.file_snippet(d))},
    }
    if d.context:
        location["logicalLocations"] = [{"name": d.context, "kind": "object"}]
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": "error",
        "message": {"text": d.message},
        "locations": [location],
        "partialFingerprints": {"htmlfix/v1": fingerprint},
    }
    if d.code in rule_index:
        result["ruleIndex"] = rule_index[d.code]
    if d.fix is not None and d.fixable and lines is not None:
        result["fixes"] = [_fix(d.fix, uri, lines)]
    return result


def sarif(report: Report) -> str:
    rules = list(all_rules())
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    notifications = [
        {"level": "error", "message": {"text": f"{path}: {message}"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": file_uri(path)}}}]}
        for path, message in report.errors
    ]
    run = {
        "tool": {"driver": {
            "name": "htmlfix",
            "version": __version__,
            "rules": [_rule_descriptor(rule) for rule in rules],
        }},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not report.errors, "toolExecutionNotifications": notifications}],
        "results": [_result(report, d, fp, rule_index) for d, fp in report.fingerprints()],
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
