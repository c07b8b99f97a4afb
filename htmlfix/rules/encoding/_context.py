"""Where an offset sits (text, an attribute value, a title), and the spans around it.

The encoding, office and typography rules find candidates with one regex over ``doc.text``
and then ask this module what the candidate is part of. Everything here works from the
token columns, touching only the tokens around a hit, so a rule pays for its hits and not
for the size of the document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.entities import html5 as _NAMED

from ...document import Document
from ...tokens import CHARREF, COMMENT, END_TAG, RAWTEXT, START_TAG, TEXT, Attribute, decode_charref

__all__ = [
    "Decoded",
    "Place",
    "decode",
    "element_around",
    "escape_for",
    "find_matches",
    "occurs_outside_code",
    "place_of",
    "prose",
    "text_run",
    "utf8",
]

#: Raw-text elements whose content browsers decode and show as text (RCDATA).
_SHOWN_RAWTEXT = frozenset({"title"})


@dataclass(frozen=True, slots=True)
class Place:
    """What a candidate offset is part of.

    ``kind`` is ``"text"`` (a run of text and character references), ``"attribute"`` (a
    value, with ``attribute`` set) or ``"title"`` (the text of a ``<title>``). ``start`` and
    ``end`` bound the unit the candidate belongs to (the run, the value, the title text).
    """

    kind: str
    start: int
    end: int
    token: int
    attribute: Attribute | None = None

    @property
    def quote(self) -> str | None:
        return self.attribute.quote if self.attribute is not None else None


def place_of(doc: Document, offset: int) -> Place | None:
    """The text run, attribute value or title text containing ``offset``; None elsewhere
    (tag names, comments, scripts, styles) and inside protected elements (code, pre, ...)."""
    stream = doc.tokens
    i = stream.index_at(offset)
    kind = stream.kinds[i]
    if kind is TEXT or kind is CHARREF:
        if doc.is_protected(offset):
            return None
        start, end = text_run(doc, i)
        return Place("text", start, end, i)
    if kind is START_TAG:
        if doc.is_protected(stream.starts[i]) and stream.names[i] not in ("pre", "code"):
            return None
        attribute = _value_at(doc, i, offset)
        if attribute is None:
            return None
        return Place("attribute", attribute.value_start, attribute.value_end, i, attribute)
    if kind is RAWTEXT and stream.names[i] in _SHOWN_RAWTEXT:
        return Place("title", stream.starts[i], stream.starts[i + 1], i)
    return None


def _value_at(doc: Document, i: int, offset: int) -> Attribute | None:
    """The attribute of start tag ``i`` whose value holds ``offset``.

    A tag's values are parsed once per document and searched by bisection: one tag can have
    thousands of attributes and a candidate in each, and parsing them again for every
    candidate took 5.6 s to check a damaged 142 KB page (found by the fuzz run)."""
    cache: dict[int, tuple[list[Attribute], list[int]]] = doc.memo(_values_cache)
    values = cache.get(i)
    if values is None:
        attributes = [attribute for attribute in doc.tokens[i].attributes if attribute.value is not None]
        values = cache[i] = (attributes, [attribute.value_start for attribute in attributes])
    attributes, starts = values
    at = bisect.bisect_right(starts, offset) - 1
    if at >= 0 and offset < attributes[at].value_end:
        return attributes[at]
    return None


def _values_cache(doc: Document) -> dict[int, tuple[list[Attribute], list[int]]]:
    return {}


def text_run(doc: Document, i: int) -> tuple[int, int]:
    """The offsets of the maximal run of text and character references around token ``i``.

    Runs are cached on the document, so many hits in one long run walk it once.
    """
    cache: dict[int, tuple[int, int]] = doc.memo(_run_cache)
    found = cache.get(i)
    if found is not None:
        return found
    stream = doc.tokens
    kinds = stream.kinds
    first = i
    while first > 0 and (kinds[first - 1] is TEXT or kinds[first - 1] is CHARREF):
        first -= 1
    last = i
    count = len(kinds)
    while last + 1 < count and (kinds[last + 1] is TEXT or kinds[last + 1] is CHARREF):
        last += 1
    span = (stream.starts[first], stream.starts[last + 1])
    for index in range(first, last + 1):
        cache[index] = span
    return span


def _run_cache(doc: Document) -> dict[int, tuple[int, int]]:
    return {}


def element_around(doc: Document, start: int, end: int) -> tuple[int, int, str] | None:
    """The element whose whole content is ``[start, end)`` apart from whitespace.

    Returns ``(element_start, element_end, name)`` when the nearest tag before ``start`` is a
    start tag and the nearest tag after ``end`` is its end tag, with only whitespace between
    them and the span; otherwise None. Reads only the whitespace around the span (and whether
    each token is blank, once per token): copying the text between the tags, as before, was
    quadratic for many spans in one long text.
    """
    stream = doc.tokens
    text = doc.text
    kinds = stream.kinds
    before = stream.index_at(start) - 1 if start > 0 else -1
    while before >= 0 and kinds[before] is TEXT and _blank_token(doc, before):
        before -= 1
    if before < 0 or kinds[before] is not START_TAG:
        return None
    if not _blank_between(text, stream.starts[before + 1], start):
        return None
    after = stream.index_at(end) if end < len(text) else len(stream)
    while after < len(stream) and kinds[after] is TEXT and _blank_token(doc, after):
        after += 1
    if after >= len(stream) or kinds[after] is not END_TAG:
        return None
    if stream.names[after] != stream.names[before] or not _blank_between(text, end, stream.starts[after]):
        return None
    return stream.starts[before], stream.starts[after + 1], stream.names[before]


def _blank_between(text: str, low: int, high: int) -> bool:
    """``not text[low:high].strip()``, read back from ``high`` only as far as whitespace goes."""
    position = high
    while position > low and text[position - 1].isspace():
        position -= 1
    return position <= low


def _blank_token(doc: Document, i: int) -> bool:
    """Whether token ``i`` is all whitespace (found out once per token)."""
    blank: dict[int, bool] = doc.memo(_blank_tokens)
    known = blank.get(i)
    if known is None:
        stream = doc.tokens
        known = blank[i] = _NON_SPACE.search(doc.text, stream.starts[i], stream.starts[i + 1]) is None
    return known


def _blank_tokens(doc: Document) -> dict[int, bool]:
    return {}


_NON_SPACE = re.compile(r"\S")


# --- decoding with an offset map ------------------------------------------------------------

_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Source text with its character references decoded, and where each character came from.

    ``text[k]`` came from ``source[origins[k]:origins[k + 1]]`` (offsets relative to
    ``base``); ``from_reference[k]`` says whether that was a character reference.
    """

    text: str
    base: int
    origins: list[int]
    from_reference: list[bool]

    def source_span(self, k1: int, k2: int) -> tuple[int, int]:
        """Document offsets of decoded characters ``[k1, k2)``."""
        return self.base + self.origins[k1], self.base + self.origins[k2]

    def any_reference(self, k1: int, k2: int) -> bool:
        return any(self.from_reference[k1:k2])


