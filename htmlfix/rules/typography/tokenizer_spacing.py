"""TY001: text that went through a word tokenizer and was never detokenized (``issues .``)."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

from ...document import Document
from ...model import Diagnostic, Edit, FixAvailability
from ...tokens import END_TAG
from ..base import Rule
from ..encoding._context import place_of, prose
from ._language import is_english_at

__all__ = ["TokenizerSpacing"]

_ALNUM = string.ascii_letters + string.digits
# Each pattern starts with a literal, so the scan runs at C speed, and matches one space: the
# rest of a run of spaces is found by walking back (a leading ` +` would rescan long runs of
# indentation from every one of their spaces). The lookahead after the space rejects the
# ordinary space (most of a page's spaces are indentation) before the alternation is tried,
# three times faster than trying both branches at every space.
_SPACED = re.compile(
    # a space before sentence punctuation that ends a word: "issues ." / "cooperation ,"
    r" (?=[.,;:!?n'’])(?:(?P<punct>[.,;:!?](?=[\s<\"'’”)\]]|\Z))"
    # a contraction split off its word: "do n't", "nation 's"
    r"|(?P<contraction>(?:n['’]t|['’](?:s|re|ve|ll|d|m))(?![\w'’-])))"
)
# spaces inside parentheses: "( see above )"
_PARENS = re.compile(r"\( ++[A-Za-z0-9][^()\n]{0,200}?(?<=[A-Za-z0-9.!?\"'’”]) ++\)")
_BEFORE = {"punct": frozenset(_ALNUM + ")]\"'’”%>"), "contraction": frozenset(string.ascii_letters)}
#: Longer runs of spaces are alignment, not a tokenizer's single space.
_MAX_SPACES = 3
# Only counted: the scan starts at the rarer punctuation mark and looks back at the character
# before it (starting at the letter or digit tried nearly every position). Two matches never
# overlap (a mark is not a letter), so the count is the same either way.
_ATTACHED = re.compile(r"[.,;:!?](?<=[A-Za-z0-9)\]\"'’”%][.,;:!?])(?=[\s<\"'’”)\]]|\Z)")
_URL_LIKE = re.compile(r"://|www\.|@|/|\w\.\w")


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str
    start: int
    end: int
    edits: tuple[Edit, ...]
    shown: str


class TokenizerSpacing(Rule):
    """Tokenizer spacing: a space before punctuation (`issues .`), split contractions (`do n't`).

    ## What it does
    Finds the traces of text that went through a word tokenizer (Moses and the like, used
    by machine translation, spinners and NLP pipelines) and was never detokenized: a space
    before `. , ; : ! ?` at the end of a word (`priorities .`, `cooperation ,`), contractions
    split off their word (`do n't`, `nation 's`), and spaces inside parentheses (`( see
    above )`). It acts only where the document shows the pattern repeatedly (by default at
    least 4 times, and for at least 10% of the sentence punctuation: options `min-hits` and
    `min-ratio`), because one `here .` is a typo, not a tokenizer, and only in English
    text: the nearest `lang` attribute decides, and without one the document's function
    words must be clearly English. French puts a (no-break) space before `: ; ! ?`, so a
    French page is never touched, and only ordinary spaces (U+0020) are considered, never
    NBSP or narrow NBSP. Ellipses (`wait . . .`), emoticons (`:)`), numbers (`3 . 14`,
    `10 : 30`), URLs and e-mail addresses, code and attributes are left alone.

    ## Why is this bad?
    Readers see `autonomy & priorities .` and `economic cooperation , cultural exchange`:
    the text looks machine-processed, and lines can break before the punctuation.

    ## Example
    ```text
    Regular dialogues should be organized so both countries can build trust . They do n't
    agree on everything , but the nation 's priorities ( trade and security ) align .
    ```

    Use instead:
    ```text
    Regular dialogues should be organized so both countries can build trust. They don't
    agree on everything, but the nation's priorities (trade and security) align.
    ```

    ## Fix safety
    The fix is safe: it deletes only the damaging spaces and keeps every word and every
    punctuation mark, so the page shows the same sentence with the punctuation attached
    where English puts it. It applies only under the conditions above (English, repeated
    pattern); elsewhere nothing is reported.
    """

    code = "TY001"
    name = "tokenizer-spacing"
    options = {"min-hits": 4, "min-ratio": 0.1}
    fix_availability = FixAvailability.ALWAYS

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if " " not in text:
            return
        min_hits = int(self.option(doc, "min-hits"))
        min_ratio = float(self.option(doc, "min-ratio"))
        hits = [hit for hit in self._hits(doc) if hit is not None]
        if len(hits) < min_hits:
            return
        punctuation = sum(1 for hit in hits if hit.kind == "punct")
        attached = _attached_punctuation(doc)
        if punctuation + attached and punctuation / (punctuation + attached) < min_ratio:
            return
        for hit in hits:
            fix = self.fix("Remove the space", *hit.edits)
            yield self.report(hit.start, hit.end, hit.shown, fix)

    def _hits(self, doc: Document) -> Iterator[_Hit | None]:
        view = prose(doc)
        text = view.text
        min_hits = int(self.option(doc, "min-hits"))
        # Two substring searches run far faster than the scan below: a tokenized text has
        # spaced periods and commas everywhere, an ordinary page almost none.
        if not _at_least_two(text, (" .", " ,")):
            return
        matches = [(m.start(), m.end(), "parens", m) for m in _PARENS.finditer(text)] if "( " in text else []
        for match in _SPACED.finditer(text):
            kind = match.lastgroup or ""
            start, end = match.span()
            end = start + 1 if kind == "contraction" else end
            while start and text[start - 1] == " " and end - start <= _MAX_SPACES:
                start -= 1
            if end - start > _MAX_SPACES + 1 or not start or text[start - 1] not in _BEFORE[kind]:
                continue
            matches.append((start, end, kind, match))
        if len(matches) < min_hits:
            return
        doc_text = doc.text
        for start, end, kind, match in sorted(matches, key=lambda m: m[0]):
            # Pieces are copied whole into the prose, so a match inside one maps by offset.
            start, end = view.to_document(start), view.to_document(end - 1) + 1
            place = place_of(doc, start)
            if place is None or place.kind != "text" or end > place.end:
                continue
            if kind == "punct":
                yield _punctuation_hit(doc, start, end)
            elif not is_english_at(doc, start):
                continue
            elif kind == "contraction":
                word = doc_text[end:end + 4].split()[0] if doc_text[end:end + 4].split() else ""
                yield _Hit(kind, start, end, (Edit(start, end, ""),), f"contraction split off its word: ` {word}`")
            else:
                inner = match.group()
                left = len(inner) - len(inner[1:].lstrip(" ")) - 1
                right = len(inner) - 1 - len(inner[:-1].rstrip(" "))
                edits = (Edit(start + 1, start + 1 + left, ""), Edit(end - 1 - right, end - 1, ""))
                yield _Hit(kind, start, end, edits, "spaces inside parentheses")


def _at_least_two(text: str, needles: tuple[str, ...]) -> bool:
    """Whether ``sum(text.count(n) for n in needles) >= 2``, stopping at the second
    occurrence (``str.find`` is also faster than ``str.count`` when there is none)."""
    seen = 0
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            seen += 1
            if seen == 2:
                return True
            at = text.find(needle, at + len(needle))
    return False


def _punctuation_hit(doc: Document, start: int, end: int) -> _Hit | None:
    text = doc.text
    mark = text[end - 1]
    before = text[start - 1]
    after = text[end:end + 2]
    if mark == "." and (after.lstrip(" ")[:1] in (".", "\u2026") or before == "."):
        return None  # a spaced ellipsis: ". . ."
    if before.isdigit() and after.lstrip(" ")[:1].isdigit():
        return None  # "3 . 14", "10 : 30"
    if before == ">":  # after an inline end tag: "<a href=...>the summary</a> ."
        i = doc.tokens.index_at(start - 1)
        if not doc.is_html or doc.tokens.kinds[i] is not END_TAG:
            return None
    else:
        low = max(0, start - 200)
        word_start = max(text.rfind(" ", low, start - 1), text.rfind("\n", low, start - 1), low - 1) + 1
        if _URL_LIKE.search(text, word_start, start):
            return None
    if not is_english_at(doc, start):
        return None
    return _Hit("punct", start, end, (Edit(start, end - 1, ""),), f"space before `{mark}`")


def _attached_punctuation(doc: Document) -> int:
    """How many sentence punctuation marks in the document's prose are written normally."""
    return len(_ATTACHED.findall(prose(doc).text))
