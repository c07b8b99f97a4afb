"""ST001: end tags that close nothing."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure import Stray, tree_model
from ...structure.helpers import anchored, dom_keeping, line_of, tag_name_as_written
from ...tokens import END_TAG, TEXT, TokenStream
from ..base import Rule

#: End tags of table parts outside any table are reported by ST010 with their start tags.
_TABLE_PARTS = frozenset("td th tr tbody thead tfoot caption colgroup col".split())


class StrayEndTag(Rule):
    """End tag that closes nothing.

    ## What it does
    Flags end tags that have no open element to close: `</div>` after every `<div>` is
    closed, `</span>` that cannot reach its `<span>` because a block opened inside it is
    still open, a stray `</p>`, and `</br>`.

    ## Why is this bad?
    Browsers ignore most of them, so the markup says something the page does not do: an editor
    who trusts it will move or delete the wrong thing. Two are not ignored: a `</p>` with no
    open paragraph makes browsers insert an empty `<p></p>`, and `</br>` is read as
    `<br>`. A `</span>` blocked by an open block leaves the `<span>` open, so everything
    after it stays inside.

    ## Example
    ``html
    <div><p>Text</p></div></div>
    ``

    Use instead:
    ``html
    <div><p>Text</p></div>
    ``

    ## Fix safety
    Deleting an end tag browsers ignore leaves the page exactly as it is: the fix is safe (the
    fixer checks that the html5lib DOM is unchanged). `</br>` becomes `<br>`, which is what
    browsers already read: safe. Deleting a stray `</p>` removes the empty paragraph browsers
    create there (usually invisible, but it can add space): unsafe. A `</span>` blocked by a
    `</div>` right after it is swapped with it, so the `<span>` ends where the author
    evidently meant; the content after it leaves the `<span>`: unsafe. Stray end tags whose
    deletion would change what browsers build (after `</body>`, between runs of table text,
    a `</form>` that resets the form) get an unsafe delete.
    """

    code = "ST001"
    name = "stray-end-tag"
    fix_availability = FixAvailability.SOMETIMES
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        stream = doc.tokens
        for stray in tree_model(doc).strays:
            name = stream.names[stray.index]
            if stray.kind == "p" and stray.block >= 0:
                continue  # ST007: the block that ended the paragraph
            if name in _TABLE_PARTS and not stray.in_table:
                continue  # ST010: table markup outside a table
            yield anchored(self._diagnose(doc, stray), stray.index)

    def _diagnose(self, doc: Document, stray: Stray) -> Diagnostic:
        stream = doc.tokens
        model = tree_model(doc)
        i = stray.index
        name = stream.names[i]
        start, end = stream.starts[i], stream.starts[i + 1]
        written = tag_name_as_written(stream, i)
        if stray.kind == "br":
            # noop marks a </br> inside SVG/MathML, where <br> would end the foreign content
            fix = (self.fix("replace it with `<br>`", Edit.replace(start, end, "<br>"), applicability=Applicability.UNSAFE)
                   if stray.noop else
                   dom_keeping(self, model, "replace it with `<br>`", Edit.replace(start, end, "<br>")))
            return self.report(start, end, f"`</{written}>` is not an end tag: browsers read it as `<br>`", fix)
        if stray.kind == "p":
            return self.report(
                start, end, "stray `</p>`: no paragraph is open, so browsers insert an empty paragraph here",
                self.fix("delete it (this removes the empty paragraph browsers insert)", Edit.delete(start, end),
                         applicability=Applicability.UNSAFE),
            )
        if stray.kind == "blocked":
            return self._blocked(doc, stray, written, start, end)
        message = f"stray `</{written}>`: no `<{name}>` is open"
        if stray.noop:
            return self.report(start, end, message, dom_keeping(self, model, "delete it", Edit.delete(start, end)))
        return self.report(
            start, end, message,
            self.fix("delete it (browsers ignore it, but it also moves what follows in the page's tree)",
                     Edit.delete(start, end), applicability=Applicability.UNSAFE),
        )

    def _blocked(self, doc: Document, stray: Stray, written: str, start: int, end: int) -> Diagnostic:
        stream = doc.tokens
        name = stream.names[stray.index]
        blocker = stray.blocker
        where = f" (line {line_of(doc, stream.starts[stray.opened])})" if stray.opened >= 0 else ""
        if blocker >= 0:
            inner = stream.names[blocker]
            message = (
                f"`</{written}>` cannot close the `<{name}>`{where}: the `<{inner}>` opened inside it "
                f"(line {line_of(doc, stream.starts[blocker])}) is still open, so browsers ignore it "
                f"and keep `<{name}>` open"
            )
        else:
            inner = ""
            message = f"`</{written}>` cannot close the `<{name}>`{where} from here, so browsers ignore it"
        following = _next_tag(stream, stray.index)
        fix = None
        if inner and following >= 0 and stream.kinds[following] is END_TAG and stream.names[following] == inner:
            other_start, other_end = stream.starts[following], stream.starts[following + 1]
            fix = self.fix(
                f"swap it with the `</{inner}>` after it (what follows then leaves the `<{name}>`)",
                Edit.replace(start, end, stream.src(following)),
                Edit.replace(other_start, other_end, stream.src(stray.index)),
                applicability=Applicability.UNSAFE,
            )
        return self.report(start, end, message, fix)


def _next_tag(stream: TokenStream, i: int) -> int:
    """The token after ``i``, skipping whitespace-only text; -1 at the end."""
    k = i + 1
    while k < len(stream) and stream.kinds[k] is TEXT and not stream.src(k).strip():
        k += 1
    return k if k < len(stream) else -1
