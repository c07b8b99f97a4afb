"""OF006: Google Docs paste wrappers (``<b style="font-weight:normal" id="docs-internal-guid-…">``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...tokens import END_TAG, START_TAG, Attribute
from ..base import Rule
from ._word import declarations, matching_end_tag, remove_attribute

__all__ = ["GoogleDocsWrapper"]

_GUID = re.compile("docs-internal-guid")
_NORMAL_BOLD = re.compile(r"<[bB]\s[^<>]{0,300}?font-weight\s*:\s*(?:normal|400)\b")
_NORMAL_WEIGHT = re.compile(r"font-weight\s*:\s*(?:normal|400)\s*;?\s*$", re.IGNORECASE)
_BOLD_CONTEXT = re.compile(r"</?(?:b|strong|th|h[1-6])(?=[\s/>])", re.IGNORECASE)
_BOLD_ELEMENTS = frozenset({"b", "strong", "th", "h1", "h2", "h3", "h4", "h5", "h6"})


class GoogleDocsWrapper(Rule):
    """Google Docs paste wrappers: `<b style="font-weight:normal;" id="docs-internal-guid-…">`.

    ## What it does
    Finds the `<b>` that Google Docs wraps around everything it puts on the clipboard,
    recognised by its `docs-internal-guid-…` id or by a style that only says
    `font-weight:normal` (or `400`), and the `docs-internal-guid-…` ids Docs leaves on
    other elements (`<p id="docs-internal-guid-…">`, an empty `<span id="docs-internal-guid-…">`).
    A `<b>` with any other attribute or style is left alone. HTML and Markdown only.

    ## Why is this bad?
    The wrapper is a bold element that un-bolds itself: editors and converters that read
    the tag and not the style (draft-js, Lexical, Markdown converters) turn the whole post
    bold, and screen readers and feed readers see meaningless markup.

    ## Example
    ```html
    <b style="font-weight:normal;" id="docs-internal-guid-1374c26f-7fff"><p dir="ltr">Text</p></b>
    ```

    Use instead:
    ```html
    <p dir="ltr">Text</p>
    ```

    ## Fix safety
    Unwrapping removes the `<b>` start and end tags and keeps the content. It is safe when
    the wrapper is not inside bold text (`b`, `strong`, `th`, a heading): its style sets the
    weight back to normal, which is what its content has without it. Inside bold text the
    content would turn bold, so the fix is unsafe there. Removing a `docs-internal-guid`
    id (or an empty `span` that holds nothing else) is safe and changes nothing visible:
    nothing styles or links to a paste's GUID.
    """

    code = "OF006"
    name = "google-docs-wrapper"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if "docs-internal-guid" not in text:
            # Then every report unwraps a `b` start tag (found by `_NORMAL_BOLD`, whose
            # matches all contain "font-weight"): a document without one is done.
            if "b" not in doc.token_names or "font-weight" not in text:
                return
        stream = doc.tokens
        done: set[int] = set()
        found = [(m.start(), True) for m in _GUID.finditer(text)]
        if "font-weight" in text:
            found.extend((m.start(), False) for m in _NORMAL_BOLD.finditer(text))
        for offset, is_guid in sorted(found):
            i = stream.index_at(offset)
            if i in done or stream.kinds[i] is not START_TAG or doc.is_protected(stream.starts[i]):
                continue
            done.add(i)
            token = stream[i]
            guid = _guid_id(token.attributes)
            if token.name == "b" and _is_docs_wrapper(text, token.attributes):
                yield self._unwrap(doc, i)
            elif guid is not None and is_guid:
                yield self._drop_id(doc, i, guid)

    def _unwrap(self, doc: Document, i: int) -> Diagnostic:
        stream = doc.tokens
        start, end = stream.starts[i], stream.starts[i + 1]
        edits = [Edit(start, end, "")]
        closer = matching_end_tag(doc, i)
        if closer is not None:
            edits.append(Edit(stream.starts[closer], stream.starts[closer + 1], ""))
        bold = doc.memo(_BoldContext).inside(start)
        fix = self.fix(
            "Unwrap the content",
            *edits,
            applicability=Applicability.UNSAFE if bold else Applicability.SAFE,
        )
        return self.report(start, end, "Google Docs wrapper `<b>` around pasted content", fix)

    def _drop_id(self, doc: Document, i: int, attribute: Attribute) -> Diagnostic:
        stream = doc.tokens
        start, end = stream.starts[i], stream.starts[i + 1]
        only_id = len(stream[i].attributes) == 1
        if stream.names[i] == "span" and only_id and i + 1 < len(stream) \
                and stream.kinds[i + 1] is END_TAG and stream.names[i + 1] == "span":
            edit = Edit(start, stream.starts[i + 2], "")
            action = "Remove the empty `span`"
        else:
            edit = remove_attribute(doc.text, attribute)
            action = "Remove the id"
        fix = self.fix(action, edit)
        return self.report(attribute.start, attribute.end, "Google Docs paste id `docs-internal-guid-…`", fix)


def _guid_id(attributes: list[Attribute]) -> Attribute | None:
    for attribute in attributes:
        if attribute.name == "id" and (attribute.value or "").startswith("docs-internal-guid"):
            return attribute
    return None


def _is_docs_wrapper(text: str, attributes: list[Attribute]) -> bool:
    """A `b` whose only attributes are a Docs id and/or a style that only resets the weight."""
    names = {a.name for a in attributes}
    if not names <= {"id", "style"}:
        return False
    guid = _guid_id(attributes) is not None
    if "id" in names and not guid:
        return False
    style = next((a for a in attributes if a.name == "style"), None)
    if style is None:
        return guid
    parts = [d for d in declarations(text, style) if d.property]
    return len(parts) == 1 and parts[0].property == "font-weight" and bool(
        _NORMAL_WEIGHT.search(text[parts[0].start : parts[0].end].strip())
    )


class _BoldContext:
    """Whether an offset lies inside an element that makes text bold, answered for offsets
    in increasing order with one pass over the text (open-tag counting)."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._position = 0
        self._depth: dict[str, int] = {}

    def inside(self, offset: int) -> bool:
        doc, stream, depth = self._doc, self._doc.tokens, self._depth
        if offset < self._position:  # out of order: start again
            self._position, depth = 0, {}
            self._depth = depth
        for match in _BOLD_CONTEXT.finditer(doc.text, self._position, offset):
            i = stream.index_at(match.start())
            if stream.starts[i] != match.start() or stream.names[i] not in _BOLD_ELEMENTS:
                continue
            name = stream.names[i]
            if stream.kinds[i] is START_TAG:
                depth[name] = depth.get(name, 0) + 1
            elif stream.kinds[i] is END_TAG and depth.get(name):
                depth[name] -= 1
        self._position = offset
        return any(depth.values())
