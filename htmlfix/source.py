"""Decoded source text: bytes in and out, and offsets mapped to lines and columns.

htmlfix edits the decoded text by code-point offsets. Everything here exists so that the bytes
outside an edit come back exactly as they were: the BOM is kept apart from the text and restored,
line endings are never normalised, and a decoding that could not round-trip is refused.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "DecodeError",
    "LineIndex",
    "Position",
    "SourceFile",
    "alone_on_line",
    "decode",
    "dominant_newline",
    "line_start_behind_blanks",
]

_NEWLINE = re.compile(r"\r\n|\r|\n")
_LINE_FEED = re.compile("\n")
_match_end = re.Match.end
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Codecs whose strict decoding encodes back to the same bytes ("utf-16", unlike these,
#: writes a BOM of its own).
_BIJECTIVE = frozenset({"utf-8", "utf-16-le", "utf-16-be"})


class DecodeError(ValueError):
    """The bytes are not text htmlfix can edit without changing them."""


class Position(NamedTuple):
    """A 1-based row and a 1-based column counted in characters (code points)."""

    row: int
    column: int


class LineIndex:
    """Maps offsets in a text to 1-based rows and columns and back.

    A line ends at ``\\r\\n``, ``\\r`` or ``\\n``, as in the HTML input stream; ``\\f`` and
    ``\\u2028`` are not line breaks (unlike ``str.splitlines``).

    The table of line starts is built on first need: every check makes one, and most documents
    have few diagnostics or none, whose positions are cheaper to count than the table is to
    build. It is built with C-level iteration (one regex scan mapped to match ends).
    """

    __slots__ = ("_text", "_starts", "_length", "_counted")

    #: positions computed by counting, before the table is built
    _COUNT_LIMIT = 8

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None
        self._length = len(text)
        self._counted = 0 if "\r" not in text else self._COUNT_LIMIT  # CR: use the table

    def _table(self) -> list[int]:
        if self._starts is None:
            text = self._text
            # C-level searches and maps: a Python step per line was the slowest part of
            # checking pages with many short lines (a regex scan mapped to match ends is about
            # 30% faster than splitting the text into lines).
            pattern = _NEWLINE if "\r" in text else _LINE_FEED
            self._starts = [0, *map(_match_end, pattern.finditer(text))]
        return self._starts

    @property
    def line_count(self) -> int:
        return len(self._table())

    def position(self, offset: int) -> Position:
        """The row and column of ``offset`` (0 <= offset <= len(text))."""
        if self._starts is None and self._counted < self._COUNT_LIMIT:
            self._counted += 1
            text = self._text
            return Position(text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset))
        starts = self._table()
        row = bisect.bisect_right(starts, offset)
        return Position(row, offset - starts[row - 1] + 1)

    def offset(self, row: int, column: int) -> int:
        """The offset of a 1-based row and column."""
        return self._table()[row - 1] + column - 1

    def line_start(self, row: int) -> int:
        return self._table()[row - 1]

    def line_starts(self) -> list[int]:
        return list(self._table())


def dominant_newline(text: str) -> str:
    """The line ending used most in ``text`` (``\\n`` when it has none)."""
    counts = {"\r\n": 0, "\r": 0, "\n": 0}
    for match in _NEWLINE.finditer(text):
        counts[match.group()] += 1
    best = max(counts, key=lambda k: (counts[k], k == "\n"))
    return best if counts[best] else "\n"


# The WHATWG Encoding Standard reads "latin1", "iso-8859-1", "ascii" and friends as
# windows-1252, and windows-1252 maps the five bytes Python's cp1252 leaves undefined (0x81,
# 0x8D, 0x8F, 0x90, 0x9D) to the C1 controls of the same value. This error handler does that
# in both directions, so such files decode and encode back byte for byte.
def _c1_passthrough(error: UnicodeError) -> tuple[str | bytes, int]:
    if isinstance(error, UnicodeDecodeError):
        return chr(error.object[error.start]), error.start + 1
    if isinstance(error, UnicodeEncodeError):
        char = error.object[error.start]
        if ord(char) in (0x81, 0x8D, 0x8F, 0x90, 0x9D):
            return bytes([ord(char)]), error.start + 1
    raise error


codecs.register_error("htmlfix-c1", _c1_passthrough)

_WINDOWS_1252_LABELS = frozenset(
    """ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1
    iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252""".split()
)
_UTF8_LABELS = frozenset({"utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"})
# <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">, and
# <?xml ... encoding="x"?>: enough of the WHATWG prescan for real exports.
_DECLARED = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""
    rb"""|<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding, "htmlfix-c1" if encoding == "cp1252" else "strict")
    except (UnicodeDecodeError, LookupError):
        return False
    return True


