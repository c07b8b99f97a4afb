"""HF001: a suppression comment that suppresses nothing."""

from __future__ import annotations

from collections.abc import Iterable

from ...document import Document, Mode
from ...model import Diagnostic, FixAvailability
from ..base import Rule


class UnusedSuppression(Rule):
    """A `<!-- htmlfix: ... -->` suppression that suppresses nothing.

    ## What it does
    Flags a code in an inline suppression comment (`ignore`, `disable`, `enable` or
    `file-ignore`) that suppressed no problem: the problem it was written for is gone, the code
    names no rule, the rule is not enabled for the file, or an `enable` has no `disable`
    before it.

    ## Why is this bad?
    A stale suppression hides the next real problem at the same place, and it tells readers
    something about the content that is no longer true. The comment itself is invisible in the
    page but is content all the same.

    ## Example
    ```html
    <!-- htmlfix: ignore FR001 -->
    <p>Nothing damaged here.</p>
    ```

    Use instead:
    ```html
    <p>Nothing damaged here.</p>
    ```

    ## Fix safety
    The fix removes the unused codes from the comment, or the whole comment (with its line,
    when it had a line of its own) when none is left. Comments do not render, so the page
    looks the same. It is safe when the codes suppressed nothing or name no rule, and unsafe
    when a code names a rule that is only switched off for this run or file: another
    configuration may still need it.
    """

    code = "HF001"
    name = "unused-suppression"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterable[Diagnostic]:
        # Judging a suppression needs every other rule's findings: the engine reports this
        # rule after the others have run (htmlfix.suppressions.apply_suppressions).
        return ()
