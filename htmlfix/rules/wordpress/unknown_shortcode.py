"""WP005: shortcodes that no registry knows, in content that leaves WordPress."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document
from ...model import Diagnostic
from ..base import Rule
from ..cms._shared import stays_on_wordpress
from ._shortcodes import shortcodes


class UnknownShortcode(Rule):
    """Unknown shortcode (`[name attr="…"]` or `[name]…[/name]`) left in content that leaves WordPress.

    ## What it does
    Flags shortcodes that are not core, page-builder or known plugin shortcodes (those are
    WP001–WP004), when the brackets are evidently a shortcode: `[name attr="…"]` attribute
    syntax, or a matching `[/name]` closer. Bracketed prose is left alone: `[1]`, `[sic]`,
    `[…]`, `[Editor's note]`, `[see below]`, Markdown links, escaped shortcodes (`[[name]]`)
    and anything inside code, `pre`, tags, comments or scripts.

    The target decides: reported with target `generic`, `static` or `ghost`; silent with
    target `wordpress` (a theme or plugin may register it).

    ## Why is this bad?
    Outside WordPress (or on a WordPress site where the theme or plugin that registered it is
    gone) the reader sees the shortcode as text: `[tabby title="Specs"]`,
    `[highlight]…[/highlight]`.

    ## Example
    ```html
    <p>[highlight color="yellow"]Sale ends Friday[/highlight]</p>
    ```

    Use instead:
    ```html
    <p><mark>Sale ends Friday</mark></p>
    ```
    """

    code = "WP005"
    name = "unknown-shortcode"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        if stays_on_wordpress(doc):
            return
        for tag in shortcodes(doc):
            if tag.family or tag.closing:
                continue
            if tag.attribute_syntax or tag.partner >= 0:
                yield self.report(
                    tag.start, tag.end,
                    f"Unknown shortcode `{tag.label}` (shown as text outside WordPress)",
                )
