"""A run's results as the output formats, statistics and baselines see them.

The formats themselves live in :mod:`htmlfix.formats`; this module holds the data they share,
the location-independent fingerprint of a problem, and the unified diff of ``--diff``.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .model import Diagnostic
from .source import LineIndex, Position

__all__ = ["Report", "fingerprint", "snippet", "unified_diff"]

#: The most characters of damaged text a snippet keeps (half from each end).
SNIPPET_LIMIT = 240


class Positions(Protocol):
    """Rows and columns of offsets in a file (a LineIndex, or a reader's sparse locator)."""

    def position(self, offset: int) -> Position: ...


def snippet(text: str, start: int, end: int) -> str:
    """``text[start:end]``, the damaged text of a problem, bounded in size.

    A problem can span a whole document (an element never closed); its two ends identify it
    as well, and hashing megabytes per problem would be slow.
    """
    if end - start > SNIPPET_LIMIT:
        half = SNIPPET_LIMIT // 2
        return f"{text[start : start + half]}…{text[end - half : end]}"
    return text[start:end]


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

    ``diagnostics`` are located in the files' texts as they are after any fixing: ``texts``
    holds a file's text when it was read whole, ``locators`` the positions of a file that was
    streamed (a large export); ``files`` lists every file that was checked, in order, clean
    ones included (JUnit reports them as passing tests); ``errors`` are ``(path, message)`` for
    files that could not be read, which some formats report too.
    """

    diagnostics: Sequence[Diagnostic]
    files: Sequence[str] = ()
    texts: dict[str, str] = field(default_factory=dict)
    errors: Sequence[tuple[str, str]] = ()
    locators: dict[str, Positions] = field(default_factory=dict)
    _lines: dict[str, LineIndex] = field(default_factory=dict, repr=False)

    def _line_index(self, path: str | None) -> LineIndex | None:
        if path is None or path not in self.texts:
            return None
        index = self._lines.get(path)
        if index is None:
            index = self._lines[path] = LineIndex(self.texts[path])
        return index

    def lines(self, path: str | None) -> Positions | None:
        """Rows and columns of offsets in a file (None when neither text nor locator is known)."""
        if path is not None and path in self.locators:
            return self.locators[path]
        return self._line_index(path)

    def file_snippet(self, d: Diagnostic) -> str:
        """The text a diagnostic covers, as written in its file ("" when the text is unknown)."""
        lines = self._line_index(d.filename)
        if lines is None or d.location is None or d.end_location is None:
            return ""
        return snippet(self.texts[d.filename or ""], lines.offset(*d.location), lines.offset(*d.end_location))

    def snippet(self, d: Diagnostic) -> str:
        """The damaged text of a problem: as the rule saw it (the HTML of a post, unescaped from
        its export), which the engine records, or else as written in the file."""
        return d.snippet if d.snippet is not None else self.file_snippet(d)

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
