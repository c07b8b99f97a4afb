"""What the office rules share: the Word fingerprint, attribute removal, matching end tags and
CSS declarations of a ``style`` attribute."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ...document import Document
from ...model import Edit
from ...tokens import END_TAG, RAWTEXT, START_TAG, Attribute
from ..encoding._context import Decoded, decode

__all__ = [
    "Declaration",
    "declarations",
    "has_word_markup",
    "matching_end_tag",
    "remove_attribute",
    "stylesheet_mentions",
]

# Evidence that a document holds Word's HTML. `<font>` is deliberately not evidence: CKEditor's
# Word filter matched it and misfired on ordinary legacy HTML (ckeditor/ckeditor4#2634).
_WORD = re.compile(
    r"urn:schemas-microsoft-com|\bclass\s*=\s*[\"']?(?:[^\"'>]*\s)?Mso[A-Z]|\bmso-[a-z]+(?:-[a-z]+)*\s*:"
    r"|<o:p[\s>/]|<!(?:--)?\[if [^\]]*\b(?:mso|vml|support[A-Z])",
    re.IGNORECASE,
)


def has_word_markup(doc: Document) -> bool:
    """Whether ``doc`` carries Word's fingerprints (namespaces, Mso classes, mso- styles,
    ``<o:p>``, Word's conditional comments)."""
    return doc.memo(_has_word_markup)


def _has_word_markup(doc: Document) -> bool:
    return _WORD.search(doc.text) is not None


def stylesheet_mentions(doc: Document, word: str) -> bool:
    """Whether a ``<style>`` element of ``doc`` contains ``word`` (case-sensitive)."""
    return doc.memo(_stylesheet_mentions_factory(word))


@lru_cache(maxsize=8)
def _stylesheet_mentions_factory(word: str) -> Callable[[Document], bool]:
    def analysis(doc: Document) -> bool:
        stream = doc.tokens
        position = doc.text.find(word)
        while position >= 0:
            i = stream.index_at(position)
            if stream.kinds[i] is RAWTEXT and stream.names[i] == "style":
                return True
            position = doc.text.find(word, position + 1)
        return False

    return analysis


def remove_attribute(text: str, attribute: Attribute) -> Edit:
    """An edit deleting ``attribute`` and the whitespace before it."""
    start = attribute.start
    while start > 0 and text[start - 1] in " \t\n\r\f":
        start -= 1
    return Edit(start, attribute.end, "")


@lru_cache(maxsize=64)
def _tag_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"</?{re.escape(name)}(?=[\s/>])", re.IGNORECASE)


def matching_end_tag(doc: Document, i: int) -> int | None:
    """The token index of the end tag that closes start tag ``i`` (same name, nesting
    counted), or None when the element is never closed."""
    return _pairs(doc, doc.tokens.names[i]).get(i)


def _pairs(doc: Document, name: str) -> dict[int, int]:
    """Start tag index -> end tag index for every ``name`` element, from one pass over the
    text (so many unclosed elements cost one scan, not one scan each)."""
    cache: dict[str, dict[int, int]] = doc.memo(_pair_cache)
    found = cache.get(name)
    if found is None:
        found = cache[name] = _pair_tags(doc, name)
    return found


def _pair_cache(doc: Document) -> dict[str, dict[int, int]]:
    return {}


def _pair_tags(doc: Document, name: str) -> dict[int, int]:
    stream = doc.tokens
    pairs: dict[int, int] = {}
    open_tags: list[int] = []
    for match in _tag_pattern(name).finditer(doc.text):
        j = stream.index_at(match.start())
        if stream.starts[j] != match.start() or stream.names[j] != name:
            continue
        if stream.kinds[j] is START_TAG:
            open_tags.append(j)
        elif stream.kinds[j] is END_TAG and open_tags:
            pairs[open_tags.pop()] = j
    return pairs


@dataclass(frozen=True, slots=True)
class Declaration:
    """One CSS declaration of a style attribute, with document offsets.

    ``start``/``end`` cover the declaration and its ``;`` (when it has one); ``property`` is
    lower-cased and stripped.
    """

    property: str
    start: int
    end: int
    terminated: bool


def declarations(text: str, attribute: Attribute) -> list[Declaration]:
    """The declarations of a ``style`` attribute, split where a CSS parser splits them: at
    ``;`` outside strings, parentheses and brackets (character references decoded first,
    so ``&quot;`` is a quote and the ``;`` of ``&amp;`` is not a separator)."""
    if attribute.value is None:
        return []
    decoded = decode(attribute.value, attribute.value_start)
    css = decoded.text
    found: list[Declaration] = []
    depth = 0
    quote = ""
    begin = 0
    for k, char in enumerate(css):
        if quote:
            if char == quote:
                quote = ""
            elif char == "\\":
                continue
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
        elif char == ";" and depth == 0:
            found.append(_declaration(css, decoded, begin, k + 1, True))
            begin = k + 1
    if css[begin:].strip():
        found.append(_declaration(css, decoded, begin, len(css), False))
    return found


def _declaration(css: str, decoded: Decoded, begin: int, end: int, terminated: bool) -> Declaration:
    body = css[begin:end]
    name = body.split(":", 1)[0].strip().lower() if ":" in body else ""
    start, stop = decoded.source_span(begin, end)
    return Declaration(name, start, stop, terminated)
