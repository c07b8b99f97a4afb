"""Which language a piece of text is in: the nearest ``lang`` attribute, else a guess from
the document's most common function words.

Only the English question is asked ("may English typography rules touch this?"), so the
guess is deliberately one-sided: a document counts as English when English function words
clearly outnumber those of the languages whose typography differs (French puts a space before
``: ; ! ?``; German, Spanish, Italian, Dutch and Portuguese are counted so that a
non-English document is never mistaken for English).
"""

from __future__ import annotations

import bisect
import heapq
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
    bounds, english = doc.memo(_lang_segments)
    here = english[bisect.bisect_right(bounds, offset) - 1]
    return doc.memo(_reads_as_english) if here is None else here


def _lang_segments(doc: Document) -> tuple[list[int], list[bool | None]]:
    """The document cut where a ``lang`` zone starts or ends: each piece starts at ``bounds[k]``
    and is English or not by its innermost zone (the one that starts last), ``None`` outside
    every zone. A question is then one bisection: walking every zone for each question was
    quadratic on a page that switches language thousands of times."""
    zones = sorted(_lang_zones(doc), key=lambda zone: zone.start)
    bounds = sorted({0, *(zone.start for zone in zones), *(zone.end for zone in zones)})
    english: list[bool | None] = []
    open_zones: list[tuple[int, int, bool]] = []  # a heap: (-start, end, english), innermost first
    added = 0
    for bound in bounds:
        while added < len(zones) and zones[added].start <= bound:
            zone = zones[added]
            heapq.heappush(open_zones, (-zone.start, zone.end, zone.english))
            added += 1
        while open_zones and open_zones[0][1] <= bound:
            heapq.heappop(open_zones)  # ended; an ended zone under the top goes when it surfaces
        english.append(open_zones[0][2] if open_zones else None)
    return bounds, english


def _lang_zones(doc: Document) -> list[_Zone]:
    stream = doc.tokens
    zones: list[_Zone] = []
    seen: set[int] = set()  # a tag is read once, however many `lang=` it holds
    for match in _LANG.finditer(doc.text):
        i = stream.index_at(match.start())
        if stream.kinds[i] is not START_TAG or i in seen:
            continue
        seen.add(i)
        token = stream[i]
        attribute = token.attribute("lang") or token.attribute("xml:lang")
        if attribute is None or not attribute.value:
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
