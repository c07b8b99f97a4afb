"""OF003: Office namespace elements (``<o:p>``, ``<w:…>``, ``<v:…>``, ``<m:…>``, ``<st1:…>``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Diagnostic, Edit, FixAvailability
from ...tokens import END_TAG, START_TAG
from ..base import Rule
from ._word import has_word_markup, matching_end_tag

__all__ = ["OfficeElement"]

_FINDER = re.compile(r"</?(?:o|w|v|m|st[0-9]):[A-Za-z]", re.IGNORECASE)
_PREFIX = re.compile(r"(o|w|v|m|st[0-9]):")


class OfficeElement(Rule):
    """Office namespace elements: `<o:p>`, `<w:…>`, `<v:…>`, `<m:…>`, smart tags `<st1:…>`.

    ## What it does
    Finds the elements Word writes in its own XML namespaces: `<o:p>` (the end of every
    Word paragraph), `<st1:place>`/`<st1:City>` smart tags, VML `<v:shape>`, `<w:…>` and
    `<m:…>` elements. `<o:p>` is reported anywhere; the other prefixes only in a document
    that has other Word fingerprints (`urn:schemas-microsoft-com`, `Mso*` classes, `mso-`
    styles, `<o:p>`, Word's conditional comments), so `<m:math>` in an XHTML page or another
    tool's prefixed tags are left alone. Code (`pre`, `code`, ...) is not checked. HTML and
    Markdown only.

    ## Why is this bad?
    HTML has no namespaces: browsers build unknown elements named `o:p` that do nothing.
    They are paste residue, and validators and editors stumble on them.

    ## Example
    ```html
    <p class="MsoNormal">Meet us in <st1:City w:st="on">Boston</st1:City>.<o:p></o:p></p>
    ```

    Use instead:
    ```html
    <p class="MsoNormal">Meet us in Boston.</p>
    ```

    ## Fix safety
    The fix is safe: it removes the start and end tags and keeps everything between them
    (`<o:p>&nbsp;</o:p>` keeps its `&nbsp;`). Unknown elements have no default style and no
    behaviour, so the page shows the same text in the same place.
    """

    code = "OF003"
    name = "office-element"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        # Every report is a start or end tag whose (lower-cased) name has an Office prefix,
        # so a document without such a name is done without a scan of its text.
        if not any(_PREFIX.match(name) for name in doc.token_names):
            return
        text = doc.text
        stream = doc.tokens
        closed: set[int] = set()
        for match in _FINDER.finditer(text):
            i = stream.index_at(match.start())
            kind = stream.kinds[i]
            if stream.starts[i] != match.start() or i in closed:
                continue
            if kind is not START_TAG and kind is not END_TAG:
                continue
            name = stream.names[i]
            prefix = _PREFIX.match(name)
            written = stream.src(i).lstrip("</").split(None, 1)[0].rstrip("/>") or name
            if prefix is None or doc.is_protected(match.start()):
                continue
            if prefix.group(1) != "o" and not has_word_markup(doc):
                continue
            tag = (stream.starts[i], stream.starts[i + 1])
            if kind is END_TAG:
                fix = self.fix(f"Remove the stray `</{written}>`", Edit(*tag, ""))
                yield self.report(*tag, f"Office element end tag `</{written}>`", fix)
                continue
            edits = [Edit(*tag, "")]
            # `<o:p/>` is no empty element in HTML (the slash is ignored): look for its end too.
            end = matching_end_tag(doc, i)
            if end is not None:
                closed.add(end)
                edits.append(Edit(stream.starts[end], stream.starts[end + 1], ""))
            fix = self.fix(f"Remove the `<{written}>` tags, keeping their content", *edits)
            yield self.report(*tag, f"Office element `<{written}>`", fix)
