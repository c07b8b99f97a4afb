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

__all__ = [
    "CommentDelimiter",
    "Delimiter",
    "block_names",
    "comment_delimiters",
    "parse_after_name",
    "wordpress_marks",
]

#: ``wp:`` followed by a block name (``core/`` is implied; ``namespace/name`` for others), or
#: one of the classes WordPress gives images, captions and blocks (``wp-image-12``). It starts
#: with a literal, so ``re`` finds it at the speed of a substring search: the block-comment
#: rules find every delimiter, broken or not, and the wpautop rule its WordPress evidence, in
#: this one scan.
_MARK = re.compile(r"wp(?::[a-z][a-z0-9_-]*+(?:/[a-z][a-z0-9_-]*+)?|-image-|-caption|-block-)")
#: What precedes the name in a delimiter comment: "<!--", whitespace, an optional "/".
_OPENING_BEFORE = re.compile(r"<!--[\t\n\f\r ]++(/?)\Z")
_WHITESPACE = re.compile(r"[\t\n\f\r ]*+")
#: A delimiter without attributes closed right after its name (``<!-- /wp:paragraph -->``):
#: most of a block-editor post's delimiters, read with one match.
_BARE_CLOSE = re.compile(r"[\t\n\f\r ]*+(/?)-->")
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
    bare = _BARE_CLOSE.match(text, pos)
    if bare is not None:
        end = bare.end()
        void = bool(bare.group(1))
        return Delimiter(pos, False, void, end - 4 if void else end - 3, end)
    cursor = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
    attributes_end = pos
    has_attributes = False
    if text.startswith("{", cursor):
        # Serialized JSON has no raw line break, so the attributes end on this line.
        line_break = text.find("\n", cursor, cursor + MAX_ATTRIBUTES)
        window = text[cursor : line_break if line_break >= 0 else cursor + MAX_ATTRIBUTES]
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


def _marks(doc: Document) -> list[re.Match[str]]:
    return list(_MARK.finditer(doc.text))


def wordpress_marks(doc: Document) -> list[re.Match[str]]:
    """Every ``wp:name`` and ``wp-image-``/``wp-caption``/``wp-block-`` in the text (computed
    once per document)."""
    return doc.memo(_marks)


def _block_names(doc: Document) -> list[re.Match[str]]:
    return [match for match in wordpress_marks(doc) if match.group().startswith("wp:")]


def block_names(doc: Document) -> list[re.Match[str]]:
    """Every ``wp:name`` in the text (computed once per document)."""
    return doc.memo(_block_names)


@dataclass(slots=True)
class CommentDelimiter:
    """An HTML comment that starts like a block delimiter."""

    start: int  # the "<" of "<!--"
    slash: str  # "/" for a closing delimiter
    name: str  # "wp:heading"
    delimiter: Delimiter  # what follows the name
    comment_end: int  # where the comment token ends: the first "-->", maybe someone else's


def comment_delimiters(doc: Document) -> list[CommentDelimiter]:
    """Every HTML comment that starts like a block delimiter (``<!-- wp:name``), outside
    protected elements (computed once per document: two rules read them, and a block-editor
    post has one per block)."""
    return doc.memo(_comment_delimiters)


def _comment_delimiters(doc: Document) -> list[CommentDelimiter]:
    return list(_iter_comment_delimiters(doc))


def _iter_comment_delimiters(doc: Document) -> Iterator[CommentDelimiter]:
    names = block_names(doc)
    if not names:
        return
    text, stream = doc.text, doc.tokens
    starts = stream.starts
    # Token index of every comment by its start: a delimiter must start a comment token.
    comments = {starts[i]: i for i in stream.indexes(COMMENT)}
    for match in names:
        opening = _OPENING_BEFORE.search(text, max(0, match.start() - 24), match.start())
        if opening is None:
            continue
        start = opening.start()
        i = comments.get(start)
        if i is None or doc.is_protected(start):
            continue
        yield CommentDelimiter(start, opening.group(1), match.group(), parse_after_name(text, match.end()), starts[i + 1])
