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

from collections.abc import Callable

from .base import Report
from .ci import github, gitlab, junit
from .jsonfmt import json_array, json_lines
from .sarif import sarif
from .text import text

__all__ = ["FORMATS", "Report", "render"]

_RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": text,
    "json": json_array,
    "json-lines": json_lines,
    "github": github,
    "gitlab": gitlab,
    "sarif": sarif,
    "junit": junit,
}

#: The names ``--output-format`` accepts.
FORMATS: tuple[str, ...] = tuple(_RENDERERS)


def render(fmt: str, report: Report) -> str:
    """All of ``report`` in the format ``fmt`` (one of :data:`FORMATS`)."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r}") from None
    return renderer(report)
