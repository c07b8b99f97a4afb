"""Helpers shared by the CMS (``CM``) and WordPress (``WP``) rules.

**Targets.** ``doc.settings.target`` says where the content is going, and decides whether
WordPress markup is content or damage:

* ``wordpress``: the content stays on (or goes back to) WordPress. Shortcodes and Gutenberg
  block comments are content: WordPress renders the shortcodes and the block editor needs the
  comments. Only damage that is damage everywhere is reported.
* ``static`` and ``ghost``: the content leaves WordPress. Shortcodes render as literal text and
  block comments are cruft; both are reported.
* ``generic`` (the default): the destination is unknown. What *shows* outside WordPress is
  reported (shortcodes are visible text everywhere but on WordPress); what is invisible
  everywhere (complete block comments) is left alone.

**Edits.** A removal that leaves a line empty takes the whole line with it (one line break), so
fixes do not leave blank-line litter behind.
"""

from __future__ import annotations

import bisect
import re

from ...document import Document, Mode
from ...markdown import pair_backtick_runs
from ...tokens import CHARREF, COMMENT, DOCTYPE, END_TAG, START_TAG, TEXT, TokenStream

__all__ = [
    "INLINE_WRAPPERS",
    "P_CLOSERS",
    "in_markdown_code",
    "is_full_document",
    "leaves_wordpress",
    "line_bounds",
    "line_extent",
    "matching_end",
    "matching_start",
    "paragraph_around",
    "plain_paragraph_starts",
    "stands_alone",
    "stays_on_wordpress",
    "wordpress_evidence",
]

#: Start tags that close an open ``<p>`` (HTML Living Standard, "in body" insertion mode):
#: a ``<p>`` written right before one of these ends up empty.
P_CLOSERS = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section "
    "summary table ul listing xmp plaintext li dd dt".split()
)

#: Inline elements editors wrap around nothing (``<p><strong>&nbsp;</strong></p>``) or around
#: words (what a run of ``&nbsp;`` may sit next to).
INLINE_WRAPPERS = frozenset(
    {"a", "abbr", "b", "cite", "em", "font", "i", "mark", "q", "s", "small", "span", "strike",
     "strong", "sub", "sup", "u"}
)

_LEAVING = frozenset({"static", "ghost"})


def stays_on_wordpress(doc: Document) -> bool:
    """Target ``wordpress``: shortcodes and block comments are content."""
    return doc.settings.target == "wordpress"


def leaves_wordpress(doc: Document) -> bool:
    """Targets ``static`` and ``ghost``: even invisible WordPress markup is cruft."""
    return doc.settings.target in _LEAVING


