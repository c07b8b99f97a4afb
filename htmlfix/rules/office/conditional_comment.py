"""OF004: Word's conditional comments (``<!--[if gte mso 9]>…<![endif]-->``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Diagnostic, Edit, FixAvailability
from ...tokens import BOGUS_COMMENT, COMMENT
from ..base import Rule
from ._word import has_word_markup

__all__ = ["OfficeConditionalComment"]

_FINDER = re.compile(r"<!(?:--)?\[(if\b[^\]]{0,200}|endif)\]", re.IGNORECASE)
_WORD_CONDITION = re.compile(r"\b(?:mso|vml)\b|!?support[A-Z]", re.IGNORECASE)


class OfficeConditionalComment(Rule):
    """Word's conditional comments: `<!--[if gte mso 9]>…<![endif]-->`, `<!--[if !supportLists]-->`.

    ## What it does
    Finds the conditional comments Word writes: whole blocks such as
    `<!--[if gte mso 9]><xml><w:WordDocument>…</xml><![endif]-->` (document settings,
    styles, VML), and the markers around its fake list bullets,
    `<!--[if !supportLists]-->` … `<!--[endif]-->` (also in the `<![if !supportLists]>`
    form). A condition counts as Word's when it names `mso`, `vml` or a `support…` feature;
    an `[endif]` on its own only in a document with other Word fingerprints. Internet
    Explorer's own conditional comments (`<!--[if lt IE 9]>`) are left alone. HTML and
    Markdown only.

    ## Why is this bad?
    They are invisible, but they can be kilobytes of XML per paste, and a sanitizer that
    strips the comment delimiters but keeps their text shows readers
    `Normal 0 false false false EN-US` (see OF005).

    ## Example
    ```html
    <!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
    <p><!--[if !supportLists]-->·&nbsp;<!--[endif]-->First item</p>
    ```

    Use instead:
    ```html
    <p>·&nbsp;First item</p>
    ```

    ## Fix safety
    The fix is safe and changes nothing on the page: it deletes the comment, and comments
    are never rendered. For the `supportLists` markers, only the markers go; the text
    between them (the fake bullet, which browsers show today) stays.
    """

    code = "OF004"
    name = "office-conditional-comment"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        # The `[if` test is part of what the rule reports (a Word `[endif]` never comes
        # without its `[if`); the comment tokens answer first, and without a scan of the text.
        if not self._may_report(doc) or "[if" not in text:
            return
        stream = doc.tokens
        for match in _FINDER.finditer(text):
            i = stream.index_at(match.start())
            kind = stream.kinds[i]
            if stream.starts[i] != match.start() or (kind is not COMMENT and kind is not BOGUS_COMMENT):
                continue
            condition = match.group(1)
            if condition.lower() == "endif":
                if not has_word_markup(doc):
                    continue
            elif not _WORD_CONDITION.search(condition):
                continue
            start, end = stream.starts[i], stream.starts[i + 1]
            shown = f"[{condition.strip()}]"
            fix = self.fix("Remove the comment", Edit(start, end, ""))
            yield self.report(start, end, f"Word conditional comment `{shown}`", fix)

    @staticmethod
    def _may_report(doc: Document) -> bool:
        """Whether some comment token starts with a conditional that would be reported.

        Each report is a match of `_FINDER` at the start of a comment token, and the match
        found there is the one `_FINDER.match` finds; so when no comment passes these tests,
        the scan of the whole text below finds nothing. The comments are few and found in
        the token kinds, not the text.
        """
        stream, text = doc.tokens, doc.text
        for kind in (COMMENT, BOGUS_COMMENT):
            for i in stream.indexes(kind):
                match = _FINDER.match(text, stream.starts[i])
                if match is None:
                    continue
                condition = match.group(1)
                if condition.lower() == "endif" or _WORD_CONDITION.search(condition):
                    return True
        return False
