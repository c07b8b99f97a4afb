"""ST004: non-void HTML elements written self-closed (``<div/>``)."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure import tree_model
from ...structure.helpers import anchored, line_of, start_tag_text, tag_name_as_written
from ...structure.treemodel import VOID
from ..base import Rule

_RAW = frozenset("script style title textarea iframe noscript noembed noframes xmp plaintext".split())


class SelfClosedElement(Rule):
    """Non-void element written self-closed: `<div/>`, `<p/>`, `<script src=x/>`.

    ## What it does
    Flags start tags of HTML elements that cannot be empty by syntax (everything except
    `br`, `img`, `input`, `meta`, `link`, `hr` and the other void elements) written
    with a trailing `/>`, outside SVG and MathML where `/>` really closes the element.
    XML serializers (DOMDocument `saveXML`, XMLSerializer) write them.

    ## Why is this bad?
    HTML ignores the `/`: `<div/>` opens a `<div>` that wraps everything up to the next
    `</div>` or the end of its parent, `<p/>text` puts the text into the paragraph, and
    `<script src="x"/>` or `<title/>` turns the rest of the document into script or title
    text. The message says how far the element reaches.

    ## Example
    ``html
    <div class="clear"/>
    <p>Next paragraph</p>
    ``

    Use instead:
    ``html
    <div class="clear"></div>
    <p>Next paragraph</p>
    ``

    ## Fix safety
    The fix writes the empty element the author meant, `<div></div>`, at the same place.
    That changes the page: what browsers put inside the element moves out of it (and text a
    `<script/>` or `<title/>` swallowed becomes page content again), so it is unsafe.
    """

    code = "ST004"
    name = "self-closed-element"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        stream = doc.tokens
        n = len(stream)
        for i, close in tree_model(doc).self_closed:
            name = stream.names[i]
            if name in VOID or close == i:
                continue  # void elements, and tags browsers ignore here (ST010, ST014)
            start, end = stream.starts[i], stream.starts[i + 1]
            written = tag_name_as_written(stream, i)
            if name in _RAW:
                reach = "to the end of the document" if close >= n else f"up to `</{name}>` on line {line_of(doc, stream.starts[close])}"
                message = f"`<{written}/>` is not self-closing in HTML: browsers read everything {reach} as its content"
            elif close >= n:
                message = f"`<{written}/>` is not self-closing in HTML: browsers open a `<{name}>` that runs to the end of the document"
            else:
                message = (f"`<{written}/>` is not self-closing in HTML: browsers open a `<{name}>` that wraps "
                           f"everything up to line {line_of(doc, stream.starts[close])}")
            replacement = f"{start_tag_text(stream, i)}</{written}>"
            fix = self.fix(f"write it as `<{written}></{written}>`", Edit.replace(start, end, replacement),
                           applicability=Applicability.UNSAFE)
            yield anchored(self.report(start, end, message, fix), i)
