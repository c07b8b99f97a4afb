"""Rendering diagnostics: the text and JSON formats (CI formats live beside them)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from .model import Diagnostic, Fix
from .source import LineIndex

__all__ = ["FORMATS", "diagnostic_json", "render", "text_line", "unified_diff"]


def text_line(d: Diagnostic, show_fix_marker: bool = True) -> str:
    """``path:row:col: CODE [*] message`` (Ruff's concise format)."""
    assert d.location is not None
    marker = " [*]" if show_fix_marker and d.fixable else ""
    where = f" (in {d.context})" if d.context else ""
    return f"{d.filename or '-'}:{d.location.row}:{d.location.column}: {d.code}{marker} {d.message}{where}"


def _fix_json(fix: Fix | None, lines: LineIndex | None) -> dict[str, Any] | None:
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


def diagnostic_json(d: Diagnostic, lines: LineIndex | None = None) -> dict[str, Any]:
    """One diagnostic as a JSON object (see the README for the schema).

    ``lines`` is the file's line index, used to give fix edits rows and columns.
    """
    assert d.location is not None and d.end_location is not None
    return {
        "code": d.code,
        "message": d.message,
        "filename": d.filename,
        "location": {"row": d.location.row, "column": d.location.column},
        "end_location": {"row": d.end_location.row, "column": d.end_location.column},
        "fix": _fix_json(d.fix, lines),
        "context": d.context,
    }


def render(fmt: str, diagnostics: Sequence[Diagnostic], lines_by_file: dict[str, LineIndex]) -> str:
    """All diagnostics in one of :data:`FORMATS` (without the text format's summary)."""
    if fmt == "json":
        return json.dumps(
            [diagnostic_json(d, lines_by_file.get(d.filename or "")) for d in diagnostics],
            indent=2,
            ensure_ascii=False,
        ) + "\n"
    if fmt == "text":
        return "".join(text_line(d) + "\n" for d in diagnostics)
    raise ValueError(f"unknown output format {fmt!r}")


FORMATS = ("text", "json")


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file (``--diff``), keeping the file's own line endings."""
    lines: Iterable[str] = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)
