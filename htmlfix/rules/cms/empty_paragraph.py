"""CM001: empty and ``&nbsp;``-only paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...tokens import END_TAG, START_TAG
from ..base import Rule
from ._shared import INLINE_WRAPPERS, leaves_wordpress, line_extent, plain_paragraph_starts

_WS = r"[\t\n\f\r ]"
_NBSP = r"(?:&nbsp;|&#160;|&#[xX]0*+[aA]0;|\xa0)"
_WRAPPER = r"</?(?:" + "|".join(sorted(INLINE_WRAPPERS)) + rf"){_WS}*+>"
# A <p> or <div> without attributes holding only whitespace, &nbsp;, <br> and attribute-less
# inline wrappers (<p><strong>&nbsp;</strong></p>), then its end tag. Possessive and bounded.
_EMPTY = re.compile(
    rf"<(p|div){_WS}*+>((?:{_WS}|{_NBSP}|<br{_WS}*+/?>|{_WRAPPER}){{0,200}}+)</(p|div){_WS}*+>",
    re.IGNORECASE,
)
_PLAIN_DIV = re.compile(rf"<div{_WS}*+>", re.IGNORECASE)
_VISIBLE_FILLER = re.compile(rf"{_NBSP}|<br", re.IGNORECASE)
# The Gutenberg paragraph block around an empty <p>: removing the <p> alone would leave an
# empty block that fails the editor's block validation, so the whole block goes.
_BLOCK_BEFORE = re.compile(r"<!--[\t\n\f\r ]+wp:paragraph(?:[\t\n\f\r ]+\{[^\n]{0,2000}?\})?[\t\n\f\r ]+-->[\t\n\f\r ]*+\Z")
_BLOCK_AFTER = re.compile(r"[\t\n\f\r ]*+<!--[\t\n\f\r ]+/wp:paragraph[\t\n\f\r ]+-->")


class EmptyParagraph(Rule):
    """Empty or `&nbsp;`-only paragraph (`<p></p>`, `<p>&nbsp;</p>`, `<p><br></p>`).

    ## What it does
    Flags a `<p>` with no attributes whose content is nothing but whitespace, `&nbsp;`,
    `<br>` and attribute-less inline wrappers (`<p><strong>&nbsp;</strong></p>`), and a
    `<div>` with no attributes used the same way as a blank line (`<div>&nbsp;</div>`,
    `<div><br></div>`; an empty `<div></div>` may be a script's mount point and is left
    alone).
    An element with an `id`, `class` or `style` (or any attribute) is left alone: it is
    probably a deliberate spacer or an anchor.

    For every target, except that an empty paragraph *block* (`<!-- wp:paragraph -->` around
    `<p></p>`, which the block editor itself saves, e.g. as a placeholder) is reported only
    for targets that leave WordPress (`static`, `ghost`): it renders nothing, and on
    WordPress it is the editor's own content.

    ## Why is this bad?
    Editors leave them behind: blank lines typed in the classic editor become
    `<p>&nbsp;</p>` (WordPress/gutenberg#6385, #11211), Word and Google Docs pastes and
    migrations leave `<p></p>`. The `&nbsp;` and `<br>` ones render as blank lines of
    uncontrolled height in the middle of the text; the empty ones add nothing but noise.

    ## Example
    ```html
    <p>First.</p>
    <p>&nbsp;</p>
    <p></p>
    <p>Second.</p>
    ```

    Use instead:
    ```html
    <p>First.</p>
    <p>Second.</p>
    ```

    ## Fix safety
    The fix deletes the element (with its line when it is alone on it, and with the
    `<!-- wp:paragraph -->` comments of a Gutenberg paragraph block around it, so the block
    editor does not meet an empty, invalid block). Deleting an element that holds only
    whitespace is safe: it renders no text and no line, only margins that collapse with its
    neighbours'. Deleting one that holds `&nbsp;` or `<br>` is
    unsafe: it renders as a blank line, which the author may have meant as a spacer.
    """

    code = "CM001"
    name = "empty-paragraph"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        stream = doc.tokens
        leaving = leaves_wordpress(doc)
        starts = plain_paragraph_starts(doc) + [m.start() for m in _PLAIN_DIV.finditer(text)]
        for offset in sorted(starts):
            match = _EMPTY.match(text, offset)
            if match is None:
                continue
            name = match.group(1).lower()
            if match.group(3).lower() != name:
                continue
            start, end = match.span()
            i = stream.index_at(start)
            if stream.kinds[i] is not START_TAG or stream.starts[i] != start or doc.is_protected(start):
                continue
            j = stream.index_at(end - 1)
            if stream.kinds[j] is not END_TAG or stream.starts[j + 1] != end:
                continue
            visible = _VISIBLE_FILLER.search(match.group(2)) is not None
            if name == "div" and not visible:
                continue  # an empty <div></div> may be a script's mount point or a clearfix
            removal = line_extent(text, start, end)
            block = _paragraph_block(text, start, end) if name == "p" else None
            if block is not None:
                if not visible and not leaving:
                    continue  # the block editor's own empty paragraph block renders nothing
                removal = line_extent(text, *block)
            shown = match.group(0) if len(match.group(0)) <= 40 else f"<{match.group(1)}>…</{match.group(1)}>"
            shown = " ".join(shown.split()).replace("\xa0", "U+00A0")
            yield self.report(
                start, end,
                f"{'Blank' if visible else 'Empty'} paragraph `{shown}`",
                self.fix(
                    "Remove the empty paragraph", Edit.delete(*removal),
                    applicability=Applicability.UNSAFE if visible else Applicability.SAFE,
                ),
            )


def _paragraph_block(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of ``<!-- wp:paragraph … -->`` ``<p>…</p>`` ``<!-- /wp:paragraph -->`` when
    the paragraph at ``[start, end)`` is alone in a paragraph block."""
    before = len(text[max(0, start - 200) : start].rstrip())  # whitespace before the <p>
    comment_end = max(0, start - 200) + before
    if not text.startswith("-->", comment_end - 3):
        return None
    comment_start = text.rfind("<!--", max(0, comment_end - 2100), comment_end)
    if comment_start < 0 or _BLOCK_BEFORE.match(text, comment_start, start) is None:
        return None
    after = _BLOCK_AFTER.match(text, end)
    if after is None:
        return None
    return comment_start, after.end()
