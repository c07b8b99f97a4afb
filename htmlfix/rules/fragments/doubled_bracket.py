"""Doubled `>` after tag debris (`< strong >>`)."""

from __future__ import annotations

from ...model import FixAvailability
from ._debris_rule import DebrisRule


class DoubledBracket(DebrisRule):
    """Doubled `>` after tag debris (`< strong >>`).

    ## What it does
    Flags a second `>` directly after a spaced tag that is itself debris, as in
    `< strong >>Creating a commission`.

    ## Why is this bad?
    Browsers show the extra `>` before the first word. It comes from a tag whose name or
    attributes were lost between two brackets.

    ## Example
    ```text
    < strong >>Creating a bilateral commission.
    ```

    Use instead:
    ```text
    Creating a bilateral commission.
    ```
    (with the spaced tag handled by FR001).

    ## Fix safety
    Safe. Only the extra `>` is removed.
    """

    code = "FR005"
    name = "doubled-bracket"
    fix_availability = FixAvailability.ALWAYS
