"""The JSON formats: an array of diagnostics (``json``) or one object per line (``json-lines``)."""

from __future__ import annotations

import json
from typing import Any

from ..model import Diagnostic, Fix
from ..report import Positions
from .base import Report, position

__all__ = ["diagnostic_json", "json_array", "json_lines"]


def _fix_json(fix: Fix | None, lines: Positions | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    edits = []
    for edit in fix.edits:
        entry: dict[str, Any] = {"content": edit.content}
        if lines is not None:
            start, end = lines.position(edit.start), lines.position(edit.end)
            entry["location"] = {"row": start.row, "column": start.column}
            entry["end_location"] = {"row": end.row, "column": end.column}
        entry["start_offset"], entry["end_offset"] = edit.start, edit.end
        edits.append(entry)
    return {"applicability": fix.applicability.label, "message": fix.message, "edits": edits}


def diagnostic_json(d: Diagnostic, lines: Positions | None = None) -> dict[str, Any]:
    """One diagnostic as a JSON object (see the README for the schema).

    ``lines`` is the file's line index, used to give fix edits rows and columns.
    """
    start, end = position(d)
    return {
        "code": d.code,
        "message": d.message,
        "filename": d.filename,
        "location": {"row": start.row, "column": start.column},
        "end_location": {"row": end.row, "column": end.column},
        "fix": _fix_json(d.fix, lines),
        "context": d.context,
    }


def json_array(report: Report) -> str:
    rows = [diagnostic_json(d, report.lines(d.filename)) for d in report.diagnostics]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def json_lines(report: Report) -> str:
    return "".join(
        json.dumps(diagnostic_json(d, report.lines(d.filename)), ensure_ascii=False) + "\n"
        for d in report.diagnostics
    )
