"""WP009: CDATA delimiters of a WXR export left at the edges of a post's content."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document
from ...model import Diagnostic, Edit, FixAvailability
from ...tokens import BOGUS_COMMENT, CHARREF, COMMENT, TEXT
from ..base import Rule

_WS = r"[\t\n\f\r ]"
# "<![CDATA[" (or "<!--[CDATA[", or escaped) at the very start, possibly inside the first <p>.
_HEAD = re.compile(rf"{_WS}*+(?:<p{_WS}*+>{_WS}*+)?(<!\[CDATA\[|<!--\[CDATA\[|&lt;!\[CDATA\[)")
# "]]>" (or "]]&gt;", or "]]-->") at the very end, possibly inside the last </p>.
_TAIL = re.compile(rf"(\]\]>|\]\]&gt;|\]\]-->)({_WS}*+</p{_WS}*+>)?{_WS}*+\Z")
_LONE_PARAGRAPH = re.compile(rf"<p{_WS}*+>{_WS}*+\Z")


class CdataEdge(Rule):
    """WXR transport damage: `<![CDATA[` or `]]>` left at the start or end of a post's content.

    ## What it does
    Flags a CDATA delimiter of the export file that ended up inside the post: `<![CDATA[` (or
    `<!--[CDATA[`, or its escaped form) at the very start of the content, and `]]>` or
    `]]&gt;` at the very end, alone or in a paragraph of its own (`<p>]]&gt;</p>`,
    WordPress/gutenberg#10445). A CDATA section in the middle of a post (a code sample, SVG,
    an importer test) is left alone. Damage for every target.

    ## Why is this bad?
    `]]&gt;` shows as "]]>" at the end of the post. A leading `<![CDATA[` is worse: browsers
    read it as a bogus comment up to the next `>`, so it swallows the first tag (usually the
    first `<p>`), and `<!--[CDATA[` can hide the whole post.

    ## Example
    ```html
    <![CDATA[<p>First paragraph.</p>
    <p>Last paragraph.</p>
    <p>]]&gt;</p>
    ```

    Use instead:
    ```html
    <p>First paragraph.</p>
    <p>Last paragraph.</p>
    ```

    ## Fix safety
    Safe: the fix deletes only the delimiter (with the paragraph or line that held nothing
    else), which is transport debris; every word of the post stays. When a leading delimiter
    swallowed the first tag, that tag reappears, as the author wrote it.
    """

    code = "WP009"
    name = "cdata-edge"
    fix_availability = FixAvailability.ALWAYS

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if "CDATA[" in text[:256]:
            yield from self._head(doc)
        if "]]" in text[-64:]:
            yield from self._tail(doc)

    def _head(self, doc: Document) -> Iterator[Diagnostic]:
        match = _HEAD.match(doc.text)
        if match is None:
            return
        start, end = match.span(1)
        if doc.is_html:
            kind = doc.tokens.kinds[doc.tokens.index_at(start)]
            if kind not in (BOGUS_COMMENT, COMMENT, CHARREF, TEXT):
                return
        yield self.report(
            start, end, f"CDATA opener `{doc.text[start:end]}` at the start of the content",
            self.fix("Remove the CDATA opener", Edit.delete(start, end)),
        )

    def _tail(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        match = _TAIL.search(text, max(0, len(text) - 512))
        if match is None:
            return
        start, end = match.span(1)
        if doc.is_html:
            kind = doc.tokens.kinds[doc.tokens.index_at(start)]
            if kind is not TEXT and kind is not COMMENT or doc.is_protected(start):
                return
        removal = (start, end)
        if match.group(2):  # "<p>]]&gt;</p>": the paragraph goes too
            lone = _LONE_PARAGRAPH.search(text, max(0, start - 64), start)
            if lone is not None:
                removal = (lone.start(), match.end(2))
        # The line break before the removed text goes with it when the text ends there.
        removal_start = removal[0]
        while removal_start > 0 and text[removal_start - 1] in " \t\r\n":
            removal_start -= 1
        if text[removal[1] :].strip() == "" and text[removal_start:removal[0]].count("\n") <= 2:
            removal = (removal_start, removal[1])
        yield self.report(
            start, end, f"CDATA closer `{text[start:end]}` at the end of the content",
            self.fix("Remove the CDATA closer", Edit.delete(*removal)),
        )
