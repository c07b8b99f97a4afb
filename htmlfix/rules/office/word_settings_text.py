"""OF005: Word's document settings and style definitions leaked into the text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document
from ...model import Diagnostic, Edit, FixAvailability
from ...tokens import CHARREF, TEXT
from ..base import Rule
from ..encoding._context import element_around

__all__ = ["WordSettingsText"]

_SETTINGS = (
    r"Normal\s+0\s+(?:[0-9]{1,3}\s+)?(?:(?:false|true)\s+){2,6}(?:false|true)"
    r"(?:\s+(?:X-NONE|[A-Z]{2,3}(?:-[A-Z]{2,4})?)(?![\w-])){0,4}"
)
_EXPLORER = r"MicrosoftInternetExplorer4"
_SMART_TAGS = r"st1\\?:\\?\*\s*\{\s*behavior:\s*url\(#ieooui\)\s*\}"
_STYLE_DEFINITIONS = (
    r"/\\?\*\s*Style\s+Definitions\s*\\?\*/\s*table\.MsoNormalTable(?:\s*\{[^{}<>]{0,4000}\})?"
)
_PART = f"(?:{_SETTINGS}|{_EXPLORER}|{_SMART_TAGS}|{_STYLE_DEFINITIONS})"
_FINDER = re.compile(rf"{_PART}(?:\s*{_PART})*")
# What every match of `_FINDER` contains: the settings have `Normal` and `0`, the style
# definitions `MsoNormalTable`, and the other two parts their own words. A few literal
# searches rule out most pages that merely say "Normal", where the `_FINDER` scan (which
# tries its `/` alternative at every slash) costs far more.
_EVIDENCE = re.compile(r"Normal(?:\s+0|Table)")
_LITERALS = ("MicrosoftInternetExplorer4", "ieooui")
#: Elements that may go whole when the leaked text is all they hold.
_REMOVABLE = frozenset({"p", "div", "span", "font", "b", "i", "strong", "em"})


class WordSettingsText(Rule):
    """Word's settings leaked as text: `Normal 0 false false false EN-US X-NONE X-NONE`.

    ## What it does
    Finds the text of Word's hidden document settings and style definitions, which shows up
    when a sanitizer strips the conditional comments of a Word paste but keeps what was
    inside them: `Normal 0 false false false EN-US X-NONE X-NONE`, `MicrosoftInternetExplorer4`,
    `st1\\:*{behavior:url(#ieooui) }` and `/* Style Definitions */ table.MsoNormalTable
    {mso-style-name:"Table Normal"; …}` (also with Markdown-escaped `\\*`). The sequence is
    distinctive (a run of `false`/`true` flags after `Normal 0`, language codes such as
    `EN-US`, `X-NONE`), so prose is never matched. Code and attributes are not checked.

    ## Why is this bad?
    Readers see a line of nonsense at the top of the post or in the middle of a table cell;
    search snippets and feed excerpts show it instead of the first sentence.

    ## Example
    ```html
    <p>Normal 0 false false false EN-US X-NONE X-NONE</p>
    <p>Large amounts can harm bones. Normal 0 false false false EN-US X-NONE X-NONE</p>
    ```

    Use instead:
    ```html
    <p>Large amounts can harm bones.</p>
    ```

    ## Fix safety
    The fix is safe: it removes only the leaked settings text (with the whitespace next to
    it) and keeps every word around it. When the leak is all a paragraph (or `div`, `span`)
    holds, the paragraph goes with it, and in plain text a line that held only the leak
    goes with its line break; a table cell or list item is emptied, never removed.
    """

    code = "OF005"
    name = "word-settings-text"
    fix_availability = FixAvailability.ALWAYS

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        # One substring test: the settings, the style definitions (`MsoNormalTable`) and
        # Explorer4 (which never leaks without `Normal 0 ...` before it) all contain "Normal".
        if "Normal" not in text:
            return
        if not _may_match(text):
            return
        for match in _FINDER.finditer(text):
            start, end = match.span()
            if not self._in_text(doc, start, end):
                continue
            shown = match.group()
            if len(shown) > 50:
                shown = shown[:47] + "..."
            shown = " ".join(shown.split())
            fix = self.fix("Remove the leaked Word settings", _removal(doc, start, end))
            yield self.report(start, end, f"Word settings leaked into the text: `{shown}`", fix)

    @staticmethod
    def _in_text(doc: Document, start: int, end: int) -> bool:
        stream = doc.tokens
        first, last = stream.index_at(start), stream.index_at(end - 1)
        kinds = stream.kinds
        return all(kinds[i] is TEXT or kinds[i] is CHARREF for i in range(first, last + 1)) and not doc.is_protected(start)


def _may_match(text: str) -> bool:
    """False when `_FINDER` cannot match anywhere in ``text``."""
    return any(literal in text for literal in _LITERALS) or _EVIDENCE.search(text) is not None


def _removal(doc: Document, start: int, end: int) -> Edit:
    """Remove the match, with its line when nothing else is on it (between line feeds), or
    with the element around it when that holds nothing else. Reads the text around the match
    only as far as whitespace goes: taking its whole line, as before, was quadratic on one
    long line of matches."""
    text = doc.text
    found_start, found_end = start, end
    if doc.is_html:
        element = element_around(doc, start, end)
        if element is not None and element[2] in _REMOVABLE:
            start, end = element[0], element[1]
    # The line is the one the match starts and ends on; an element reaching past it leaves
    # nothing of the line on that side.
    before = text.rfind("\n", start, found_start)
    after = text.find("\n", found_end, end)
    line_start = before + 1 if before >= 0 else _blank_back(text, start)
    line_end = after if after >= 0 else _blank_ahead(text, end)
    if line_start is not None and line_end is not None:
        if line_end < len(text):
            return Edit(line_start, line_end + 1, "")
        return Edit(max(line_start - 1, 0), len(text), "")
    while end < len(text) and text[end] in " \t":
        end += 1
    at_line_end = after < 0 and (end == len(text) or text[end] == "\n")
    if at_line_end or text.startswith("<", end):
        while start > 0 and text[start - 1] in " \t":
            start -= 1
    return Edit(start, end, "")


def _blank_back(text: str, position: int) -> int | None:
    """The start of the line of ``position`` when only whitespace precedes it there."""
    while position > 0 and text[position - 1] != "\n":
        if not text[position - 1].isspace():
            return None
        position -= 1
    return position


def _blank_ahead(text: str, position: int) -> int | None:
    """The line feed ending the line of ``position`` (or the text's length) when only
    whitespace follows it there."""
    while position < len(text) and text[position] != "\n":
        if not text[position].isspace():
            return None
        position += 1
    return position