def decode(source: str, base: int = 0, *, references: bool = True) -> Decoded:
    """Decode the semicolon-terminated character references of ``source`` (others stay as
    they are) and keep the origin of every decoded character. With ``references=False``
    (plain text, where `&eacute;` is just characters) nothing is decoded."""
    if not references:
        return Decoded(source, base, list(range(len(source) + 1)), [False] * len(source))
    chars: list[str] = []
    origins: list[int] = []
    flags: list[bool] = []
    position = 0
    for match in _REFERENCE.finditer(source):
        _append_raw(source, position, match.start(), chars, origins, flags)
        reference = match.group()
        if reference[1] == "#" or reference[1:] in _NAMED:
            value = decode_charref(reference)
        else:
            value = ""
        if len(value) == 1:
            chars.append(value)
            origins.append(match.start())
            flags.append(True)
        else:  # unknown, or a reference to two characters: keep it as text
            _append_raw(source, match.start(), match.end(), chars, origins, flags)
        position = match.end()
    _append_raw(source, position, len(source), chars, origins, flags)
    origins.append(len(source))
    return Decoded("".join(chars), base, origins, flags)


def _append_raw(
    source: str, start: int, end: int, chars: list[str], origins: list[int], flags: list[bool]
) -> None:
    chars.extend(source[start:end])
    origins.extend(range(start, end))
    flags.extend([False] * (end - start))


