"""OF001: Word's ``Mso*`` class names (``MsoNormal``, ``MsoListParagraphCxSpFirst``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ..base import Rule
from ..encoding._context import occurs_outside_code, place_of
from ._word import remove_attribute, stylesheet_mentions

__all__ = ["MsoClass"]

_FINDER = re.compile(r"Mso[A-Z]")
_MSO_CLASS = re.compile(r"Mso[A-Z][A-Za-z0-9]*")
_CLASS_TOKEN = re.compile(r"[^\t\n\f\r ]+")


class MsoClass(Rule):
    """Word's `Mso*` class names: `class="MsoNormal"`, `MsoListParagraphCxSpFirst`, ...

    ## What it does
    Finds `class` attributes holding the classes Microsoft Word gives every paragraph, list
    item and table it exports (`MsoNormal`, `MsoBodyText`, `MsoListParagraphCxSpMiddle`,
    `MsoTableGrid`, ...), left by pasting from Word into a CMS editor. Other classes in
    the attribute are kept. HTML and Markdown only.

    ## Why is this bad?
    The classes only ever meant something to the stylesheet Word wrote next to them, which
    the paste did not bring along; they mark content as pasted from Word and make editors
    and migrations carry Word's formatting on.

    ## Example
    ```html
    <p class="MsoNormal">Text</p>
    <p class="MsoListParagraphCxSpFirst intro">Item</p>
    ```

    Use instead:
    ```html
    <p>Text</p>
    <p class="intro">Item</p>
    ```

    ## Fix safety
    The fix removes the `Mso*` classes (the whole attribute when nothing else is left). It is
    safe when no `<style>` element of the document mentions `Mso`: then no rule in the page
    targets them, and the page looks the same (a site stylesheet outside the document could
    in principle target `.MsoNormal`; themes do not). When the document has Word's own
    stylesheet (a whole Word HTML file), removing them changes the formatting, and the fix
    is unsafe.
    """

    code = "OF001"
    name = "mso-class"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        # Reports are on class attributes, so a match (which starts with "Mso") in a script,
        # style or comment is never one: look for "Mso" outside them only.
        if not occurs_outside_code(doc, "Mso"):
            return
        text = doc.text
        done: set[int] = set()
        for match in _FINDER.finditer(text):
            place = place_of(doc, match.start())
            attribute = place.attribute if place is not None else None
            if attribute is None or attribute.name != "class" or attribute.value_start in done:
                continue
            done.add(attribute.value_start)
            value = attribute.value or ""
            classes = [(m.start(), m.end()) for m in _CLASS_TOKEN.finditer(value)]
            office = [(s, e) for s, e in classes if _MSO_CLASS.fullmatch(value, s, e)]
            if not office:
                continue
            names = ", ".join(f"`{value[s:e]}`" for s, e in office)
            if len(office) == len(classes):
                edits = [remove_attribute(text, attribute)]
            else:
                kept = " ".join(value[s:e] for s, e in classes if (s, e) not in office)
                edits = [Edit(attribute.value_start, attribute.value_end, kept)]
            applicability = Applicability.UNSAFE if stylesheet_mentions(doc, "Mso") else Applicability.SAFE
            fix = self.fix("Remove the `Mso*` classes", *edits, applicability=applicability)
            base = attribute.value_start
            yield self.report(base + office[0][0], base + office[-1][1], f"Word class {names}", fix)
