"""Gutenberg block delimiters: ``<!-- wp:name {"json":"attrs"} -->``, ``<!-- /wp:name -->``
and the void form ``<!-- wp:name {…} /-->``.

The grammar is the block parser's (``@wordpress/block-serialization-default-parser``):
``<!--``, whitespace, an optional ``/``, ``wp:``, an optional ``namespace/``, the name, then
optionally whitespace and a JSON object, then whitespace, an optional ``/`` and ``-->``. The
serializer escapes ``--``, ``<`` and ``>`` inside the JSON, so ``-->`` never occurs in it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...document import Document
from ...tokens import COMMENT

__all__ = ["Delimiter", "NAME", "OPENING", "comment_delimiters", "parse_after_name"]

#: ``wp:`` followed by a block name (``core/`` is implied; ``namespace/name`` for others).
NAME = r"wp:[a-z][a-z0-9_-]*+(?:/[a-z][a-z0-9_-]*+)?"
#: Where a complete or broken delimiter comment can start.
OPENING = re.compile(r"<!--[\t\n\f\r ]++(/?)(" + NAME + r")")
_WHITESPACE = re.compile(r"[\t\n\f\r ]*+")
_DECODER = json.JSONDecoder()
#: JSON attributes longer than this are not looked at (the block parser has no limit, but
#: a bound keeps a damaged multi-MB file linear).
MAX_ATTRIBUTES = 65536


@dataclass(slots=True)
class Delimiter:
    """What follows a block name: where its JSON attributes end and whether ``-->`` closes it."""

    attributes_end: int  # just past the JSON object (or the name, without one)
    has_attributes: bool
    void: bool  # "/-->"
    close_start: int  # where the "/-->" or "-->" (or "--&gt;") starts, or -1
    close_end: int  # just past it, or -1

    @property
    def closed(self) -> bool:
        return self.close_end >= 0


def parse_after_name(text: str, pos: int, *, escaped_close: bool = False) -> Delimiter:
    """Read optional JSON attributes and the closing ``-->`` after a block name at ``pos``.

    ``escaped_close`` also accepts ``--&gt;`` (a delimiter that was HTML-escaped).
    """
    cursor = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
    attributes_end = pos
    has_attributes = False
    if text.startswith("{", cursor):
        window = text[cursor : cursor + MAX_ATTRIBUTES]
        try:
            _, length = _DECODER.raw_decode(window)
        except ValueError:
            return Delimiter(pos, False, False, -1, -1)
        attributes_end = cursor + length
        has_attributes = True
        cursor = _WHITESPACE.match(text, attributes_end).end()  # type: ignore[union-attr]
    close_start = cursor
    void = text.startswith("/", cursor)
    if void:
        cursor += 1
    for closer in ("-->", "--&gt;") if escaped_close else ("-->",):
        if text.startswith(closer, cursor):
            return Delimiter(attributes_end, has_attributes, void, close_start, cursor + len(closer))
    return Delimiter(attributes_end, has_attributes, False, -1, -1)


def comment_delimiters(doc: Document) -> Iterator[tuple[re.Match[str], Delimiter, int]]:
    """Every HTML comment that starts like a block delimiter (``<!-- wp:name``, outside
    protected elements): the opening match, what follows the name, and where the comment
    token ends (the first ``-->``, which for a broken delimiter is someone else's)."""
    if "wp:" not in doc.text:
        return
    text, stream = doc.text, doc.tokens
    for match in OPENING.finditer(text):
        start = match.start()
        i = stream.index_at(start)
        if stream.kinds[i] is not COMMENT or stream.starts[i] != start or doc.is_protected(start):
            continue
        yield match, parse_after_name(text, match.end()), stream.starts[i + 1]
