"""Which language a piece of text is in: the nearest ``lang`` attribute, else a guess from
the document's most common function words.

Only the English question is asked ("may English typography rules touch this?"), so the
guess is deliberately one-sided: a document counts as English when English function words
clearly outnumber those of the languages whose typography differs (French puts a space before
``: ; ! ?``; German, Spanish, Italian, Dutch and Portuguese are counted so that a
non-English document is never mistaken for English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...document import Document
from ...tokens import START_TAG
from ..office._word import matching_end_tag

__all__ = ["is_english_at"]

_LANG = re.compile(r"[\s\"'](?:xml:)?lang\s*=", re.IGNORECASE)
_ENGLISH = re.compile(r"\b(?:the|and|of|to|is|that|with|for|was|are|this|have|from|which)\b", re.IGNORECASE)
_OTHER = re.compile(
    r"\b(?:le|la|les|des|est|et|une|du|dans|pour|qui|sur|der|die|und|das|ist|nicht|ein|eine|"
    r"mit|auf|el|los|las|del|por|una|con|para|het|een|van|il|della|che|per|não|uma|com)\b",
    re.IGNORECASE,
)
#: Enough text to judge the language by; longer documents are sampled from the start.
_SAMPLE = 200_000


@dataclass(frozen=True, slots=True)
class _Zone:
    start: int
    end: int
    english: bool


def is_english_at(doc: Document, offset: int) -> bool:
    """Whether the text at ``offset`` is English: its nearest ``lang`` says so (``en``,
    ``en-GB``, ...), or it has none and the document reads as English."""
    zones: list[_Zone] = doc.memo(_lang_zones)
    innermost: _Zone | None = None
    for zone in zones:
        if zone.start <= offset < zone.end and (innermost is None or zone.start >= innermost.start):
            innermost = zone
    if innermost is not None:
        return innermost.english
    return doc.memo(_reads_as_english)


def _lang_zones(doc: Document) -> list[_Zone]:
    stream = doc.tokens
    zones: list[_Zone] = []
    for match in _LANG.finditer(doc.text):
        i = stream.index_at(match.start())
        if stream.kinds[i] is not START_TAG:
            continue
        token = stream[i]
        attribute = token.attribute("lang") or token.attribute("xml:lang")
        if attribute is None or not attribute.value or any(z.start == token.start for z in zones):
            continue
        end_tag = matching_end_tag(doc, i)
        end = stream.starts[end_tag + 1] if end_tag is not None else len(doc.text)
        primary = attribute.value.strip().lower().split("-")[0].split("_")[0]
        zones.append(_Zone(token.start, end, primary == "en"))
    return zones


def _reads_as_english(doc: Document) -> bool:
    sample = doc.text[:_SAMPLE]
    english = len(_ENGLISH.findall(sample))
    other = len(_OTHER.findall(sample))
    return english >= 5 and english >= 3 * other
