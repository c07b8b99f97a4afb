"""EN001: UTF-8 text that was decoded as windows-1252/latin-1 (``â€™``, ``Ã©``, ``Â``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher
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
#: A line of text longer than this is cut around its candidates before ftfy sees it.
_WINDOW = 400


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
        covered = -1
        for start, end in spans:
            if start < covered:
                continue
            place = place_of(doc, start)
            if place is None:
                continue
            unit_start, unit_end = _unit(doc.text, place, start, end)
            covered = unit_end
            yield from self._check_unit(doc, place, unit_start, unit_end)

    def _check_unit(self, doc: Document, place: Place, start: int, end: int) -> Iterator[Diagnostic]:
        decoded = decode(doc.text[start:end], start)
        fixed = fix_encoding(decoded.text)
        if fixed == decoded.text:
            opcodes = [("equal", 0, len(fixed), 0, len(fixed))]
        else:
            opcodes = SequenceMatcher(None, decoded.text, fixed, autojunk=False).get_opcodes()
        for op, i1, i2, j1, j2 in opcodes:
            if op == "equal":
                for lost in _LOST_QUOTE.finditer(decoded.text, i1, i2):
                    k = lost.start()
                    yield self._lost_byte(place, decoded, k, fixed[: j1 + k - i1], lost.group())
                continue
            before, after = decoded.text[i1:i2], fixed[j1:j2]
            if not any(char in MOJIBAKE_CHARS for char in before):
                continue
            if ("\u2020" in after or "\u2021" in after) and "\u00e2\u20ac" in before:
                k = i1 + before.index("\u00e2\u20ac")
                yield self._lost_byte(place, decoded, k, fixed[:j1], before)
                continue
            span_start, span_end = decoded.source_span(i1, i2)
            if "\ufffd" in after:
                yield self.report(
                    span_start, span_end, f"mojibake `{show(before)}` lost bytes; repair by hand"
                )
                continue
            content = escape_for(after, place, decoded.any_reference(i1, i2))
            if after:
                message = f"mojibake `{show(before)}` (reads `{show(after)}`)"
                action = f"Replace with `{show(after)}`"
            else:
                message = f"mojibake `{show(before)}` (a stray byte of a UTF-8 sequence)"
                action = f"Remove `{show(before)}`"
            fix = self.fix(action, Edit(span_start, span_end, content), applicability=Applicability.SAFE)
            yield self.report(span_start, span_end, message, fix)

    def _lost_byte(self, place: Place, decoded: Decoded, k: int, fixed_before: str, shown: str) -> Diagnostic:
        """`â€` whose third byte was lost. After an opening `“` it is almost surely the closing
        `”` (its byte 0x9D is the one windows-1252 leaves undefined, so it is the one that
        gets dropped): offered as an unsafe fix. Otherwise reported only."""
        start, end = decoded.source_span(k, k + 2)
        message = f"mojibake `{show(shown)}` lost a byte (probably `\u201d`)"
        if fixed_before.count("\u201c") > fixed_before.count("\u201d"):
            content = escape_for("\u201d", place, decoded.any_reference(k, k + 2))
            fix = self.fix("Replace with `\u201d`", Edit(start, end, content), applicability=Applicability.UNSAFE)
            return self.report(start, end, message, fix)
        return self.report(start, end, f"{message}; repair by hand")


def _unit(text: str, place: Place, start: int, end: int) -> tuple[int, int]:
    """The stretch around a candidate that ftfy sees: an attribute value or title whole, the
    candidate's line of a text run (cut to a window at spaces when the line is long)."""
    if place.kind != "text":
        return place.start, place.end
    line_start = text.rfind("\n", place.start, start) + 1 or place.start
    line_start = max(line_start, place.start)
    line_end = text.find("\n", end, place.end)
    if line_end < 0:
        line_end = place.end
    if line_end - line_start <= 2 * _WINDOW:
        return line_start, line_end
    low = text.rfind(" ", line_start, max(line_start, start - _WINDOW))
    high = text.find(" ", min(line_end, end + _WINDOW), line_end)
    return (low + 1 if low >= 0 else line_start), (high if high >= 0 else line_end)
