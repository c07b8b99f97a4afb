"""ST003: formatting end tags in the wrong order."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Diagnostic, FixAvailability
from ...structure import tree_model
from ...structure.closing import closing_plans
from ...structure.helpers import anchored, dom_keeping, line_of, shown
from ...tokens import START_TAG
from ..base import Rule


class MisnestedFormatting(Rule):
    """Formatting elements closed in the wrong order: `<b><i>x</b></i>`.

    ## What it does
    Flags a formatting element (`b`, `i`, `em`, `strong`, `a`, `u`, `font`...) whose
    end tag comes after the end tag of a formatting element that encloses it, and a formatting
    element closed across a block opened inside it (`<b><p>x</b>y</p>`).

    ## Why is this bad?
    Browsers resolve it with the "adoption agency": they close the inner element at the outer
    end tag and open a copy of it for whatever comes before its own end tag, or split the outer
    element around the block. The page may look as intended, but the markup does not say what
    the page does, and the next edit breaks it.

    ## Example
    ``html
    <b>bold <i>both</b></i>
    ``

    Use instead:
    ``html
    <b>bold <i>both</i></b>
    ``

    ## Fix safety
    When nothing stands between the two end tags, they are swapped; otherwise the inner element
    is closed at the outer end tag and re-opened after it
    (`<b>bold <i>both</i></b><i> italic</i>`), exactly as browsers build it. Both keep the
    page as it is: safe, and the fixer checks that the html5lib DOM is unchanged. Misnesting
    across a block has no fix.
    """

    code = "ST003"
    name = "misnested-formatting"
    fix_availability = FixAvailability.SOMETIMES
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        stream = doc.tokens
        model = tree_model(doc)
        for plan in closing_plans(doc):
            if plan.rule != self.code:
                continue
            (source, name), = plan.sources
            at = plan.closure.at
            outer = shown(stream, at)
            if plan.how == "reorder":
                message = f"`<{name}>` is closed after `{outer}` (line {line_of(doc, stream.starts[at])}) that encloses it: the end tags are in the wrong order"
                fix = dom_keeping(self, model, f"close `<{name}>` before `{outer}`", *plan.edits)
            else:
                message = (f"`<{name}>` overlaps `{outer}` (line {line_of(doc, stream.starts[at])}): browsers close it "
                           f"there and open a new `<{name}>` for the text after it")
                fix = dom_keeping(self, model, f"close `<{name}>` before `{outer}` and re-open it after, as browsers do",
                                  *plan.edits)
            yield anchored(self.report(stream.starts[source], stream.starts[source + 1], message, fix), at)
        for end_tag, source, block in model.split_formatting:
            if source < 0:
                continue
            name = stream.names[source]
            block_name = stream.names[block] if block >= 0 else "block"
            line = line_of(doc, stream.starts[source])
            if stream.kinds[end_tag] is START_TAG:  # a new <a> (or <nobr>) while one is open
                message = (f"`{shown(stream, end_tag)}` starts a new `<{name}>` while the one on line {line} is "
                           f"still open around a `<{block_name}>`: browsers split the old one around the block")
            else:
                message = (f"`{shown(stream, end_tag)}` closes `<{name}>` (line {line}) inside the "
                           f"`<{block_name}>` opened within it: browsers split `<{name}>` around the block")
            yield anchored(self.report(stream.starts[end_tag], stream.starts[end_tag + 1], message), end_tag)