def line_extent(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` grown to its whole line(s) and one line break, when nothing but spaces
    and tabs shares those lines; otherwise unchanged."""
    line_start = start
    while line_start > 0 and text[line_start - 1] in " \t":
        line_start -= 1
    line_end = end
    length = len(text)
    while line_end < length and text[line_end] in " \t":
        line_end += 1
    if line_start > 0 and text[line_start - 1] not in "\r\n":
        return start, end
    if line_end < length and text[line_end] not in "\r\n":
        return start, end
    if line_end < length:
        return line_start, line_end + (2 if text.startswith("\r\n", line_end) else 1)
    if line_start > 0:  # the last line: take the line break before it
        return line_start - (2 if text[line_start - 2 : line_start] == "\r\n" else 1), line_end
    return line_start, line_end


_LINE_BREAK = re.compile(r"[\r\n]")
#: How far line lookups read: a "line" longer than this (minified HTML, a one-line export) is
#: not a line anyone edits by hand, and unbounded lookups would make a check quadratic.
MAX_LINE = 4096


def line_bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The start and end (before the line break) of the line(s) holding ``[start, end)``, or
    None when the line reaches further than :data:`MAX_LINE` characters on either side."""
    window = max(0, start - MAX_LINE)
    before = max(text.rfind("\n", window, start), text.rfind("\r", window, start))
    if before < 0 and window > 0:
        return None
    after = _LINE_BREAK.search(text, end, end + MAX_LINE)
    if after is None and end + MAX_LINE < len(text):
        return None
    return before + 1, after.start() if after else len(text)


def matching_end(stream: TokenStream, index: int, limit: int | None = None) -> int | None:
    """The index of the end tag that closes the start tag at ``index`` (same name, counting
    nesting), or None when it is never closed (or not within ``limit`` tokens: a rule that
    asks for every candidate must bound the walk, or unclosed elements make it quadratic)."""
    last = len(stream.kinds) if limit is None else min(len(stream.kinds), index + limit)
    return _matching(stream, index, range(index, last), START_TAG)


def matching_start(stream: TokenStream, index: int, limit: int | None = None) -> int | None:
    """The index of the start tag that the end tag at ``index`` closes, or None (see
    :func:`matching_end` for ``limit``)."""
    first = -1 if limit is None else max(-1, index - limit)
    return _matching(stream, index, range(index, first, -1), END_TAG)


def _matching(stream: TokenStream, index: int, order: range, opening: object) -> int | None:
    name = stream.names[index]
    kinds, names = stream.kinds, stream.names
    depth = 0
    for i in order:
        if names[i] != name or (kinds[i] is not START_TAG and kinds[i] is not END_TAG):
            continue
        depth += 1 if kinds[i] is opening else -1
        if depth == 0:
            return i
    return None


def _full_document(doc: Document) -> bool:
    stream = doc.tokens
    for i, kind in enumerate(stream.kinds):
        if kind is TEXT and not stream.src(i).strip().lstrip("\ufeff"):
            continue
        if kind is COMMENT:
            continue
        return kind is DOCTYPE or (kind is START_TAG and stream.names[i] in ("html", "head"))
    return False


def is_full_document(doc: Document) -> bool:
    """Whether the document is a whole page (doctype or ``<html>`` first), not a CMS body."""
    return doc.is_html and doc.memo(_full_document)


def _wordpress_evidence(doc: Document) -> bool:
    # Imported here: the WordPress scans live with the WordPress rules, which import this
    # module. Both scans are shared with those rules and computed once per document.
    from ..wordpress._blocks import wordpress_marks
    from ..wordpress._shortcodes import shortcodes

    if wordpress_marks(doc):
        return True
    return any(tag.family in ("caption", "media", "builder") for tag in shortcodes(doc))


def wordpress_evidence(doc: Document) -> bool:
    """Whether the text shows it came from WordPress (block comments, ``wp-image-``/``wp-caption``
    classes, core or builder shortcodes): the context in which wpautop shapes are artifacts."""
    return doc.memo(_wordpress_evidence)


#: Elements that start or end a block: content right after one starts a new line.
_BLOCK_EDGES = P_CLOSERS | {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "body", "html",
                            "template", "blockquote"}
_PLAIN_P = re.compile(r"<p[\t\n\f\r ]*>", re.IGNORECASE)
_NBSP_REFERENCES = frozenset({"&nbsp;", "&#160;", "&#xa0;", "&#xA0;", "&#Xa0;", "&#XA0;"})
_BLANK_LINE = re.compile(r"\n[ \t\r\f\xa0]*\n")


def _filler(stream: TokenStream, i: int) -> bool:
    """Whitespace, ``<br>`` or ``&nbsp;``: what wpautop leaves around a lone item."""
    kind = stream.kinds[i]
    if kind is TEXT:
        return not stream.src(i).strip()
    if kind is START_TAG:
        return stream.names[i] == "br"
    return kind is CHARREF and stream.src(i) in _NBSP_REFERENCES


def paragraph_around(doc: Document, start: int, end: int) -> tuple[int, int] | None:
    """The span of a plain ``<p>`` … ``</p>`` (no attributes) whose only other content is
    whitespace, ``<br>`` or ``&nbsp;`` around the text span ``[start, end)``; else None."""
    if not doc.is_html or start >= end:
        return None
    stream, text = doc.tokens, doc.text
    count = len(stream.kinds)
    first = stream.index_at(start)
    last = stream.index_at(end - 1)
    if stream.kinds[first] is not TEXT or text[stream.starts[first] : start].strip():
        return None
    if stream.kinds[last] is not TEXT or text[end : stream.starts[last + 1]].strip():
        return None
    before = first - 1
    while before >= 0 and _filler(stream, before):
        before -= 1
    after = last + 1
    while after < count and _filler(stream, after):
        after += 1
    if before < 0 or after >= count:
        return None
    if stream.kinds[before] is not START_TAG or stream.names[before] != "p":
        return None
    if not _PLAIN_P.fullmatch(stream.src(before)):
        return None
    if stream.kinds[after] is not END_TAG or stream.names[after] != "p":
        return None
    return stream.starts[before], stream.starts[after + 1]


def _edge_is_block(doc: Document, offset: int, *, before: bool) -> bool:
    """Whether the tag ending (``before``) or starting at ``offset`` begins or ends a block
    outside any paragraph."""
    stream = doc.tokens
    i = stream.index_at(offset)
    kind, name = stream.kinds[i], stream.names[i]
    if kind is not START_TAG and kind is not END_TAG:
        return False
    if name == "p":  # after </p> or before <p>: between paragraphs
        return (kind is END_TAG) if before else (kind is START_TAG)
    return name in _BLOCK_EDGES


def stands_alone(doc: Document, start: int, end: int) -> bool:
    """Whether ``[start, end)`` is a block of its own: between block tags, at the edges of the
    text, or set apart by blank lines (raw post content, where wpautop makes paragraphs)."""
    text = doc.text
    head = text[max(0, start - 400) : start]
    stripped = head.rstrip()
    if stripped:
        gap = head[len(stripped) :]
        if not _BLANK_LINE.search(gap) and not (
            doc.is_html and stripped.endswith(">")
            and _edge_is_block(doc, start - len(gap) - 1, before=True)
        ):
            return False
    tail = text[end : end + 400]
    stripped = tail.lstrip()
    if stripped:
        gap = tail[: len(tail) - len(stripped)]
        if not _BLANK_LINE.search(gap) and not (
            doc.is_html and stripped.startswith("<")
            and _edge_is_block(doc, end + len(gap), before=False)
        ):
            return False
    return True


# A fence opener: three or more backticks or tildes at the start of a line, up to 3 spaces in.
_FENCE_OPENER = re.compile(r"^[ ]{0,3}+(`{3,}+|~{3,}+)[^\n]*+\n", re.MULTILINE)
# A line that can close a fence: the run alone on its line (trailing blanks allowed).
_FENCE_CLOSER = re.compile(r"^[ ]{0,3}+(`{3,}+|~{3,}+)[ \t]*+$", re.MULTILINE)
_BACKTICK_RUN = re.compile(r"`++")
_LINE_FEED = re.compile(r"\n")


