"""OF002: Word's ``mso-*`` declarations in style attributes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Diagnostic, Edit, FixAvailability
from ...tokens import Attribute
from ..base import Rule
from ..encoding._context import occurs_outside_code, place_of
from ._word import Declaration, declarations, remove_attribute

__all__ = ["MsoStyle"]

_FINDER = re.compile(r"mso-[a-z]")


class MsoStyle(Rule):
    """Word's `mso-*` declarations in a `style` attribute.

    ## What it does
    Finds `style` attributes carrying Microsoft Office's private CSS properties
    (`mso-spacerun:yes`, `mso-bidi-font-weight:bold`, `mso-list:l0 level1 lfo1`, ...), left
    by pasting from Word into a CMS editor. Other declarations in the attribute are kept.
    `mso-` declarations in `<style>` elements are not checked. HTML and Markdown only.

    ## Why is this bad?
    They mean nothing to browsers and bloat every paragraph; they mark content that still
    carries Word's formatting, which editors and migrations then carry on forever.

    ## Example
    ```html
    <p style="margin-bottom:0in;mso-add-space:auto;line-height:normal">Text</p>
    <span style="mso-spacerun:yes">&nbsp; </span>
    ```

    Use instead:
    ```html
    <p style="margin-bottom:0in;line-height:normal">Text</p>
    <span>&nbsp; </span>
    ```

    ## Fix safety
    The fix is safe and changes nothing on the page: browsers drop declarations whose
    property they do not know, and no browser knows `mso-*`. The declarations are split
    where a CSS parser splits them (at `;` outside strings and parentheses), so the others
    are kept exactly as written; when nothing else is left, the `style` attribute goes.
    """

    code = "OF002"
    name = "mso-style"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        # Word writes them in lower case. Reports are on style attributes, so a match (which
        # starts with "mso-") in a script, style or comment is never one: look outside them.
        if not occurs_outside_code(doc, "mso-"):
            return
        text = doc.text
        done: set[int] = set()
        for match in _FINDER.finditer(text):
            place = place_of(doc, match.start())
            if place is None or place.attribute is None or place.attribute.name != "style":
                continue
            if place.start in done:
                continue
            done.add(place.start)
            diagnostic = self._check_style(text, place.attribute)
            if diagnostic is not None:
                yield diagnostic

    def _check_style(self, text: str, attribute: Attribute) -> Diagnostic | None:
        parts = declarations(text, attribute)
        office = [d for d in parts if d.property.startswith("mso-")]
        if not office:
            return None
        names = ", ".join(f"`{d.property}`" for d in office[:3]) + (", ..." if len(office) > 3 else "")
        message = f"Word `mso-` style declarations: {names}"
        if len(office) == len(parts):
            edits = [remove_attribute(text, attribute)]
        else:
            edits = _removals(text, parts)
        fix = self.fix("Remove the `mso-` declarations", *edits)
        return self.report(office[0].start, office[-1].end, message, fix)


def _removals(text: str, parts: list[Declaration]) -> list[Edit]:
    """Deletions of the `mso-` declarations, each with the whitespace after it; a last
    declaration without `;` takes the `;` before it, so no dangling separator is left."""
    edits: list[Edit] = []
    for index, part in enumerate(parts):
        if not part.property.startswith("mso-"):
            continue
        start, end = part.start, part.end
        while start < end and text[start] in " \t\n\r\f":
            start += 1
        last = index == len(parts) - 1
        if not part.terminated and index and not parts[index - 1].property.startswith("mso-"):
            start = parts[index - 1].end - 1  # the previous declaration's ";"
        elif last and index:
            start = parts[index - 1].end  # with the whitespace before it
        elif part.terminated:
            while end < len(text) and text[end] in " \t\n\r\f" and end < _value_end(parts):
                end += 1
        if edits and edits[-1].end >= start:
            edits[-1] = Edit(edits[-1].start, max(end, edits[-1].end), "")
        else:
            edits.append(Edit(start, end, ""))
    return edits


def _value_end(parts: list[Declaration]) -> int:
    return parts[-1].end
