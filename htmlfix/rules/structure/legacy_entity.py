"""ST013: ampersands that browsers read as legacy entities (``&region=`` -> ``®ion=``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure.helpers import anchored
from ...tokens import CHARREF, decode_charref
from ..base import Rule

# An ampersand, a run of letters and digits, and no semicolon: where a legacy reference
# (one of the ~100 names browsers accept without ";") can swallow the start of a word.
_CANDIDATE = re.compile(r"&[A-Za-z][A-Za-z0-9]*+(?![;A-Za-z0-9])")


class LegacyEntityHazard(Rule):
    """`&` followed by a word that starts with an old entity name: `&region=`, `&notice`.

    ## What it does
    Flags an `&` in text whose following letters begin with one of the legacy entity names
    that browsers accept without a semicolon (`reg`, `copy`, `not`, `para`, `sect`,
    `times`, `lt`, `amp`...), when the word goes on after the name: `?a=1&region=eu`,
    `Terms&notice`. A conforming ampersand (`AT&T`, `fish & chips`, `&copy 2024`)
    is not flagged, and neither is anything inside attribute values, where browsers leave such
    names alone.

    ## Why is this bad?
    Browsers decode the legacy name and keep the rest: `&region=eu` shows as `®ion=eu` and
    `&notice` as `¬ice`. URLs pasted as text and query strings in prose are the usual
    victims.

    ## Example
    ``html
    <p>https://example.com/?lang=en&region=eu</p>
    ``

    Use instead:
    ``html
    <p>https://example.com/?lang=en&amp;region=eu</p>
    ``

    ## Fix safety
    The fix escapes the ampersand (`&amp;`), so the page shows the characters the author
    typed (`&region=eu`) instead of `®ion=eu`. That changes the visible text, as intended,
    so it is unsafe (structural fixes are safe only when the page stays the same).
    """

    code = "ST013"
    name = "legacy-entity-hazard"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if "&" not in text:
            return
        stream = doc.tokens
        kinds, starts = stream.kinds, stream.starts
        for match in _CANDIDATE.finditer(text):
            at = match.start()
            i = stream.index_at(at)
            if kinds[i] is not CHARREF or starts[i] != at:
                continue
            reference = stream.src(i)
            if reference.endswith(";") or starts[i + 1] >= match.end():
                continue  # the whole word is the reference: "&copy 2024" is meant
            rest = text[starts[i + 1] : match.end()]
            if not rest[0].isalpha():
                continue  # "&copy2024": a digit after the name reads as meant
            shown = decode_charref(reference) + rest
            fix = self.fix("escape the ampersand as `&amp;`", Edit.replace(at, at + 1, "&amp;"),
                           applicability=Applicability.UNSAFE)
            yield anchored(self.report(at, match.end(),
                                       f"`{match.group()}` is read as the entity `{reference}`: browsers show `{shown}`", fix), i)
