"""The text format: one line per diagnostic, as people and editors read it."""

from __future__ import annotations

from ..model import Diagnostic
from .base import Report, position

__all__ = ["text", "text_line"]


def text_line(d: Diagnostic, show_fix_marker: bool = True) -> str:
    """``path:row:col: CODE [*] message (in context)`` (Ruff's concise format)."""
    start, _ = position(d)
    marker = " [*]" if show_fix_marker and d.fixable else ""
    where = f" (in {d.context})" if d.context else ""
    return f"{d.filename or '-'}:{start.row}:{start.column}: {d.code}{marker} {d.message}{where}"


def text(report: Report) -> str:
    return "".join(text_line(d) + "\n" for d in report.diagnostics)