def _markdown_code(doc: Document) -> list[tuple[int, int]]:
    """Disjoint, sorted spans of fenced code blocks and of the code spans outside them."""
    text = doc.text
    fences = _fences(text)
    newlines = [match.start() for match in _LINE_FEED.finditer(text)]

    def line_end(run: tuple[int, int]) -> int:  # a code span does not cross a line break
        following = bisect.bisect_left(newlines, run[1])
        return newlines[following] if following < len(newlines) else len(text)

    runs = [match.span() for match in _BACKTICK_RUN.finditer(text)]
    spans = list(fences)
    spans.extend(span for span in pair_backtick_runs(runs, limit=line_end) if not _inside(fences, span[0]))
    spans.sort()
    return spans


def _fences(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks: an opener line, then the first later line holding the same run of
    fence characters alone; an opener never closed is no block. A longer opener may also close
    at a shorter run of three or more (``````` `` then ```` ``` ````), as the first regex did.

    Closers are indexed by their run once, so each opener finds its closer by a bisect: the
    regex this replaces scanned to the end of the text for every unclosed opener (quadratic
    in a Markdown file of many unclosed fences; found by bench/scaling.py).
    """
    if "```" not in text and "~~~" not in text:
        return []
    closers: dict[str, list[tuple[int, int]]] = {}
    for match in _FENCE_CLOSER.finditer(text):
        closers.setdefault(match.group(1), []).append(match.span())
    found: list[tuple[int, int]] = []
    position = 0
    while True:
        opener = _FENCE_OPENER.search(text, position)
        if opener is None:
            return found
        run = opener.group(1)
        end = None
        for width in range(len(run), 2, -1):
            lines = closers.get(run[0] * width, [])
            following = bisect.bisect_left(lines, (opener.end(), opener.end()))
            if following < len(lines):
                end = lines[following][1]
                break
        if end is None:
            position = opener.start() + 1
            continue
        found.append((opener.start(), end))
        position = end


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    index = bisect.bisect_right(spans, (offset, offset)) - 1
    if index + 1 < len(spans) and spans[index + 1][0] == offset:
        index += 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def in_markdown_code(doc: Document, offset: int) -> bool:
    """In Markdown mode, whether ``offset`` is inside a fenced code block or a code span
    (the document's protected zones cover only HTML elements)."""
    if doc.mode is not Mode.MARKDOWN or ("`" not in doc.text and "~~~" not in doc.text):
        return False
    return _inside(doc.memo(_markdown_code), offset)


_PLAIN_P_START = re.compile(r"<p[\t\n\f\r ]*+>", re.IGNORECASE)


def _plain_paragraph_starts(doc: Document) -> list[int]:
    return [match.start() for match in _PLAIN_P_START.finditer(doc.text)]


def plain_paragraph_starts(doc: Document) -> list[int]:
    """Offsets of every ``<p>`` written without attributes (one scan shared by the rules
    about empty paragraphs and wpautop wrappers; not yet checked against the tokens)."""
    return doc.memo(_plain_paragraph_starts)
