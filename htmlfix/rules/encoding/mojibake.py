"""EN001: UTF-8 text that was decoded as windows-1252/latin-1 (``â€™``, ``Ã©``, ``Â``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from ...document import Document
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ..base import Rule
from ._context import Decoded, Place, decode, escape_for, place_of
from ._mojibake import CONTINUATION_CLASS, MOJIBAKE_CHARS, candidate_spans

__all__ = ["Mojibake", "show"]

#: The lead bytes of a curly quote with its third byte missing.
_LOST_QUOTE = re.compile(f"\u00e2\u20ac(?!{CONTINUATION_CLASS})")
#: How far the word around a candidate, or the search for an opening quote, may reach.
_WINDOW = 400
#: What ends a word: ASCII whitespace and tag brackets (NBSP does not: `Â\xa0` is one).
_WORD_BREAKS = frozenset(" \t\n\r\f<>")


@cache
def _ftfy_config() -> Any:
    # Only the encoding steps. ftfy's defaults would also unescape HTML (turning
    # `&lt;p&gt;` into a live <p>), straighten every curly quote, and more.
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


def fix_encoding(text: str) -> str:
    import ftfy

    return ftfy.fix_encoding(text, _ftfy_config())


def show(text: str) -> str:
    """``text`` for a message: control characters and NBSP made visible."""
    return "".join(
        f"\\x{ord(c):02x}" if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0
        else "\\u00a0" if c == "\xa0" else c
        for c in text
    )


class Mojibake(Rule):
    """Mojibake: UTF-8 text that was decoded as windows-1252 or latin-1 (`â€™`, `Ã©`, `Â`).

    ## What it does
    Finds text and attribute values where UTF-8 characters were read with the wrong
    encoding and saved again: `donâ€™t` for `don’t`, `cafÃ©` for `café`, `Â` before a
    no-break space, several layers deep (`Ã¢â‚¬â„¢`), and the same written as character
    references (`caf&#195;&#169;`, `&acirc;&euro;&trade;`). ftfy decides what the text
    was; only the places that contain such byte sequences are shown to it, and only its
    encoding fixer is used (never its defaults, which unescape HTML and straighten quotes).
    `Brontë…”` and other real accented text are left alone. Code (`pre`, `code`, ...),
    scripts, styles and comments are not checked.

    ## Why is this bad?
    Readers see the garbage characters. It is the classic damage of WordPress sites moved
    between hosts with latin1 database tables, and of feeds read with the wrong charset.

    ## Example
    ```html
    <p>Itâ€™s a cafÃ© on the Ã®le.</p>
    ```

    Use instead:
    ```html
    <p>It’s a café on the île.</p>
    ```

    ## Fix safety
    The fix is safe: it replaces only the mojibake characters with the characters they
    encode, so the page shows the text that was written, and keeps every other character.
    Characters written as references are repaired as references (`&#233;`), markup
    characters stay escaped. When a byte was lost on the way (`â€` followed by a space:
    probably `”`, but ftfy would read `†`), or ftfy would put U+FFFD in its place, the
    problem is reported without a fix.
    """

    code = "EN001"
    name = "mojibake"
    fix_availability = FixAvailability.SOMETIMES

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        spans = candidate_spans(doc)
        if not spans:
            return
        text = doc.text
        covered = -1
        for start, end in spans:
            if start < covered:
                continue
            place = place_of(doc, start)
            if place is None:
                continue
            word_start, word_end = _word(text, place, start, end)
            covered = word_end
            yield from self._check_word(doc, place, word_start, word_end)

    def _check_word(self, doc: Document, place: Place, start: int, end: int) -> Iterator[Diagnostic]:
        """ftfy sees the word around a candidate (enough context for its judgement, little
        enough that one changed stretch can be found by trimming what stayed the same)."""
        decoded = decode(doc.text[start:end], start, references=doc.is_html)
        before_text = decoded.text
        fixed = fix_encoding(before_text)
        prefix, suffix = _common_ends(before_text, fixed)
        changed = (prefix, len(before_text) - suffix) if fixed != before_text else (0, 0)
        for lost in _LOST_QUOTE.finditer(before_text):
            if not changed[0] <= lost.start() < changed[1]:
                yield self._lost_byte(doc, place, decoded, lost.start())
        if fixed == before_text:
            return
        i1, i2 = changed
        before, after = before_text[i1:i2], fixed[prefix : len(fixed) - suffix]
        if not any(char in MOJIBAKE_CHARS for char in before):
            return
        if ("\u2020" in after or "\u2021" in after) and "\u00e2\u20ac" in before:
            yield self._lost_byte(doc, place, decoded, i1 + before.index("\u00e2\u20ac"))
            return
        span_start, span_end = decoded.source_span(i1, i2)
        if "\ufffd" in after:
            yield self.report(span_start, span_end, f"mojibake `{show(before)}` lost bytes; repair by hand")
            return
        content = escape_for(after, place, decoded.any_reference(i1, i2)) if doc.is_html else after
        if after:
            message = f"mojibake `{show(before)}` (reads `{show(after)}`)"
            action = f"Replace with `{show(after)}`"
        else:
            message = f"mojibake `{show(before)}` (a stray byte of a UTF-8 sequence)"
            action = f"Remove `{show(before)}`"
        fix = self.fix(action, Edit(span_start, span_end, content), applicability=Applicability.SAFE)
        yield self.report(span_start, span_end, message, fix)

    def _lost_byte(self, doc: Document, place: Place, decoded: Decoded, k: int) -> Diagnostic:
        """`â€` whose third byte was lost. After an opening `“` it is almost surely the closing
        `”` (its byte 0x9D is the one windows-1252 leaves undefined, so it is the one that
        gets dropped): offered as an unsafe fix. Otherwise reported only."""
        start, end = decoded.source_span(k, k + 2)
        message = f"mojibake `{show(decoded.text[k:k + 2])}` lost a byte (probably `\u201d`)"
        if _quote_open(doc.text, max(place.start, start - _WINDOW), start):
            content = escape_for("\u201d", place, decoded.any_reference(k, k + 2)) if doc.is_html else "\u201d"
            fix = self.fix("Replace with `\u201d`", Edit(start, end, content), applicability=Applicability.UNSAFE)
            return self.report(start, end, message, fix)
        return self.report(start, end, f"{message}; repair by hand")


def _word(text: str, place: Place, start: int, end: int) -> tuple[int, int]:
    """The word around a candidate, within its text run or value (at most ``_WINDOW``
    characters each way); a lead character at its end takes the space after it along
    (`Ã ` is `à` whose NBSP became a space)."""
    low = max(place.start, start - _WINDOW)
    high = min(place.end, end + _WINDOW)
    word_start = start
    while word_start > low and text[word_start - 1] not in _WORD_BREAKS:
        word_start -= 1
    word_end = end
    while word_end < high and text[word_end] not in _WORD_BREAKS:
        word_end += 1
    if word_end < high and text[word_end] == " " and "\u00c2" <= text[word_end - 1] <= "\u00f4":
        word_end += 1
    return word_start, word_end


def _common_ends(a: str, b: str) -> tuple[int, int]:
    """The lengths of the common prefix and (non-overlapping) common suffix of two strings."""
    limit = min(len(a), len(b))
    prefix = 0
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def _quote_open(text: str, low: int, offset: int) -> bool:
    """Whether a curly double quote (written, mojibake'd or as a reference) is open before
    ``offset``: more openers than closers in the stretch before it."""
    window = text[low:offset]
    opens = sum(window.count(s) for s in ("\u201c", "\u00e2\u20ac\u0153", "&#8220;", "&ldquo;"))
    closes = sum(window.count(s) for s in ("\u201d", "&#8221;", "&rdquo;")) + len(_LOST_QUOTE.findall(window))
    return opens > closes
