"""Stray `>` or `<` at the edge of a line of text, left from lost tags (`>Text.<`)."""

from __future__ import annotations

from ...model import FixAvailability
from ._debris_rule import DebrisRule


class EdgeBrackets(DebrisRule):
    """Stray `>` or `<` at the edge of a line of text, left from lost tags (`>Text.<`).

    ## What it does
    Flags a `>` that starts a line of text or a `<` that ends one, when other tag debris lies
    within three non-blank lines. `>Strengthening dialogues.<` is what remains of
    `<li>Strengthening dialogues.</li>` after the tag names were lost.

    ## Why is this bad?
    Browsers show the brackets as text around the sentence.

    ## Example
    ```text
    < strong >Trade:< / strong > more commerce.< / li >
    >Strengthening dialogues around regional stability.<
    ```

    Use instead:
    ```text
    Strengthening dialogues around regional stability.
    ```

    ## Fix safety
    Safe. Only the bracket is removed (with the space it would leave at the line's edge); the
    words stay. The element the brackets belonged to is not guessed.
    """

    code = "FR004"
    name = "edge-brackets"
    fix_availability = FixAvailability.ALWAYS
