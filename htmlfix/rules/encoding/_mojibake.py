"""Finding mojibake cheaply: UTF-8 byte sequences that were decoded as windows-1252 or
latin-1, written raw (``â€™``, ``Ã©``) or as character references (``&#195;&#169;``,
``&Atilde;&copy;``).

ftfy decides what is mojibake and what the text was, but it is slow, so it only ever sees
the few places this module's regexes point at. A candidate is a whole UTF-8 sequence: a lead
character (bytes C2-F4) followed by exactly the number of continuation characters (bytes
80-BF) its lead byte announces, so ordinary accented text (``jaké\\xa0pozice``, ``Brontë…``)
rarely even reaches ftfy. Two lossy shapes are candidates too: ``â€`` (the prefix of the
curly quotes, whose last byte is often lost) and ``Â`` before a space or NBSP.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ...document import Document
from ...tokens import decode_charref
from ._context import prose, utf8

__all__ = ["CONTINUATION_CLASS", "MOJIBAKE_CHARS", "candidate_spans", "is_continuation"]


def _decode_byte(byte: int) -> str:
    # windows-1252, with the five bytes it leaves undefined read as latin-1 C1 controls (as
    # ftfy's "sloppy" codec does); bytes 0xA0-0xFF are the same in both.
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_CONTINUATION = "".join(_decode_byte(b) for b in range(0x80, 0xC0)) + "".join(
    chr(c) for c in range(0x80, 0xA0)
)
_CONT = "[" + re.escape("".join(sorted(set(_CONTINUATION)))) + "]"
#: A regex character class matching one continuation character.
CONTINUATION_CLASS = _CONT
_LEAD2 = "[\u00c2-\u00df]"
_LEAD3 = "[\u00e0-\u00ef]"
_LEAD4 = "[\u00f0-\u00f4]"
#: One mojibake'd UTF-8 sequence (or a lossy prefix of one), in decoded text.
SEQUENCE = re.compile(
    f"{_LEAD2}{_CONT}|{_LEAD3}{_CONT}{{2}}|{_LEAD4}{_CONT}{{3}}|\u00e2\u20ac|\u00c2(?=[ \xa0])"
)
_LEAD = re.compile("[\u00c2-\u00f4][^\x00-\x25\x27-\x7f]")
#: ``_LEAD`` in UTF-8: U+00C2-U+00F4 is C3 82-C3 B4, and a character that is `&` or not ASCII
#: starts with 0x26 or a byte from 0x80 (the regex starts with a literal byte: a fast scan).
_LEAD_UTF8 = re.compile(b"\xc3[\x82-\xb4][\x26\x80-\xff]")
#: Every character that can be part of mojibake of a UTF-8 sequence.
MOJIBAKE_CHARS = frozenset(_CONTINUATION) | frozenset(chr(c) for c in range(0xC2, 0xF5))

def _named_leads() -> re.Pattern[str]:
    from html.entities import html5

    names = sorted(
        {name[:-1] for name, value in html5.items()
         if name.endswith(";") and len(value) == 1 and 0xC2 <= ord(value) <= 0xF4}
    )
    return re.compile("&(?:" + "|".join(names) + ");")


# Numeric references to a lead character (U+00C2-U+00F4); the `&#` prefix scans fast.
_NUMERIC_LEAD = re.compile(
    r"&#(?:0*(?:19[4-9]|2[0-3][0-9]|24[0-4])|[xX]0*(?:[cC][2-9a-fA-F]|[dDeE][0-9a-fA-F]|[fF][0-4]));"
)
_NAMED_LEAD = _named_leads()
#: Named leads are all `&A…;`, `&a…;`, `&E…`, ... but the ones mojibake is made of in practice
#: start with `&A`/`&a` + `circ`/`tilde`/`uml`/`ring`/`elig`: check for those before the
#: long alternation runs.
_NAMED_GATE = re.compile(r"&[Aa](?:circ|tilde|uml|ring|Elig|elig);")
_NEXT_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


#: French typography puts a no-break space before a closing guillemet (`automatisé&nbsp;»`):
#: a letter from U+00E0-U+00EF, NBSP and `»` read as UTF-8 bytes make one three-byte
#: sequence (E9 A0 BB, U+983B), but it is prose, not mojibake, and ftfy (a tenth of a second
#: to import) would only say so.
_FRENCH_SPACING = "\xa0\u00bb"


def _is_sequence(decoded: str, start: int = 0) -> re.Match[str] | None:
    """``SEQUENCE`` matched at ``start``, unless it is French spacing before `»`."""
    match = SEQUENCE.match(decoded, start)
    if match is not None and match.end() - start == 3 and decoded.startswith(_FRENCH_SPACING, start + 1):
        return None
    return match


def is_continuation(char: str) -> bool:
    return char in _CONTINUATION


def candidate_spans(doc: Document) -> list[tuple[int, int]]:
    """Sorted spans of ``doc.text`` that look like mojibake (raw or as references)."""
    return doc.memo(_candidates)


def _candidates(doc: Document) -> list[tuple[int, int]]:
    text = doc.text
    if text.isascii() and "&#" not in text and _NAMED_GATE.search(text) is None:
        return []
    # Scripts, styles and code are never repaired: scan the prose view only (about half of a
    # real page's bytes), then map the spans back.
    view = prose(doc)
    found: list[tuple[int, int]] = []
    # The prose is pieces of the text joined with "\n", so a lead it has is in the text too;
    # most pages with non-ASCII text have none, and the UTF-8 scan costs far less.
    if not text.isascii() and _LEAD_UTF8.search(utf8(doc)) is not None:
        found.extend(_raw_candidates(view.text))
    # In plain text, `&#195;` is just characters: references count in HTML only.
    if doc.is_html:
        found.extend(_reference_candidates(_numeric_leads(view.text), view.text))
    if doc.is_html and _NAMED_GATE.search(view.text) is not None:
        found.extend(_reference_candidates(_NAMED_LEAD.finditer(view.text), view.text))
    found.sort()
    return [(view.to_document(start), view.to_document(end - 1) + 1) for start, end in found]


def _raw_candidates(text: str) -> Iterator[tuple[int, int]]:
    """Raw mojibake: a lead character (one character-class scan at C speed finds them), then
    the whole sequence, its continuation characters raw (``Ã©``) or as references (``Â&nbsp;``)."""
    for lead in _LEAD.finditer(text):
        start = lead.start()
        if lead.group()[1] == "&":
            decoded, end = _decode_ahead(text, start, 4)
            if _is_sequence(decoded):
                yield start, end
            continue
        match = _is_sequence(text, start)
        if match is not None:
            yield match.span()


def _numeric_leads(text: str) -> Iterator[re.Match[str]]:
    """``_NUMERIC_LEAD.finditer(text)``, jumping from one `&#` to the next with ``str.find``
    (about twice as fast as the regex's own scan for its two-character prefix)."""
    find = text.find
    match = _NUMERIC_LEAD.match
    position = find("&#")
    while position >= 0:
        lead = match(text, position)
        if lead is None:
            position = find("&#", position + 1)
        else:
            yield lead
            position = find("&#", lead.end())


def _reference_candidates(leads: Iterator[re.Match[str]], text: str) -> list[tuple[int, int]]:
    """``&#195;&#169;``, ``&Atilde;&copy;``, ``&acirc;&euro;&trade;``: a lead character
    written as a reference (one of ``leads``), followed by continuation characters (raw or
    references)."""
    found = []
    for match in leads:
        decoded, end = _decode_ahead(text, match.start(), 4)
        if _is_sequence(decoded):
            found.append((match.start(), end))
    return found


def _decode_ahead(text: str, start: int, count: int) -> tuple[str, int]:
    """Up to ``count`` characters decoded from ``text[start:]`` and the offset after them."""
    chars: list[str] = []
    position = start
    while len(chars) < count and position < len(text):
        reference = _NEXT_REFERENCE.match(text, position) if text[position] == "&" else None
        if reference is not None:
            chars.append(_decoded_reference(reference.group()))
            position = reference.end()
        else:
            chars.append(text[position])
            position += 1
    return "".join(chars), position


@lru_cache(maxsize=512)
def _decoded_reference(reference: str) -> str:
    value = decode_charref(reference)
    return value if len(value) == 1 else "\0"
