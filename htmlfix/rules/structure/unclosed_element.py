"""ST002: elements browsers close implicitly, with a parse error."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Fix, FixAvailability
from ...structure import tree_model
from ...structure.closing import ClosePlan, closing_plans
from ...structure.helpers import anchored, dom_keeping, first_text, line_of, shown, snippet_after
from ...tokens import END_TAG
from ..base import Rule

#: What a formatting element does to the text browsers carry it into.
EFFECT = {
    "a": "a link", "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underlined",
    "s": "struck through", "strike": "struck through", "code": "code-formatted", "tt": "code-formatted",
    "small": "smaller", "big": "bigger", "font": "in that font", "nobr": "unbreakable",
}


class UnclosedElement(Rule):
    """Element left open: browsers close it somewhere else than the author meant.

    ## What it does
    Flags elements whose end tag is missing where browsers need it: at the end of the document,
    before the end tag of an enclosing element (`<div><span>x</div>`), or before a start tag
    that ends them (`<p><span>x<div>`, `<li><span>x<li>`). Elements whose end tag HTML lets
    authors omit (`p`, `li`, `td`, `tr`, `option`...) are never flagged for that alone.
    Formatting elements (`b`, `i`, `a`, `strong`...) closed at a block boundary are
    flagged too, and so are raw-text elements (`script`, `style`, `textarea`, `title`)
    that are never closed.

    ## Why is this bad?
    Browsers close the element where the parser gives up, which is often not where the author
    meant: an unclosed `<b>` is re-opened for the following paragraphs and bolds the rest of
    the post; an unclosed `<div>` swallows what follows; an unclosed `<textarea>` or
    `<title>` turns the rest of the document into its text.

    ## Example
    ``html
    <div><span>Note</div>
    <p>Hello <b>world</p>
    ``

    Use instead:
    ``html
    <div><span>Note</span></div>
    <p>Hello <b>world</b></p>
    ``

    ## Fix safety
    The fix inserts the missing end tags right where browsers close the elements (before the
    closing tag, or at the end of the document), so the page stays exactly as browsers show it:
    safe, and the fixer checks that the html5lib DOM is unchanged. `<h1>...</h2>` has its end
    tag renamed. When the author's own end tag for a formatting element comes later, it is moved
    to the boundary, or the element is re-opened explicitly after it
    (`<p><b>x</b></p><p><b>y</b></p>`), which also keeps the page as it is. When browsers carry
    a formatting element on into later content that the author never closed, closing it at the
    boundary removes that formatting from the later text: the fix is unsafe and the message
    names the text that changes. Elements left open at `</body>` or `</form>` stay open in
    browsers, so closing them moves what follows: unsafe. Raw-text elements that are never
    closed get no fix (where they should end is a guess).
    """

    code = "ST002"
    name = "unclosed-element"
    fix_availability = FixAvailability.SOMETIMES
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        for plan in closing_plans(doc):
            if plan.rule == self.code:
                yield from self._report_plan(doc, plan)
        model = tree_model(doc)
        if model.unterminated_raw >= 0:
            stream = doc.tokens
            i = model.unterminated_raw
            name = stream.names[i]
            yield anchored(self.report(
                stream.starts[i], stream.starts[i + 1],
                f"`<{name}>` is never closed: browsers treat everything after it as its content, "
                "not as page markup",
            ), len(stream))

    def _report_plan(self, doc: Document, plan: ClosePlan) -> Iterator[Diagnostic]:
        stream = doc.tokens
        closure = plan.closure
        where = closing_phrase(doc, closure.at, closure.cause)
        fix = self._fix(doc, plan, where)
        for source, name in plan.sources:
            message = f"`<{name}>` is not closed: {where}"
            if name in plan.formatting and plan.reopened_at >= 0:
                message += (f"; browsers re-open it after that, so the following text is {EFFECT.get(name, 'formatted')} "
                            f"too (from line {line_of(doc, first_text(doc, plan.reopened_at))})")
            yield anchored(self.report(stream.starts[source], stream.starts[source + 1], message, fix), closure.at)

    def _fix(self, doc: Document, plan: ClosePlan, where: str) -> Fix | None:
        if not plan.edits:
            return None
        inserted = plan.edits[0].content
        at = plan.closure.at
        stream = doc.tokens
        place = "at the end" if at >= len(stream) else f"before `{shown(stream, at)}`"
        message = f"insert `{inserted}` {place}"
        if plan.how == "rename":
            message = f"replace `{shown(stream, at)}` with `{inserted}`"
        if plan.how == "reopen":
            message += " and re-open the formatting after it, where browsers do"
        elif len(plan.edits) > 1:
            message = f"move the end tag: insert `{inserted}` {place} and delete the later one"
        if plan.safe:
            return dom_keeping(self, tree_model(doc), message, *plan.edits)
        if plan.reason == "reopened" and plan.reopened_at >= 0:
            changed = snippet_after(doc, plan.reopened_at)
            effects = sorted({EFFECT.get(name, "formatted") for name in plan.formatting})
            message += (f" (the text browsers carry it into, from line "
                        f"{line_of(doc, first_text(doc, plan.reopened_at))} “{changed}”, is no longer "
                        f"{' or '.join(effects)})")
        elif plan.reason == "changes-closer":
            message += (f" (browsers let `{shown(stream, at)}` pass the elements inside without closing its "
                        "formatting for good; once they are closed it does, which changes the following text)")
        elif plan.reason == "in-table":
            message += (" (the page stays the same, but the end tags land inside a table, where browsers "
                        "report them as misplaced; move the content out of the table first)")
        else:
            message += " (browsers keep it open there, so what follows moves out of it)"
        return self.fix(message, *plan.edits, applicability=Applicability.UNSAFE)


def closing_phrase(doc: Document, at: int, cause: str) -> str:
    """How browsers close it, for messages: "`</div>` (line 3) closes it"."""
    stream = doc.tokens
    if at >= len(stream) or cause == "eof":
        return "browsers close it at the end of the document"
    tag = shown(stream, at)
    line = line_of(doc, stream.starts[at])
    if cause == "body":
        return f"it is still open at `{tag}` (line {line}), and browsers keep it open"
    if cause == "form":
        return f"it is still open at `{tag}` (line {line}); browsers keep it open, so what follows stays inside it"
    if stream.kinds[at] is END_TAG:
        return f"`{tag}` (line {line}) closes it"
    return f"`{tag}` (line {line}) ends it"
