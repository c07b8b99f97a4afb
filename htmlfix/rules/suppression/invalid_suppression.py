"""HF002: a suppression comment htmlfix cannot read."""

from __future__ import annotations

from collections.abc import Iterable

from ...document import Document, Mode
from ...model import Diagnostic
from ..base import Rule


class InvalidSuppression(Rule):
    """A `<!-- htmlfix: ... -->` comment that is not a valid suppression.

    ## What it does
    Flags a comment starting with `htmlfix:` whose action is not `ignore`, `disable`,
    `enable` or `file-ignore`, that names no code, names something other than a full rule
    code, tries to suppress htmlfix's own `HF` codes, or is never closed.

    ## Why is this bad?
    The comment was meant to suppress something and suppresses nothing, so the problems it was
    written for are still reported (or the author believes they are hidden when they are not).

    ## Example
    ```html
    <!-- htmlfix: ignroe FR001 -->
    <!-- htmlfix: ignore FR -->
    ```

    Use instead:
    ```html
    <!-- htmlfix: ignore FR001 -->
    ```
    """

    code = "HF002"
    name = "invalid-suppression"
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterable[Diagnostic]:
        # Reported with the directives themselves (htmlfix.suppressions.apply_suppressions).
        return ()
