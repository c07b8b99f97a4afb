"""CI formats: GitHub Actions annotations, GitLab Code Quality and JUnit XML."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from ..model import Diagnostic
from .base import Report, position, relative_path
from .text import text_line

__all__ = ["github", "gitlab", "junit"]


# --- GitHub Actions ----------------------------------------------------------------------
# Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
# The runner decodes %25, %0D and %0A in the message, and also %3A and %2C in property values,
# so those characters must be escaped or they would end the value (or the command) early.


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _workspace_path(path: str | None) -> str:
    """Annotations are matched to files relative to the repository root (the workspace)."""
    return relative_path(path, os.environ.get("GITHUB_WORKSPACE"))


def _github_command(properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
    return f"::error {props}::{_escape_data(message)}\n"


def github(report: Report) -> str:
    """One ``::error`` workflow command per diagnostic (and per file that could not be read)."""
    out = []
    for d in report.diagnostics:
        start, end = position(d)
        properties = {
            "title": f"htmlfix ({d.code})",
            "file": _workspace_path(d.filename),
            "line": start.row,
            "col": start.column,
            "endLine": end.row,
            "endColumn": end.column,
        }
        out.append(_github_command(properties, text_line(d)))
    for path, message in report.errors:
        out.append(_github_command({"title": "htmlfix", "file": _workspace_path(path)}, f"{path}: {message}"))
    return "".join(out)


# --- GitLab Code Quality -------------------------------------------------------------------
# https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format: an array of
# issues with description, check_name, fingerprint (unique per issue), severity and a location
# whose path is relative to the repository root.


def gitlab(report: Report) -> str:
    base = os.environ.get("CI_PROJECT_DIR")
    issues = []
    for d, fingerprint in report.fingerprints():
        start, end = position(d)
        where = f" (in {d.context})" if d.context else ""
        issues.append(
            {
                "description": f"{d.code}: {d.message}{where}",
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": "major",
                "location": {
                    "path": relative_path(d.filename, base),
                    "lines": {"begin": start.row, "end": end.row},
                },
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


# --- JUnit XML -----------------------------------------------------------------------------
# One <testsuite> per file, one failing <testcase> per diagnostic; a clean file is one passing
# test case, so CI dashboards count the files that were checked.

#: Characters XML 1.0 cannot carry at all, even escaped (damaged text may contain them).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _suite(parent: ET.Element, name: str, tests: int, failures: int, errors: int) -> ET.Element:
    return ET.SubElement(
        parent, "testsuite",
        {"name": _xml_text(name), "tests": str(tests), "failures": str(failures), "errors": str(errors)},
    )


def junit(report: Report) -> str:
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in report.diagnostics:
        by_file[d.filename or "-"].append(d)
    files = list(dict.fromkeys([*report.files, *by_file]))
    root = ET.Element("testsuites", {"name": "htmlfix"})
    for path in files:
        diagnostics = by_file.get(path, [])
        suite = _suite(root, path, max(1, len(diagnostics)), len(diagnostics), 0)
        if not diagnostics:
            ET.SubElement(suite, "testcase", {"name": "htmlfix", "classname": _xml_text(path), "file": _xml_text(path)})
        for d in diagnostics:
            start, _ = position(d)
            case = ET.SubElement(suite, "testcase", {
                "name": _xml_text(f"{d.code} at {start.row}:{start.column}"),
                "classname": _xml_text(path),
                "file": _xml_text(path),
                "line": str(start.row),
            })
            failure = ET.SubElement(case, "failure", {"message": _xml_text(f"{d.code} {d.message}"), "type": d.code})
            failure.text = _xml_text(text_line(d))
    for path, message in report.errors:
        suite = _suite(root, path, 1, 0, 1)
        case = ET.SubElement(suite, "testcase", {"name": "htmlfix", "classname": _xml_text(path), "file": _xml_text(path)})
        ET.SubElement(case, "error", {"message": _xml_text(message)}).text = _xml_text(f"{path}: {message}")
    total = sum(int(s.get("tests", "0")) for s in root)
    root.set("tests", str(total))
    root.set("failures", str(len(report.diagnostics)))
    root.set("errors", str(len(report.errors)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
