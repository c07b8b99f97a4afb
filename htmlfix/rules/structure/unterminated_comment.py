"""ST012: a comment that never ends and hides the rest of the document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure.helpers import anchored
from ...tokens import COMMENT, UNTERMINATED, tokenize
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
    Gutenberg block comments such as `<!-- /wp:paragraph` on their own line. The comments
    it hides that lost their `-->` too (wptexturize damages every block comment of a post)
    are reported as well, each saying which comment hides it.

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
    there is no fix: where the comment should end is a guess. The fix of a comment that hides
    others repairs them too, in the same pass; a hidden one has no fix of its own.
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
        chain = _repair_chain(text, start)
        first, *hidden = chain
        hidden_lines = text.count("\n", start) + (0 if text.endswith("\n") else 1)
        message = f"comment never ends: browsers hide everything after `<!--` ({hidden_lines} line{'s' if hidden_lines != 1 else ''})"
        fix = None
        if first.edit is not None:
            edits = [link.edit for link in chain if link.edit is not None]
            also = f" (and the {len(edits) - 1} comment(s) it hides)" if len(edits) > 1 else ""
            fix = self.fix(f"{first.repair}{also}", *edits, applicability=Applicability.UNSAFE)
        yield anchored(self.report(start, _report_end(text, start), message, fix), last)
        line = doc.position(start).row
        for link in hidden:
            evidence = f"the fix on line {line} repairs it too" if link.edit else "and nothing shows where it should end"
            yield self.report(
                link.start, _report_end(text, link.start),
                f"comment never ends either, hidden in the comment on line {line}: once that one ends, "
                f"this one hides what follows it ({evidence})",
            )


class _NextMatch:
    """``pattern.search(text, at)`` for increasing ``at``, each part of the text searched once:
    a search that found its match at m answers every later one from before m, and one that
    found none answers all later ones (a chain of comments without a damaged end searched
    to the end of the text once each)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.searched_from = -1
        self.found: re.Match[str] | None = None

    def find(self, text: str, at: int) -> re.Match[str] | None:
        if self.searched_from < 0 or at < self.searched_from or (self.found is not None and self.found.start() < at):
            self.searched_from, self.found = at, self.pattern.search(text, at)
        return self.found


@dataclass(slots=True)
class _Link:
    """A comment of the chain: where it starts, and its repair (None: no evidence)."""

    start: int
    edit: Edit | None
    repair: str = ""


def _repair(text: str, start: int, damaged_after: _NextMatch | None = None) -> _Link:
    """The repair ST012 makes to the comment at ``start``, which has no ``-->``."""
    damaged = (damaged_after or _NextMatch(_DAMAGED_END)).find(text, start + 4)
    if damaged:
        return _Link(start, Edit.replace(damaged.start(), damaged.end(), "-->"), f"repair `{damaged.group()}` into `-->`")
    gutenberg = _GUTENBERG.match(text, start)
    if gutenberg:
        return _Link(start, Edit.insert(gutenberg.end(), " -->"), "end the block comment on its line")
    return _Link(start, None)


def _repair_chain(text: str, start: int) -> list[_Link]:
    """The comment at ``start`` (it has no ``-->``, so none after it has) and the comments
    its text hides, each ended where its repair ends it, until one has no repair.

    Repaired one fix pass at a time, a post whose every comment lost its ``-->`` (wptexturize
    does it to each block comment) needed a pass per comment, more than the fixer allows.
    One tokenization of the text as it reads with the repairs finds them all, in order."""
    chain: list[_Link] = []
    damaged_after = _NextMatch(_DAMAGED_END)

    def end_of(text: str, at: int) -> int:
        link = _repair(text, at, damaged_after)
        chain.append(link)
        if link.edit is None:
            return -1
        return link.edit.end if link.edit.start < link.edit.end else link.edit.start

    tokenize(text, end_comment=end_of)  # comments before ``start`` end: not asked about
    return chain


def _report_end(text: str, start: int) -> int:
    """The end of the comment's first line, at most 200 characters on (and searched no
    further: on one long line, each hidden comment searching to its end was quadratic)."""
    first_line = _FIRST_LINE.match(text, start, start + 202)  # 202: room for a CR LF at 200
    return min(first_line.end() if first_line else len(text), start + 200)
