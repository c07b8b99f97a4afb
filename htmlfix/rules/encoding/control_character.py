"""EN005: control characters, stray byte-order marks and replacement characters."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document
from ...model import Diagnostic, Edit, FixAvailability
from ...tokens import RAWTEXT
from ..base import Rule
from ._mojibake import SEQUENCE
from .mojibake import show

__all__ = ["ControlCharacter"]

# One character class, so the scan runs at C speed; the run is classified afterwards.
_FINDER = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufeff\ufffd]+")
_KINDS = re.compile(
    r"(?P<c0>[\x00-\x08\x0b\x0e-\x1f\x7f]+)|(?P<c1>[\x80-\x9f]+)|(?P<bom>\ufeff+)|(?P<lost>\ufffd+)"
)
_CODE_ELEMENTS = frozenset({"script", "style"})


def _windows_1252(char: str) -> str:
    """The windows-1252 character for a C1 control's byte, or "" where it defines none."""
    try:
        return bytes([ord(char)]).decode("cp1252")
    except UnicodeDecodeError:
        return ""


class ControlCharacter(Rule):
    """Control characters (C0, C1), stray byte-order marks, and U+FFFD replacement characters.

    ## What it does
    Finds characters that no text means to contain:
    * C0 controls other than tab, line feed, carriage return and form feed (NUL, the vertical
      tab Word uses for a line break, DLE, ESC, ...) and DEL;
    * C1 controls (U+0080–U+009F): windows-1252 punctuation read as latin-1 (`\\x92` for `’`,
      `\\x96` for `–`). Those that are part of a longer mojibake sequence are left to EN001;
    * a byte-order mark (U+FEFF) at the start of the text or of a line, left where files
      were joined;
    * runs of U+FFFD, the mark of characters a decoder could not read (reported only: what
      was there is lost).

    Scripts and styles are not checked. Zero-width characters (ZWSP, ZWJ, ZWNJ, word
    joiner) are left alone: they are part of the writing of Indic and Arabic-script
    languages and of emoji sequences, and ZWSP marks line-break opportunities in long words
    and URLs. A U+FEFF inside a line is left alone too (it works as a zero-width no-break
    space; Wikipedia's coordinate templates use it on purpose).

    ## Why is this bad?
    Browsers show controls as nothing or as boxes, XML (and so WXR) forbids them outright
    (one DLE breaks a whole WordPress import), and a C1 control stands where a quote or a
    dash should be.

    ## Example
    ```html
    <p>It\\x92s done\\x00.</p>
    ```

    Use instead:
    ```html
    <p>It’s done.</p>
    ```

    ## Fix safety
    The fix is safe: C0 controls, DEL and stray byte-order marks are removed (they render as
    nothing, or as a box); a vertical tab between two words becomes a space, so the words
    stay apart; a C1 control becomes the windows-1252 character its byte stands for (the
    reading every browser gives that byte in a windows-1252 page), or is removed where
    windows-1252 defines none. Inside `pre`, `code` and the like, controls are reported
    without a fix. Replacement characters are never fixed.
    """

    code = "EN005"
    name = "control-character"
    fix_availability = FixAvailability.SOMETIMES

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if not _may_contain_controls(text):
            return
        for run in _FINDER.finditer(text):
            for match in _KINDS.finditer(text, run.start(), run.end()):
                diagnostic = self._check_match(doc, match)
                if diagnostic is not None:
                    yield diagnostic

    def _check_match(self, doc: Document, match: re.Match[str]) -> Diagnostic | None:
        text = doc.text
        stream = doc.tokens
        start, end = match.span()
        i = stream.index_at(start)
        if stream.kinds[i] is RAWTEXT and stream.names[i] in _CODE_ELEMENTS:
            return None
        kind = match.lastgroup
        if kind == "bom" and start > 0 and text[start - 1] not in "\n\r":
            return None  # inside a line: a zero-width no-break space, maybe on purpose
        if kind == "lost":
            return self.report(start, end, f"replacement character `{match.group()}`: the original text was lost")
        if kind == "c1" and _in_mojibake(text, start):
            return None  # part of a mojibake sequence: EN001 repairs the whole sequence
        return self._diagnostic(text, kind, start, end, fixable=not doc.is_protected(start))

    def _diagnostic(self, text: str, kind: str | None, start: int, end: int, fixable: bool) -> Diagnostic:
        found = text[start:end]
        if kind == "bom":
            message, replacement = "stray byte-order mark (U+FEFF)", ""
        elif kind == "c1":
            replacement = "".join(_windows_1252(char) for char in found)
            message = f"C1 control character `{show(found)}`"
            if replacement:
                message += f" (windows-1252 `{replacement}`)"
        else:
            message = f"control character `{show(found)}`"
            between_words = (
                found == "\x0b" and 0 < start and end < len(text)
                and not text[start - 1].isspace() and not text[end].isspace()
            )
            replacement = " " if between_words else ""
        if not fixable:
            return self.report(start, end, message)
        action = f"Replace with `{replacement}`" if replacement else "Remove it"
        return self.report(start, end, message, self.fix(action, Edit(start, end, replacement)))


_C0 = tuple(chr(c) for c in (*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F))
_OTHERS = tuple(chr(c) for c in range(0x80, 0xA0)) + ("\ufeff", "\ufffd")


def _may_contain_controls(text: str) -> bool:
    """A fast gate: single-character `in` tests run at memchr speed, several times faster
    than a regex character class over the whole text."""
    if any(char in text for char in _C0):
        return True
    return not text.isascii() and any(char in text for char in _OTHERS)


def _in_mojibake(text: str, offset: int) -> bool:
    """Whether the C1 control at ``offset`` continues a mojibake'd UTF-8 sequence (`â\x80\x99`)."""
    for back in (1, 2, 3):
        if offset >= back:
            match = SEQUENCE.match(text, offset - back)
            if match is not None and match.end() > offset:
                return True
    return False
