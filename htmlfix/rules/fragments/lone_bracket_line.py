"""Line holding only a `<`, `>` or `/` left from a tag split across lines."""

from __future__ import annotations

from ...model import FixAvailability
from ._debris_rule import DebrisRule


class LoneBracketLine(DebrisRule):
    """Line holding only a `<`, `>` or `/` left from a tag split across lines.

    ## What it does
    Flags a line that holds nothing but `<`, `>` or `/`, when other tag debris lies within
    three non-blank lines (a quoted e-mail's bare `>` line or a lone `/` in a poem are left
    alone without that evidence).

    ## Why is this bad?
    The bracket is what remains of a tag that a converter spread over several lines (`<`, `/`,
    `table /` for `</table>`). Browsers show it as a stray character on a line of its own.

    ## Example
    ```text
    Targeting $500 million from American investors.
    <
    Advance Human Rights Dialogue
    td >
    ```

    Use instead:
    ```text
    Targeting $500 million from American investors.
    Advance Human Rights Dialogue
    ```

    ## Fix safety
    Safe. The line is removed with its line break; it holds no word.
    """

    code = "FR003"
    name = "lone-bracket-line"
    fix_availability = FixAvailability.ALWAYS
