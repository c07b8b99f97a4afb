"""Table flattened into one short line per cell next to table debris (report only)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ...debris import scan_debris
from ...document import Document
from ...model import Diagnostic
from ..base import Rule

_TABLE_NAMES = frozenset({"table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"})
_WORD = re.compile(r"\w+")


class FlattenedTable(Rule):
    """Table flattened into one short line per cell next to table debris (report only).

    ## What it does
    Reports a run of short, cell-like lines (by default at least 4, each of at most 12 words)
    that ends or starts within three lines of table debris such as `td >` or `table >`: the
    cells of a table whose structure was lost, one per line. Opt-in: select it with
    `--select FR008` (it has no fix, so a fully fixed file still exits 0 by default).

    Options: `min-lines` (default 4), `max-words` (default 12).

    ## Why is this bad?
    Readers see a column of fragments (`Aim`, `Pursued Outcome`, `Enhance Trade
    Relationships`, …) instead of a table. The rows and columns cannot be rebuilt reliably, so
    an editor has to restore the table by hand.

    ## Example
    ```text
    Aim
    Pursued Outcome
    Enhance Trade Relationships
    Aiming for a 20% increase in bilateral trade over two years.
    td >
    table >
    ```

    Use instead: rebuild the table by hand from its source.
    """

    code = "FR008"
    name = "flattened-table"
    default_enabled = False
    options = {"min-lines": 4, "max-words": 12}

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        scan = doc.memo(scan_debris)
        rows = sorted({p.row for p in scan.pieces if p.element in _TABLE_NAMES})
        if not rows:
            return
        min_lines = int(self.option(doc, "min-lines"))
        max_words = int(self.option(doc, "max-words"))
        debris_rows = {p.row for p in scan.pieces}
        reported: set[tuple[int, int]] = set()
        lines = doc.lines
        text = doc.text
        starts = lines.line_starts()

        def line(row: int) -> str:
            end = starts[row + 1] if row + 1 < len(starts) else len(text)
            return text[starts[row] : end].rstrip("\r\n")

        def is_cell(row: int) -> bool:
            content = line(row).strip()
            words = _WORD.findall(content)
            return bool(words) and len(words) <= max_words and "<" not in content.replace("< ", "")

        for anchor in rows:
            for step in (-1, 1):
                run = self._run(anchor, step, len(starts), is_cell, debris_rows, line)
                if run is None:
                    continue
                first, last = run
                cells = sum(1 for r in range(first, last + 1) if r not in debris_rows)
                if cells >= min_lines and (first, last) not in reported:
                    reported.add((first, last))
                    end = starts[last] + len(line(last))
                    yield self.report(
                        starts[first], end,
                        f"{cells} short lines look like the cells of a flattened table",
                    )

    @staticmethod
    def _run(
        anchor: int,
        step: int,
        count: int,
        is_cell: Callable[[int], bool],
        debris_rows: set[int],
        line: Callable[[int], str],
    ) -> tuple[int, int] | None:
        """The first and last row of the cell-like lines next to the debris at ``anchor``,
        walking in ``step`` direction past blank lines and other debris (at most three)."""
        row = anchor + step
        gap = 0
        while 0 <= row < count and (row in debris_rows or not line(row).strip()):
            row += step
            gap += 1
            if gap > 3:
                return None
        rows = []
        while 0 <= row < count and (row in debris_rows or is_cell(row)):
            rows.append(row)
            row += step
        cells = [r for r in rows if r not in debris_rows]
        if not cells:
            return None
        return (min(cells), max(cells))
