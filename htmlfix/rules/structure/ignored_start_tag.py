"""ST014: start tags (and doctypes) that browsers ignore where they are."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Diagnostic, Edit, FixAvailability
from ...structure import tree_model
from ...structure.helpers import anchored, dom_keeping, tag_name_as_written
from ...tokens import RAWTEXT
from ..base import Rule

_WHY = {
    "document": "inside the page's body: browsers ignore it",
    "form": "inside another form: browsers ignore it (forms cannot nest)",
    "select": "inside a `<select>`: browsers ignore it",
    "frame": "outside a frameset: browsers ignore it",
    "doctype": "in the middle of the document: browsers ignore it",
}


class IgnoredStartTag(Rule):
    """Start tag browsers ignore where it is: `<body>` inside the body, a form in a form.

    ## What it does
    Flags start tags the parser drops: `<html>`, `<head>` and `<body>` inside the content
    (a whole page pasted into a post), a `<form>` inside a form, tags other than
    `<option>`/`<optgroup>` inside a `<select>`, `<frame>` outside a frameset, and a
    `<!DOCTYPE>` that is not at the start. Table markup outside tables is ST010's.

    ## Why is this bad?
    The tag does nothing, so the markup misleads: the attributes of an ignored `<body
    class="dark">` are merged into the real `<body>` (in a full document) or lost (in a post),
    a nested form's fields belong to the outer form, and a second `<select>` inside a select
    closes the first.

    ## Example
    ``html
    <p>Intro</p>
    <body><p>Pasted page</p></body>
    ``

    Use instead:
    ``html
    <p>Intro</p>
    <p>Pasted page</p>
    ``

    ## Fix safety
    Deleting a tag browsers ignore leaves the page as it is: safe, and the fixer checks that
    the html5lib DOM is unchanged. Tags whose deletion would change the page (a `<body>` or
    `<html>` whose attributes browsers merge into the real one, a `<select>` inside a select,
    which browsers read as `</select>`) get no fix. Nor does an ignored `<style>`, `<title>`
    or `<plaintext>` (in a select, in a frameset) with text after it: browsers read that text
    as markup, htmlfix as the element's content, so it cannot check what deleting the tag
    would reveal.
    """

    code = "ST014"
    name = "ignored-start-tag"
    fix_availability = FixAvailability.SOMETIMES
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        stream = doc.tokens
        model = tree_model(doc)
        for i, reason, noop in model.ignored:
            if reason == "table":
                continue  # ST010
            start, end = stream.starts[i], stream.starts[i + 1]
            if reason == "doctype":
                tag = "<!DOCTYPE>"
            else:
                tag = f"<{tag_name_as_written(stream, i)}>"
            why = _WHY.get(reason, "browsers ignore it here")
            if reason == "select" and stream.names[i] == "select":
                why = "inside a `<select>`: browsers read it as `</select>`"
            if noop and i + 1 < len(stream.kinds) and stream.kinds[i + 1] is RAWTEXT:
                # An ignored <plaintext>, <style> or <title> (in a select, in a frameset):
                # browsers read what follows as markup, htmlfix's tokenizer as the element's
                # text. Deleting the tag would show htmlfix markup it has not checked, which
                # can hide the next such tag, and so on: a fix pass per tag, never converging.
                why += " (no fix: htmlfix reads the text after it as its content; delete it by hand and check again)"
                noop = False
            fix = dom_keeping(self, model, "delete it", Edit.delete(start, end)) if noop else None
            yield anchored(self.report(start, end, f"`{tag}` {why}", fix), i)
