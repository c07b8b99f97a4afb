"""EN002: character references escaped twice (``&amp;amp;``, ``&amp;nbsp;``, ``&amp;#8217;``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.entities import html5 as _NAMED

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ..base import Rule
from ._context import Place, find_matches, place_of

__all__ = ["DoubleEscapedEntity"]

_FINDER = re.compile(r"&amp;((?:amp;)*)(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: Attributes whose value is text people read (repaired like text).
_TEXT_ATTRIBUTES = frozenset(
    {"alt", "title", "aria-label", "aria-description", "aria-roledescription", "placeholder",
     "label", "summary", "abbr", "content"}
)
#: Attributes whose value is a URL: only `&amp;amp;` chains (broken query separators).
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "poster", "cite", "action", "formaction", "data", "background",
     "longdesc", "content"}
)
#: References that would show a markup character; unescaping them may turn a tutorial's
#: example into something else, so their fix is never applied unseen.
_MARKUP_NAMES = frozenset({"lt", "gt", "#60", "#62", "#x3c", "#x3e", "#x3C", "#x3E"})


def _valid_reference(name: str) -> bool:
    if name[0] != "#":
        return f"{name};" in _NAMED
    code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or (code & 0xFFFE) == 0xFFFE:
        return False
    return code in (9, 10, 13) or code >= 0x20 and not 0x7F <= code < 0xA0


class DoubleEscapedEntity(Rule):
    """Double-escaped character references: `&amp;amp;`, `&amp;nbsp;`, `&amp;#8217;` shown as text.

    ## What it does
    Finds a character reference whose `&` was escaped again (`&amp;nbsp;`, `&amp;quot;`,
    `&amp;#8217;`, chains such as `&amp;amp;amp;`), in text, in `<title>`, in the attributes
    people read (`alt`, `title`, `aria-label`, `placeholder`, `<meta content>`), and, for
    `&amp;amp;` only, in URL attributes (`href`, `src`, ...). It ignores code (`pre`, `code`,
    ...), scripts, comments, and attributes read by programs (`id`, `class`, `data-*`,
    `style`): a `data-*` value is often inserted as HTML by a script, where one level of
    escaping is right. Only references that mean a character are repaired (`&amp;#0;`,
    `&amp;#xFFFFFFFF;` and unknown names are left alone). Markdown and HTML only.

    ## Why is this bad?
    Each export/import round trip that escapes the text once more adds an `amp;`: readers see
    `Don&#8217;t` and `Tom &amp; Jerry` instead of `Don’t` and `Tom & Jerry`, and a link's
    `?a=1&amp;amp;b=2` sends a parameter called `amp;b`.

    ## Example
    ```html
    <p>That&amp;#8217;s a 400&amp;percnt; rise.</p>
    <img alt="Mac &amp;amp; i" src="x.jpg?w=1&amp;amp;h=2">
    ```

    Use instead:
    ```html
    <p>That&#8217;s a 400&percnt; rise.</p>
    <img alt="Mac &amp; i" src="x.jpg?w=1&amp;h=2">
    ```

    ## Fix safety
    The fix removes the extra `amp;` (the whole chain at once), so the page shows the
    character the reference was meant to show instead of its code. It is safe in attribute
    values, and in text where the reference is attached to a word (`That&amp;#8217;s`) or is
    the whole content of its element (`<p>&amp;nbsp;</p>`). It is unsafe where the reference
    stands alone between spaces in a sentence, and for `&amp;lt;`/`&amp;gt;`: an article
    about HTML writes `&amp;nbsp;` on purpose to show the code. It never turns `&lt;`
    into markup (that is EN003's business).
    """

    code = "EN002"
    name = "double-escaped-entity"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        for match in find_matches(_FINDER, doc, "&amp;", skip_code=True):
            chain, name = match.group(1), match.group(2)
            if not _valid_reference(name):
                continue
            place = place_of(doc, match.start())
            if place is None or not _applies(place, chain, name):
                continue
            applicability = _applicability(text, place, match, name)
            intended = f"&{name};"
            fix = self.fix(
                f"Unescape to `{intended}`",
                Edit(match.start() + 1, match.start(2), ""),
                applicability=applicability,
            )
            yield self.report(
                match.start(), match.end(), f"double-escaped reference `{match.group()}` (meant `{intended}`)", fix
            )


def _applies(place: Place, chain: str, name: str) -> bool:
    if place.kind != "attribute":
        return True
    assert place.attribute is not None
    attribute = place.attribute.name
    if attribute in _TEXT_ATTRIBUTES:
        return True
    return attribute in _URL_ATTRIBUTES and name == "amp"


def _applicability(text: str, place: Place, match: re.Match[str], name: str) -> Applicability:
    if place.kind != "text":
        return Applicability.SAFE
    if name in _MARKUP_NAMES:
        return Applicability.UNSAFE
    before = text[match.start() - 1] if match.start() > place.start else ""
    after = text[match.end()] if match.end() < place.end else ""
    attached = before.isalnum() or after.isalnum()
    alone = not text[place.start:match.start()].strip() and not text[match.end():place.end].strip()
    return Applicability.SAFE if attached or alone else Applicability.UNSAFE
