"""ST012: a comment that never ends and hides the rest of the document."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure.helpers import anchored
from ...tokens import COMMENT, UNTERMINATED
from ..base import Rule

# What "-->" turns into on its way through typographers and editors: en/em dashes
# (wptexturize turns "--" into an en dash), spaces, an escaped ">".
_DAMAGED_END = re.compile(r"(?:–|—|-\s+-|-)\s*(?:>|&gt;)|--\s+>|--&gt;")
_FIRST_LINE = re.compile(r"<!--[^\n]*?(?=\r?\n)")
_GUTENBERG = re.compile(r"<!--\s*/?wp:[a-z][a-z0-9/-]*(?:\s+\{[^\n]*\})?\s*/?\s*(?=\r?\n)")


class UnterminatedComment(Rule):
    """Comment that never ends (`<!--` with no `-->`).

    ## What it does
    Flags a comment that runs to the end of the document because its `-->` is missing or was
    damaged (a typographer's `–>` or `—>`, `-- >`, an escaped `--&gt;`), and half-stripped
    Gutenberg block comments such as `<!-- /wp:paragraph` on their own line.

    ## Why is this bad?
    Browsers treat everything after `<!--` as part of the comment: the rest of the post, or of
    the page, disappears without a trace.

    ## Example
    ``html
    <!-- promo block –>
    <p>The article text…</p>
    ``

    Use instead:
    ``html
    <!-- promo block -->
    <p>The article text…</p>
    ``

    ## Fix safety
    When the comment contains a damaged `-->`, the fix repairs it; when it is a Gutenberg block
    comment alone on its line, the fix ends it on that line. Either way the hidden content
    becomes visible again, which changes the page (as intended): unsafe. Without such evidence
    there is no fix: where the comment should end is a guess.
    """

    code = "ST012"
    name = "unterminated-comment"
    fix_availability = FixAvailability.SOMETIMES
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        stream = doc.tokens
        if not len(stream):
            return
        last = len(stream) - 1
        if stream.kinds[last] is not COMMENT or not stream.flags[last] & UNTERMINATED:
            return
        text = doc.text
        start = stream.starts[last]
        hidden = text.count("\n", start) + (0 if text.endswith("\n") else 1)
        message = f"comment never ends: browsers hide everything after `<!--` ({hidden} line{'s' if hidden != 1 else ''})"
        opening = start + 4
        fix = None
        damaged = _DAMAGED_END.search(text, opening)
        gutenberg = _GUTENBERG.match(text, start)
        if damaged:
            fix = self.fix(f"repair `{damaged.group()}` into `-->`", Edit.replace(damaged.start(), damaged.end(), "-->"),
                           applicability=Applicability.UNSAFE)
        elif gutenberg:
            end = gutenberg.end()
            fix = self.fix("end the block comment on its line", Edit.insert(end, " -->"),
                           applicability=Applicability.UNSAFE)
        first_line = _FIRST_LINE.match(text, start)
        report_end = first_line.end() if first_line else len(text)
        yield anchored(self.report(start, min(report_end, start + 200), message, fix), last)
