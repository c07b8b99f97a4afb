"""The data every rule, fixer and reporter shares: spans, edits, fixes and diagnostics.

Offsets are code-point offsets into the text a rule checked (half-open ``[start, end)``).
Rows and columns are added by the engine when it reports, never stored by rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum, IntEnum

from .source import Position

__all__ = [
    "Applicability",
    "Diagnostic",
    "Edit",
    "Fix",
    "FixAvailability",
    "NO_EXTRA",
    "Span",
]


class Applicability(IntEnum):
    """How far a fix can be trusted; ordered, so a threshold selects what is applied.

    * ``SAFE``: a careful editor would accept it unseen. A structural fix is safe only when the
      browser's DOM of the whole document is unchanged; a damage repair is safe when it changes
      only the damaged characters, restores what the markup evidently was or removes pure
      debris, and keeps every word outside the debris. Applied by ``--fix``.
    * ``UNSAFE``: changes what the page renders beyond the damage (removes a boilerplate block,
      converts a shortcode, empties ``<div/>``). Applied only with ``--unsafe-fixes``.
    * ``DISPLAY_ONLY``: a suggestion shown to the user, never applied.
    """

    DISPLAY_ONLY = 0
    UNSAFE = 1
    SAFE = 2

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


class FixAvailability(Enum):
    """Rule metadata: whether the rule's diagnostics come with fixes."""

    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open range of code-point offsets ``[start, end)``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True, order=True)
class Edit:
    """Replace ``[start, end)`` with ``content``; an empty span inserts, empty content deletes."""

    start: int
    end: int
    content: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad edit span [{self.start}, {self.end})")

    @classmethod
    def delete(cls, start: int, end: int) -> Edit:
        return cls(start, end, "")

    @classmethod
    def insert(cls, at: int, content: str) -> Edit:
        return cls(at, at, content)

    @classmethod
    def replace(cls, start: int, end: int, content: str) -> Edit:
        return cls(start, end, content)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def conflicts(self, other: Edit) -> bool:
        """Whether applying both would be ambiguous (they overlap, or insert at one point)."""
        if self.start == self.end and other.start == other.end:
            return self.start == other.start
        if self.start == self.end:
            return other.start < self.start < other.end
        if other.start == other.end:
            return self.start < other.start < self.end
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Fix:
    """One atomic fix: all of its edits are applied together, or none is.

    ``keeps_dom`` marks a fix whose safety rests on the claim that the html5lib DOM of the
    whole document does not change; the fixer verifies that claim and refuses fixes that break
    it.
    """

    message: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    keeps_dom: bool = False

    def __post_init__(self) -> None:
        if not self.edits:
            raise ValueError("a fix needs at least one edit")
        ordered = tuple(sorted(self.edits))
        for first, second in zip(ordered, ordered[1:]):
            if first.conflicts(second):
                raise ValueError(f"overlapping edits in one fix: {first} and {second}")
        object.__setattr__(self, "edits", ordered)

    @property
    def span(self) -> Span:
        return Span(self.edits[0].start, max(edit.end for edit in self.edits))


class _NoExtra(Mapping[str, object]):
    """The empty, read-only ``extra`` that diagnostics share; pickled by reference, so a
    diagnostic sent between processes still shares it."""

    def __getitem__(self, key: str) -> object:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "NO_EXTRA"


#: The ``extra`` of a diagnostic without rule data.
NO_EXTRA: Mapping[str, object] = _NoExtra()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place, with an optional fix.

    ``location`` and ``end_location`` are filled in by the engine (1-based rows, columns in
    characters); ``context`` names where in a multi-part file the problem is (a post of an
    export), and ``filename`` the file, when known. ``extra`` holds a rule's own data (read
    only; empty for most problems). ``snippet`` is the damaged text as the rule saw it, filled
    in by the engine: baselines and CI fingerprints identify a problem by it.
    """

    code: str
    message: str
    span: Span
    fix: Fix | None = None
    location: Position | None = None
    end_location: Position | None = None
    context: str | None = None
    filename: str | None = None
    # Shared when empty: dense damage yields hundreds of thousands of problems, and a dict each
    # (184 bytes once it held the snippet) was a sixth of a problem's memory.
    extra: Mapping[str, object] = field(default_factory=lambda: NO_EXTRA, compare=False, hash=False)
    snippet: str | None = field(default=None, compare=False, hash=False)

    @property
    def fixable(self) -> bool:
        return self.fix is not None and self.fix.applicability > Applicability.DISPLAY_ONLY

    def sort_key(self) -> tuple[int, int, str]:
        return (self.span.start, self.span.end, self.code)
