"""WP001: ``[caption]`` shortcodes in content that leaves WordPress."""

from __future__ import annotations

import re
from collections.abc import Callable

from ...document import Document
from ...model import Applicability, Edit, Fix, FixAvailability
from ..cms._shared import paragraph_around, stands_alone
from ._shortcodes import Shortcode, ShortcodeFamilyRule, parse_attributes

_IMAGE = re.compile(
    r"\s*+((?:<a\s[^>]*+>\s*+)?<img\s[^>]*+>(?:\s*+</a>)?)(.*)\Z", re.IGNORECASE | re.DOTALL
)
_ID = re.compile(r"[\w-]+")
_ALIGN = re.compile(r"align(?:left|right|center|none)")
_CLASS = re.compile(r"[\w -]+")


class CaptionShortcode(ShortcodeFamilyRule):
    """Caption shortcode (`[caption]`, `[wp_caption]`) left in content that leaves WordPress.

    ## What it does
    Flags the core caption shortcodes, `[caption …]<img …> Text[/caption]` and the older
    `[wp_caption]`, and a `[/caption]` closer with no opener.

    The target decides: with target `generic`, `static` or `ghost` every caption shortcode is
    reported; with target `wordpress` WordPress renders them, so only a stray `[/caption]`
    (which WordPress prints as text too) is reported.

    ## Why is this bad?
    Outside WordPress nothing renders the shortcode: readers see
    `[caption id="attachment_6" align="alignright" width="300"]` as text before the image, the
    caption runs on as an ordinary sentence after it, and `[/caption]` follows.

    ## Example
    ```html
    <p>[caption id="attachment_6" align="alignright" width="300"]<img src="boat.jpg" alt="A boat" /> The boat at dawn[/caption]</p>
    ```

    Use instead:
    ```html
    <figure id="attachment_6" class="wp-caption alignright" style="width: 300px"><img src="boat.jpg" alt="A boat" /><figcaption class="wp-caption-text">The boat at dawn</figcaption></figure>
    ```

    ## Fix safety
    Unsafe: the page shows a captioned figure where it showed the shortcode's text. The fix
    replaces the shortcode, and a plain `<p>` that held nothing else, with the
    `<figure>`/`<figcaption>` that WordPress itself renders (HTML5 captions, the same classes,
    so theme CSS still applies); the image markup and the caption text are kept byte for byte.
    A figure is a block, so a caption that shares its paragraph with other text is reported
    without a fix (the figure would split the paragraph), as is one with no `<img>`. In text
    mode the fix keeps only the caption text. Deleting a stray `[/caption]` is safe: it removes
    only the debris.
    """

    code = "WP001"
    name = "caption-shortcode"
    fix_availability = FixAvailability.SOMETIMES
    family = "caption"
    noun = "Caption shortcode"

    def conversion(
        self, doc: Document, opener: Shortcode, closer: Shortcode | None,
        deletion: Callable[[int, int], tuple[int, int]],
    ) -> Fix | None:
        if closer is None:
            return None
        named, _ = parse_attributes(opener.attrs)
        inner = doc.text[opener.end : closer.start]
        if not doc.is_html:
            caption = (named.get("caption") or inner).strip()
            return self.fix(
                "Replace the caption shortcode with its caption text",
                Edit.replace(opener.start, closer.end, caption),
                applicability=Applicability.UNSAFE,
            )
        image = _IMAGE.match(inner)
        if image is None:
            return None
        caption = (named.get("caption") or image.group(2)).strip()
        span = paragraph_around(doc, opener.start, closer.end)
        if span is None:
            if not stands_alone(doc, opener.start, closer.end):
                return None
            span = (opener.start, closer.end)
        return self.fix(
            "Convert the caption shortcode to a `<figure>` with a `<figcaption>`",
            Edit.replace(*span, _figure(named, image.group(1), caption)),
            applicability=Applicability.UNSAFE,
        )


def _figure(named: dict[str, str], image: str, caption: str) -> str:
    """The HTML5 caption markup of WordPress's ``img_caption_shortcode``."""
    attributes = []
    identifier = named.get("id", "")
    if _ID.fullmatch(identifier):
        attributes.append(f'id="{identifier}"')
    classes = ["wp-caption"]
    align = named.get("align", "")
    if _ALIGN.fullmatch(align):
        classes.append(align)
    extra = named.get("class", "")
    if _CLASS.fullmatch(extra) and extra.strip():
        classes.append(extra.strip())
    attributes.append(f'class="{" ".join(classes)}"')
    width = named.get("width", "")
    if width.isdigit() and int(width) > 0:
        attributes.append(f'style="width: {int(width)}px"')
    figcaption = f'<figcaption class="wp-caption-text">{caption}</figcaption>' if caption else ""
    return f"<figure {' '.join(attributes)}>{image}{figcaption}</figure>"
