"""EN003: a whole block of markup shown as text (``<p>&lt;p&gt;…&lt;/p&gt;</p>``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...tokens import END_TAG, START_TAG, unescape
from ..base import Rule
from ._active import check_markup
from ._context import find_matches, place_of

__all__ = ["EscapedMarkup"]

_FINDER = re.compile(r"&lt;/?[A-Za-z]")
#: Elements whose content is a block of its own: escaped markup filling one is a whole block.
_BLOCKS = frozenset(
    "address article aside blockquote body dd div dt figcaption footer h1 h2 h3 h4 h5 h6 header "
    "li main p section td th".split()
)


class EscapedMarkup(Rule):
    """Escaped markup shown as text: a whole block that reads `<p>…</p>` on the page.

    ## What it does
    Finds a block (a paragraph, a list item, a cell, a `div`, or the whole fragment) whose
    entire text is escaped markup, `&lt;p&gt;Hello &lt;em&gt;world&lt;/em&gt;&lt;/p&gt;`:
    it begins with a tag and ends with one, every tag is an allowlisted element with
    allowlisted attributes, and the tags open and close in order. Escaped markup inside a
    sentence (`Use the &lt;p&gt; element`), in `pre`/`code`, in attributes, with unbalanced
    tags (`&lt;ul&gt; List of &lt;img&gt;`) or with names that are not HTML elements
    (`&lt;bkuhn@ebb.org&gt;`, `&lt;lambda, priority&gt;`) is left alone, and so is escaped
    active content (`&lt;script&gt;`): that is a code sample. HTML and Markdown only.

    ## Why is this bad?
    After a forum or CMS migration that escaped the HTML of every post once too often,
    readers see the tags instead of the formatting.

    ## Example
    ```html
    <div>&lt;p&gt;Hello &lt;em&gt;world&lt;/em&gt;&lt;/p&gt;</div>
    ```

    Use instead:
    ```html
    <div><p>Hello <em>world</em></p></div>
    ```

    ## Fix safety
    The fix is unsafe: it unescapes the block by one level, so the tags become markup and the
    page shows the formatted text instead of the code. That is the repair after an
    over-escaping migration, but it is exactly wrong in an article that shows HTML on
    purpose without a `pre` or `code` element, which only a person can tell apart. The
    repair never creates active content: only allowlisted elements and attributes, no `on*`
    attribute, no `javascript:` URL.
    """

    code = "EN003"
    name = "escaped-markup"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        seen: set[int] = set()
        for match in find_matches(_FINDER, doc, "&lt;", skip_code=True):
            place = place_of(doc, match.start())
            if place is None or place.kind != "text" or place.start in seen:
                continue
            seen.add(place.start)
            diagnostic = self._check_block(doc, place.start, place.end)
            if diagnostic is not None:
                yield diagnostic

    def _check_block(self, doc: Document, start: int, end: int) -> Diagnostic | None:
        text = doc.text
        source = text[start:end]
        first = start + len(source) - len(source.lstrip())
        last = start + len(source.rstrip())
        if not (text.startswith("&lt;", first) and text.endswith("&gt;", first, last)):
            return None
        if not _fills_block(doc, start, end):
            return None
        restored = unescape(text[first:last])
        result = check_markup(restored)
        if not (result.safe and result.balanced and result.tags >= 2):
            return None
        fix = self.fix("Unescape the markup", Edit(first, last, restored), applicability=Applicability.UNSAFE)
        preview = restored if len(restored) <= 40 else restored[:37] + "..."
        return self.report(first, last, f"escaped markup shown as text: `{preview}`", fix)


def _fills_block(doc: Document, start: int, end: int) -> bool:
    """Whether the text run ``[start, end)`` is all the content of a block (or the document)."""
    stream = doc.tokens
    before = stream.index_at(start) - 1 if start > 0 else -1
    after = stream.index_at(end) if end < len(doc.text) else -1
    opens = before < 0 or (stream.kinds[before] is START_TAG and stream.names[before] in _BLOCKS)
    closes = after < 0 or (stream.kinds[after] is END_TAG and stream.names[after] in _BLOCKS)
    return opens and closes
