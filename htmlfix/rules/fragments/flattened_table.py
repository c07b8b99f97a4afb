"""Table flattened into one short line per cell next to table debris (report only)."""

from __future__ import annotations

import bisect
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
        debris_sorted = sorted(debris_rows)
        reported: set[tuple[int, int]] = set()
        lines = doc.lines
        text = doc.text
        starts = lines.line_starts()
        cell_rows: dict[int, bool] = {}

        def line(row: int) -> str:
            end = starts[row + 1] if row + 1 < len(starts) else len(text)
            return text[starts[row] : end].rstrip("\r\n")

        def is_cell(row: int) -> bool:
            known = cell_rows.get(row)
            if known is None:
                content = line(row).strip()
                words = _WORD.findall(content)
                known = cell_rows[row] = bool(words) and len(words) <= max_words and "<" not in content.replace("< ", "")
            return known

        # Per direction, row -> the furthest cell of its block of cells and debris. Anchors in
        # one block share its walk: walked again from each anchor, a page made of table debris
        # and short lines took quadratic time.
        furthest: dict[int, dict[int, int | None]] = {-1: {}, 1: {}}
        walk = _Walk(len(starts), is_cell, debris_rows, line)
        for anchor in rows:
            for step in (-1, 1):
                run = walk.run(anchor, step, furthest[step])
                if run is None or run in reported:
                    continue
                first, last = run
                debris_inside = bisect.bisect_right(debris_sorted, last) - bisect.bisect_left(debris_sorted, first)
                cells = last - first + 1 - debris_inside
                if cells >= min_lines:
                    reported.add(run)
                    end = starts[last] + len(line(last))
                    yield self.report(
                        starts[first], end,
                        f"{cells} short lines look like the cells of a flattened table",
                    )


class _Walk:
    """Walks from table debris to the cell-like lines next to it."""

    def __init__(self, count: int, is_cell: Callable[[int], bool], debris_rows: set[int],
                 line: Callable[[int], str]) -> None:
        self.count = count
        self.is_cell = is_cell
        self.debris_rows = debris_rows
        self.line = line

    def run(self, anchor: int, step: int, furthest: dict[int, int | None]) -> tuple[int, int] | None:
        """The first and last row of the cell-like lines next to the debris at ``anchor``,
        walking in ``step`` direction past blank lines and other debris (at most three)."""
        count, debris_rows = self.count, self.debris_rows
        row = anchor + step
        gap = 0
        while 0 <= row < count and (row in debris_rows or not self.line(row).strip()):
            row += step
            gap += 1
            if gap > 3:
                return None
        if not 0 <= row < count or not self.is_cell(row):
            return None
        far = self._furthest_cell(row, step, furthest)
        assert far is not None  # ``row`` is a cell
        return (row, far) if step > 0 else (far, row)

    def _furthest_cell(self, row: int, step: int, furthest: dict[int, int | None]) -> int | None:
        """The furthest cell (a row that is not debris) from ``row`` on, in ``step`` direction,
        before a row that is neither debris nor a cell; remembered for every row walked."""
        walked: list[int] = []
        far: int | None = None
        while 0 <= row < self.count:
            if row in furthest:
                far = furthest[row]
                break
            if row not in self.debris_rows and not self.is_cell(row):
                break
            walked.append(row)
            row += step
        for row in reversed(walked):
            if far is None and row not in self.debris_rows:
                far = row
            furthest[row] = far
        return furthest[walked[0]] if walked else far
