"""Character reference broken by a space (`& nbsp;`, `&amp ;`), shown as text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Diagnostic, Edit, FixAvailability
from ...tokens import CHARREF, TEXT, decode_charref
from ..base import Rule
from ..encoding._context import find_matches

#: Names a tokenizer or translator splits; none is an everyday English word (unlike
#: `copy`, `not`, `reg`, `part`, which a sentence such as "cut & copy;" would hit).
_NAMES = (
    "nbsp|amp|lt|gt|quot|apos|laquo|raquo|ldquo|rdquo|lsquo|rsquo|bdquo|sbquo|mdash|ndash|hellip|"
    "bull|middot|euro|pound|yen|cent|trade|shy|zwnj|zwj|ensp|emsp|thinsp|deg|frac12|frac14|"
    "frac34|eacute|egrave|agrave|aacute|ccedil|uuml|ouml|auml|szlig|ntilde|oacute|iacute|uacute"
)
_SPACED = re.compile(
    rf"&(?P<gap1>[ \t\u00a0]+)(?P<name>{_NAMES}|#[0-9]{{2,7}}|#[xX][0-9a-fA-F]{{2,6}})(?P<gap2>[ \t\u00a0]*);"
    rf"|&(?P<name2>{_NAMES}|#[0-9]{{2,7}}|#[xX][0-9a-fA-F]{{2,6}})(?P<gap3>[ \t\u00a0]+);"
)


class SpacedEntity(Rule):
    """Character reference broken by a space (`& nbsp;`, `&amp ;`), shown as text.

    ## What it does
    Flags character references that a tokenizer, translator or formatter split with spaces:
    `& nbsp;`, `& amp;`, `& laquo;`, `& #8217;`, `&nbsp ;`. Only names that are not everyday
    words count (`& copy;` in "cut & copy;" is prose), and only in visible text: never in
    `pre`, `code`, `script` or `style`.

    ## Why is this bad?
    `&` followed by a space is a plain ampersand, so readers see `& nbsp;` instead of a space
    or `& laquo;` instead of `«`. `&nbsp ;` renders a no-break space followed by a stray ` ;`
    (a legacy name without its semicolon).

    ## Example
    ```html
    <p>Price:& nbsp;10& nbsp;€ & laquo;net& raquo;</p>
    ```

    Use instead:
    ```html
    <p>Price:&nbsp;10&nbsp;€ &laquo;net&raquo;</p>
    ```

    ## Fix safety
    Safe. In HTML the spaces inside the reference are removed, so the page shows the character
    the reference stands for instead of its spelled-out name; nothing else changes. In text
    mode (a plain-text export, where a reference is never decoded) the broken reference is
    replaced by its character (`& amp;` → `&`, `& nbsp;` → a no-break space).
    """

    code = "FR009"
    name = "spaced-entity"
    fix_availability = FixAvailability.ALWAYS

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if "&" not in text:
            return
        stream = doc.tokens
        # A match holds no `<` or `>`, and outside text mode only matches in text count: skip
        # the scripts, styles and comments (in text mode, nothing is skipped).
        for match in find_matches(_SPACED, doc, "&", skip_code=True):
            start = match.start()
            if doc.mode is not Mode.TEXT:
                index = stream.index_at(start)
                if stream.kinds[index] not in (TEXT, CHARREF) or doc.is_protected(start):
                    continue
            name = match.group("name") or match.group("name2")
            reference = f"&{name};"
            replacement = reference if doc.mode is not Mode.TEXT else decode_charref(reference)
            fix = self.fix(f"Join it into `{reference}`", Edit(start, match.end(), replacement))
            yield self.report(start, match.end(), f"Broken character reference `{match.group()}` is shown as text", fix)
