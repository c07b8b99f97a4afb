"""Tag whose `<` or `</` was lost, leaving a fragment such as `td >` as visible text."""

from __future__ import annotations

from ...model import FixAvailability
from ._debris_rule import DebrisRule


class LostBracketTag(DebrisRule):
    """Tag whose `<` or `</` was lost, leaving a fragment such as `td >` as visible text.

    ## What it does
    Flags tag fragments that lost their opening bracket: `td >`, `tr >`, `th>`, `/ tbody >`,
    `/ ul >`, `table /`, runs such as `th> th> row /> head />`, and an element opener with its
    attributes at the start of a line, `h2 id = “x”>Title`. The evidence must be strong: a known
    element name with only spaces before `>` or `/`, on a line that holds nothing but debris
    (names that are not elements, like `row`, count only beside real ones), or after a `/`
    with the line otherwise empty or next to other debris. `x > y`, `to > 3 people`,
    `Home > News` and `A/B >` are prose and never flagged.

    ## Why is this bad?
    Every browser shows these fragments as text, and no parser reports them: `td >` is valid
    text for html5lib, Tidy and html-validate alike. They are what is left of closing runs such
    as `</td></tr></tbody></table>` after a tokenizer or translator split them, and the table or
    list they belonged to can no longer be rebuilt.

    ## Example
    ```text
    Engagement leading towards meaningful reforms.
    td >
    tr >
    h2 id = “next-steps”>Next steps
    ```

    Use instead:
    ```text
    Engagement leading towards meaningful reforms.
    <h2 id="next-steps">Next steps</h2>
    ```
    (in text mode the last line becomes `Next steps`).

    ## Fix safety
    Safe. A line made only of debris is removed with its line break; a fragment beside text is
    removed with the space it would leave doubled. Every word outside the fragments stays. In
    HTML, an end fragment whose element is open (`/ em >` after `<em>`) is repaired into the end
    tag, and an opener with attributes at the start of a line is rebuilt as the element around
    the rest of the line (`<h2 id="x">Title</h2>`, straight quotes), which is what the markup
    evidently was; in text mode it is removed and the title kept. Active content (`script`,
    `on*` attributes, `javascript:` URLs) is never rebuilt.
    """

    code = "FR002"
    name = "lost-bracket-tag"
    fix_availability = FixAvailability.ALWAYS
