"""Run the selected rules over a text, and fix it: the core that the API and the CLI share."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from .config import Settings
from .document import Document, Mode, sniff_mode
from .fixer import FixOutcome, fix_until_stable
from .model import Applicability, Diagnostic, Edit
from .registry import is_listed, select_rules, validate_selectors
from .rules.base import Rule, run_rules
from .report import snippet
from .source import LineIndex
from .suppressions import apply_suppressions

__all__ = ["FixResult", "Linter", "resolve_mode"]


def resolve_mode(text: str, mode: str | Mode | None) -> Mode:
    """The mode to read ``text`` in: as given, or sniffed from its content for ``auto``."""
    if mode is None or mode == "auto":
        return sniff_mode(text)
    return Mode(mode)


@dataclass
class FixResult:
    """The outcome of fixing one text.

    ``remaining`` is located in the fixed ``text``; ``edits`` transform the original text into
    ``text`` and touch nothing else; ``rejected`` are fixes the safety check refused to apply;
    ``unverified`` says why fixes that claim to keep the DOM were left unapplied, when the
    safety check could not run on this text ("" when it could).
    """

    text: str
    original: str
    applied: list[Diagnostic] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)
    rejected: list[Diagnostic] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    unverified: str = ""

    @property
    def changed(self) -> bool:
        return self.text != self.original


@lru_cache(maxsize=64)
def _instantiate(classes: tuple[type[Rule], ...]) -> tuple[Rule, ...]:
    return tuple(cls() for cls in classes)


class Linter:
    """The selected rules plus settings; checks and fixes texts."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        s = self.settings
        select = None if s.select is None else validate_selectors(s.select, "select")
        classes = select_rules(
            select,
            validate_selectors(s.ignore, "ignore"),
            validate_selectors(s.extend_select, "extend-select"),
        )
        self.rules = _instantiate(tuple(classes))
        self._fixable = None if s.fixable is None else validate_selectors(s.fixable, "fixable")
        self._unfixable = validate_selectors(s.unfixable, "unfixable")

    @property
    def codes(self) -> list[str]:
        return [rule.code for rule in self.rules]

    def is_fixable(self, code: str) -> bool:
        if is_listed(code, self._unfixable):
            return False
        return self._fixable is None or is_listed(code, self._fixable)

    @property
    def threshold(self) -> Applicability:
        return Applicability.UNSAFE if self.settings.unsafe_fixes else Applicability.SAFE

    def lint(self, text: str, mode: Mode) -> list[Diagnostic]:
        """Diagnostics for ``text`` (spans only), sorted by position."""
        with _collector_paused():
            return _completed(self._lint(Document(text, mode, self.settings)), text)

    def _lint(self, doc: Document) -> list[Diagnostic]:
        diagnostics = sorted(run_rules(doc, self.rules), key=Diagnostic.sort_key)
        # Inline <!-- htmlfix: ... --> comments: suppressed problems are neither reported nor
        # fixed (the fixer lints through here); unused ones are HF001.
        return apply_suppressions(doc, diagnostics, self.rules)

    def check(self, text: str, mode: Mode) -> list[Diagnostic]:
        """Diagnostics with rows and columns."""
        # Reuse the document's line index, which rules may already have built for messages.
        with _collector_paused():
            doc = Document(text, mode, self.settings)
            return _completed(self._lint(doc), text, doc.lines)

    def fix(self, text: str, mode: Mode, *, unsafe: bool | None = None, locate: bool = True) -> FixResult:
        """Apply every fix at the threshold until the text is stable. The remaining problems
        get rows and columns in the fixed text unless ``locate`` is false (the runner locates
        them in the file, whose text may be an export's or hold more than this one)."""
        from .oracle import forget, verify_fixes

        threshold = self.threshold if unsafe is None else (
            Applicability.UNSAFE if unsafe else Applicability.SAFE
        )
        # The result is built inside the pause too: a fix with hundreds of thousands of edits
        # keeps as many diagnostics alive, and the collector, woken by the allocations of
        # locating the remaining ones, would walk that whole heap again and again (a tenth of
        # the time of fixing a 10 MB line of debris).
        with _collector_paused():
            try:
                outcome: FixOutcome = fix_until_stable(
                    text,
                    # The passes' problems that get fixed need no snippet, only those that remain.
                    lambda current: self._lint(Document(current, mode, self.settings)),
                    threshold,
                    self.is_fixable,
                    verify=lambda current, fixes: verify_fixes(current, fixes, mode),
                )
            finally:
                forget()  # the oracle's parses serve this text's passes only
            return FixResult(
                text=outcome.text,
                original=text,
                applied=outcome.applied,
                remaining=_completed(outcome.remaining, outcome.text, LineIndex(outcome.text) if locate else None),
                rejected=outcome.rejected,
                edits=outcome.log.edits(),
                unverified=outcome.unverified,
            )


def _completed(diagnostics: list[Diagnostic], text: str, lines: LineIndex | None = None) -> list[Diagnostic]:
    """Fill in what the engine adds to the rules' diagnostics: each problem's damaged text as
    the rule saw it (baselines and CI fingerprints identify a problem by it, wherever the file
    or an export's escaping puts it) and, given ``lines``, its rows and columns.

    In place: nothing else holds these diagnostics yet. A copy of each (``dataclasses.replace``,
    ~6 µs) was a tenth of the instructions of checking a line of debris with a problem every
    37 characters."""
    fill = object.__setattr__  # Diagnostic is frozen for the code it is handed to
    for d in diagnostics:
        start, end = d.span.start, d.span.end
        fill(d, "snippet", snippet(text, start, end))
        if lines is not None:
            fill(d, "location", lines.position(start))
            fill(d, "end_location", lines.position(end))
    return diagnostics


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while one document is checked or fixed.

    A check allocates token columns of hundreds of thousands of items and many small objects
    that die with the document (freed by reference counting: they form no cycles). The
    collector, triggered by the allocations, walked those live columns again and again: up to
    40% of the time on long inputs full of findings (a 640 KB line of debris), little on
    ordinary pages. Anything cyclic made meanwhile is collected once the collector runs again,
    after the document."""
    if not gc.isenabled():
        yield  # paused already (a fix lints through here), or the host turned it off
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
