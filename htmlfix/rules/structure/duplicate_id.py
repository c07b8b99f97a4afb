"""ST006: the same id on two elements of one document."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from itertools import chain

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure.helpers import line_of
from ...tokens import START_TAG, Attribute, unescape
from ..base import Rule

# An id attribute's raw value (quotes included), found loosely; repeats are confirmed with
# the tokenizer's attribute parser. A pattern that starts with a literal is scanned for at C
# speed (a case-insensitive one, or one with a look-behind, is ten times slower), so the two
# spellings of the name people write, "id" and "ID", each get their own.
_VALUE = r"[\t\n\f\r ]*+=[\t\n\f\r ]*+(\"[^\"]*+\"|'[^']*+'|[^\t\n\f\r \"'>][^\t\n\f\r >]*+)"
_ID_VALUES = {spelling: re.compile(spelling + _VALUE) for spelling in ("id", "ID")}
_MAX_RENAMED = 20
_NAME_BEFORE = frozenset("\t\n\f\r \"'/")
_NAME_CHAR = re.compile(r"[\w.:-]")
_TEMPLATE = re.compile(r"<template[\t\n\f\r />]", re.IGNORECASE)


class DuplicateId(Rule):
    """The same `id` on more than one element.

    ## What it does
    Flags every element whose `id` repeats one used earlier in the same document (ids inside
    `<template>` are left out: they belong to the template's own content). TOC plugins that
    derive ids from heading text, and copied widgets, cause most of them. Opt-in
    (`--select ST006`): it reads every id of the document, which on large templated pages
    costs about a third of the tokenizer's time and mostly finds repeated page components.

    ## Why is this bad?
    Links (`#id`), labels, ARIA references and scripts find only the first element with an
    id, so the later ones are unreachable: a table of contents jumps to the wrong heading, a
    label ticks the wrong box. CSS `#id` rules, on the other hand, style all of them.

    ## Example
    ``html
    <h2 id="intro">Intro</h2> ... <h2 id="intro">Intro, again</h2>
    ``

    Use instead:
    ``html
    <h2 id="intro">Intro</h2> ... <h2 id="intro-2">Intro, again</h2>
    ``

    ## Fix safety
    The fix renames the later duplicates (`intro-2`, `intro-3`...) when the document
    mentions the id nowhere else (no `href="#intro"`, `for`, `aria-*`, `headers`, not
    even in text): a link that was meant for a later heading would otherwise keep jumping to
    the first. A page that repeats more than 20 different ids repeats whole components; their
    duplicates are reported without renames. It is
    unsafe: CSS rules and scripts outside the document, and links from other pages, may use
    the old id.
    """

    code = "ST006"
    name = "duplicate-id"
    fix_availability = FixAvailability.SOMETIMES
    default_enabled = False
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        repeated, raw = _repeated_ids(doc)
        if not repeated:
            return
        used: set[str] | None = None
        first: dict[str, int] = {}
        # a page that repeats many different ids repeats whole components, whose scripts and
        # styles likely rely on them: report, but offer no renames
        renames = len({value for value, _, _ in repeated}) <= _MAX_RENAMED
        # Per value, not per element: an id repeated thousands of times is counted, searched
        # for and numbered once (per element, each of those took time in the repeats: quadratic).
        counts = Counter(value for value, _, _ in repeated)
        mentioned: dict[str, bool] = {}
        numbered: dict[str, int] = {}
        for value, attribute, offset in repeated:
            if value not in first:
                first[value] = offset
                continue
            message = f"duplicate id `{value}`: line {line_of(doc, first[value])} already uses it, and links and scripts reach only that one"
            fix = None
            if renames and value not in mentioned:
                mentioned[value] = _referenced(text, value, counts[value])
            if not renames:
                pass
            elif mentioned[value]:
                message += " (the document mentions it elsewhere, so which element was meant is unclear)"
            else:
                if used is None:
                    used = {_unquoted(written) for written in raw}
                new = _free(value, used, numbered)
                used.add(new)
                fix = self.fix(f"rename it to `{new}`",
                               Edit.replace(attribute.value_start, attribute.value_end, new),
                               applicability=Applicability.UNSAFE)
            yield self.report(attribute.start, attribute.end, message, fix)


def _repeated_ids(doc: Document) -> tuple[list[tuple[str, Attribute, int]], Counter[str]]:
    """(value, attribute, tag offset) of every element whose id another element also has, in
    document order; and every id value written in the document, raw (renames avoid them)."""
    text = doc.text
    # Most pages repeat no id: find that out at C speed (findall, Counter) before looking at
    # any single match in Python.
    spellings = ["id", "ID"] if "ID=" in text else ["id"]
    raw = Counter(chain.from_iterable(_ID_VALUES[s].findall(text) for s in spellings))
    if not raw or max(raw.values()) < 2:
        return [], Counter()
    repeated = {value for value, count in raw.items() if count > 1 or "&" in value}
    offsets = [
        match.start()
        for spelling in spellings
        for match in _ID_VALUES[spelling].finditer(text)
        if match.group(1) in repeated and match.start() and text[match.start() - 1] in _NAME_BEFORE
    ]
    stream = doc.tokens
    templates = _template_spans(doc)
    confirmed: list[tuple[str, Attribute, int]] = []
    seen_tokens: set[int] = set()
    # A tag's id, parsed once however many `id=` its attribute values hold (parsed again for
    # each, a tag with thousands of them took quadratic time).
    element_ids: dict[int, Attribute | None] = {}
    for offset in sorted(offsets):
        i = stream.index_at(offset)
        if stream.kinds[i] is not START_TAG or i in seen_tokens:
            continue
        if i not in element_ids:
            element_ids[i] = stream[i].attribute("id")  # the first id attribute is the element's id
        attribute = element_ids[i]
        if attribute is None or attribute.value is None or attribute.start != offset:
            continue
        seen_tokens.add(i)
        value = unescape(attribute.value, in_attribute=True)
        tag_start = stream.starts[i]
        if value and not _inside(templates, tag_start):
            confirmed.append((value, attribute, tag_start))
    counts = Counter(value for value, _, _ in confirmed)
    return [item for item in confirmed if counts[item[0]] > 1], raw


def _unquoted(raw: str) -> str:
    return raw[1:-1] if raw[:1] in "\"'" and raw[-1:] == raw[:1] and len(raw) > 1 else raw


def _template_spans(doc: Document) -> list[tuple[int, int]]:
    text = doc.text
    if ("template" not in text and "TEMPLATE" not in text) or not _TEMPLATE.search(text):
        return []
    stream = doc.tokens
    spans, depth, start = [], 0, 0
    for i, name in enumerate(stream.names):
        if name != "template":
            continue
        if stream.kinds[i] is START_TAG:
            if depth == 0:
                start = stream.starts[i]
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, stream.starts[i + 1]))
    if depth:
        spans.append((start, len(doc.text)))
    return spans


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` lies in one of ``spans`` (sorted, not overlapping), by bisection:
    a page of thousands of templates, each with its ids, was quadratic walking them all."""
    at = bisect.bisect_right(spans, offset, key=lambda span: span[0]) - 1
    return at >= 0 and offset < spans[at][1]


def _referenced(text: str, value: str, as_id: int) -> bool:
    """Whether the document mentions ``value`` other than as these ids (a ``#value`` link, a
    ``for``, ``aria-*`` or ``headers`` reference, or plain text): then renaming could break a
    reference that was meant for a later element, so it is left to the author."""
    mentions = 0
    find = text.find
    position = find(value)
    while position >= 0:
        end = position + len(value)
        before = text[position - 1 : position]
        after = text[end : end + 1]
        if not (_NAME_CHAR.match(before) or _NAME_CHAR.match(after)):
            mentions += 1
            if mentions > as_id:
                return True
        position = find(value, end)
    return False


def _free(value: str, used: set[str], numbered: dict[str, int]) -> str:
    """The first of ``value-2``, ``value-3``, ... not in ``used``. ``numbered`` keeps where the
    last search for ``value`` stopped: the names below it are taken, and ``used`` only grows."""
    number = numbered.get(value, 2)
    while f"{value}-{number}" in used:
        number += 1
    numbered[value] = number + 1
    return f"{value}-{number}"
