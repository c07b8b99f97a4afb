"""A run's results as the output formats, statistics and baselines see them.

The formats themselves live in :mod:`htmlfix.formats`; this module holds the data they share,
the location-independent fingerprint of a problem, and the unified diff of ``--diff``.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from .model import Diagnostic
from .source import LineIndex

__all__ = ["Report", "fingerprint", "unified_diff"]

#: The most characters of damaged text a snippet keeps (half from each end).
SNIPPET_LIMIT = 240


def fingerprint(code: str, context: str | None, snippet: str, message: str) -> str:
    """A fingerprint of one problem that does not depend on where it is in the file.

    It hashes the rule, the context (the post of an export) and the damaged text with its
    whitespace collapsed, so edits elsewhere in the file (or line-ending changes) keep it. A
    problem that covers no text (something missing) is identified by its message instead.
    """
    material = snippet if snippet.strip() else message
    normalized = " ".join(material.split())
    digest = hashlib.sha256("\0".join((code, context or "", normalized)).encode("utf-8"))
    return digest.hexdigest()[:16]


@dataclass
class Report:
    """One run's results.

    ``diagnostics`` are located in ``texts[filename]`` (the file's text as it is after any
    fixing); ``files`` lists every file that was checked, in order, clean ones included (JUnit
    reports them as passing tests); ``errors`` are ``(path, message)`` for files that could not
    be read, which some formats report too.
    """

    diagnostics: Sequence[Diagnostic]
    files: Sequence[str] = ()
    texts: dict[str, str] = field(default_factory=dict)
    errors: Sequence[tuple[str, str]] = ()
    _lines: dict[str, LineIndex] = field(default_factory=dict, repr=False)

    def lines(self, path: str | None) -> LineIndex | None:
        """The line index of a file's text (None when the text is not known)."""
        if path is None or path not in self.texts:
            return None
        index = self._lines.get(path)
        if index is None:
            index = self._lines[path] = LineIndex(self.texts[path])
        return index

    def snippet(self, d: Diagnostic) -> str:
        """The text a diagnostic covers, as written in its file ("" when unknown)."""
        lines = self.lines(d.filename)
        if lines is None or d.location is None or d.end_location is None:
            return ""
        text = self.texts[d.filename or ""]
        start, end = lines.offset(*d.location), lines.offset(*d.end_location)
        if end - start > SNIPPET_LIMIT:
            # A problem can span a whole document (an element never closed); its start and
            # end identify it as well, and hashing megabytes per problem would be slow.
            return f"{text[start : start + SNIPPET_LIMIT // 2]}…{text[end - SNIPPET_LIMIT // 2 : end]}"
        return text[start:end]

    def fingerprint(self, d: Diagnostic) -> str:
        return fingerprint(d.code, d.context, self.snippet(d), d.message)

    def occurrences(self, diagnostics: Iterable[Diagnostic] | None = None) -> Iterator[tuple[Diagnostic, str, int]]:
        """Each diagnostic with its fingerprint and how many identical problems (same file,
        fingerprint) came before it: 0 for the first."""
        seen: dict[tuple[str | None, str], int] = {}
        for d in self.diagnostics if diagnostics is None else diagnostics:
            key = (d.filename, self.fingerprint(d))
            count = seen.get(key, 0)
            seen[key] = count + 1
            yield d, key[1], count

    def fingerprints(self) -> Iterator[tuple[Diagnostic, str]]:
        """Each diagnostic with a fingerprint unique in the run and independent of location
        (identical problems are told apart by their order)."""
        for d, base, count in self.occurrences():
            yield d, base if count == 0 else f"{base}-{count}"


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