#: WHATWG labels whose encoding is a superset of what Python's codec of the same name reads:
#: browsers decode "gb2312" as GBK, "euc-kr" as windows-949, "shift_jis" as windows-31j,
#: latin-5 and TIS-620 as their windows code pages. A UTF-16 label in a <meta> is ignored (the
#: bytes are not UTF-16 if the tag could be read as ASCII): the document is UTF-8.
_SUPERSETS = {
    **dict.fromkeys("chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk".split(), "gbk"),
    "gb18030": "gb18030",
    **dict.fromkeys(
        "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 "
        "ksc_5601 windows-949".split(),
        "cp949",
    ),
    **dict.fromkeys("csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis".split(), "cp932"),
    **dict.fromkeys(
        "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 "
        "latin5 windows-1254 x-cp1254".split(),
        "cp1254",
    ),
    **dict.fromkeys("dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874".split(), "cp874"),
    **dict.fromkeys("unicodefffe utf-16be utf-16le utf-16 csunicode iso-10646-ucs-2 ucs-2 unicode".split(), "utf-8"),
}


def declared_encoding(data: bytes) -> str | None:
    """The encoding a document declares in its first 1024 bytes (a Python codec name), if any."""
    match = _DECLARED.search(data[:1024])
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").strip().lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    if label in _UTF8_LABELS:
        return "utf-8"
    if label in _SUPERSETS:
        return _SUPERSETS[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


@dataclass(frozen=True, slots=True)
class SourceFile:
    """Text decoded from bytes, with what is needed to encode it back byte for byte."""

    text: str
    encoding: str = "utf-8"
    bom: bytes = b""

    def encode(self, text: str | None = None) -> bytes:
        """Encode ``text`` (default: this file's text) the way the original was encoded.

        Raises :class:`DecodeError` when a fix introduced characters the file's legacy
        encoding cannot hold (the file is then left as it was).
        """
        body = self.text if text is None else text
        errors = "htmlfix-c1" if self.encoding == "cp1252" else "strict"
        try:
            return self.bom + body.encode(self.encoding, errors)
        except UnicodeEncodeError as exc:
            raise DecodeError(
                f"the fixed text has {exc.object[exc.start]!r}, which {self.encoding} cannot encode; "
                "file left unchanged"
            ) from None

    @property
    def newline(self) -> str:
        return dominant_newline(self.text)


def decode(data: bytes, *, encoding: str | None = None) -> SourceFile:
    """Decode file bytes the way a browser would, so they can be encoded back unchanged.

    A BOM wins (UTF-8, UTF-16); then ``encoding`` if given; then an encoding the document
    declares (``<meta charset>``, the XML declaration; latin-1 and ASCII labels read as
    windows-1252, as browsers do); then UTF-8. Raises :class:`DecodeError` for binary data
    and for bytes that do not decode, naming the first bad byte's position; never guesses.
    """
    bom = b""
    chosen = encoding
    for mark, name in _BOMS:
        if data.startswith(mark):
            bom, chosen = mark, name
            break
    body = data[len(bom):]
    if chosen is None or not chosen.startswith("utf-16"):
        if b"\x00" in body[:8192]:
            raise DecodeError("binary file (contains NUL bytes)")
    if chosen is None:
        declared = declared_encoding(body)
        chosen = declared or "utf-8"
        if declared and declared != "utf-8" and not _decodes(body, declared) and _decodes(body, "utf-8"):
            # Saved pages often keep the charset of the site they came from although the file
            # was re-saved as UTF-8; bytes that only make sense as UTF-8 are read as UTF-8.
            chosen = "utf-8"
    errors = "htmlfix-c1" if chosen == "cp1252" else "strict"
    try:
        text = body.decode(chosen, errors)
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise DecodeError(
            f"not valid {chosen}: byte 0x{body[exc.start]:02x} at offset {exc.start + len(bom)} "
            f"(line {line})"
        ) from None
    except LookupError:
        raise DecodeError(f"unknown encoding {chosen!r}") from None
    source = SourceFile(text, chosen, bom)
    # Strict UTF-8 and UTF-16 with a fixed byte order are bijections (overlong forms and lone
    # surrogates are refused when decoding): only the other codecs need the round trip checked.
    if chosen not in _BIJECTIVE and source.encode() != data:
        raise DecodeError(f"decoding as {chosen} does not round-trip; refusing to edit")
    return source


_BLANK_TO_LINE_END = re.compile(r"[^\S\r\n]*+(?:[\r\n]|\Z)")


def alone_on_line(text: str, start: int, end: int) -> bool:
    """Whether only whitespace shares its line with ``text[start:end]``. Reads only the
    whitespace around the span, never the line from its start: asked of many spans of one
    long line (or of a file without carriage returns, searched back for one), that was
    quadratic."""
    return _blank_back_to_line_start(text, start) and _BLANK_TO_LINE_END.match(text, end) is not None


def line_start_behind_blanks(text: str, position: int) -> int:
    """The start of the line of ``position``, for a position with only whitespace before it
    on its line (reads that whitespace only)."""
    while position > 0 and text[position - 1] not in "\r\n":
        position -= 1
    return position


def _blank_back_to_line_start(text: str, position: int) -> bool:
    """Whether only whitespace lies between the start of the line and ``position``. Looks
    back through a window that grows fourfold, so a long run of spaces costs linear C-level
    work and a long line is never searched from its start."""
    window = 64
    while True:
        low = max(0, position - window)
        chunk = text[low:position]
        kept = chunk.rstrip()  # (line breaks are whitespace too: they are looked for below)
        stripped = chunk[len(kept):]
        if "\n" in stripped or "\r" in stripped:
            return True
        if kept:
            return False
        if low == 0:
            return True
        window *= 4
