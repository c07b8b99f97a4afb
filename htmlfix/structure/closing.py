"""Where to close what: fix plans for elements browsers close implicitly (ST002, ST003).

Every closure the tree model records (elements a later tag or the end of input closes with a
parse error) becomes one plan: which start tags to report, the end tags to insert where the
browser closes them, and whether that keeps the DOM. A formatting element (``<b>``, ``<a>``...)
that browsers keep "active" needs care:

* if its own end tag comes later and finds it already closed, moving that end tag to the closing
  point keeps the DOM (``<b><i>x</b></i>`` -> ``<b><i>x</i></b>``);
* if browsers re-open it for later content and the author's own end tag closes that re-opened
  copy cleanly, closing it at the boundary and re-opening it explicitly keeps the DOM
  (``<p><b>x</p><p>y</b></p>`` -> ``<p><b>x</b></p><p><b>y</b></p>``);
* if browsers re-open it and nothing closes it, closing it changes what later text looks like,
  so the fix is unsafe and says so.

Closures caused by a formatting end tag whose inner formatting elements have such a later end
tag are misnesting (ST003); everything else is an unclosed element (ST002).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Document
from ..model import Edit
from ..tokens import CHARREF, DROPPED, START_TAG, TEXT, UNTERMINATED
from . import tree_model
from .helpers import closers, display_name, reportable, start_tag_text
from .treemodel import FORMATTING, Closure, TreeModel

__all__ = ["ClosePlan", "closing_plans"]

_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_ACTS_BEFORE_REOPENING = frozenset("a nobr button option optgroup select".split())
_TABLE_STRUCTURE = frozenset("table tbody thead tfoot tr td th caption colgroup".split())


@dataclass
class ClosePlan:
    """One fix for one closure (ST002) or one misnested element (ST003)."""

    rule: str
    closure: Closure
    #: (start tag token, element name) reported by this plan
    sources: list[tuple[int, str]]
    edits: list[Edit] = field(default_factory=list)
    safe: bool = True
    #: how the fix works: "insert", "rename" (a heading end tag), "reorder", "reopen"
    how: str = "insert"
    #: token where browsers re-open a formatting element (unsafe plans), else -1
    reopened_at: int = -1
    #: the formatting elements concerned, for messages
    formatting: list[str] = field(default_factory=list)
    #: why an unsafe plan is unsafe: "reopened", "kept-open", "in-table"
    reason: str = ""


def closing_plans(doc: Document) -> list[ClosePlan]:
    """Plans for every closure in ``doc`` (computed once per document)."""
    return doc.memo(_plans)


def _plans(doc: Document) -> list[ClosePlan]:
    model = tree_model(doc)
    if not model.closures:
        return []
    planner = _Planner(doc, model)
    return planner.run()


def _merged(closures: list[Closure]) -> list[Closure]:
    """One closure per closing token: a ``<table>`` inside a ``<select>`` in SVG closes the
    select and then the SVG elements, and the end tags must go in that order."""
    result: list[Closure] = []
    for closure in closures:
        previous = result[-1] if result else None
        if previous is not None and previous.at == closure.at and previous.pops and closure.pops:
            result[-1] = Closure(previous.at, previous.cause, previous.elements + closure.elements,
                                 closure.target, True, previous.in_table or closure.in_table,
                                 previous.neutral and closure.neutral)
        else:
            result.append(closure)
    return result


class _Planner:
    def __init__(self, doc: Document, model: TreeModel) -> None:
        self.doc = doc
        self.model = model
        self.stream = doc.tokens
        self.n = len(self.stream)
        self.events = model.formatting_events
        self.reopen_counts: dict[int, int] = {}
        for source_events in self.events.values():
            for token, event in source_events:
                if event == "reopened":
                    self.reopen_counts[token] = self.reopen_counts.get(token, 0) + 1
        self.seen: set[int] = set()
        # after <plaintext> browsers read everything as text; htmlfix's tokenizer may disagree
        # about where it applies (inside SVG), so no end tags are added at the end then
        plaintext = "plaintext" in self.stream.names
        # text added at the end would land inside a comment, CDATA section or raw text that
        # runs to the end of the input (a cut-off tag is fine: end tags go before it)
        last_open = self.n > 0 and self.stream.flags[-1] & UNTERMINATED and self.stream.kinds[-1] is not DROPPED
        self.can_append = not (plaintext or last_open or model.unterminated_raw >= 0)
        # elements whose own end tag is there but blocked (ST001 swaps it into place)
        self.blocked = {stray.opened for stray in model.strays if stray.kind == "blocked" and stray.opened >= 0}
        # elements a self-closed tag opened (<div/>): ST004 writes them as the author meant
        self.blocked.update(start for start, close in model.self_closed if close != start)

    def offset(self, token: int) -> int:
        """Where to insert before ``token``; at the end of input, before a cut-off tag."""
        if token < self.n:
            return self.stream.starts[token]
        if self.n and self.stream.kinds[-1] is DROPPED:
            return self.stream.starts[self.n - 1]  # browsers drop the cut-off tag anyway
        return len(self.doc.text)

    def after(self, source: int, token: int) -> list[tuple[int, str]]:
        """What happens to formatting element ``source`` after ``token``."""
        # ">=": a start tag that closes an element can re-open it at once (<a> in <a><b>)
        return [(t, event) for t, event in self.events.get(source, ()) if t >= token]

    def later(self, source: int, token: int) -> tuple[str, int, int]:
        """("removed", end tag, -1), ("reopen", end tag, reopen token), ("reopened", -1, token)
        or ("", -1, -1): how the author's own end tag relates to the element closed at
        ``token``."""
        following = self.after(source, token)
        if not following:
            return "", -1, -1
        first_token, first = following[0]
        if first == "removed":
            return "removed", first_token, -1
        if first == "reopened":
            if (
                first_token > token
                and self.reopens_first(first_token)
                and len(following) > 1
                and following[1][1] == "ended"
                and self.reopen_counts.get(first_token) == 1
            ):
                return "reopen", following[1][0], first_token
            return "reopened", -1, first_token
        return "", -1, -1

    def reopens_first(self, token: int) -> bool:
        """Whether browsers re-open formatting at ``token`` before doing anything else with it
        (text, most start tags), so that a start tag written just before it does the same. An
        ``<a>`` runs the adoption agency first, ``<button>``, ``<nobr>``, ``<option>`` close
        things first: not those."""
        if token >= self.n:
            return False
        kind = self.stream.kinds[token]
        if kind is TEXT or kind is CHARREF:
            return True
        return kind is START_TAG and self.stream.names[token] not in _ACTS_BEFORE_REOPENING

    def run(self) -> list[ClosePlan]:
        plans: list[ClosePlan] = []
        for closure in _merged(self.model.closures):
            plans.extend(self.plan(closure))
        return plans

    def plan(self, closure: Closure) -> list[ClosePlan]:
        at = closure.at
        elements = closure.elements
        result: list[ClosePlan] = []
        misnested: set[int] = set()
        if closure.cause == "aaa":
            for source, name, active in elements:
                if not active or source < 0 or source in self.seen:
                    continue
                how, end_tag, reopen = self.later(source, at)
                if how in ("removed", "reopen"):
                    result.append(self.misnest_plan(closure, source, name, how, end_tag, reopen))
                    misnested.add(source)
                    self.seen.add(source)
        reported = [
            (k, source, name)
            for k, (source, name, _) in enumerate(elements)
            if source >= 0 and source not in self.seen and source not in misnested and source not in self.blocked
            and reportable(name)
        ]
        if not reported or (closure.cause == "eof" and not self.can_append):
            # (an unclosed script or textarea swallows the end of the input: end tags written
            # there would be its text; ST002 reports that element instead)
            return result
        for _, source, _ in reported:
            self.seen.add(source)
        deepest = max(k for k, _, _ in reported)
        plan = ClosePlan("ST002", closure, [(source, display_name(name)) for _, source, name in reported])
        self.unclosed_edits(plan, elements[: deepest + 1])
        result.append(plan)
        return result

    def misnest_plan(
        self, closure: Closure, source: int, name: str, how: str, end_tag: int, reopen: int
    ) -> ClosePlan:
        stream = self.stream
        html = display_name(name)
        plan = ClosePlan("ST003", closure, [(source, html)], how="reorder" if how == "removed" else "reopen")
        at = self.offset(closure.at)
        if how == "removed":
            # move the author's own end tag to where the element is closed
            plan.edits = [
                Edit.insert(at, stream.src(end_tag)),
                Edit.delete(stream.starts[end_tag], stream.starts[end_tag + 1]),
            ]
        else:
            plan.edits = [
                Edit.insert(at, f"</{html}>"),
                Edit.insert(self.offset(reopen), start_tag_text(stream, source)),
            ]
        plan.formatting = [html]
        return plan

    def unclosed_edits(self, plan: ClosePlan, elements: list[tuple[int, str, bool]]) -> None:
        closure = plan.closure
        stream = self.stream
        at = closure.at
        names = [name for _, name, _ in elements]
        if any(display_name(name) in FORMATTING and not active for _, name, active in elements):
            # a formatting element browsers no longer track (a fourth identical <font>): its
            # own end tag would close an outer one too, so no end tags can be written for it
            plan.edits = []
            plan.safe = False
            return
        safe = closure.pops and closure.cause not in ("body", "form")
        if not safe:
            plan.reason = "kept-open"
        if not closure.neutral:
            safe = False
            plan.reason = "changes-closer"
        if any(display_name(name) == "form" for name in names):
            # </form> closes only the form the parser points at, which may no longer be this
            # one (an earlier stray </form> reset it): nothing guarantees the DOM stays
            safe = False
            plan.reason = "kept-open"
        if closure.in_table and any(display_name(name) not in _TABLE_STRUCTURE for name in names):
            # content browsers moved out of a table: its end tags, written where the table is
            # being read, would be misplaced too (the DOM stays, but new parse errors appear)
            safe = False
            plan.reason = "in-table"
        edits: list[Edit] = []
        reopens: list[tuple[int, str]] = []
        for source, name, active in elements:
            if not active or source < 0 or display_name(name) not in FORMATTING:
                continue
            how, end_tag, reopen = self.later(source, at)
            if how == "removed":
                # the author's own end tag comes later, after nothing re-opened it: move it
                edits.append(Edit.delete(stream.starts[end_tag], stream.starts[end_tag + 1]))
            elif how == "reopen":
                reopens.append((reopen, start_tag_text(stream, source)))
                edits.append(Edit.insert(self.offset(reopen), start_tag_text(stream, source)))
            elif how == "reopened":
                safe = False
                plan.reason = "reopened"
                plan.reopened_at = reopen if plan.reopened_at < 0 else min(plan.reopened_at, reopen)
                plan.formatting.append(display_name(name))
        if len({token for token, _ in reopens}) != len(reopens):
            # two elements re-opened at one point: keep it simple and do not claim the DOM
            safe = False
        target = closure.target
        if (
            closure.cause == "end"
            and target in _HEADINGS
            and display_name(elements[-1][1]) in _HEADINGS
            and display_name(elements[-1][1]) != target
        ):
            # <h1>...</h2> closes the innermost open heading, whatever its level: name that
            # heading in the end tag (and close what is open inside it first); left as it
            # was, the end tag would go on to close an outer heading
            heading = display_name(elements[-1][1])
            start, end = stream.starts[at], stream.starts[at + 1]
            plan.edits = [Edit.replace(start, end, f"{closers(names[:-1])}</{heading}>"), *edits]
            plan.how = "rename"
            plan.safe = safe and not reopens
            return
        plan.edits = [Edit.insert(self.offset(at), closers(names)), *edits]
        plan.safe = safe
        if reopens:
            plan.how = "reopen"
