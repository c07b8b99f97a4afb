"""Attribute value in typographic quotes (`id=“x”`), which browsers keep as part of the value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Diagnostic, Edit, FixAvailability
from ...tokens import DROPPED, START_TAG, Attribute, Token
from ..base import Rule

_OPEN = r"(?:[“”„″‘’]|&#82(?:20|21|43|16|17);|&[lr]dquo;|&#x201[cdCD89];)"
_CLOSE = r"(?:[“”″‘’]|&#82(?:21|43|17);|&rdquo;|&#x201[dD9];)"
#: A curly opening quote right after "=": the trigger, found with one search over the text.
_TRIGGER = re.compile(rf"=[ \t\r\n]*{_OPEN}")
_LEADING = re.compile(_OPEN)
_TRAILING = re.compile(rf"{_CLOSE}(?=/?\Z)")
# wptexturize curls the closing quote of a straight-quoted value and the next attribute:
# alt="a > b&#8221; class=&#8221;wp-image-10&#8243;/>
_CURLED_CLOSE = re.compile(rf"{_CLOSE}(?=[ \t\r\n]+[A-Za-z_:][-A-Za-z0-9_:.]*={_OPEN})")
_PRECHECK = ("“", "”", "„", "″", "‘", "’", "&#82", "dquo;", "&#x201")


class SmartQuotedAttribute(Rule):
    """Attribute value in typographic quotes (`id=“x”`), which browsers keep as part of the value.

    ## What it does
    Flags attribute values in real tags whose quotes were curled by a typographer
    (wptexturize, Word, Google Docs, Markdown smartypants): `id=“x”`, `class=&#8221;floatRight
    &#8221;`, `&#8243;` (a double prime, which wptexturize writes after a digit), and a straight
    quote's closing half curled together with the next attribute (`alt="a > b&#8221;
    class=&#8221;wp-image-10&#8243;/>`). Curly quotes inside a properly quoted value
    (`alt="She said “hi”"`) are text and are left alone.

    ## Why is this bad?
    Curly quotes are not attribute quotes for the HTML tokenizer, and they are allowed in
    unquoted values, so html5lib reports nothing: `id=“x”` gives the id `“x”`, quotes included,
    and `#x` links and `.floatRight` styles silently stop matching. A value with a space
    (`title=“Two words”`) splits into two attributes, and a curled closing quote makes the tag
    swallow the markup after it.

    ## Example
    ```html
    <h2 id=“next-steps” class=&#8221;wp-heading&#8221;>Next steps</h2>
    ```

    Use instead:
    ```html
    <h2 id="next-steps" class="wp-heading">Next steps</h2>
    ```

    ## Fix safety
    Safe. Only the two curled quote characters (or entities) of each value are replaced with
    `"`; the value's text is unchanged, so the attribute gets the value the author typed and
    the element renders and links as intended. Values that contain a straight `"` are
    reported without a fix.
    """

    code = "FR007"
    name = "smart-quoted-attribute"
    fix_availability = FixAvailability.SOMETIMES
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if not any(marker in text for marker in _PRECHECK):
            return
        stream = doc.tokens
        seen: set[int] = set()
        for trigger in _TRIGGER.finditer(text):
            index = stream.index_at(trigger.start())
            if index in seen or stream.kinds[index] not in (START_TAG, DROPPED):
                continue
            seen.add(index)
            if doc.is_protected(stream.starts[index]) and stream.names[index] not in ("pre", "code"):
                continue
            yield from self._check_tag(stream[index])

    def _check_tag(self, tag: Token) -> Iterator[Diagnostic]:
        attributes = tag.attributes
        used: set[int] = set()
        for position, attribute in enumerate(attributes):
            if position in used or attribute.value is None:
                continue
            if attribute.quote == '"':
                yield from self._curled_closing(tag, attribute)
                continue
            if attribute.quote != "":
                continue
            opening = _LEADING.match(attribute.value)
            if opening is None:
                continue
            closing_at, closing_end, consumed = _closing_quote(tag, attributes, position, opening.end())
            used.update(consumed)
            name = attribute.name
            shown = tag.src[attribute.start - tag.start : (closing_end if closing_end > 0 else attribute.end) - tag.start]
            message = f"Attribute `{name}` quoted with typographic quotes: `{_short(shown)}`"
            start, end = attribute.start, max(attribute.end, closing_end)
            if closing_at < 0:
                yield self.report(start, end, message)
                continue
            inner = tag.src[attribute.value_start + opening.end() - tag.start : closing_at - tag.start]
            if '"' in inner or ">" in inner:
                yield self.report(start, end, message)
                continue
            fix = self.fix(
                "Replace the typographic quotes with `\"`",
                Edit(attribute.value_start, attribute.value_start + opening.end(), '"'),
                Edit(closing_at, closing_end, '"'),
            )
            yield self.report(start, end, message, fix)

    def _curled_closing(self, tag: Token, attribute: Attribute) -> Iterator[Diagnostic]:
        """A straight-quoted value whose closing quote was curled with the next attribute's."""
        value = attribute.value or ""
        match = _CURLED_CLOSE.search(value)
        if match is None:
            return
        at = attribute.value_start + match.start()
        fix = self.fix(
            "Restore the closing `\"`",
            Edit(at, attribute.value_start + match.end(), '"'),
        )
        shown = value[max(0, match.start() - 12) : match.end() + 20]
        yield self.report(attribute.start, at + len(match.group()),
                          f"Attribute `{attribute.name}` has its closing quote curled: `…{shown}…`", fix)


def _closing_quote(
    tag: Token, attributes: list[Attribute], position: int, opening_length: int
) -> tuple[int, int, set[int]]:
    """Where the curled closing quote of ``attributes[position]`` is: ``(start, end, the
    indexes of attributes it swallowed)``, or ``(-1, -1, ...)`` if it has none."""
    attribute = attributes[position]
    value = attribute.value or ""
    found = _TRAILING.search(value, opening_length)
    if found is not None:
        return attribute.value_start + found.start(), attribute.value_start + found.end(), set()
    # A value with spaces: the tokenizer split it; the closing quote ends a later "attribute".
    consumed: set[int] = set()
    for later in range(position + 1, len(attributes)):
        other = attributes[later]
        consumed.add(later)
        raw = tag.src[other.start - tag.start : other.end - tag.start]
        found = _TRAILING.search(raw)
        if found is not None:
            return other.start + found.start(), other.start + found.end(), consumed
        if "=" in raw:
            break
    return -1, -1, set()


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
