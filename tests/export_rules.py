"""A test-only rule for the export readers: flags the word ``DAMAGE`` and replaces it.

The real rules are written elsewhere; the readers only need a rule whose findings and fixes
are predictable, so that positions and write-back can be asserted exactly.
"""

from __future__ import annotations

from collections.abc import Iterator

from htmlfix.config import Settings
from htmlfix.document import Document
from htmlfix.engine import Linter
from htmlfix.model import Diagnostic, Edit, FixAvailability
from htmlfix.rules.base import Rule


class DamageRule(Rule):
    """Flags the word `DAMAGE` (test only).

    ## What it does
    Finds the word `DAMAGE` outside protected zones.

    ## Why is this bad?
    It stands for damage in reader tests.

    ## Example
    DAMAGE

    Use instead:
    repaired

    ## Fix safety
    Replaces the word with `REPLACEMENT`.
    """

    code = "ZZ901"
    name = "test-damage"
    fix_availability = FixAvailability.ALWAYS
    replacement = "repaired"
    word = "DAMAGE"
    #: Leave code (pre, code, Markdown code spans, ...) alone, as real rules must.
    protect = True

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        word, size = self.word, len(self.word)
        start = doc.text.find(word)
        while start >= 0:
            if not (self.protect and doc.is_protected(start)):
                fix = self.fix("replace the damage", Edit(start, start + size, self.replacement))
                yield self.report(start, start + size, f"`{word}` found", fix)
            start = doc.text.find(word, start + size)


def damage_linter(
    replacement: str = "repaired", settings: Settings | None = None, word: str = "DAMAGE",
    protect: bool = True,
) -> Linter:
    """A linter running only :class:`DamageRule`: ``word`` becomes ``replacement``."""
    rule = DamageRule()
    rule.replacement = replacement  # type: ignore[misc]
    rule.word = word  # type: ignore[misc]
    rule.protect = protect  # type: ignore[misc]
    linter = Linter(settings or Settings())
    linter.rules = (rule,)
    return linter
