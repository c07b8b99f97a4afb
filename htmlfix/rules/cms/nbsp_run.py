"""CM002: runs of ``&nbsp;`` in running text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...tokens import CHARREF, END_TAG, START_TAG, TEXT
from ..base import Rule
from ._shared import INLINE_WRAPPERS

_NBSP_HTML = re.compile(r"&nbsp;|&#0*+160;|&#[xX]0*+[aA]0;|\xa0")
_LITERAL_NBSP = re.compile("\xa0")
_ENTITY_NBSP = re.compile(r"&(?:nbsp|#0*+160|#[xX]0*+[aA]0);")
_RUN_TAIL_HTML = re.compile(r"(?:[ \t]|&nbsp;|&#0*+160;|&#[xX]0*+[aA]0;|\xa0)*+")
_RUN_TAIL_TEXT = re.compile("[ \t\xa0]*+")
_UNIT_HTML = re.compile(r"&nbsp;|&#0*+160;|&#[xX]0*+[aA]0;|\xa0|[ \t]")
#: Units that take a non-breaking space after a number (SI symbols, common non-SI units,
#: currencies, percent), followed by something that is not a letter.
_UNIT = re.compile(
    r"(?:[kMGTPmµunc]?(?:g|m|s|l|L|W|V|A|Hz|B|b|J|N|Pa|Wh|Ω)|°[CF]?|%|‰|€|\$|£|¥|₹|"
    r"px|pt|em|rem|dpi|mph|km/h|kph|ft|in|lb|lbs|oz|mi|yd|h|min|kcal|cal|mAh|dB|×|bit|"
    r"kB|KB|MB|GB|TB|EUR|USD|GBP|CHF|kg|cm|mm|km|ml|mL|cl|dl)(?![A-Za-zÀ-ÿ])"
)
#: French (and other) typography: a non-breaking space before these and inside « ».
_FRENCH_BEFORE = frozenset(":;!?»")
_FRENCH_AFTER = frozenset("«")
#: Punctuation that ends a word on the left of a space, or opens one on its right.
_CLOSING = frozenset(".,;:!?)]}\"'”’»%…")
_OPENING = frozenset("(\"'“‘«¿¡")
_REFERENCE_BEFORE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);\Z")
_RAQUO = ("&raquo;", "&#187;", "&#xBB;", "&#xbb;")
_LAQUO = ("&laquo;", "&#171;", "&#xAB;", "&#xab;")


class NbspRun(Rule):
    """Run of `&nbsp;` in running text (`word&nbsp;&nbsp; word`).

    ## What it does
    Flags two or more consecutive spaces of which at least one is a non-breaking space
    (`&nbsp;`, `&#160;`, U+00A0) between words of running text. Runs at the start or end of a
    line, a paragraph or a cell (indentation, spacers), in attributes, and in `pre`, `code`
    and other protected elements are left alone, as is a single `&nbsp;`. For every target.

    ## Why is this bad?
    Word, Google Docs and WYSIWYG editors turn typed double spaces (and the two spaces after
    a sentence) into `&nbsp; ` pairs: the text shows uneven gaps that do not collapse, and
    lines cannot wrap there.

    ## Example
    ```html
    <p>The meeting ended.&nbsp; Everyone left.&nbsp;&nbsp;&nbsp;Then it rained.</p>
    ```

    Use instead:
    ```html
    <p>The meeting ended. Everyone left. Then it rained.</p>
    ```

    ## Fix safety
    The fix replaces the run with one space; where typography needs a non-breaking space it
    keeps exactly one: between a number and a unit (`10&nbsp;kg`, `50&nbsp;%`), before
    French `: ; ! ?` and `»`, and after `«`. The words stay; the gap becomes one ordinary
    (or one non-breaking) space and the line may now wrap there. A run of two (the typed
    double space) is a safe fix; a longer run may be deliberate spacing (aligning a label and
    a value), so collapsing it is unsafe.
    """

    code = "CM002"
    name = "nbsp-run"
    fix_availability = FixAvailability.ALWAYS

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        html = doc.is_html
        tail = _RUN_TAIL_HTML if html else _RUN_TAIL_TEXT
        covered = -1
        for nbsp_start, nbsp_end in _no_break_spaces(text, html):
            if nbsp_start < covered:
                continue
            start = nbsp_start
            while start > 0 and text[start - 1] in " \t":
                start -= 1
            end = tail.match(text, nbsp_end).end()  # type: ignore[union-attr]
            covered = end
            run = text[start:end]
            units = len(_UNIT_HTML.findall(run)) if html else len(run)
            if units < 2:
                continue
            if html:
                stream = doc.tokens
                kind = stream.kinds[stream.index_at(nbsp_start)]
                if (kind is not CHARREF and kind is not TEXT) or doc.is_protected(nbsp_start):
                    continue
            before = text[start - 1] if start else ""
            after = text[end : end + 1]
            left_ok = _word_side(doc, start, left=True) or (before in _FRENCH_AFTER and after.isalpha())
            if not (left_ok and _word_side(doc, end, left=False, before=before)):
                continue
            keep_nbsp = _needs_nbsp(text, start, end)
            replacement = _nbsp_like(run) if keep_nbsp else " "
            yield self.report(
                start, end,
                f"Run of {units} spaces with non-breaking spaces in running text",
                self.fix(
                    "Collapse the run to one non-breaking space" if keep_nbsp else "Collapse the run to one space",
                    Edit.replace(start, end, replacement),
                    applicability=Applicability.SAFE if units == 2 else Applicability.UNSAFE,
                ),
            )


def _no_break_spaces(text: str, html: bool) -> list[tuple[int, int]]:
    """Where the no-break spaces are, in order. The character and the references are found
    by two patterns that start with a literal: one alternation of all forms is an order of
    magnitude slower in ``re``."""
    spans = [match.span() for match in _LITERAL_NBSP.finditer(text)]
    if html:
        spans.extend(match.span() for match in _ENTITY_NBSP.finditer(text))
        spans.sort()
    return spans


def _word_side(doc: Document, offset: int, *, left: bool, before: str = "") -> bool:
    """Whether a word of running text is on this side of a run: a letter or digit, sentence
    punctuation that ends (on the left) or opens (on the right) a word, or an inline tag
    (``</strong>`` on the left, ``<a …>`` on the right). Separators (``|``, ``/``, ``::``,
    ``•``) mean spacing around navigation, not text. ``before`` is the character before the
    run, for the right side."""
    text = doc.text
    if left:
        if offset == 0:
            return False
        char = text[offset - 1]
    else:
        if offset >= len(text):
            return False
        char = text[offset]
    if char.isalnum():
        return True
    if doc.is_html and char == ";" and left:  # a character reference: &amp; &#8217; &eacute;
        return _REFERENCE_BEFORE.search(text, max(0, offset - 12), offset) is not None
    if left and char in _CLOSING:  # "word." but not a separator such as " :: " or " / "
        return offset >= 2 and (text[offset - 2].isalnum() or text[offset - 2] in _CLOSING - {":"})
    if not left and (char in _OPENING or char == "&"):
        return True
    if not left and before.isdigit() and _UNIT.match(text, offset):  # "5  €", "50  %"
        return True
    if not left and char in _FRENCH_BEFORE:  # "mot  :" but not a separator after a link
        return before.isalnum()
    if not doc.is_html:
        return False
    stream = doc.tokens
    if left and char == ">":  # </strong> after its text, not an empty icon <i class="fa"></i>
        i = stream.index_at(offset - 1)
        return (stream.kinds[i] is END_TAG and stream.names[i] in INLINE_WRAPPERS
                and i > 0 and stream.kinds[i - 1] in (TEXT, CHARREF))
    if not left and char == "<":  # <a href> before its text, not before an image
        i = stream.index_at(offset)
        return (stream.kinds[i] is START_TAG and stream.starts[i] == offset
                and stream.names[i] in INLINE_WRAPPERS
                and i + 1 < len(stream.kinds) and stream.kinds[i + 1] in (TEXT, CHARREF))
    return False


def _needs_nbsp(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if after in _FRENCH_BEFORE or before in _FRENCH_AFTER:
        return True
    if text.startswith(_RAQUO, end) or text[max(0, start - 8) : start].endswith(_LAQUO):
        return True
    return before.isdigit() and _UNIT.match(text, end) is not None


def _nbsp_like(run: str) -> str:
    """One non-breaking space written as the run wrote its first one."""
    first = _NBSP_HTML.search(run)
    return first.group() if first else "\xa0"
