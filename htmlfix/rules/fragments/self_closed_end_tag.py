"""Self-closed tag debris (`< li />`, `/ li />`) where an end tag was meant."""

from __future__ import annotations

from ...model import FixAvailability
from ._debris_rule import DebrisRule


class SelfClosedEndTag(DebrisRule):
    """Self-closed tag debris (`< li />`, `/ li />`) where an end tag was meant.

    ## What it does
    Flags `< li />` (a space after `<`) and `/ li />` (no `<` at all) for known element names.
    Both are visible text; they are mangled end tags (`</li>`), as tokenizers and rewriters
    produce them. `<li/>` without the space is a real tag, handled by the structural rules.
    A void element (`< br />`) is a mangled `<br />`, not an end tag.

    ## Why is this bad?
    Browsers show the debris as text, and the element it was meant to close stays open.

    ## Example
    ```html
    <li>Creating a bilateral commission.< li />
    ```

    Use instead:
    ```html
    <li>Creating a bilateral commission.</li>
    ```

    ## Fix safety
    Safe. In HTML, when the named element is open, the debris is repaired into its end tag
    (`</li>`), which ends the element where the author meant; a void element's debris is
    repaired into the element (`< br />` → `<br />`). Otherwise the debris is removed (a line
    of nothing but debris goes with its line break). Every word stays.
    """

    code = "FR006"
    name = "self-closed-end-tag"
    fix_availability = FixAvailability.ALWAYS