def escape_for(value: str, place: Place, as_references: bool) -> str:
    """``value`` written so that it reads as ``value`` at ``place``.

    Markup characters are escaped (and the attribute's own quote); with ``as_references``
    every non-ASCII character is written as a numeric reference, matching a source that
    spelled its characters that way (and staying safe in any file encoding).
    """
    out: list[str] = []
    quote = place.quote
    for char in value:
        if char == "&":
            out.append("&amp;")
        elif char == "<" and place.kind != "attribute":
            out.append("&lt;")
        elif char == ">" and place.kind != "attribute":
            out.append("&gt;")
        elif quote and char == quote:
            out.append("&quot;" if quote == '"' else "&#39;")
        elif as_references and ord(char) > 127:
            out.append("&nbsp;" if char == "\xa0" else f"&#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


def iter_places(doc: Document, offsets: Iterator[int]) -> Iterator[tuple[int, Place]]:
    """``(offset, place)`` for each offset that lies in text, a value or a title."""
    for offset in offsets:
        place = place_of(doc, offset)
        if place is not None:
            yield offset, place


# --- the prose of a document ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prose:
    """The document without its scripts, styles, comments and code (``pre``, ``code``, ...;
    ``<title>`` text stays),
    joined into one string, so a rule that looks for something in prose scans that instead
    of the whole page (scripts and styles are most of a real page's bytes). Tags stay in:
    hits still have to be confirmed against the tokens.

    Pieces that are not adjacent in the document are joined with ``"\n"``; ``to_document``
    maps a prose offset back (``prose_starts[k]`` in the prose is ``document_starts[k]`` in
    the document).
    """

    text: str
    prose_starts: list[int]
    document_starts: list[int]

    def to_document(self, offset: int) -> int:
        k = bisect.bisect_right(self.prose_starts, offset) - 1
        return self.document_starts[k] + offset - self.prose_starts[k]


def prose(doc: Document) -> Prose:
    """The document's prose view (computed once per document; see :class:`Prose`)."""
    return doc.memo(_prose)


def _prose(doc: Document) -> Prose:
    text = doc.text
    if not doc.is_html:
        return Prose(text, [0], [0])
    stream = doc.tokens
    starts = stream.starts
    names = stream.names
    cut = stream.indexes(COMMENT) + [i for i in stream.indexes(RAWTEXT) if names[i] != "title"]
    cuts = [(starts[i], starts[i + 1]) for i in cut]
    cuts.extend(doc.protected_spans())
    cuts.sort()
    pieces: list[str] = []
    prose_starts: list[int] = []
    document_starts: list[int] = []
    length = 0
    position = 0
    for cut_start, cut_end in [*cuts, (len(text), len(text))]:
        if cut_start > position:
            prose_starts.append(length)
            document_starts.append(position)
            pieces.append(text[position:cut_start])
            length += cut_start - position + 1  # and the "\n" that joins it to the next
        position = max(position, cut_end)
    if not pieces:
        return Prose("", [0], [0])
    return Prose("\n".join(pieces), prose_starts, document_starts)


# --- the document as UTF-8 --------------------------------------------------------------------


def utf8(doc: Document) -> bytes:
    """``doc.text`` encoded as UTF-8 (lone surrogates passed through), computed once per
    document. Several rules ask "does any character of this set occur?", which a regex
    character class answers at several nanoseconds per character: on these bytes,
    ``bytes.translate`` and a regex that starts with a literal byte answer it much faster."""
    return doc.memo(_utf8)


def _utf8(doc: Document) -> bytes:
    return doc.text.encode("utf-8", "surrogatepass")


# --- scanning for a literal -------------------------------------------------------------------


def find_matches(
    pattern: re.Pattern[str], doc: Document, literal: str, *, skip_code: bool = False
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(doc.text)`` for a pattern whose every match starts with ``literal``
    and contains neither ``<`` nor ``>``.

    ``str.find`` goes to the first occurrence about twice as fast as the regex scans, and a
    text without the literal (most texts) costs that one pass and nothing more. With
    ``skip_code`` the scripts, styles and comments (where ``place_of`` finds nothing, and
    about half of a real page's characters) are not scanned, not even for the literal: no
    match can reach into or out of them, as they begin with ``<`` or after ``>`` and end
    with ``>`` or before ``<``.
    """
    text = doc.text
    if not skip_code:
        first = text.find(literal)
        if first >= 0:
            yield from pattern.finditer(text, first)
        return
    for start, end in _code_gaps(doc):
        found = text.find(literal, start, end)
        if found >= 0:
            yield from pattern.finditer(text, found, end)


def occurs_outside_code(doc: Document, literal: str) -> bool:
    """Whether ``literal`` (which holds neither ``<`` nor ``>``) occurs in ``doc.text``
    outside scripts, styles and comments.

    For a rule whose every report needs a match that starts with ``literal`` in a tag or in
    text, this is a cheaper gate than ``literal in doc.text``: it skips the code that is
    about half of a real page's characters. Exact for the reason :func:`find_matches` is: an
    occurrence cannot reach into or out of a comment or raw text element.
    """
    assert "<" not in literal and ">" not in literal, literal
    text = doc.text
    return any(text.find(literal, start, end) >= 0 for start, end in _code_gaps(doc))


def _code_gaps(doc: Document) -> list[tuple[int, int]]:
    return doc.memo(_gaps_between_code)


def _gaps_between_code(doc: Document) -> list[tuple[int, int]]:
    """The spans of ``doc.text`` outside comments and raw text other than ``<title>``; the
    whole text if a boundary is not where ``find_matches`` expects it (then skipping would
    not be exact)."""
    text = doc.text
    whole = [(0, len(text))]
    if not doc.is_html:
        return whole
    stream = doc.tokens
    starts = stream.starts
    names = stream.names
    cut = stream.indexes(COMMENT) + [i for i in stream.indexes(RAWTEXT) if names[i] != "title"]
    cut.sort()
    gaps: list[tuple[int, int]] = []
    position = 0
    for i in cut:
        cut_start, cut_end = starts[i], starts[i + 1]
        if cut_start == cut_end:
            continue
        opens = text[cut_start] == "<" or (cut_start > 0 and text[cut_start - 1] == ">")
        closes = cut_end == len(text) or text[cut_end - 1] == ">" or text[cut_end] == "<"
        if not (opens and closes):
            return whole
        if cut_start > position:
            gaps.append((position, cut_start))
        position = cut_end
    if position < len(text):
        gaps.append((position, len(text)))
    return gaps
