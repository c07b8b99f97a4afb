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

import bisect
import re
from collections.abc import Callable
from functools import lru_cache

from .source import LineIndex
from .tokens import TEXT, TokenStream, tokenize

__all__ = ["code_zones", "markdown_tokens", "merge_spans", "pair_backtick_runs"]

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

        def opens(run: tuple[int, int], start: int = start) -> bool:
            before = run[0]
            while before > start and text[before - 1] == "\\":
                before -= 1
            return (run[0] - before) % 2 == 0 and kinds[index_at(run[0])] is TEXT

        runs = [match.span() for match in _BACKTICKS.finditer(text, start, end)]
        spans.extend(pair_backtick_runs(runs, opens))
    return spans


def pair_backtick_runs(
    runs: list[tuple[int, int]], opens: Callable[[tuple[int, int]], bool] | None = None,
    limit: Callable[[tuple[int, int]], int] | None = None,
) -> list[tuple[int, int]]:
    """Code spans from maximal backtick runs, in order: a run that ``opens`` is closed by the
    next run of the same width (that starts before ``limit(run)``, when given); the runs inside
    a span open nothing; an unmatched run is literal text.

    Each run is looked at once and each closer found by a bisect: the obvious scan for a
    closer is quadratic in a paragraph of many unmatched runs.
    """
    by_width: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_width.setdefault(end - start, []).append(index)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        run = runs[index]
        if opens is not None and not opens(run):
            index += 1
            continue
        same = by_width[run[1] - run[0]]
        following = bisect.bisect_right(same, index)
        if following == len(same) or (limit is not None and runs[same[following]][0] >= limit(run)):
            index += 1  # an unmatched run is literal text
            continue
        closer = same[following]
        spans.append((run[0], runs[closer][1]))
        index = closer + 1
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
