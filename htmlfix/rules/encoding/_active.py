"""Checking markup that a repair would create: allowlisted elements and attributes only.

A repair that turns text back into markup (EN003 escaped markup, EN004 stripped escapes)
must never create active content: no ``script``/``style``/``iframe``/``object``/``embed``/
``form``/``base`` element (or anything else off the list), no ``on*`` attribute, no
``javascript:``/``vbscript:``/``data:`` URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...tokens import (
    Attribute,
    BOGUS_COMMENT, CDATA, COMMENT, DOCTYPE, DROPPED, END_TAG, RAWTEXT, START_TAG, tokenize, unescape,
)

__all__ = ["ALLOWED_ELEMENTS", "MarkupCheck", "check_markup"]

ALLOWED_ELEMENTS = frozenset(
    "a abbr address b bdi bdo blockquote br caption cite code col colgroup dd del dfn div dl "
    "dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp "
    "small span strong sub sup table tbody td tfoot th thead time tr u ul var wbr".split()
)
VOID_ELEMENTS = frozenset({"br", "col", "hr", "img", "wbr"})
_ALLOWED_ATTRIBUTES = frozenset(
    "href src alt title width height class id lang dir colspan rowspan scope headers cite "
    "datetime rel target name align valign start reversed type span abbr".split()
)
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
_BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


@dataclass(frozen=True, slots=True)
class MarkupCheck:
    """What a piece of would-be markup contains.

    ``safe``: every element and attribute is allowlisted and no URL is active;
    ``balanced``: every non-void start tag has its end tag and the other way round, in order;
    ``tags``: how many tags it has; ``problem``: why it is not safe.
    """

    safe: bool
    balanced: bool
    tags: int
    problem: str = ""


def check_markup(source: str) -> MarkupCheck:
    stream = tokenize(source)
    open_elements: list[str] = []
    balanced = True
    tags = 0
    for i, kind in enumerate(stream.kinds):
        if kind in (RAWTEXT, CDATA, DROPPED, BOGUS_COMMENT, DOCTYPE):
            return MarkupCheck(False, False, tags, "unfinished or raw-text markup")
        if kind is COMMENT:
            continue
        if kind is not START_TAG and kind is not END_TAG:
            continue
        tags += 1
        name = stream.names[i]
        if name not in ALLOWED_ELEMENTS:
            return MarkupCheck(False, False, tags, f"element `{name}` is not allowed")
        if kind is START_TAG:
            problem = _attribute_problem(stream[i].attributes)
            if problem:
                return MarkupCheck(False, False, tags, problem)
            if name not in VOID_ELEMENTS:
                open_elements.append(name)
        elif name not in VOID_ELEMENTS:
            if open_elements and open_elements[-1] == name:
                open_elements.pop()
            else:
                balanced = False
    return MarkupCheck(True, balanced and not open_elements, tags)


def _attribute_problem(attributes: list[Attribute]) -> str:
    for attribute in attributes:
        name = attribute.name
        if name not in _ALLOWED_ATTRIBUTES:
            return f"attribute `{name}` is not allowed"
        if name in _URL_ATTRIBUTES and attribute.value is not None:
            url = _INVISIBLE.sub("", unescape(attribute.value, in_attribute=True))
            if _BAD_SCHEME.match(url):
                return f"`{name}` would be an active URL"
    return ""
