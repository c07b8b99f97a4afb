"""ST004: non-void HTML elements written self-closed (``<div/>``)."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure import tree_model
from ...structure.helpers import anchored, line_of, start_tag_text, tag_name_as_written
from ...structure.treemodel import VOID
from ...tokens import RAWTEXT, START_TAG, tokenize
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
    text. The message says how far the element reaches. The `<script/>` tags hidden in
    that text (a page written by one XML serializer often has many) are reported too,
    each saying which tag hides it.

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
    The fix of a tag that hides others repairs them as well, in the same pass; a hidden tag
    has no fix of its own, so none is repaired while the tag around it stays as it is.
    """

    code = "ST004"
    name = "self-closed-element"
    fix_availability = FixAvailability.SOMETIMES  # a hidden tag: the fix of the tag hiding it
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        stream = doc.tokens
        n = len(stream)
        found = [(i, close) for i, close in tree_model(doc).self_closed
                 if stream.names[i] not in VOID and close != i]  # not ST010's and ST014's
        hidden = _hidden_tags(doc, [i for i, _ in found])
        for i, close in found:
            name = stream.names[i]
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
            inside = hidden.get(i, [])
            edits = [Edit.replace(start, end, f"{start_tag_text(stream, i)}</{written}>")]
            edits += [edit for _, _, edit, _ in inside]
            also = f" (and the {len(inside)} hidden in its content)" if inside else ""
            fix = self.fix(f"write it as `<{written}></{written}>`{also}", *edits, applicability=Applicability.UNSAFE)
            yield anchored(self.report(start, end, message, fix), i)
            first_line = line_of(doc, start) if inside else 0
            for hidden_start, hidden_end, _, hidden_name in inside:
                yield self.report(
                    hidden_start, hidden_end,
                    f"`<{hidden_name}/>` is not self-closing in HTML either, but the `<{written}/>` on line "
                    f"{first_line} hides it: once that one is repaired, browsers read what follows this one "
                    f"as its content (the fix of that one repairs this one too)",
                )


def _hidden_tags(doc: Document, reported: list[int]) -> dict[int, list[tuple[int, int, Edit, str]]]:
    """Self-closed raw-text tags (``<script src=x/>``) that the text swallowed by a reported
    one hides, by the reported tag's token: (start, end, the edit that repairs it, its name
    as written).

    Each ``<script/>`` turns the rest of the document (up to a ``</script>``) into script text,
    so the next one is not a tag until the first is repaired. Found one fix pass at a time,
    a page with many needs as many passes, more than the fixer allows. One extra
    tokenization, of the text as it reads once every such tag is repaired, finds them all;
    the fix of the tag that swallows them repairs them too, so that none is repaired while
    the tag around it is not (a suppressed or unfixed one)."""
    stream = doc.tokens
    kinds, names, starts = stream.kinds, stream.names, stream.starts
    swallowing = {i for i in reported if names[i] in _RAW and i + 1 < len(kinds) and kinds[i + 1] is RAWTEXT}
    if not swallowing:
        return {}
    closed: list[int] = []
    preview = tokenize(doc.text, closed_raw=closed)
    by_owner: dict[int, list[tuple[int, int, Edit, str]]] = {}
    for offset in closed:
        token = stream.index_at(offset)
        if kinds[token] is not RAWTEXT or starts[token] > offset or token - 1 not in swallowing:
            continue  # a tag of the document as it is (reported above), or not hidden by one
        j = preview.index_at(offset)
        if preview.starts[j] != offset or preview.kinds[j] is not START_TAG:
            continue
        written = tag_name_as_written(preview, j)
        edit = Edit.replace(offset, preview.starts[j + 1], f"{start_tag_text(preview, j)}</{written}>")
        by_owner.setdefault(token - 1, []).append((offset, preview.starts[j + 1], edit, written))
    return by_owner
