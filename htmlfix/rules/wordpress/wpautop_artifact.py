"""WP008: wpautop artifacts: ``<p>`` around blocks and shortcodes, ``<br />`` after blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...tokens import CHARREF, END_TAG, START_TAG, TEXT
from ..base import Rule
from ..cms._shared import (
    P_CLOSERS,
    is_full_document,
    line_extent,
    matching_end,
    plain_paragraph_starts,
    stays_on_wordpress,
    wordpress_evidence,
)
from ._shortcodes import BLOCK_SHORTCODES, Shortcode, shortcodes

_WS = r"[\t\n\f\r ]"
_FILLER = r"(?:[\t\n\f\r ]|&nbsp;|&#160;|<br[\t\n\f\r ]*+/?>)*+"
#: A plain <p> directly followed by a start tag (matched at each plain <p>).
_P_BEFORE_BLOCK = re.compile(rf"<p{_WS}*+>{_WS}*+<([a-zA-Z][a-zA-Z0-9]*+)", re.IGNORECASE)
_FILLER_RUN = re.compile(_FILLER, re.IGNORECASE)
_P_CLOSE = re.compile(rf"</p{_WS}*+>", re.IGNORECASE)
_PLAIN_P_BEFORE = re.compile(rf"<p{_WS}*+>{_FILLER}\Z", re.IGNORECASE)
#: A block end tag (or a shortcode closer) followed by a <br>.
_BR_AFTER_BLOCK = re.compile(
    rf"</([a-zA-Z][a-zA-Z0-9]*+){_WS}*+>{_WS}*+(<br{_WS}*+/?>)", re.IGNORECASE
)
_BR = re.compile(rf"<br{_WS}*+/?>", re.IGNORECASE)
_GAP = re.compile(rf"{_WS}*+")
_NBSP_REFERENCES = frozenset({"&nbsp;", "&#160;"})
_BLOCK_ENDS = P_CLOSERS - {"li", "dd", "dt"}
#: How far to look for the end of a wrapped block: an unclosed <div> would otherwise send
#: every candidate to the end of the text. wpautop wraps small blocks (an embed, a note); for
#: a longer one the fix deletes the <p> alone and leaves the stray </p> to the structural rules.
_MAX_BLOCK_TOKENS = 500


class WpautopArtifact(Rule):
    """wpautop artifact: `<p>` wrapped around a block or a shortcode, `<br />` after a block.

    ## What it does
    Flags the shapes WordPress's `wpautop` leaves when it turns line breaks into `<p>` and
    `<br />` around content it misjudges:
    * a plain `<p>` whose content starts with a block element (`<p><div>`, `<p><figure>`,
      `<p><blockquote class="twitter-tweet">`); every target;
    * a plain `<p>` that holds nothing but shortcodes, one of them block-level
      (`<p>[gallery]</p>`, `<p>[vc_row][vc_column]</p>`); targets other than `wordpress`
      (WordPress's `shortcode_unautop` removes those paragraphs itself when it renders);
    * a `<br />` right after the end of a block (`</div><br />`) or a block shortcode
      (`[/caption]<br />`) in content that shows WordPress markup; every target.

    Boundary with the structural rules: those report the stray `</p>` and blocks inside
    paragraphs in general; this rule reports only the wpautop shapes, at the `<p>` that opens
    the wrapper or at the `<br />`, never at a `</p>`, so one problem is not reported twice at
    the same place.

    ## Why is this bad?
    A `<p>` cannot contain a block: the browser closes it right before the `<div>` and turns
    the `</p>` after the block into a second, empty paragraph, so the block sits between two
    empty paragraphs and their margins. A paragraph around a shortcode breaks the same way
    once the shortcode becomes a figure or a gallery. A `<br />` after a block renders as an
    empty line.

    ## Example
    ```html
    <p><div class="note">Closed on Monday.</div></p>
    <div class="gallery">…</div><br />
    ```

    Use instead:
    ```html
    <div class="note">Closed on Monday.</div>
    <div class="gallery">…</div>
    ```

    ## Fix safety
    Unsafe: the fix deletes the wrapper's `<p>` and its `</p>` (and, around shortcodes, the
    `<br />` and `&nbsp;` fillers inside it), or the `<br />`. Every word stays, but the DOM
    changes: the empty paragraphs the browser made and the line break are gone, which can
    change the spacing around the block. When the `</p>` is not right after the block, only
    the `<p>` is deleted.
    """

    code = "WP008"
    name = "wpautop-artifact"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        yield from self._p_before_block(doc)
        if not stays_on_wordpress(doc):
            yield from self._p_around_shortcodes(doc)
        if wordpress_evidence(doc) and not is_full_document(doc):
            yield from self._br_after_block(doc)

    def _p_before_block(self, doc: Document) -> Iterator[Diagnostic]:
        text, stream = doc.text, doc.tokens
        for offset in plain_paragraph_starts(doc):
            match = _P_BEFORE_BLOCK.match(text, offset)
            if match is None or match.group(1).lower() not in P_CLOSERS:
                continue
            block_name = match.group(1).lower()
            p = stream.index_at(match.start())
            if stream.kinds[p] is not START_TAG or stream.starts[p] != match.start() or doc.is_protected(match.start()):
                continue
            block = stream.index_at(match.start(1) - 1)
            if stream.kinds[block] is not START_TAG:
                continue
            edits = [Edit.delete(stream.starts[p], stream.starts[p + 1])]
            closer = _closing_p_after(doc, block)
            if closer is not None:
                edits.append(Edit.delete(*closer))
            yield self.report(
                stream.starts[p], stream.starts[p + 1],
                f"Paragraph wrapped around the block `<{block_name}>` (wpautop; the browser leaves empty paragraphs)",
                self.fix("Remove the wrapping paragraph tags", *edits, applicability=Applicability.UNSAFE),
            )

    def _p_around_shortcodes(self, doc: Document) -> Iterator[Diagnostic]:
        every = shortcodes(doc)
        tags = [tag for tag in every if tag.has_evidence]
        if not tags:
            return
        text, stream = doc.text, doc.tokens
        by_start = {tag.start: tag for tag in tags}
        covered_until = -1
        for tag in tags:
            if tag.start < covered_until:
                continue
            opener = _PLAIN_P_BEFORE.search(text, max(0, tag.start - 300), tag.start)
            if opener is None:
                continue
            p = stream.index_at(opener.start())
            if stream.kinds[p] is not START_TAG or stream.starts[p] != opener.start():
                continue
            group = [tag]
            spans = [(tag.start, _item_end(every, tag))]
            position = _FILLER_RUN.match(text, spans[-1][1]).end()  # type: ignore[union-attr]
            while position in by_start:
                group.append(by_start[position])
                spans.append((position, _item_end(every, group[-1])))
                position = _FILLER_RUN.match(text, spans[-1][1]).end()  # type: ignore[union-attr]
            close = _P_CLOSE.match(text, position)
            if close is None:
                continue
            end_p = stream.index_at(position)
            if stream.kinds[end_p] is not END_TAG or stream.starts[end_p] != position:
                continue
            covered_until = close.end()
            if not any(_is_block_shortcode(t) for t in group):
                continue
            edits = [Edit.delete(stream.starts[p], stream.starts[p + 1]), Edit.delete(position, close.end())]
            edits.extend(_fillers(doc, p + 1, end_p, spans))
            yield self.report(
                stream.starts[p], stream.starts[p + 1],
                f"Paragraph wrapped around the shortcode `{group[0].label}` (wpautop)",
                self.fix("Remove the wrapping paragraph tags", *edits, applicability=Applicability.UNSAFE),
            )

    def _br_after_block(self, doc: Document) -> Iterator[Diagnostic]:
        text, stream = doc.text, doc.tokens
        for match in _BR_AFTER_BLOCK.finditer(text):
            name = match.group(1).lower()
            if name not in _BLOCK_ENDS:
                continue
            end_tag = stream.index_at(match.start())
            br = stream.index_at(match.start(2))
            if stream.kinds[end_tag] is not END_TAG or stream.starts[end_tag] != match.start():
                continue
            if stream.kinds[br] is not START_TAG or stream.starts[br] != match.start(2) or doc.is_protected(match.start(2)):
                continue
            yield self._br_report(doc, match.start(2), match.end(2), f"`</{name}>`")
        for tag in shortcodes(doc):
            if not (tag.closing and _is_block_shortcode(tag)):
                continue
            gap = _GAP.match(text, tag.end)
            br_match = _BR.match(text, gap.end() if gap else tag.end)
            if br_match is None:
                continue
            i = stream.index_at(br_match.start())
            if stream.kinds[i] is START_TAG and stream.starts[i] == br_match.start():
                yield self._br_report(doc, br_match.start(), br_match.end(), f"`{tag.label}`")

    def _br_report(self, doc: Document, start: int, end: int, after: str) -> Diagnostic:
        return self.report(
            start, end,
            f"Line break `{doc.text[start:end]}` right after the block end {after} (wpautop)",
            self.fix("Remove the line break", Edit.delete(*line_extent(doc.text, start, end)),
                     applicability=Applicability.UNSAFE),
        )


def _item_end(tags: list[Shortcode], tag: Shortcode) -> int:
    """Where a shortcode ends as one item: a caption or media shortcode with its content (a
    ``<p>`` around ``[caption]<img> text[/caption]`` wraps one figure), a builder tag alone
    (its content is the page's own paragraphs)."""
    if tag.family in ("caption", "media") and not tag.closing and tag.partner >= 0:
        return tags[tag.partner].end
    return tag.end


def _is_block_shortcode(tag: Shortcode) -> bool:
    return tag.name in BLOCK_SHORTCODES or tag.family == "builder"


def _closing_p_after(doc: Document, block: int) -> tuple[int, int] | None:
    """The ``</p>`` right after the element that starts at token ``block`` (only whitespace
    between), or None."""
    stream = doc.tokens
    end = matching_end(stream, block, _MAX_BLOCK_TOKENS)
    if end is None:
        return None
    following = end + 1
    count = len(stream.kinds)
    if following < count and stream.kinds[following] is TEXT and not stream.src(following).strip():
        following += 1
    if following < count and stream.kinds[following] is END_TAG and stream.names[following] == "p":
        return stream.starts[following], stream.starts[following + 1]
    return None


def _fillers(doc: Document, first: int, last: int, spans: list[tuple[int, int]]) -> list[Edit]:
    """Deletions of the ``<br>`` and ``&nbsp;`` tokens between token indexes ``first`` and
    ``last`` (exclusive) that lie outside the shortcode ``spans``."""
    stream = doc.tokens
    edits = []
    for i in range(first, last):
        kind, start = stream.kinds[i], stream.starts[i]
        if any(item_start <= start < item_end for item_start, item_end in spans):
            continue
        if (kind is START_TAG and stream.names[i] == "br") or (
            kind is CHARREF and stream.src(i) in _NBSP_REFERENCES
        ):
            edits.append(Edit.delete(start, stream.starts[i + 1]))
    return edits
