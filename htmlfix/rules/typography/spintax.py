"""TY002: unrendered spintax (``{car|automobile|auto}``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document
from ...model import Diagnostic
from ..base import Rule
from ..encoding._context import place_of, prose

__all__ = ["Spintax"]

_FINDER = re.compile(r"\{([^{}|\n<>]{1,80}(?:\|[^{}|\n<>]{1,80}){1,20})\}(?!\})")
#: A brace after these is template or code syntax: `{{`, `${`, `\{`, `%{`, `#{`.
_TEMPLATE_PREFIXES = frozenset("{$\\%#")
_ALTERNATIVE = re.compile(r"[^\W\d_][\w'’. -]*[\w.'’]|[^\W\d_]{2,}", re.UNICODE)


class Spintax(Rule):
    """Leftover spintax: `{car|automobile|auto}` shown to readers.

    ## What it does
    Finds article-spinner syntax that was never rendered: a `{…|…}` group of at least two
    alternatives, each a word or a short phrase (`{quick|fast|speedy}`, `{The car|An
    automobile}`), in text. Template syntax (`{{ value|lower }}`, `{% … %}`, `${a|b}`),
    JSON, code, scripts, styles, math (`{x | x > 0}`: single letters and symbols are not
    phrases) and attributes are left alone. It reports only: which alternative was meant is
    the author's call.

    ## Why is this bad?
    Readers see the spinner's template instead of a sentence, a sure sign of generated
    content to people and to search engines.

    ## Example
    ```html
    <p>This is a {great|fantastic|wonderful} way to save money.</p>
    ```

    Use instead:
    ```html
    <p>This is a great way to save money.</p>
    ```
    """

    code = "TY002"
    name = "spintax"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        if "|" not in doc.text or "{" not in doc.text:
            return
        view = prose(doc)
        text = view.text
        if "|" not in text:
            return
        for match in _FINDER.finditer(text):
            if match.start() and text[match.start() - 1] in _TEMPLATE_PREFIXES:
                continue
            alternatives = match.group(1).split("|")
            if not all(_ALTERNATIVE.fullmatch(a.strip()) for a in alternatives):
                continue
            if len({a.strip().lower() for a in alternatives}) < 2:
                continue
            start = view.to_document(match.start())
            end = start + len(match.group())
            place = place_of(doc, start)
            if place is None or place.kind != "text" or end > place.end:
                continue
            yield self.report(start, end, f"leftover spintax `{match.group()}`")
