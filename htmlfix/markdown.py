"""Markdown: where the code is, so that raw HTML is checked and code is never touched.

A Markdown file holds prose, raw HTML blocks and inline HTML (checked like any HTML) and code
(fenced blocks, indented blocks, code spans, front matter), which is text to leave alone even
when it shows markup: a tutorial's `` `<div>` `` is not a broken tag.

Block structure comes from markdown-it-py (CommonMark: lists, block quotes, lazy
continuation lines and the seven kinds of HTML block decide what is an indented code block,
which a hand-written scanner gets wrong). Code spans are found in the source lines of each
paragraph or heading with CommonMark's rule (a run of n backticks closes at the next run of
exactly n), skipping backticks inside HTML tags, which CommonMark reads as HTML first.

The HTML tokenizer then runs over the text with every code zone blanked out (same length), so
a ``<script>`` or ``<pre>`` shown in a code span cannot swallow the markup after it; the token
stream keeps the real text, so code zones are TEXT tokens, and
:meth:`Document.is_protected <htmlfix.document.Document.is_protected>` covers them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .source import LineIndex
from .tokens import TEXT, TokenStream, tokenize

__all__ = ["code_zones", "markdown_tokens", "merge_spans"]

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n")
_BACKTICKS = re.compile(r"`+")


@lru_cache(maxsize=1)
def _parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    # Only the block structure is needed; inline parsing is done here, with positions.
    return MarkdownIt("commonmark").disable("inline")


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint union of ``(start, end)`` spans."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _front_matter(text: str) -> tuple[int, int] | None:
    opening = _FRONT_MATTER.match(text)
    if not opening:
        return None
    fence = text[:3]
    closing = re.compile(r"^(?:" + re.escape(fence) + (r"|\.\.\." if fence == "---" else "") + r")[ \t]*$", re.M)
    found = closing.search(text, opening.end())
    return (0, found.end()) if found else None


def _blocks(text: str, lines: LineIndex) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """``(code blocks, inline ranges)`` as offset spans: fenced and indented code, and the
    source lines of paragraphs, headings and table cells (where code spans can be)."""
    code: list[tuple[int, int]] = []
    inline: list[tuple[int, int]] = []
    count = lines.line_count
    for token in _parser().parse(text):
        if token.map is None:
            continue
        first, last = token.map
        start = lines.line_start(first + 1)
        end = lines.line_start(last + 1) if last < count else len(text)
        if token.type in ("fence", "code_block"):
            code.append((start, end))
        elif token.type == "inline":
            inline.append((start, end))
    return code, inline


def _code_spans(text: str, ranges: list[tuple[int, int]], stream: TokenStream) -> list[tuple[int, int]]:
    """Code spans inside ``ranges``; a backtick inside an HTML tag opens nothing."""
    spans: list[tuple[int, int]] = []
    kinds, index_at = stream.kinds, stream.index_at
    for start, end in ranges:
        if "`" not in text[start:end]:
            continue
        position = start
        while True:
            opener = _BACKTICKS.search(text, position, end)
            if opener is None:
                break
            position = opener.end()
            escapes = len(text[start:opener.start()]) - len(text[start:opener.start()].rstrip("\\"))
            if escapes % 2 or kinds[index_at(opener.start())] is not TEXT:
                continue
            width = len(opener.group())
            closer = _BACKTICKS.search(text, opener.end(), end)
            while closer is not None and len(closer.group()) != width:
                closer = _BACKTICKS.search(text, closer.end(), end)
            if closer is None:
                continue  # an unmatched run is literal text
            spans.append((opener.start(), closer.end()))
            position = closer.end()
    return spans


def _masked(text: str, zones: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    position = 0
    for start, end in zones:
        parts.append(text[position:start])
        parts.append(" " * (end - start))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def code_zones(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint spans of ``text`` that are code (or front matter) in Markdown."""
    return markdown_tokens(text)[1]


def markdown_tokens(text: str) -> tuple[TokenStream, list[tuple[int, int]]]:
    """The HTML token stream of a Markdown text with code blanked out, and the code zones."""
    lines = LineIndex(text)
    code, inline = _blocks(text, lines)
    front = _front_matter(text)
    zones = merge_spans(code + ([front] if front else []))
    stream = tokenize(_masked(text, zones)) if zones else tokenize(text)
    spans = _code_spans(text, inline, stream)
    if spans:
        zones = merge_spans(zones + spans)
        stream = tokenize(_masked(text, zones))
    return TokenStream(text, stream.kinds, stream.starts, stream.names, stream.flags), zones
