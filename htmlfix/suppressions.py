"""Inline suppressions: ``<!-- htmlfix: ... -->`` comments in HTML and Markdown.

* ``<!-- htmlfix: ignore FR001 -->`` on a line of its own suppresses the codes on the next
  line; after other content on a line (or before it), on that line;
* ``<!-- htmlfix: disable FR001 -->`` … ``<!-- htmlfix: enable FR001 -->`` suppress the codes
  in between (to the end of the document when no ``enable`` follows);
* ``<!-- htmlfix: file-ignore FR001 -->`` anywhere suppresses the codes in the whole document
  (in an export: in that post).

Several codes are separated by commas or spaces; a reason may follow `` -- ``. Codes are
full rule codes (``FR001``, not ``FR``). Directives are real comments: the same text inside
``<pre>``, ``<code>`` or Markdown code (fences, indented blocks, spans) is an example.
Suppressed problems are neither reported nor fixed. A code that suppresses nothing (or names
no enabled rule) is reported as HF001, a malformed directive as HF002.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .document import Document, Mode
from .model import Applicability, Diagnostic, Edit, Fix, Span
from .registry import rule_class
from .source import alone_on_line, line_start_behind_blanks
from .tokens import COMMENT, UNTERMINATED

if TYPE_CHECKING:
    from .rules.base import Rule

__all__ = ["Directive", "apply_suppressions", "find_directives"]

UNUSED, INVALID = "HF001", "HF002"
ACTIONS = ("ignore", "disable", "enable", "file-ignore")

_START = re.compile(r"<!--[ \t\r\n\f]*htmlfix[ \t]*:")
_BODY = re.compile(r"<!--[ \t\r\n\f]*htmlfix[ \t]*:[ \t]*(?P<action>[A-Za-z-]*)(?P<rest>.*?)(?:--!?>)?\Z", re.DOTALL)
_CODE = re.compile(r"[A-Z]{2}\d{3}\Z")
_ITEM = re.compile(r"[^\s,]+")
_NEWLINE = re.compile(r"\r\n?|\n")


@dataclass
class Directive:
    """One suppression comment."""

    action: str
    codes: list[str]
    #: The comment's span, and the span of its list of codes (for removing codes).
    span: Span
    codes_span: Span
    #: Where each code is suppressed: [start, end) offsets (ignore: a line; disable: up to
    #: the enable that names the code).
    scopes: dict[str, tuple[int, int]] = field(default_factory=dict)
    problem: str | None = None  # why it is malformed (HF002)
    used: set[str] = field(default_factory=set)
    #: For an ``enable``: the ``disable`` each of its codes closed (an enable that closes
    #: nothing, or closes an unused disable, is unused too).
    closes: dict[str, Directive] = field(default_factory=dict)


def _line_span(doc: Document, row: int) -> tuple[int, int]:
    lines = doc.lines
    if row > lines.line_count:
        return len(doc.text), len(doc.text)
    end = lines.line_start(row + 1) if row < lines.line_count else len(doc.text)
    return lines.line_start(row), end


def _parse(doc: Document, start: int, end: int) -> Directive:
    src = doc.text[start:end]
    match = _BODY.match(src)
    assert match is not None
    action = match.group("action").lower()
    rest = match.group("rest")
    rest_start = start + match.start("rest")
    body, _, _ = rest.partition(" --")
    codes: list[str] = []
    problem = None
    items = list(_ITEM.finditer(body))
    for item in items:
        code = item.group().upper()
        if not _CODE.match(code):
            problem = f"`{item.group()}` is not a rule code (write full codes such as `FR001`)"
        elif code.startswith("HF"):
            problem = f"`{code}` cannot be suppressed inline (use the `ignore` setting or `per-file-ignores`)"
        else:
            codes.append(code)
    if action not in ACTIONS:
        problem = f"unknown action `{match.group('action')}` (use {', '.join(ACTIONS)})"
    elif not items:
        problem = f"`{action}` needs at least one rule code"
    if doc.tokens.flags[doc.tokens.index_at(start)] & UNTERMINATED:
        problem = "the comment is never closed"
    codes_span = Span(rest_start + items[0].start(), rest_start + items[-1].end()) if items else Span(end, end)
    return Directive(action, codes, Span(start, end), codes_span, problem=problem)


def find_directives(doc: Document) -> list[Directive]:
    """The suppression comments of a document, in order, with their scopes resolved."""
    text = doc.text
    if doc.mode is Mode.TEXT:
        return []
    tokens = doc.tokens
    directives: list[Directive] = []
    # A directive starts a real comment (so the comment tokens, a few per page, are looked
    # at instead of the whole text), outside code: in Markdown, code is tokenized as text
    # and protected.
    for index in tokens.indexes(COMMENT):
        start = tokens.starts[index]
        if _START.match(text, start) is None or doc.is_protected(start):
            continue
        directives.append(_parse(doc, start, tokens.starts[index + 1]))
    _resolve_scopes(doc, directives)
    return directives


def _resolve_scopes(doc: Document, directives: list[Directive]) -> None:
    text = doc.text
    open_regions: dict[str, Directive] = {}
    for directive in directives:
        if directive.problem:
            continue
        start, end = directive.span.start, directive.span.end
        if directive.action == "ignore":
            row = doc.position(start).row
            if alone_on_line(text, start, end):
                row = doc.position(end).row + 1
            scope = _line_span(doc, row)
            directive.scopes = {code: scope for code in directive.codes}
        elif directive.action == "file-ignore":
            directive.scopes = {code: (0, len(text)) for code in directive.codes}
        elif directive.action == "disable":
            for code in directive.codes:
                if code in open_regions:
                    continue  # already disabled: this one suppresses nothing
                directive.scopes[code] = (end, len(text))
                open_regions[code] = directive
        else:  # enable
            for code in directive.codes:
                opened = open_regions.pop(code, None)
                if opened is not None:
                    directive.closes[code] = opened
                    opened.scopes[code] = (opened.scopes[code][0], start)


def apply_suppressions(doc: Document, diagnostics: list[Diagnostic], rules: Sequence[Rule]) -> list[Diagnostic]:
    """``diagnostics`` without the suppressed ones, plus HF001/HF002 for the directives when
    those rules are among ``rules``. Cheap when the text holds no directive."""
    directives = find_directives(doc)
    if not directives:
        return diagnostics
    selected = {rule.code for rule in rules}
    enabled = {rule.code for rule in rules if doc.mode in rule.modes}
    kept = [d for d in diagnostics if not _suppressed(d, directives, len(doc.text))]
    extra: list[Diagnostic] = []
    for directive in directives:
        if directive.problem:
            if INVALID in enabled:
                extra.append(Diagnostic(INVALID, f"Invalid suppression: {directive.problem}", directive.span))
        elif UNUSED in enabled:
            unused = _unused_codes(directive, enabled)
            if unused:
                extra.append(_unused_diagnostic(doc, directive, unused, selected))
    if not extra:
        return kept
    return sorted(kept + extra, key=Diagnostic.sort_key)


def _suppressed(d: Diagnostic, directives: list[Directive], end_of_text: int) -> bool:
    hit = False
    start = d.span.start
    for directive in directives:
        scope = directive.scopes.get(d.code)
        if scope is None:
            continue
        low, high = scope
        # A problem at the very end of the text (something never closed) belongs to the
        # last line and to a region that runs to the end.
        if low <= start < high or start == high == end_of_text:
            directive.used.add(d.code)
            hit = True
    return hit


def _unused_codes(directive: Directive, enabled: set[str]) -> list[str]:
    if directive.action == "enable":
        return [
            code for code in directive.codes
            if code not in directive.closes or _is_unused(directive.closes[code], code, enabled)
        ]
    return [code for code in directive.codes if _is_unused(directive, code, enabled)]


def _is_unused(directive: Directive, code: str, enabled: set[str]) -> bool:
    return code not in directive.used or code not in enabled


def _unused_diagnostic(doc: Document, directive: Directive, unused: list[str], selected: set[str]) -> Diagnostic:
    reasons = []
    for code in unused:
        if not _known(code):
            reasons.append(f"`{code}` is not a rule code")
        elif directive.action == "enable":
            closed = directive.closes.get(code)
            reasons.append(f"its `disable {code}` is unused" if closed else f"no `disable {code}` before it")
        elif directive.action == "disable" and code not in directive.scopes:
            reasons.append(f"`{code}` is already disabled above")
        elif code not in selected:
            reasons.append(f"`{code}` is not enabled")
        else:
            reasons.append(f"no `{code}` problem {'on that line' if directive.action == 'ignore' else 'there'}")
    # Removing a code for a rule that is only switched off in this run could lose a directive
    # another configuration needs, so that removal waits for --unsafe-fixes.
    cautious = any(code not in selected and _known(code) for code in unused)
    applicability = Applicability.UNSAFE if cautious else Applicability.SAFE
    return Diagnostic(
        UNUSED,
        f"Unused suppression: {'; '.join(reasons)}",
        directive.span,
        _removal(doc, directive, unused, applicability),
    )


def _known(code: str) -> bool:
    try:
        rule_class(code)
    except KeyError:
        return False
    return True


def _removal(doc: Document, directive: Directive, unused: list[str], applicability: Applicability) -> Fix:
    remaining = [code for code in directive.codes if code not in unused]
    if remaining:
        edit = Edit(directive.codes_span.start, directive.codes_span.end, ", ".join(remaining))
        return Fix(f"Remove {', '.join(unused)} from the suppression", (edit,), applicability)
    text = doc.text
    start, end = directive.span.start, directive.span.end
    if alone_on_line(text, start, end):
        # The comment had its own line: remove the line, with its line break.
        start = line_start_behind_blanks(text, start)
        newline = _NEWLINE.search(text, end)
        end = newline.end() if newline else len(text)
        if newline is None and start > 0:  # the last line: take the break before it instead
            start -= 2 if text[start - 2 : start] == "\r\n" else 1
    return Fix("Remove the unused suppression", (Edit(start, end, ""),), applicability)
