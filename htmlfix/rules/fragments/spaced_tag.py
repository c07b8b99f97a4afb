"""Tag written with spaces inside its delimiters, so browsers show it as text or hide it."""

from __future__ import annotations

from ...model import FixAvailability
from ._debris_rule import DebrisRule


class SpacedTag(DebrisRule):
    """Tag written with spaces inside its delimiters, so browsers show it as text or hide it.

    ## What it does
    Flags tags that machine translation, NLP tokenizers or rewriters broke by inserting spaces
    after `<` or around `/`: `< strong >`, `< / li >`, `< /em>`, and in HTML `</ li>` or
    `</  li>`. Only known HTML element names count; a single letter (`< b >`) needs its
    partner (`< / b >`), so `a < b > c` stays arithmetic. Text inside `pre`, `code`, `kbd`,
    `samp`, `script`, `style` and `textarea` is never flagged, and `</strong >` (a space before
    `>`) is valid HTML and not flagged.

    ## Why is this bad?
    By the WHATWG tokenizer, `<` followed by a space is text: `< strong >Trade< / strong >`
    shows the brackets to every reader and the word is not bold. `</` followed by a space starts
    a *bogus comment* that runs to the next `>`: `</ li>` becomes an invisible `<!-- li-->` and
    the element it was meant to close stays open. HTML Tidy and reparsing libraries escape this
    debris into permanent `&lt; strong &gt;`.

    ## Example
    ```html
    <p>< strong >Trade Opportunities:< / strong > more commerce.</p>
    <li><em>Two</ em> new stations</li>
    ```

    Use instead:
    ```html
    <p><strong>Trade Opportunities:</strong> more commerce.</p>
    <li><em>Two</em> new stations</li>
    ```

    ## Fix safety
    Safe. In HTML, a spaced pair of the same element on one line (`< strong >X< / strong >`)
    is repaired into real tags, and a spaced or hidden closer whose element is open (`</ em>`
    after `<em>`) into that end tag: the page then renders the formatting or structure the
    markup evidently had, and every word stays. Any other piece is removed, with the space it
    would leave doubled: the brackets disappear from the page and every word outside them
    stays. In text mode (plain-text exports) every piece is removed. Only allowlisted elements
    and attributes are rebuilt: never `script`, `style`, `iframe`, `object`, `embed`, `form`,
    `base`, an `on*` attribute or a `javascript:` URL; such debris is removed instead.
    """

    code = "FR001"
    name = "spaced-tag"
    fix_availability = FixAvailability.ALWAYS
