"""WP003: page-builder shortcodes (``[vc_row]``, ``[et_pb_section]``, ``[fusion_…]``, ...)."""

from __future__ import annotations

from collections.abc import Callable

from ...document import Document
from ...model import Applicability, Edit, Fix, FixAvailability
from ..cms._shared import line_bounds, line_extent
from ._shortcodes import Shortcode, ShortcodeFamilyRule

#: WPBakery stores these contents base64- and URL-encoded: stripping the tags would leave the
#: encoded blob as text, and decoding it could bring back scripts.
_ENCODED_CONTENT = frozenset({"vc_raw_html", "vc_raw_js"})


class PageBuilderShortcode(ShortcodeFamilyRule):
    """Page-builder shortcode (`[vc_row]`, `[et_pb_section]`, `[fusion_builder_container]`, …) left in content.

    ## What it does
    Flags the shortcodes of page builders: WPBakery/Visual Composer (`vc_`), Divi (`et_pb_`),
    Avada (`fusion_`), Enfold (`av_`), Cornerstone (`cs_`), Shortcodes Ultimate (`su_`),
    Jupiter (`mk_`), KingComposer (`kc_`), Flatsome (`ux_`), Themify (`themify_`), Oshine
    (`tatsu_`), Beaver Builder (`fl_`), and theme column shortcodes (`[one_half]`, ...), and
    a closer such as `[/vc_row]` with no opener.

    The target decides: with target `generic`, `static` or `ghost` every builder shortcode is
    reported; with target `wordpress` the site may still run the builder, so only stray
    closers are reported (to find builder leftovers on a site that dropped its builder, run
    `htmlfix check --target static --select WP003`).

    ## Why is this bad?
    Without the builder nothing renders them: the post opens with
    `[vc_row][vc_column][vc_column_text]` and every section is framed by shortcode text ("a
    screen full of visual composer short codes", Automattic/fb-instant-articles#444).

    ## Example
    ```html
    [vc_row][vc_column][vc_column_text]
    <p>Our story.</p>
    [/vc_column_text][/vc_column][/vc_row]
    ```

    Use instead:
    ```html
    <p>Our story.</p>
    ```

    ## Fix safety
    Unsafe: the fix deletes the shortcode tags and keeps everything between an opener and its
    closer, so every word stays, but the layout the builder made (columns, rows, spacing,
    buttons) is gone, and a self-contained element such as `[vc_single_image image="12"]` or
    `[et_pb_divider]` is deleted with what it stood for. A tag alone on its line goes with
    its line. `[vc_raw_html]` and `[vc_raw_js]` hold base64-encoded content and are reported
    without a fix. Deleting a stray closer is safe: it removes only the debris (WordPress
    prints an unmatched closer as text too).
    """

    code = "WP003"
    name = "page-builder-shortcode"
    fix_availability = FixAvailability.SOMETIMES
    family = "builder"
    noun = "Page-builder shortcode"

    def deletion(
        self, doc: Document, tags: list[Shortcode], on_wordpress: bool
    ) -> Callable[[int, int], tuple[int, int]]:
        # On WordPress only stray closers are deleted; elsewhere every builder tag is.
        deleted = [tag for tag in tags if tag.closing and tag.partner < 0] if on_wordpress else tags
        return _BuilderLines(doc.text, deleted).deletion

    def conversion(
        self, doc: Document, opener: Shortcode, closer: Shortcode | None,
        deletion: Callable[[int, int], tuple[int, int]],
    ) -> Fix | None:
        text = doc.text
        if opener.name in _ENCODED_CONTENT:
            return None
        if closer is None:
            edits = [Edit.delete(*deletion(opener.start, opener.end))]
            message = f"Remove `{opener.label}`"
        elif not text[opener.end : closer.start].strip():
            edits = [Edit.delete(*line_extent(text, opener.start, closer.end))]
            message = f"Remove the empty `{opener.label}`"
        else:
            edits = [
                Edit.delete(*deletion(opener.start, opener.end)),
                Edit.delete(*deletion(closer.start, closer.end)),
            ]
            message = f"Remove the `{opener.label}` wrapper, keeping its content"
        return self.fix(message, *edits, applicability=Applicability.UNSAFE)


class _BuilderLines:
    """Lines that hold nothing but builder tags (``[vc_row][vc_column]``): when all of their
    tags are deleted, the first takes the line's indentation and the last its line break, so
    no empty line is left behind."""

    def __init__(self, text: str, builders: list[Shortcode]) -> None:
        self.text = text
        self.first: dict[int, int] = {}  # tag start -> line start, for the first tag of a line
        self.last: dict[int, int] = {}  # tag end -> deletion end, for the last tag of a line
        by_line: dict[tuple[int, int], list[Shortcode]] = {}
        for tag in builders:
            if tag.name in _ENCODED_CONTENT:
                continue
            bounds = line_bounds(text, tag.start, tag.end)
            if bounds is not None:
                by_line.setdefault(bounds, []).append(tag)
        for (line_start, line_end), on_line in by_line.items():
            if len(on_line) < 2:
                continue
            rest, position = [], line_start
            for tag in on_line:
                rest.append(text[position : tag.start])
                position = tag.end
            rest.append(text[position:line_end])
            if "".join(rest).strip():
                continue
            if line_end < len(text):
                self.first[on_line[0].start] = line_start
                self.last[on_line[-1].end] = line_end + (2 if text.startswith("\r\n", line_end) else 1)
            else:  # the last line: take the line break before it
                before = 2 if text[line_start - 2 : line_start] == "\r\n" else 1 if line_start else 0
                self.first[on_line[0].start] = line_start - before
                self.last[on_line[-1].end] = line_end

    def deletion(self, start: int, end: int) -> tuple[int, int]:
        if start in self.first or end in self.last:
            return self.first.get(start, start), self.last.get(end, end)
        return line_extent(self.text, start, end)
