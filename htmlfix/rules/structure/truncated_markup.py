"""ST011: markup cut off by the end of the text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from html.entities import html5 as _NAMED

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure import tree_model
from ...structure.helpers import anchored, dom_keeping
from ...tokens import CHARREF, DROPPED, TEXT, UNTERMINATED, decode_charref
from ..base import Rule

_PARTIAL_REFERENCE = re.compile(r"&(?:#[xX]?[0-9A-Fa-f]*|[A-Za-z][A-Za-z0-9]*)\Z")


@cache
def _prefixes() -> frozenset[str]:
    """Every proper prefix of a named reference (~14,000): built when a text first ends in a
    cut reference, not at import, where it cost ~7 ms of every run's start-up."""
    return frozenset(name[:k] for name in _NAMED for k in range(1, len(name)))


class TruncatedMarkup(Rule):
    """Tag or character reference cut off by the end of the text.

    ## What it does
    Flags a tag cut off by the end of the text (`<a href="https://exa`, `<span style="fo`),
    and a character reference cut off there (`&eacut`, `&#82`), as excerpts, feeds and
    meta descriptions truncated at a fixed length leave them.

    ## Why is this bad?
    Browsers drop a tag that never ends, with everything from its `<`, so the markup promises
    a link or a style the page does not have. A cut reference shows as raw text (`&eacut`),
    or worse, a cut numeric one still decodes: `&#82` from `&#8217;` becomes the letter
    "R".

    ## Example
    ``html
    <p>Read the <a href="https://example.com/art
    ``

    Use instead:
    ``html
    <p>Read the
    ``

    ## Fix safety
    Deleting a cut-off tag leaves the page exactly as browsers show it (they drop it): safe, and
    the fixer checks that the html5lib DOM is unchanged. Deleting a cut-off reference removes
    only its broken characters (the visible `&eacut` or the wrong "R") and no word, but it
    changes the page's text, so it is unsafe. Close the elements left open with ST002.
    """

    code = "ST011"
    name = "truncated-markup"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        stream = doc.tokens
        for diagnostic in self._check(doc):
            yield anchored(diagnostic, len(stream) - 1)

    def _check(self, doc: Document) -> Iterator[Diagnostic]:
        stream = doc.tokens
        if not len(stream):
            return
        last = len(stream) - 1
        kind = stream.kinds[last]
        start, end = stream.starts[last], stream.starts[last + 1]
        if kind is DROPPED and stream.flags[last] & UNTERMINATED:
            shown = stream.src(last)
            if len(shown) > 40:
                shown = shown[:39] + "…"
            yield self.report(start, end, f"tag cut off at the end of the text: `{shown}` (browsers drop it)",
                              dom_keeping(self, tree_model(doc), "delete the cut-off tag", Edit.delete(start, end)))
        elif kind is CHARREF and _cut_numeric(stream.src(last)):
            src = stream.src(last)
            shown = decode_charref(src)
            yield self.report(start, end,
                              f"character reference cut off at the end of the text: `{src}` (browsers show {shown!r})",
                              self.fix("delete the cut-off reference", Edit.delete(start, end),
                                       applicability=Applicability.UNSAFE))
        elif kind is TEXT:
            match = _PARTIAL_REFERENCE.search(doc.text, start, end)
            if match and _is_cut(match.group()):
                yield self.report(match.start(), match.end(),
                                  f"character reference cut off at the end of the text: `{match.group()}`",
                                  self.fix("delete the cut-off reference", Edit.delete(match.start(), match.end()),
                                           applicability=Applicability.UNSAFE))


def _cut_numeric(reference: str) -> bool:
    """``&#82`` at the very end: a numeric reference without ";" whose character is one a
    shortened ``&#8217;`` gives (a letter, a digit, a control, U+FFFD), not one anyone writes so."""
    if reference[1:2] != "#" or reference.endswith(";"):
        return False
    char = decode_charref(reference)
    return char.isascii() and char.isalnum() or ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char == "\ufffd"


def _is_cut(reference: str) -> bool:
    """``&eacut``, ``&#``, ``&#x2``: the start of a reference that the end of the text cut."""
    body = reference[1:]
    if body.startswith("#"):
        return True  # "&#" or "&#x" with nothing to decode (digits alone became a CHARREF)
    return body in _prefixes() and body not in _NAMED
