"""ST010: table markup outside tables, and content browsers move out of tables."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure import tree_model
from ...structure.helpers import anchored, dom_keeping, line_of, tag_name_as_written
from ..base import Rule

_TABLE_PARTS = frozenset("td th tr tbody thead tfoot caption colgroup col".split())


class MisplacedTableContent(Rule):
    """Cells and rows outside a table; text and elements directly inside `<table>` or `<tr>`.

    ## What it does
    Flags `<td>`, `<tr>`, `<tbody>`, `<caption>`... (and their end tags) where no table
    can take them, text written directly in a `<table>`, `<tbody>` or `<tr>` (outside any
    cell), and elements written there (`<table><div>`).

    ## Why is this bad?
    Browsers drop cell and row tags that have no table around them, so the cells' contents run
    together as plain text (a flattened table). Text and elements directly inside a table are
    "foster-parented": browsers move them before the table, away from where the author put
    them. html5lib reports no error for moved text; htmlfix does.

    ## Example
    ``html
    <table>Prices<tr><td>Tea</td><td>2 €</td></tr></table>
    ``

    Use instead:
    ``html
    <table><caption>Prices</caption><tr><td>Tea</td><td>2 €</td></tr></table>
    ``

    ## Fix safety
    Table tags outside a table can be deleted without changing the page (browsers drop them),
    but that also deletes the only trace of the table the author meant, so the fix is unsafe.
    Text inside a table is moved to just before the table, where browsers show it: the page
    does not change (the fixer checks), but the source no longer says what the author meant, so
    it is unsafe too. Elements inside a table get no fix.
    """

    code = "ST010"
    name = "misplaced-table-content"
    fix_availability = FixAvailability.SOMETIMES
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        model = tree_model(doc)
        stream = doc.tokens
        for i, reason, noop in model.ignored:
            if reason != "table":
                continue
            start, end = stream.starts[i], stream.starts[i + 1]
            name = tag_name_as_written(stream, i)
            fix = None
            if noop:
                fix = dom_keeping(self, model, "delete it (browsers ignore it; the table it belonged to is not rebuilt)",
                                  Edit.delete(start, end), applicability=Applicability.UNSAFE)
            where = "here" if stream.names[i] == "table" else "outside a table"
            yield anchored(self.report(start, end, f"`<{name}>` {where}: browsers ignore the tag and its content joins the surrounding text", fix), i)
        for stray in model.strays:
            i = stray.index
            if stream.names[i] not in _TABLE_PARTS or stray.in_table:
                continue
            start, end = stream.starts[i], stream.starts[i + 1]
            name = tag_name_as_written(stream, i)
            fix = None
            if stray.noop:
                fix = dom_keeping(self, model, "delete it (browsers ignore it)", Edit.delete(start, end),
                                  applicability=Applicability.UNSAFE)
            yield anchored(self.report(start, end, f"`</{name}>` outside a table: browsers ignore it", fix), i)
        for first, end_token, table, movable in model.foster_text:
            start, end = stream.starts[first], stream.starts[end_token]
            where = f" on line {line_of(doc, stream.starts[table])}" if table >= 0 else ""
            message = f"text directly inside a table{where}: browsers move it out, before the table"
            fix = None
            if movable and table >= 0:
                moved = doc.text[start:end]
                fix = dom_keeping(self, model, "move it before the table, where browsers show it",
                                  Edit.delete(start, end), Edit.insert(stream.starts[table], moved),
                                  applicability=Applicability.UNSAFE)
            yield self.report(*_visible(doc.text, start, end), message, fix)
        for i, table in model.foster_elements:
            name = tag_name_as_written(stream, i)
            where = f" on line {line_of(doc, stream.starts[table])}" if table >= 0 else ""
            yield anchored(self.report(stream.starts[i], stream.starts[i + 1],
                                       f"`<{name}>` directly inside a table{where}: browsers move it out, before the table"), i)


def _visible(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without its surrounding whitespace (the part a reader sees)."""
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return start, end
    left = start + chunk.index(stripped[0])
    return left, left + len(stripped)
