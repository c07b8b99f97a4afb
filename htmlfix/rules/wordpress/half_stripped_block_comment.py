"""WP006: Gutenberg block comments that were half stripped, escaped or left unterminated."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...document import Document
from ...model import Diagnostic, Edit, FixAvailability
from ...tokens import CHARREF, COMMENT, TEXT, UNTERMINATED, tokenize
from ..base import Rule
from ..cms._shared import leaves_wordpress, line_bounds, line_extent
from ._blocks import block_names, comment_delimiters, parse_after_name

# Block-comment debris: what is left of "<!-- wp:name … -->" once part of it was lost or
# escaped. From each "wp:name" found (see _blocks.block_names) the rule reads backwards: an optional "/"
# and what survived of "<!--" (nothing, "--", "!--", "<!--" in text mode, or "&lt;!--"); the
# JSON attributes and the closing "-->" are read by parse_after_name.
_PREFIX = re.compile(r"(?:&lt;!--|<!--|!--|--)[\t ]*+\Z")
_WORD = re.compile(r"[\w:/.-]")
#: "<!--", whitespace, an optional "/" and a block name: the start of a delimiter comment.
_OPENER = re.compile(r"<!--[\t\n\f\r ]++/?wp:[a-z][a-z0-9_-]*+(?:/[a-z][a-z0-9_-]*+)?")


class HalfStrippedBlockComment(Rule):
    """Gutenberg block comment half stripped (`wp:heading {"level":3} -->`) or unterminated (`<!-- /wp:heading`).

    ## What it does
    Flags what is left of a Gutenberg block delimiter (`<!-- wp:name {…} -->`) after an export
    or a cleaner damaged it:
    * text such as `wp:heading {"level":3} -->` or `/wp:heading -->` (the `<!--` was lost),
      and a whole delimiter HTML-escaped into text (`&lt;!-- wp:paragraph --&gt;`) standing
      on its own line;
    * an opening `<!-- /wp:heading` or `<!-- wp:paragraph {…}` whose `-->` was lost: the
      comment runs on to the next `-->` and swallows the content in between (when none is
      left, the delimiters it hides are reported too, and its fix closes them all);
    * in a plain-text export, any block delimiter (there even a complete one is visible text).

    This is damage for every target.

    ## Why is this bad?
    The debris is visible text (`wp:heading {"level":3} -->` above a heading). An unterminated
    delimiter is worse: browsers treat everything up to the next `-->` as a comment, so the
    paragraphs after it silently disappear from the page, and the block editor cannot parse
    the post either.

    ## Example
    ```html
    wp:heading {"level":3} -->
    <h3>Menu</h3>
    <!-- /wp:heading
    <p>Soup of the day.</p>
    <!-- wp:paragraph -->
    ```

    Use instead:
    ```html
    <!-- wp:heading {"level":3} -->
    <h3>Menu</h3>
    <!-- /wp:heading -->
    <p>Soup of the day.</p>
    <!-- wp:paragraph -->
    ```

    ## Fix safety
    Safe: the fix touches only the delimiter's own characters and keeps every word. An
    unterminated delimiter gets its ` -->` back, so the swallowed content shows again, as it
    evidently was meant to. Visible debris is restored into the comment it was (`<!-- ` and
    ` -->` around it; invisible, and the block editor sees the block again) with target
    `wordpress` or `generic`, and removed with target `static` or `ghost` (where block comments
    are cruft, see WP007) and in text mode; debris alone on its line goes with its line.
    """

    code = "WP006"
    name = "half-stripped-block-comment"
    fix_availability = FixAvailability.ALWAYS

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        if not block_names(doc):
            return
        if doc.is_html:
            yield from self._unterminated(doc)
        yield from self._debris(doc)

    def _unterminated(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        hidden = _hidden_delimiters(doc)
        for comment in comment_delimiters(doc):
            delimiter = comment.delimiter
            if delimiter.closed:
                continue
            start = comment.start
            after = delimiter.attributes_end
            if not _closable(text, after):
                continue  # "<!-- wp:x some words" is someone's comment, not a delimiter
            inside = hidden.get(start, [])
            also = f" (and the {len(inside)} it hides)" if inside else ""
            yield self.report(
                start, after,
                f"Unterminated Gutenberg block comment `{text[start:after].strip()}` (hides the content after it)",
                self.fix(f"Close the block comment with ` -->`{also}", Edit.insert(after, " -->"),
                         *(Edit.insert(end, " -->") for _, end in inside)),
            )
            line = doc.position(start).row
            for hidden_start, end in inside:
                yield self.report(
                    hidden_start, end,
                    f"Unterminated Gutenberg block comment `{text[hidden_start:end].strip()}`, hidden in the one "
                    f"on line {line}: once that one is closed, this one hides what follows it (the fix on line "
                    f"{line} closes it too)",
                )

    def _debris(self, doc: Document) -> Iterator[Diagnostic]:
        text, stream = doc.text, doc.tokens
        html = doc.is_html
        remove = not html or leaves_wordpress(doc)
        for match in block_names(doc):
            name = match.group()
            start = match.start()
            slash = "/" if text.startswith("/", start - 1) else ""
            start -= len(slash)
            if start and _WORD.match(text, start - 1):
                continue  # "http://example.com/wp:archive", "xwp:y"
            before = _PREFIX.search(text, max(0, start - 16), start)
            prefix = before.group() if before else ""
            start -= len(prefix)
            if html:
                if prefix.startswith("<"):
                    continue  # a real comment: WP007's business (or _unterminated's)
                kind = stream.kinds[stream.index_at(start)]
                if kind is not TEXT and kind is not CHARREF:
                    continue
                if doc.is_protected(start):
                    continue
            delimiter = parse_after_name(text, match.end(), escaped_close=True)
            if delimiter.closed:
                end = delimiter.close_end
            elif not html and prefix.startswith("<") and _isolated(text, start, delimiter.attributes_end):
                end = delimiter.attributes_end  # "<!-- /wp:heading" on a line of a text export
            else:
                continue
            escaped = prefix.startswith("&lt;") or text.startswith("--&gt;", end - 6)
            if (escaped or prefix.startswith("<")) and not _isolated(text, start, end):
                continue  # prose or a tutorial that shows a delimiter
            shown = text[start:end]
            what = "Escaped" if escaped else ("Half-stripped" if html or not prefix.startswith("<") else "Visible")
            message = f"{what} Gutenberg block comment `{_short(shown)}`"
            if remove:
                fix = self.fix("Remove the block comment debris", Edit.delete(*line_extent(text, start, end)))
            else:
                attributes = text[match.end() : delimiter.attributes_end].strip()
                restored = f"<!-- {slash}{name}{' ' + attributes if attributes else ''} {'/' if delimiter.void else ''}-->"
                fix = self.fix("Restore the block comment", Edit.replace(start, end, restored))
            yield self.report(start, end, message, fix)


def _closable(text: str, after: int) -> bool:
    """Whether a delimiter without ``-->`` whose name or attributes end at ``after`` is one
    the rule closes there: nothing but a line break or a tag follows on its line."""
    rest = text[after : after + 200].lstrip(" \t")
    return not rest or rest[0] in "\r\n<"


def _hidden_delimiters(doc: Document) -> dict[int, list[tuple[int, int]]]:
    """Unterminated delimiters hidden in the comment of a first one, by its start: (start,
    where the fix closes it). Empty unless the document ends in a comment without ``-->``.

    That comment hides the delimiters after it (they lost their ``-->`` too: there is none
    after it), so each fix pass used to close one, and a post whose every delimiter lost its
    ``-->`` needed more passes than the fixer allows. One tokenization of the text as it
    reads once each is closed finds them all."""
    stream = doc.tokens
    if not doc.is_html or not len(stream) or stream.kinds[-1] is not COMMENT or not stream.flags[-1] & UNTERMINATED:
        return {}
    found: list[tuple[int, int]] = []

    def end_of(text: str, start: int) -> int:
        opener = _OPENER.match(text, start)
        if opener is None:
            return -1
        after = parse_after_name(text, opener.end()).attributes_end
        if not _closable(text, after):
            return -1
        found.append((start, after))
        return after

    tokenize(doc.text, end_comment=end_of)  # comments that end are not asked about
    if len(found) < 2:
        return {}
    return {found[0][0]: found[1:]}


def _isolated(text: str, start: int, end: int) -> bool:
    """Whether nothing but whitespace or tags shares the line with ``[start, end)``."""
    bounds = line_bounds(text, start, end)
    if bounds is None:
        return False
    before = text[bounds[0] : start].strip()
    after = text[end : bounds[1]].strip()
    return (not before or before.endswith(">")) and (not after or after.startswith("<"))


def _short(source: str, limit: int = 60) -> str:
    return source if len(source) <= limit else source[: limit - 1] + "…"
