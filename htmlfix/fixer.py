"""The one place that edits text: choose non-conflicting fixes, splice them, repeat.

Each pass lints the current text, keeps the fixes at or above the applicability threshold,
drops any fix that conflicts with one already chosen (in source order), splices the chosen
edits in one left-to-right copy, and lints again, until no fix applies. The loop is bounded;
text that keeps changing, or comes back to an earlier state, is a :class:`ConvergenceError`
naming the rules involved. Every byte outside the chosen edits is copied unchanged.

The edits of all passes are composed into one list of edits against the *original* text
(:class:`EditLog`), so callers can write minimal changes into containers such as a JSON string
or an XML CDATA section without re-encoding anything around them.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .model import Applicability, Diagnostic, Edit, Fix

__all__ = [
    "ConvergenceError",
    "Unverifiable",
    "EditLog",
    "FixOutcome",
    "apply_edits",
    "choose_fixes",
    "fix_until_stable",
]

#: sqlfluff's runaway limit; real documents need two or three passes.
MAX_PASSES = 10


class ConvergenceError(RuntimeError):
    """Fixes kept changing the text; names the rules whose fixes were still applying."""

    def __init__(self, codes: Iterable[str], passes: int) -> None:
        self.codes = sorted(set(codes))
        super().__init__(
            f"fixes did not converge after {passes} passes (rules: {', '.join(self.codes)}); "
            "this is a bug in htmlfix, please report it with the input"
        )


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Splice sorted, non-conflicting ``edits`` into ``text`` in one copy."""
    parts: list[str] = []
    position = 0
    for edit in sorted(edits):
        if edit.start < position:
            raise ValueError(f"overlapping edits at {edit.start}")
        parts.append(text[position : edit.start])
        parts.append(edit.content)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


class _EditSet:
    """Accepted edits, kept sorted; they never conflict with each other, so their ends are
    sorted too and a conflict test only looks at the few neighbours left of the new edit."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []
        self._edits: list[Edit] = []

    def conflicts(self, edit: Edit) -> bool:
        index = bisect.bisect_right(self._spans, (edit.end, edit.end))
        while index > 0:
            index -= 1
            other = self._edits[index]
            if other.end < edit.start:
                return False
            if other.conflicts(edit):
                return True
        return False

    def add(self, edits: Iterable[Edit]) -> None:
        for edit in edits:
            index = bisect.bisect_right(self._spans, (edit.start, edit.end))
            self._spans.insert(index, (edit.start, edit.end))
            self._edits.insert(index, edit)


def choose_fixes(
    diagnostics: Iterable[Diagnostic], threshold: Applicability, fixable: Callable[[str], bool]
) -> tuple[list[Fix], list[Diagnostic]]:
    """The fixes to apply in one pass, and the diagnostics they resolve.

    Fixes are taken in source order; one that conflicts with an earlier choice waits for the
    next pass. Diagnostics that share an identical fix (the two halves of a repaired tag pair)
    are resolved together.
    """
    candidates = sorted(
        (d for d in diagnostics if d.fix is not None and d.fix.applicability >= threshold
         and fixable(d.code)),
        key=lambda d: (d.fix.edits[0].start, d.code),  # type: ignore[union-attr]
    )
    accepted = _EditSet()
    chosen: list[Fix] = []
    chosen_keys: dict[tuple[Edit, ...], Fix] = {}
    resolved: list[Diagnostic] = []
    for diagnostic in candidates:
        fix = diagnostic.fix
        assert fix is not None
        if fix.edits in chosen_keys:
            resolved.append(diagnostic)
            continue
        if any(accepted.conflicts(edit) for edit in fix.edits):
            continue
        accepted.add(fix.edits)
        chosen.append(fix)
        chosen_keys[fix.edits] = fix
        resolved.append(diagnostic)
    return chosen, resolved


class EditLog:
    """The composition of every pass's edits, as edits against the original text.

    ``chunks`` holds sorted, disjoint ``(start, end, replacement)`` triples in original
    coordinates; applying them to the original gives the current text.
    """

    def __init__(self, original: str) -> None:
        self.original = original
        self.chunks: list[tuple[int, int, str]] = []

    def render(self) -> str:
        return apply_edits(self.original, [Edit(s, e, r) for s, e, r in self.chunks])

    def edits(self) -> list[Edit]:
        return [Edit(s, e, r) for s, e, r in self.chunks]

    def record(self, current: str, edits: Sequence[Edit]) -> None:
        """Compose ``edits`` (in ``current``'s coordinates) into the log."""
        # Everything to rewrite, in current coordinates: old chunks and new edits, merged where
        # they overlap or touch. For a region [rs, re) with `before` the length change of the
        # chunks left of it and `after` that including its own chunks, the original range is
        # [rs - before, re - after].
        items: list[tuple[int, int, int, Edit | None]] = []
        delta = 0
        for start, end, replacement in self.chunks:
            current_start = start + delta
            growth = len(replacement) - (end - start)
            items.append((current_start, current_start + len(replacement), growth, None))
            delta += growth
        items.extend((edit.start, edit.end, 0, edit) for edit in edits)
        items.sort(key=lambda item: (item[0], item[1], item[3] is not None))
        merged: list[tuple[int, int, str]] = []
        before = 0
        index = 0
        while index < len(items):
            region_start, region_end, growth, edit = items[index]
            region_edits = [edit] if edit else []
            region_growth = growth
            index += 1
            while index < len(items) and items[index][0] <= region_end:
                _, end, growth, edit = items[index]
                region_end = max(region_end, end)
                region_growth += growth
                if edit:
                    region_edits.append(edit)
                index += 1
            after = before + region_growth
            shifted = [Edit(e.start - region_start, e.end - region_start, e.content) for e in region_edits]
            replacement = apply_edits(current[region_start:region_end], shifted)
            merged.append((region_start - before, region_end - after, replacement))
            before = after
        self.chunks = merged


class Unverifiable(RuntimeError):
    """Raised by a verifier that cannot check any claim about this text (too large, too deep,
    or a parser that does not finish): the fixes that need it are not applied, and nothing
    is wrong with them."""


@dataclass
class FixOutcome:
    """What the fix loop did to one text."""

    text: str
    log: EditLog
    applied: list[Diagnostic] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)
    rejected: list[Diagnostic] = field(default_factory=list)
    passes: int = 0
    #: Why fixes claiming to keep the DOM were left unapplied, unverified ("" if none were).
    unverified: str = ""

    @property
    def changed(self) -> bool:
        return self.text != self.log.original


