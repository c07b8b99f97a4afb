"""ST009: list items with no list around them."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure import tree_model
from ...tokens import END_TAG, START_TAG, TEXT, TokenStream
from ..base import Rule


class OrphanListItem(Rule):
    """`<li>` outside any `<ul>`, `<ol>` or `<menu>`.

    ## What it does
    Flags list items that no list encloses. A fragment made only of list items (the inside of a
    list kept in a template) is left alone.

    ## Why is this bad?
    Browsers keep the `<li>` and show it as a list item, but without the list's indentation
    its bullet hangs outside the text, screen readers announce no list, and a list's styling does
    not apply. Usually the `<ul>` was lost in an export or a copy.

    ## Example
    ``html
    <p>Ingredients:</p>
    <li>Flour</li>
    <li>Water</li>
    ``

    Use instead:
    ``html
    <p>Ingredients:</p>
    <ul><li>Flour</li>
    <li>Water</li></ul>
    ``

    ## Fix safety
    The fix wraps each run of neighbouring orphan items in `<ul>…</ul>`. That changes the
    page (indentation, spacing, how the items are announced), so it is unsafe; whether the list
    should be numbered (`<ol>`) is for the author to say.
    """

    code = "ST009"
    name = "orphan-list-item"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        model = tree_model(doc)
        items = model.orphan_items
        if not items:
            return
        stream = doc.tokens
        if model.fragment and all(depth == 1 for _, _, depth in items) and _only_items(stream):
            return  # the fragment is the inside of a list
        for run in _runs(stream, items):
            first, last = run[0], run[-1]
            start = stream.starts[first[0]]
            close = last[1]
            if close < len(stream) and stream.kinds[close] is END_TAG and stream.names[close] == "li":
                end = stream.starts[close + 1]
            else:
                end = len(doc.text) if close >= len(stream) else stream.starts[close]
            fix = self.fix("wrap the list items in `<ul>…</ul>`", Edit.insert(start, "<ul>"), Edit.insert(end, "</ul>"),
                           applicability=Applicability.UNSAFE)
            for item, _, _ in run:
                yield self.report(stream.starts[item], stream.starts[item + 1],
                                  "`<li>` outside a list: browsers show it as a stray list item, with no list around it",
                                  fix)


def _runs(stream: TokenStream, items: list[list[int]]) -> list[list[list[int]]]:
    """Orphan items that follow one another (only whitespace between) form one run."""
    runs: list[list[list[int]]] = []
    for item in items:
        if runs and runs[-1][-1][1] < item[0]:
            previous = runs[-1][-1]
            gap_start = previous[1] + 1 if stream.kinds[previous[1]] is END_TAG else previous[1]
            if previous[2] == item[2] and all(
                stream.kinds[k] is TEXT and not stream.src(k).strip() for k in range(gap_start, item[0])
            ):
                runs[-1].append(item)
                continue
        runs.append([item])
    return runs


def _only_items(stream: TokenStream) -> bool:
    """Whether the top level of a fragment holds nothing but list items (and whitespace)."""
    depth = 0  # list items open (items closed implicitly keep it high: that only errs towards silence)
    for i, kind in enumerate(stream.kinds):
        if kind is START_TAG:
            if stream.names[i] == "li":
                depth += 1
            elif depth == 0:
                return False
        elif kind is END_TAG and stream.names[i] == "li" and depth:
            depth -= 1
        elif kind is TEXT and depth == 0 and stream.src(i).strip():
            return False
    return True
