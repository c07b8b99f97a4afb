"""ST006: the same id on two elements of one document."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure.helpers import line_of
from ...tokens import START_TAG, unescape
from ..base import Rule

_ID = re.compile(r"[\t\n\f\r \"'/]id[\t\n\f\r ]*+=", re.IGNORECASE)
_TEMPLATE = re.compile(r"<template[\t\n\f\r />]", re.IGNORECASE)
#: Attributes whose value names ids of the same document.
_REFERENCE_ATTRIBUTES = r"(?:for|headers|list|form|aria-[a-z]+|itemref|popovertarget|commandfor|anchor)"


class DuplicateId(Rule):
    """The same ``id`` on more than one element.

    ## What it does
    Flags every element whose ``id`` repeats one used earlier in the same document (ids inside
    ``<template>`` are left out: they belong to the template's own content). TOC plugins that
    derive ids from heading text, and copied widgets, cause most of them.

    ## Why is this bad?
    Links (``#id``), labels, ARIA references and scripts find only the first element with an
    id, so the later ones are unreachable: a table of contents jumps to the wrong heading, a
    label ticks the wrong box. CSS ``#id`` rules, on the other hand, style all of them.

    ## Example
    ```html
    <h2 id="intro">Intro</h2> ... <h2 id="intro">Intro, again</h2>
    ```

    Use instead:
    ```html
    <h2 id="intro">Intro</h2> ... <h2 id="intro-2">Intro, again</h2>
    ```

    ## Fix safety
    The fix renames the later duplicates (``intro-2``, ``intro-3``...) when nothing in the
    document refers to the id (no ``href="#intro"``, ``for``, ``aria-*``, ``headers``...): a
    link that was meant for a later heading would otherwise keep jumping to the first. It is
    unsafe: CSS rules and scripts outside the document, and links from other pages, may use
    the old id.
    """

    code = "ST006"
    name = "duplicate-id"
    fix_availability = FixAvailability.SOMETIMES
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if "id" not in text and "ID" not in text and "Id" not in text:
            return
        occurrences = _ids(doc)
        if len(occurrences) < 2:
            return
        first: dict[str, int] = {}
        used = {value for value, _, _ in occurrences}
        for value, attribute, offset in occurrences:
            if value not in first:
                first[value] = offset
                continue
            message = f"duplicate id `{value}`: line {line_of(doc, first[value])} already uses it, and links and scripts reach only that one"
            fix = None
            if not _referenced(text, value):
                new = _free(value, used)
                used.add(new)
                fix = self.fix(f"rename it to `{new}`",
                               Edit.replace(attribute.value_start, attribute.value_end, new),
                               applicability=Applicability.UNSAFE)
            else:
                message += " (the document refers to it, so which element was meant is unclear)"
            yield self.report(attribute.start, attribute.end, message, fix)


def _ids(doc: Document) -> list[tuple[str, object, int]]:
    stream = doc.tokens
    kinds = stream.kinds
    templates = _template_spans(doc)
    found = []
    seen_tokens: set[int] = set()
    for match in _ID.finditer(doc.text):
        i = stream.index_at(match.start() + 1)
        if kinds[i] is not START_TAG or i in seen_tokens:
            continue
        seen_tokens.add(i)
        token = stream[i]
        attribute = token.attribute("id")
        if attribute is None or attribute.value is None:
            continue
        value = unescape(attribute.value, in_attribute=True)
        if not value or any(start <= token.start < end for start, end in templates):
            continue
        found.append((value, attribute, token.start))
    return found


def _template_spans(doc: Document) -> list[tuple[int, int]]:
    if not _TEMPLATE.search(doc.text):
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


def _referenced(text: str, value: str) -> bool:
    escaped = re.escape(value)
    if re.search(rf"#{escaped}(?=[\"'\s>]|$)", text):
        return True
    pattern = rf"{_REFERENCE_ATTRIBUTES}[\t\n\f\r ]*=[\t\n\f\r ]*[\"']?(?:[^\"'>]*\s)?{escaped}(?=[\"'\s>])"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _free(value: str, used: set[str]) -> str:
    number = 2
    while f"{value}-{number}" in used:
        number += 1
    return f"{value}-{number}"
