"""EN004: JSON/PHP unicode escapes whose backslash was stripped (``u003c``, ``u0022``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...fixer import apply_edits
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...tokens import START_TAG, tokenize
from ..base import Rule
from ._active import check_markup
from ._context import Place, find_matches, place_of

__all__ = ["StrippedUnicodeEscape"]

# No lookbehind at the front (it would slow the scan down at every position): an escape
# that kept its backslash is skipped afterwards.
_FINDER = re.compile(r"u00(?:3[cCeE]|2[267])")
_CHARS = {"3c": "<", "3e": ">", "22": '"', "26": "&", "27": "'"}
_QUOTES = frozenset({"22", "27"})


def _char(escape: str) -> str:
    return _CHARS[escape[3:].lower()]


class StrippedUnicodeEscape(Rule):
    """JSON escapes whose backslashes were stripped: `u003ca href=u0022…u0022u003e`.

    ## What it does
    Finds `u003c`, `u003e`, `u0022`, `u0026` and `u0027` (the JSON/PHP escapes of `<`, `>`,
    `"`, `&` and `'`) left without their backslash, as a group: at least two different ones
    in one text block, or one delimiting an attribute value (`href=u0022https://…u0022`).
    An escape with its backslash (`\\u003c`, as in Gutenberg block comments and JSON) is
    not damage and is not reported; nor is anything in code, scripts, styles or comments.
    HTML and Markdown only.

    ## Why is this bad?
    WordPress's `wp_insert_post()` unslashes what it stores, so block markup or imported
    posts that carried `\\u003c` come out as `u003ca href=u0022…`: the reader sees the escape
    codes, and the link or the emphasis is gone.

    ## Example
    ```html
    <p>See u003ca href=u0022https://example.com/u0022u003ethe docsu003c/au003e.</p>
    ```

    Use instead:
    ```html
    <p>See <a href="https://example.com/">the docs</a>.</p>
    ```

    ## Fix safety
    The fix writes each escape as the character it stands for, restoring the markup the
    text evidently was (the page shows the link instead of the codes) and keeping every
    word. It is safe when the markup it restores is made of allowlisted elements and
    attributes that open and close in order, or when it only restores characters inside an
    attribute value; it is unsafe when the restored tags do not balance. It is never offered
    when the result would contain active content (`script`, `style`, `iframe`, an `on*`
    attribute, a `javascript:` URL) or an element off the allowlist: then the problem is
    reported without a fix.
    """

    code = "EN004"
    name = "stripped-unicode-escape"
    fix_availability = FixAvailability.SOMETIMES
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        units: dict[tuple[int, int], tuple[Place, list[re.Match[str]]]] = {}
        for match in find_matches(_FINDER, doc, "u00", skip_code=True):
            if match.start() and text[match.start() - 1] == "\\":
                continue
            place = place_of(doc, match.start())
            if place is None or place.kind == "title":
                continue
            units.setdefault((place.start, place.end), (place, []))[1].append(match)
        for place, matches in units.values():
            codes = {m.group()[3:].lower() for m in matches}
            if place.kind == "attribute":
                if _delimits_value(text, place, matches):
                    yield self._attribute(doc, place, matches)
            elif len(codes) >= 2:
                yield self._text(doc, place, matches)

    def _text(self, doc: Document, place: Place, matches: list[re.Match[str]]) -> Diagnostic:
        start, end = matches[0].start(), matches[-1].end()
        restored = _restore(doc.text[place.start:place.end], place.start, matches)
        message = f"backslash-stripped JSON escapes ({_summary(matches)})"
        result = check_markup(restored)
        if not result.safe:
            return self.report(start, end, f"{message}; not restored: {result.problem}")
        applicability = Applicability.SAFE if result.balanced else Applicability.UNSAFE
        fix = self.fix(
            "Restore the escaped characters",
            *(Edit(m.start(), m.end(), _char(m.group())) for m in matches),
            applicability=applicability,
        )
        return self.report(start, end, message, fix)

    def _attribute(self, doc: Document, place: Place, matches: list[re.Match[str]]) -> Diagnostic:
        assert place.attribute is not None
        stream = doc.tokens
        tag_start, tag_end = stream.starts[place.token], stream.starts[place.token + 1]
        tag = doc.text[tag_start:tag_end]
        edits = [Edit(m.start(), m.end(), _in_value(_char(m.group()), place)) for m in matches]
        new_tag = _restore_edits(tag, tag_start, edits)
        message = f"backslash-stripped JSON escapes in `{place.attribute.name}` ({_summary(matches)})"
        retokenized = tokenize(new_tag)
        if len(retokenized) != 1 or retokenized.kinds[0] is not START_TAG:
            return self.report(matches[0].start(), matches[-1].end(), message)
        result = check_markup(new_tag)
        if not result.safe:
            return self.report(matches[0].start(), matches[-1].end(), f"{message}; not restored: {result.problem}")
        fix = self.fix("Restore the escaped characters", *edits)
        return self.report(matches[0].start(), matches[-1].end(), message, fix)


def _delimits_value(text: str, place: Place, matches: list[re.Match[str]]) -> bool:
    """Whether an escaped quote opens or closes the value (it stood for its quotes)."""
    first, last = matches[0], matches[-1]
    return (
        first.start() == place.start and first.group()[3:] in _QUOTES
        or last.end() == place.end and last.group()[3:] in _QUOTES
    )


def _in_value(char: str, place: Place) -> str:
    if place.quote == '"' and char == '"':
        return "&quot;"
    if place.quote == "'" and char == "'":
        return "&#39;"
    return char


def _restore(source: str, base: int, matches: list[re.Match[str]]) -> str:
    return _restore_edits(source, base, [Edit(m.start(), m.end(), _char(m.group())) for m in matches])


def _restore_edits(source: str, base: int, edits: list[Edit]) -> str:
    return apply_edits(source, [Edit(e.start - base, e.end - base, e.content) for e in edits])


def _summary(matches: list[re.Match[str]]) -> str:
    seen = sorted({m.group().lower() for m in matches})
    return ", ".join(f"`{s}`" for s in seen)
