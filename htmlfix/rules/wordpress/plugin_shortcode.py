"""WP004: plugin shortcodes (forms, sliders, tables) in content that leaves WordPress."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document
from ...model import Diagnostic
from ..base import Rule
from ..cms._shared import stays_on_wordpress
from ._shortcodes import shortcodes


class PluginShortcode(Rule):
    """Plugin shortcode (`[contact-form-7]`, `[gravityform]`, `[rev_slider]`, …) left in content that leaves WordPress.

    ## What it does
    Flags shortcodes of well-known plugins that render something from the plugin's own data:
    forms (`[contact-form-7]`, `[gravityform]`, `[wpforms]`, `[ninja_form]`, `[mc4wp_form]`,
    ...), sliders (`[rev_slider]`, `[layerslider]`, `[metaslider]`, ...), galleries, tables,
    tables of contents, shop pages and code highlighters (`[code]`, `[sourcecode]`).

    The target decides: reported with target `generic`, `static` or `ghost`; silent with
    target `wordpress` (the plugin may be active).

    ## Why is this bad?
    Outside WordPress the reader sees `[contact-form-7 id="12" title="Contact"]` as text where
    a form, a slider or a table should be. What it showed lives in the plugin's database, not
    in the content, so nothing can convert it.

    ## Example
    ```html
    <p>Write to us:</p>
    <p>[contact-form-7 id="12" title="Contact form"]</p>
    ```

    Use instead (a replacement the new site supports):
    ```html
    <p>Write to us at <a href="mailto:hello@example.com">hello@example.com</a>.</p>
    ```
    """

    code = "WP004"
    name = "plugin-shortcode"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        if stays_on_wordpress(doc):
            return
        for tag in shortcodes(doc):
            if tag.family == "plugin" and not tag.closing:
                yield self.report(
                    tag.start, tag.end,
                    f"Plugin shortcode `{tag.label}` (renders only on WordPress with its plugin)",
                )