Lint = Callable[[str], list[Diagnostic]]
#: Given the text before a pass and the fixes chosen, return the fixes that may be applied
#: (the structural oracle drops fixes whose DOM claim does not hold), or raise
#: :class:`Unverifiable` when no claim can be checked on this text.
Verify = Callable[[str, list[Fix]], list[Fix]]


def fix_until_stable(
    text: str,
    lint: Lint,
    threshold: Applicability,
    fixable: Callable[[str], bool] = lambda code: True,
    verify: Verify | None = None,
    max_passes: int = MAX_PASSES,
) -> FixOutcome:
    """Lint and fix ``text`` until no applicable fix is left."""
    log = EditLog(text)
    outcome = FixOutcome(text, log)
    # Texts met so far, to stop a cycle. Made at the first change: hashing a text costs a
    # pass over it, which a text with nothing to fix (most files of a --fix run) need not pay.
    seen: set[str] = set()
    for passes in range(1, max_passes + 1):
        diagnostics = lint(text)
        chosen, resolved = choose_fixes(diagnostics, threshold, fixable)
        if verify is not None and chosen:
            try:
                allowed = verify(text, chosen)
            except Unverifiable as exc:
                # Not refused: left as they are, with the reason, while the rest is applied.
                outcome.unverified = str(exc)
                waiting = {fix.edits for fix in chosen if fix.keeps_dom}
                allowed = [fix for fix in chosen if not fix.keeps_dom]
                resolved = [d for d in resolved if d.fix is None or d.fix.edits not in waiting]
            if len(allowed) != len(chosen):
                kept = {fix.edits for fix in allowed}
                for diagnostic in resolved:
                    if diagnostic.fix and diagnostic.fix.edits not in kept:
                        if all(r.message != diagnostic.message or r.code != diagnostic.code
                               for r in outcome.rejected):
                            outcome.rejected.append(diagnostic)
                resolved = [d for d in resolved if d.fix and d.fix.edits in kept]
                chosen = allowed
        if not chosen:
            outcome.text, outcome.remaining, outcome.passes = text, diagnostics, passes
            return outcome
        edits = [edit for fix in chosen for edit in fix.edits]
        new_text = apply_edits(text, edits)
        log.record(text, edits)
        outcome.applied.extend(resolved)
        if not seen:
            seen.add(text)
        if new_text in seen:
            raise ConvergenceError((d.code for d in resolved), passes)
        seen.add(new_text)
        text = new_text
    raise ConvergenceError((d.code for d in outcome.applied[-20:]), max_passes)
