"""EN005: control characters, stray byte-order marks and replacement characters."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document
from ...model import Diagnostic, Edit, FixAvailability
from ...tokens import RAWTEXT
from ..base import Rule
from ._context import utf8
from ._mojibake import SEQUENCE
from .mojibake import show

__all__ = ["ControlCharacter"]

# The characters reported are C0 controls but tab, LF, FF and CR; DEL and the C1 controls
# (U+007F-U+009F); U+FEFF; U+FFFD. Runs of them are found by `_runs`, and classified here.
_RUN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufeff\ufffd]+")
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
        for run_start, run_end in _runs(doc):
            for match in _KINDS.finditer(text, run_start, run_end):
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


#: Every byte but the C0 controls (and DEL) this rule reports: deleting them leaves those.
_NOT_C0 = bytes(b for b in range(256) if not (b <= 0x08 or b == 0x0B or 0x0E <= b <= 0x1F or b == 0x7F))
#: A C1 control (U+0080-U+009F) in UTF-8: 0xC2 is always a lead byte, so this never matches
#: inside another character.
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")


def _present(doc: Document) -> set[str]:
    """The control characters (in the rule's sense) that occur in ``doc.text``, found with a few
    whole-text passes at C speed: a regex character class costs several nanoseconds per
    character, and one `in` test per control character is one pass each (and a slow one for
    NUL in a text that is not latin-1)."""
    text = doc.text
    if text.isascii():
        return set(text.encode("ascii").translate(None, _NOT_C0).decode("ascii"))
    # In UTF-8, C0 controls and DEL are bytes that occur nowhere else.
    data = utf8(doc)
    found = set(data.translate(None, _NOT_C0).decode("ascii"))
    found.update(chr(pair[1]) for pair in _C1_UTF8.findall(data))
    found.update(char for char in ("\ufeff", "\ufffd") if char in text)
    return found


def _runs(doc: Document) -> Iterator[tuple[int, int]]:
    """The spans of the maximal runs of control characters, as a scan with ``_RUN`` would
    find them, but jumping from one occurrence to the next with `find` (one pass per
    character that occurs) and matching the run there."""
    text = doc.text
    upcoming = {char: text.find(char) for char in _present(doc)}
    position = 0
    while upcoming:
        for char, found in list(upcoming.items()):
            if found < position:
                found = text.find(char, position)
                if found < 0:
                    del upcoming[char]
                else:
                    upcoming[char] = found
        if not upcoming:
            return
        run = _RUN.match(text, min(upcoming.values()))
        assert run is not None
        yield run.span()
        position = run.end()


def _in_mojibake(text: str, offset: int) -> bool:
    """Whether the C1 control at ``offset`` continues a mojibake'd UTF-8 sequence (`â\x80\x99`)."""
    for back in (1, 2, 3):
        if offset >= back:
            match = SEQUENCE.match(text, offset - back)
            if match is not None and match.end() > offset:
                return True
    return False
