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
from itertools import accumulate
from typing import NamedTuple

__all__ = [
    "DecodeError",
    "LineIndex",
    "Position",
    "SourceFile",
    "decode",
    "dominant_newline",
]

_NEWLINE = re.compile(r"\r\n|\r|\n")
_NEWLINE_SPLIT = re.compile(r"(\r\n|\r|\n)")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


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
    build. It is built with C-level iteration (split, map, accumulate).
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
            if "\r" in text:
                # pieces alternate: line, break, line, break, ..., line
                pieces = _NEWLINE_SPLIT.split(text)
                starts = list(accumulate(map(len, pieces), initial=0))[2::2]
                starts.insert(0, 0)
            else:
                lines = text.split("\n")
                starts = list(accumulate(map((1).__add__, map(len, lines[:-1])), initial=0))
            self._starts = starts
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


@dataclass(frozen=True, slots=True)
class SourceFile:
    """Text decoded from bytes, with what is needed to encode it back byte for byte."""

    text: str
    encoding: str = "utf-8"
    bom: bytes = b""

    def encode(self, text: str | None = None) -> bytes:
        """Encode ``text`` (default: this file's text) the way the original was encoded."""
        body = self.text if text is None else text
        return self.bom + body.encode(self.encoding)

    @property
    def newline(self) -> str:
        return dominant_newline(self.text)


def decode(data: bytes, *, encoding: str | None = None) -> SourceFile:
    """Decode file bytes: UTF-8 with or without a BOM, UTF-16 with a BOM, or ``encoding``.

    Raises :class:`DecodeError` for binary data and for bytes that do not decode, with a
    message that names the first bad byte's position.
    """
    bom = b""
    chosen = encoding or "utf-8"
    for mark, name in _BOMS:
        if data.startswith(mark):
            bom, chosen = mark, name
            break
    body = data[len(bom):]
    if not chosen.startswith("utf-16") and b"\x00" in body[:8192]:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        text = body.decode(chosen)
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise DecodeError(
            f"not valid {chosen}: byte 0x{body[exc.start]:02x} at offset {exc.start + len(bom)} "
            f"(line {line})"
        ) from None
    except LookupError:
        raise DecodeError(f"unknown encoding {chosen!r}") from None
    source = SourceFile(text, chosen, bom)
    if source.encode() != data:
        raise DecodeError(f"decoding as {chosen} does not round-trip; refusing to edit")
    return source
