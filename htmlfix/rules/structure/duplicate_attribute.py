"""ST005: the same attribute twice on one tag."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator
from itertools import compress, repeat

from ...document import Document, Mode
from ...model import Diagnostic, Edit, FixAvailability
from ...structure.helpers import anchored
from ...tokens import START_TAG, TokenStream
from ..base import Rule

# Attribute names of one tag, loosely (values skipped); candidates are confirmed with the
# tokenizer's own attribute parser.
_NAMES = re.compile(
    r"[\t\n\f\r /]++([^\t\n\f\r />=][^\t\n\f\r />=]*+)"
    r"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:\"[^\"]*+\"?+|'[^']*+'?+|[^\t\n\f\r >]*+))?+"
)
_SPACE_BEFORE = re.compile(r"[\t\n\f\r ]*$")


class DuplicateAttribute(Rule):
    """The same attribute written twice on one tag.

    ## What it does
    Flags every repeat of an attribute name on a start tag (names compare case-insensitively,
    as in HTML): `<a href="/a" href="/b">`, `<img class="x" src="y" class="z">`.
    Opt-in (`--select ST005`): it has to read the attributes of every tag, which costs about a
    third of the tokenizer's time on a large page, and browsers already ignore the repeats, so
    the page does not suffer from them.

    ## Why is this bad?
    Browsers keep the first value and silently drop the others, so a later `class` or
    `style` the author (or a plugin) added has no effect, and tools that read the markup
    differently (an XML parser rejects it outright) see another page than the browser.

    ## Example
    ``html
    <img src="a.png" class="left" alt="" class="wide">
    ``

    Use instead:
    ``html
    <img src="a.png" class="left" alt="">
    ``

    ## Fix safety
    The fix deletes the repeats (with the space before them) and keeps the first value, which is
    the one browsers use: the page does not change. Safe, and the fixer checks that the html5lib
    DOM is unchanged. Attribute names repeated without a value (`disabled disabled`) are only
    found on tags that also repeat a valued attribute.
    """

    code = "ST005"
    name = "duplicate-attribute"
    fix_availability = FixAvailability.ALWAYS
    default_enabled = False
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if text.count("=") < 2:
            return
        stream = doc.tokens
        for i in _candidates(stream):
            token = stream[i]
            first: dict[str, object] = {}
            # The spaces before an attribute follow the attribute before it: searched from the
            # tag's start, a tag with thousands of repeats took quadratic time.
            previous_end = token.start
            for attribute in token.attributes:
                after, previous_end = previous_end, attribute.end
                if attribute.name not in first:
                    first[attribute.name] = attribute
                    continue
                space = _SPACE_BEFORE.search(text, after, attribute.start)
                start = space.start() if space else attribute.start
                yield anchored(self.report(
                    attribute.start, attribute.end,
                    f"duplicate attribute `{attribute.name}` on `<{token.name}>`: browsers keep the first one",
                    self.fix(f"delete the repeated `{attribute.name}`", Edit.delete(start, attribute.end), keeps_dom=True),
                ), i)


def _candidates(stream: TokenStream) -> list[int]:
    """Start tags that repeat a valued attribute name.

    Every step runs in C (map, compress, the regex): on a large page there are tens of
    thousands of start tags and a Python-level loop over them would cost more than the rest
    of the structural checks together.
    """
    text, starts, kinds = stream.text, stream.starts, stream.kinds
    tags = list(compress(range(len(kinds)), map(operator.is_, kinds, repeat(START_TAG))))
    begins = list(map(starts.__getitem__, tags))
    ends = list(map(starts.__getitem__, map(operator.add, tags, repeat(1))))
    several = list(compress(range(len(tags)), map(operator.lt, repeat(1), map(text.count, repeat("="), begins, ends))))
    if not several:
        return []
    # names compare case-insensitively; lower-casing keeps offsets unless a character changes
    # length (rare non-ASCII letters), and then the original text is used
    lowered = text.lower()
    source = lowered if len(lowered) == len(text) else text
    lists = list(map(_NAMES.findall, repeat(source), map(begins.__getitem__, several), map(ends.__getitem__, several)))
    repeated = compress(several, map(operator.ne, map(len, lists), map(len, map(set, lists))))
    return list(map(tags.__getitem__, repeated))
