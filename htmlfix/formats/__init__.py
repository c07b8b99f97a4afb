"""Output formats for ``htmlfix check --output-format``: one module per family of formats.

Every format renders a :class:`Report` (the diagnostics of one run, with the files and texts
they point into) to a string; the CLI only chooses the format and prints the result.

* ``text``: ``path:row:col: CODE [*] message`` (Ruff's concise format), for people.
* ``json`` / ``json-lines``: one object per diagnostic (see the README for the fields).
* ``github``: GitHub Actions workflow commands, shown as annotations on the pull request.
* ``gitlab``: a GitLab Code Quality report (JSON, with fingerprints).
* ``sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
* ``junit``: JUnit XML, one test case per file, for CI test-report viewers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .base import Report

__all__ = ["FORMATS", "READS_TEXT", "Report", "render"]

# Format name -> (module, function). A renderer's module is imported when it is used: the CI
# formats compile XML and JSON machinery that a plain text run does not need (startup time).
_RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("text", "text"),
    "json": ("jsonfmt", "json_array"),
    "json-lines": ("jsonfmt", "json_lines"),
    "github": ("ci", "github"),
    "gitlab": ("ci", "gitlab"),
    "sarif": ("sarif", "sarif"),
    "junit": ("ci", "junit"),
}

#: The names ``--output-format`` accepts.
FORMATS: tuple[str, ...] = tuple(_RENDERERS)
#: The formats that read the checked files' text: JSON locates fix edits in it, SARIF also
#: quotes the damaged text. The others need only the problems.
READS_TEXT: frozenset[str] = frozenset({"json", "json-lines", "sarif"})


def __getattr__(name: str) -> object:
    # Report is re-exported on first use: the CLI imports this package for FORMATS when it
    # declares its options, and ``htmlfix --version`` should not load the report machinery.
    if name == "Report":
        from .base import Report

        return Report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render(fmt: str, report: Report) -> str:
    """All of ``report`` in the format ``fmt`` (one of :data:`FORMATS`)."""
    try:
        module, function = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r}") from None
    renderer = cast("Callable[[Report], str]", getattr(importlib.import_module(f".{module}", __name__), function))
    return renderer(report)
